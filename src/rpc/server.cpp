#include "rpc/server.h"

#include "http/auth.h"
#include "http/server.h"
#include "rpc/whitelist.h"
#include "util/log.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <stdexcept>

namespace cairn {

// ---------------------------------------------------------------------------
// RpcTable

RpcTable::RpcTable() : m_startup_time(static_cast<int64_t>(std::time(nullptr))) {}

void RpcTable::Register(std::string category, RpcMethod method)
{
    const std::string name = method.Name();
    if (m_methods.count(name)) throw std::logic_error("RPC method registered twice: " + name);
    m_methods.emplace(name, std::make_unique<Entry>(Entry{std::move(category), std::move(method)}));
}

bool RpcTable::Unregister(const std::string& name) { return m_methods.erase(name) > 0; }

std::vector<std::string> RpcTable::ListCommands() const
{
    std::vector<std::string> out;
    for (const auto& [name, _] : m_methods) out.push_back(name);
    return out;
}

const RpcMethod* RpcTable::Find(const std::string& name) const
{
    auto it = m_methods.find(name);
    return it == m_methods.end() ? nullptr : &it->second->method;
}

UniValue RpcTable::Execute(const JsonRpcRequest& request) const
{
    {
        std::lock_guard lock(m_mutex);
        if (m_in_warmup) throw RpcError(RPC_IN_WARMUP, m_warmup_status);
    }
    auto it = m_methods.find(request.method);
    if (it == m_methods.end()) throw RpcError(RPC_METHOD_NOT_FOUND, "Method not found");
    const RpcMethod& method = it->second->method;
    try {
        ActiveGuard guard(*this, request.method);
        if (request.params.isObject()) {
            JsonRpcRequest positional = request;
            positional.params = TransformNamedParams(request.params, method.GetArgNames());
            return method.HandleRequest(positional);
        }
        return method.HandleRequest(request);
    } catch (const RpcError&) {
        throw;
    } catch (const std::exception& e) {
        throw RpcError(RPC_MISC_ERROR, e.what());
    }
}

std::string RpcTable::Help(const std::string& command) const
{
    // Sorted by category, then name, as Core does.
    std::vector<const Entry*> entries;
    for (const auto& [_, e] : m_methods) entries.push_back(e.get());
    std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
        return a->category + a->method.Name() < b->category + b->method.Name();
    });
    std::string out;
    std::string category;
    for (const Entry* e : entries) {
        const std::string& name = e->method.Name();
        if ((!command.empty() || e->category == "hidden") && name != command) continue;
        std::string text = e->method.ToString();
        if (command.empty()) {
            text = text.substr(0, text.find('\n'));
            if (category != e->category) {
                if (!category.empty()) out += "\n";
                category = e->category;
                std::string title = category;
                if (!title.empty() && title[0] >= 'a' && title[0] <= 'z') title[0] = char(title[0] - 'a' + 'A');
                out += "== " + title + " ==\n";
            }
        }
        out += text + "\n";
    }
    if (out.empty()) out = "help: unknown command: " + command + "\n";
    out.pop_back();
    return out;
}

UniValue RpcTable::DumpArgMap() const
{
    UniValue out(UniValue::VARR);
    for (const auto& [_, e] : m_methods) {
        const UniValue map = e->method.GetArgMap();
        for (const UniValue& row : map.getValues()) out.push_back(row);
    }
    return out;
}

void RpcTable::SetRpcWarmupStatus(const std::string& status)
{
    std::lock_guard lock(m_mutex);
    m_warmup_status = status;
}

void RpcTable::SetRpcWarmupFinished()
{
    std::lock_guard lock(m_mutex);
    m_in_warmup = false;
}

bool RpcTable::IsInWarmup(std::string* status) const
{
    std::lock_guard lock(m_mutex);
    if (status) *status = m_warmup_status;
    return m_in_warmup;
}

void RpcTable::SetShutdownRequest(std::function<void()> request_shutdown)
{
    std::lock_guard lock(m_mutex);
    m_request_shutdown = std::move(request_shutdown);
}

bool RpcTable::RequestShutdown() const
{
    std::function<void()> f;
    {
        std::lock_guard lock(m_mutex);
        f = m_request_shutdown;
    }
    if (!f) return false;
    f();
    return true;
}

void RpcTable::SetLogPath(std::string path)
{
    std::lock_guard lock(m_mutex);
    m_log_path = std::move(path);
}

std::string RpcTable::LogPath() const
{
    std::lock_guard lock(m_mutex);
    return m_log_path;
}

