#include "rpc/request.h"

#include "util/log.h"

namespace cairn {

UniValue JsonRpcErrorObj(int code, const std::string& message)
{
    UniValue error(UniValue::VOBJ);
    error.pushKV("code", code);
    error.pushKV("message", message);
    return error;
}

UniValue RpcError::ToJson() const { return JsonRpcErrorObj(m_code, what()); }

namespace {

/** Printable ASCII only, for logging a method name the client chose. */
std::string Sanitize(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 100)) {
        if (c >= 0x20 && c < 0x7f) out += c;
    }
    return out;
}

} // namespace

void JsonRpcRequest::Parse(const UniValue& request)
{
    if (!request.isObject()) throw RpcError(RPC_INVALID_REQUEST, "Invalid Request object");

    // The id first, so errors from here on carry it.
    if (request.exists("id")) {
        id = find_value(request, "id");
    } else {
        id = std::nullopt;
    }

    json_version = JsonRpcVersion::V1_LEGACY;
    const UniValue& version = find_value(request, "jsonrpc");
    if (!version.isNull()) {
        if (!version.isStr()) throw RpcError(RPC_INVALID_REQUEST, "jsonrpc field must be a string");
        // Some old documentation put "jsonrpc": "1.0" in requests: legacy.
        if (version.get_str() == "1.0") {
            json_version = JsonRpcVersion::V1_LEGACY;
        } else if (version.get_str() == "2.0") {
            json_version = JsonRpcVersion::V2;
        } else {
            throw RpcError(RPC_INVALID_REQUEST, "JSON-RPC version not supported");
        }
    }

    const UniValue& m = find_value(request, "method");
    if (m.isNull()) throw RpcError(RPC_INVALID_REQUEST, "Missing method");
    if (!m.isStr()) throw RpcError(RPC_INVALID_REQUEST, "Method must be a string");
    method = m.get_str();
    LogDebug(LogCategory::RPC, "ThreadRPCServer method={} user={}", Sanitize(method), auth_user);

    const UniValue& p = find_value(request, "params");
    if (p.isArray() || p.isObject()) {
        params = p;
    } else if (p.isNull()) {
        params = UniValue(UniValue::VARR);
    } else {
        throw RpcError(RPC_INVALID_REQUEST, "Params must be an array or object");
    }
}

UniValue JsonRpcReplyObj(UniValue result, UniValue error, const std::optional<UniValue>& id, JsonRpcVersion version)
{
    UniValue reply(UniValue::VOBJ);
    const bool legacy = version == JsonRpcVersion::V1_LEGACY;
    if (!legacy) reply.pushKV("jsonrpc", "2.0");
    if (error.isNull()) {
        reply.pushKV("result", result);
        if (legacy) reply.pushKV("error", UniValue());
    } else {
        if (legacy) reply.pushKV("result", UniValue());
        reply.pushKV("error", error);
    }
    if (id) reply.pushKV("id", *id);
    return reply;
}

int HttpStatusForRpcError(int code)
{
    if (code == RPC_INVALID_REQUEST) return HTTP_BAD_REQUEST;
    if (code == RPC_METHOD_NOT_FOUND) return HTTP_NOT_FOUND;
    return HTTP_INTERNAL_SERVER_ERROR;
}

UniValue JsonRpcRequestObj(const std::string& method, const UniValue& params, const UniValue& id)
{
    UniValue request(UniValue::VOBJ);
    request.pushKV("method", method);
    request.pushKV("params", params);
    request.pushKV("id", id);
    request.pushKV("jsonrpc", "2.0");
    return request;
}

} // namespace cairn
