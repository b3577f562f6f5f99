#include "cli/rpc_client.h"

#include "cli/convert.h"
#include "cli/http_client.h"
#include "cli/options.h"
#include "http/auth.h"
#include "rpc/protocol.h"
#include "util/base64.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

namespace cairn {

namespace {

/** Digits only, as Core's ToIntegral<uint16_t> (no sign, no spaces). */
std::optional<uint16_t> ParsePortStrict(std::string_view s)
{
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty() || s[0] == '-' || value > 65535) {
        return std::nullopt;
    }
    return uint16_t(value);
}

/** The host and port to connect to: -rpcport, else a port in -rpcconnect,
 *  else the chain's default. */
void GetRpcTarget(const RpcClientContext& ctx, std::string& host, uint16_t& port)
{
    port = DefaultRpcPort(ctx.chain);
    const std::string rpcconnect = ctx.args.GetArg("-rpcconnect", DEFAULT_RPCCONNECT);
    uint16_t rpcconnect_port = 0;
    if (!SplitHostPort(rpcconnect, rpcconnect_port, host)) {
        throw std::runtime_error("Invalid port provided in -rpcconnect: " + rpcconnect);
    }
    if (rpcconnect_port != 0) port = rpcconnect_port;
    if (const auto rpcport = ctx.args.GetArg("-rpcport")) {
        const std::optional<uint16_t> parsed = ParsePortStrict(*rpcport);
        if (!parsed || *parsed == 0) throw std::runtime_error("Invalid port provided in -rpcport: " + *rpcport);
        port = *parsed;
        if (rpcconnect_port != 0) {
            std::fprintf(stderr, "Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport %u\n",
                         unsigned(port));
        }
    }
}

/** "user:password" from -rpcuser/-rpcpassword, else from the cookie file;
 *  nullopt (and empty credentials are sent) when there is no cookie. */
std::optional<std::string> GetCredentials(const ArgsManager& args)
{
    const std::string password = args.GetArg("-rpcpassword", "");
    if (!password.empty()) return args.GetArg("-rpcuser", "") + ":" + password;
    const std::filesystem::path cookie = args.GetPathArg("-rpccookiefile", std::string(COOKIEAUTH_FILE));
    if (cookie.empty()) return std::nullopt; // -norpccookiefile
    return ReadAuthCookie(args.AbsPathForConfigVal(cookie));
}

std::string TypeName(const UniValue& v)
{
    return uvTypeName(v.getType());
}

} // namespace

bool SplitHostPort(std::string_view in, uint16_t& port, std::string& host)
{
    bool valid = false;
    const size_t colon = in.find_last_of(':');
    const bool have_colon = colon != std::string_view::npos;
    // A colon separates a port when it follows "[...]" or is the only colon.
    const bool bracketed = have_colon && colon > 0 && in[0] == '[' && in[colon - 1] == ']';
    const bool multi_colon = have_colon && colon != 0 && in.find_last_of(':', colon - 1) != std::string_view::npos;
    if (have_colon && (colon == 0 || bracketed || !multi_colon)) {
        std::string_view digits = in.substr(colon + 1);
        // Core's ParseUInt16 accepts one leading '+'.
        if (!digits.empty() && digits[0] == '+' && (digits.size() < 2 || digits[1] != '-')) digits.remove_prefix(1);
        if (const auto n = ParsePortStrict(digits)) {
            in = in.substr(0, colon);
            port = *n;
            valid = port != 0;
        }
    } else {
        valid = true;
    }
    if (in.size() >= 2 && in.front() == '[' && in.back() == ']') {
        host = std::string(in.substr(1, in.size() - 2));
    } else {
        host = std::string(in);
    }
    return valid;
}

std::string RpcEndpoint(const std::optional<std::string>& wallet)
{
    if (!wallet) return "/";
    static constexpr char HEX[] = "0123456789ABCDEF";
    std::string out = "/wallet/";
    for (const unsigned char c : *wallet) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += char(c);
        } else {
            out += '%';
            out += HEX[c >> 4];
            out += HEX[c & 15];
        }
    }
    return out;
}

UniValue DefaultRequestHandler::PrepareRequest(const std::string& method, const std::vector<std::string>& args)
{
    const UniValue params = m_named ? ConvertNamedArgs(method, args) : ConvertPositionalArgs(method, args);
    return RequestObj(method, params, 1);
}

UniValue DefaultRequestHandler::ProcessReply(const UniValue& reply)
{
    if (!reply.isObject()) {
        throw std::runtime_error("JSON value of type " + TypeName(reply) + " is not of expected type object");
    }
    return reply;
}