RpcTable::ActiveGuard::ActiveGuard(const RpcTable& table, const std::string& method) : m_table(table)
{
    std::lock_guard lock(m_table.m_mutex);
    m_it = m_table.m_running_calls.insert(m_table.m_running_calls.end(), Running{method, std::chrono::steady_clock::now()});
}

RpcTable::ActiveGuard::~ActiveGuard()
{
    std::lock_guard lock(m_table.m_mutex);
    m_table.m_running_calls.erase(m_it);
}

UniValue RpcTable::ActiveCommands() const
{
    const auto now = std::chrono::steady_clock::now();
    UniValue out(UniValue::VARR);
    std::lock_guard lock(m_mutex);
    for (const Running& r : m_running_calls) {
        UniValue entry(UniValue::VOBJ);
        entry.pushKV("method", r.method);
        entry.pushKV("duration", int64_t(std::chrono::duration_cast<std::chrono::microseconds>(now - r.start).count()));
        out.push_back(entry);
    }
    return out;
}

// ---------------------------------------------------------------------------
// JSON-RPC over HTTP

namespace {

/** One request's reply object; errors are caught into it when `catch_errors`. */
UniValue ExecOne(const RpcTable& table, const JsonRpcRequest& request, bool catch_errors)
{
    UniValue result;
    if (catch_errors) {
        try {
            result = table.Execute(request);
        } catch (const RpcError& e) {
            return JsonRpcReplyObj(UniValue(), e.ToJson(), request.id, request.json_version);
        } catch (const std::exception& e) {
            return JsonRpcReplyObj(UniValue(), JsonRpcErrorObj(RPC_MISC_ERROR, e.what()), request.id, request.json_version);
        }
    } else {
        result = table.Execute(request);
    }
    return JsonRpcReplyObj(std::move(result), UniValue(), request.id, request.json_version);
}

/** A failed legacy (or unparsable) request: the HTTP status says what failed. */
HttpRpcReply ErrorReply(const UniValue& error, const JsonRpcRequest& request)
{
    const int code = find_value(error, "code").isNum() ? find_value(error, "code").get_int() : RPC_MISC_ERROR;
    return {HttpStatusForRpcError(code), JsonRpcReplyObj(UniValue(), error, request.id, request.json_version).write() + "\n"};
}

} // namespace

HttpRpcReply ExecuteHttpRpc(const RpcTable& table, std::string_view body, const JsonRpcRequest& base)
{
    JsonRpcRequest request = base;
    // Results only become the reply's text here: methods may hand it over
    // already serialized.
    request.json_text_ok = true;
    UniValue value;
    if (!value.read(body.data(), body.size())) {
        return ErrorReply(JsonRpcErrorObj(RPC_PARSE_ERROR, "Parse error"), request);
    }
    try {
        if (value.isObject()) {
            request.Parse(value);
            // Legacy: a failure is also an HTTP error. 2.0: HTTP 200 with the
            // error in the reply object.
            const UniValue reply = ExecOne(table, request, request.json_version == JsonRpcVersion::V2);
            if (request.IsNotification()) return {HTTP_NO_CONTENT, ""};
            // Appended in place: a getblock reply is megabytes.
            std::string text = reply.write();
            text.push_back('\n');
            return {HTTP_OK, std::move(text)};
        }
        if (value.isArray()) {
            // A batch is always HTTP 200; notifications get no entry. Each
            // element starts from the HTTP context alone, so a malformed one
            // is answered with "id": null in the legacy shape.
            UniValue replies(UniValue::VARR);
            for (const UniValue& element : value.getValues()) {
                JsonRpcRequest one = base;
                one.json_text_ok = true;
                UniValue reply;
                try {
                    one.Parse(element);
                    reply = ExecOne(table, one, /*catch_errors=*/true);
                } catch (const RpcError& e) {
                    reply = JsonRpcReplyObj(UniValue(), e.ToJson(), one.id, one.json_version);
                } catch (const std::exception& e) {
                    reply = JsonRpcReplyObj(UniValue(), JsonRpcErrorObj(RPC_PARSE_ERROR, e.what()), one.id, one.json_version);
                }
                if (!one.IsNotification()) replies.push_back(reply);
            }
            // All notifications: no content. An empty batch still gets "[]"
            // (Core keeps that for old clients).
            if (replies.empty() && !value.empty()) return {HTTP_NO_CONTENT, ""};
            return {HTTP_OK, replies.write() + "\n"};
        }
        throw RpcError(RPC_PARSE_ERROR, "Top-level object parse error");
    } catch (const RpcError& e) {
        return ErrorReply(e.ToJson(), request);
    } catch (const std::exception& e) {
        return ErrorReply(JsonRpcErrorObj(RPC_PARSE_ERROR, e.what()), request);
    }
}