UniValue CallRpc(const RpcClientContext& ctx, RequestHandler& handler, const std::string& method,
                 const std::vector<std::string>& args, const std::optional<std::string>& wallet)
{
    HttpRequest request;
    GetRpcTarget(ctx, request.host, request.port);
    const int64_t timeout = ctx.args.GetIntArg("-rpcclienttimeout", DEFAULT_HTTP_CLIENT_TIMEOUT);
    request.timeout_seconds = timeout > 0 ? int(std::min<int64_t>(timeout, 5LL * 365 * 24 * 3600)) : 0;

    const std::optional<std::string> credentials = GetCredentials(ctx.args);
    request.path = RpcEndpoint(wallet);
    request.headers = {
        {"Host", request.host},
        {"Connection", "close"},
        {"Content-Type", "application/json"},
        {"Authorization", "Basic " + EncodeBase64(credentials.value_or(""))},
    };
    request.body = handler.PrepareRequest(method, args).write() + "\n";

    const HttpResponse response = HttpPost(request);
    if (response.status == 0) {
        std::string detail;
        if (response.error != HTTP_CLIENT_NO_ERROR) {
            detail = " (error code " + std::to_string(response.error) + " - \"" +
                     HttpClientErrorString(response.error) + "\")";
        }
        throw ConnectionFailed("Could not connect to the server " + request.host + ":" +
                               std::to_string(request.port) + detail +
                               "\n\nMake sure the cairnd server is running and that you are connecting to the "
                               "correct RPC port.\nUse \"cairn-cli -help\" for more info.");
    }
    if (response.status == HTTP_UNAUTHORIZED) {
        if (!credentials) {
            throw std::runtime_error(
                "Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not "
                "set.  See -rpcpassword and -stdinrpcpass.  Configuration file: (" +
                ctx.args.GetConfigFilePath().string() + ")");
        }
        throw std::runtime_error("Authorization failed: Incorrect rpcuser or rpcpassword");
    }
    if (response.status == HTTP_SERVICE_UNAVAILABLE) {
        throw std::runtime_error("Server response: " + response.body);
    }
    // 400, 404 and 500 carry a JSON-RPC error in the body (legacy replies).
    if (response.status >= 400 && response.status != HTTP_BAD_REQUEST && response.status != HTTP_NOT_FOUND &&
        response.status != HTTP_INTERNAL_SERVER_ERROR) {
        throw std::runtime_error("server returned HTTP error " + std::to_string(response.status));
    }
    if (response.body.empty()) throw std::runtime_error("no response from server");

    UniValue value;
    if (!value.read(response.body)) throw std::runtime_error("couldn't parse reply from server");
    UniValue reply = handler.ProcessReply(value);
    if (reply.empty()) throw std::runtime_error("expected reply to have result, error and id properties");
    return reply;
}

UniValue ConnectAndCallRpc(const RpcClientContext& ctx, RequestHandler& handler, const std::string& method,
                           const std::vector<std::string>& args, const std::optional<std::string>& wallet)
{
    const bool wait = ctx.args.GetBoolArg("-rpcwait", false);
    const int64_t timeout = ctx.args.GetIntArg("-rpcwaittimeout", DEFAULT_WAIT_CLIENT_TIMEOUT);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::max<int64_t>(timeout, 0));
    for (;;) {
        try {
            UniValue reply = CallRpc(ctx, handler, method, args, wallet);
            if (wait) {
                const UniValue& error = find_value(reply, "error");
                if (error.isObject() && find_value(error, "code").isNum() &&
                    find_value(error, "code").get_int() == RPC_IN_WARMUP) {
                    throw ConnectionFailed("server in warmup");
                }
            }
            return reply;
        } catch (const ConnectionFailed& e) {
            if (wait && (timeout <= 0 || std::chrono::steady_clock::now() < deadline)) {
                std::this_thread::sleep_for(std::chrono::seconds(1));
                continue;
            }
            throw ConnectionFailed(std::string("timeout on transient error: ") + e.what());
        }
    }
}

std::vector<UniValue> ProcessBatchReply(const UniValue& in)
{
    if (!in.isArray()) throw std::runtime_error("Batch must be an array");
    std::vector<UniValue> batch(in.size());
    for (const UniValue& rec : in.getValues()) {
        if (!rec.isObject()) throw std::runtime_error("Batch member must be an object");
        const UniValue& id = find_value(rec, "id");
        if (!id.isNum()) throw std::runtime_error("JSON value of type " + TypeName(id) + " is not of expected type number");
        const int64_t n = id.get_int64();
        if (n < 0 || uint64_t(n) >= batch.size()) throw std::runtime_error("Batch member id is larger than batch size");
        batch[size_t(n)] = rec;
    }
    return batch;
}

UniValue RequestObj(const std::string& method, const UniValue& params, int id)
{
    UniValue request(UniValue::VOBJ);
    request.pushKV("method", method);
    request.pushKV("params", params);
    request.pushKV("id", id);
    request.pushKV("jsonrpc", "2.0");
    return request;
}

UniValue ClientReplyObj(const UniValue& result, const UniValue& error, int id)
{
    UniValue reply(UniValue::VOBJ);
    reply.pushKV("result", result);
    reply.pushKV("error", error);
    reply.pushKV("id", id);
    return reply;
}

std::optional<std::string> RpcWalletName(const ArgsManager& args)
{
    if (!args.IsArgSet("-rpcwallet")) return std::nullopt;
    return args.GetArg("-rpcwallet", "");
}

} // namespace cairn