std::string UrlDecode(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            unsigned value = 0;
            const char* first = s.data() + i + 1;
            const auto [ptr, ec] = std::from_chars(first, first + 2, value, 16);
            if (ec == std::errc{} && ptr == first + 2) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

namespace {

constexpr std::string_view WALLET_ENDPOINT_BASE = "/wallet/";

/** The first method of `body` that `user` may not call ("" if none): every
 *  element of a batch counts. An unparsable body is left to the dispatcher. */
std::string ForbiddenMethod(const RpcWhitelist& whitelist, const std::string& user, std::string_view body)
{
    UniValue value;
    if (!value.read(body.data(), body.size())) return "";
    auto method_of = [](const UniValue& request) {
        const UniValue& m = find_value(request, "method");
        return m.isStr() ? m.get_str() : std::string();
    };
    if (value.isObject()) {
        const std::string method = method_of(value);
        return whitelist.MayCall(user, method) ? "" : method;
    }
    if (value.isArray()) {
        for (const UniValue& element : value.getValues()) {
            if (!element.isObject()) continue;
            const std::string method = method_of(element);
            if (!whitelist.MayCall(user, method)) return method;
        }
    }
    return "";
}

void HandleJsonRpc(const RpcTable& table, const RpcAuthenticator& auth, const RpcWhitelist* whitelist,
                   HttpRequest& req)
{
    if (req.GetMethod() != HttpMethod::POST) {
        req.WriteReply(HTTP_BAD_METHOD, "JSONRPC server handles only POST requests");
        return;
    }
    const std::optional<std::string> authorization = req.GetHeader("authorization");
    if (!authorization) {
        req.WriteHeader("WWW-Authenticate", std::string(WWW_AUTHENTICATE_HEADER));
        req.WriteReply(HTTP_UNAUTHORIZED);
        return;
    }

    JsonRpcRequest base;
    base.peer_addr = req.GetPeer();
    base.uri = req.GetURI();
    if (base.uri.compare(0, WALLET_ENDPOINT_BASE.size(), WALLET_ENDPOINT_BASE) == 0) {
        base.wallet_name = UrlDecode(std::string_view(base.uri).substr(WALLET_ENDPOINT_BASE.size()));
    }
    if (!auth.CheckAuthorizationHeader(*authorization, base.auth_user)) {
        LogWarning("ThreadRPCServer incorrect password attempt from {}", base.peer_addr);
        // Deter brute-forcing: the reply waits, the worker does not.
        req.WriteHeader("WWW-Authenticate", std::string(WWW_AUTHENTICATE_HEADER));
        req.WriteReply(HTTP_UNAUTHORIZED, {}, AUTH_FAILURE_DELAY);
        return;
    }

    if (whitelist && !whitelist->MayCallAny(base.auth_user)) {
        LogInfo("RPC User {} not allowed to call any methods", base.auth_user);
        req.WriteReply(HTTP_FORBIDDEN);
        return;
    }
    const std::string body = req.ReadBody();
    if (whitelist && !whitelist->Empty()) {
        if (const std::string method = ForbiddenMethod(*whitelist, base.auth_user, body); !method.empty()) {
            LogInfo("RPC User {} not allowed to call method {}", base.auth_user, method);
            req.WriteReply(HTTP_FORBIDDEN);
            return;
        }
    }
    const HttpRpcReply reply = ExecuteHttpRpc(table, body, base);
    if (!reply.body.empty()) req.WriteHeader("Content-Type", "application/json");
    req.WriteReply(reply.status, reply.body);
}

} // namespace

void StartHttpRpc(HttpServer& http, const RpcTable& table, const RpcAuthenticator& auth, bool wallet_endpoints,
                  const RpcWhitelist* whitelist)
{
    LogDebug(LogCategory::RPC, "Starting HTTP RPC server");
    auto handler = [&table, &auth, whitelist](HttpRequest& req, const std::string&) {
        HandleJsonRpc(table, auth, whitelist, req);
    };
    http.RegisterHandler("/", true, handler);
    if (wallet_endpoints) http.RegisterHandler(std::string(WALLET_ENDPOINT_BASE), false, handler);
}

void StopHttpRpc(HttpServer& http, bool wallet_endpoints)
{
    LogDebug(LogCategory::RPC, "Stopping HTTP RPC server");
    http.UnregisterHandler("/", true);
    if (wallet_endpoints) http.UnregisterHandler(std::string(WALLET_ENDPOINT_BASE), false);
}

} // namespace cairn
