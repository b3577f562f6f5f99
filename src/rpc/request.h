// JSON-RPC framing: one request object in, one reply object out, with
// Bitcoin Core's two dialects.
//
//  - Legacy (JSON-RPC 1.0/1.1: no "jsonrpc" key, or "jsonrpc": "1.0"): the
//    reply always has "result", "error" and "id" (one of the first two
//    null), and an error is also an HTTP error: 400 for -32600, 404 for
//    -32601, 500 for everything else.
//  - JSON-RPC 2.0 ("jsonrpc": "2.0"): the reply has "jsonrpc": "2.0" and
//    either "result" or "error", never both; HTTP is 200 whatever the RPC
//    error; a request without "id" is a notification, executed but not
//    answered (HTTP 204).
//  - A batch (JSON array) is always answered with HTTP 200 and an array of
//    replies (without the notifications; 204 when nothing is left).
#ifndef CAIRN_RPC_REQUEST_H
#define CAIRN_RPC_REQUEST_H

#include "rpc/protocol.h"

#include <univalue.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace cairn {

/**
 * An RPC error to report to the client: throw it from a method. The message
 * is what clients show ("error code: -8\nerror message:\n...").
 */
class RpcError : public std::runtime_error
{
public:
    RpcError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    int Code() const { return m_code; }
    /** {"code": code, "message": message} */
    UniValue ToJson() const;

private:
    int m_code;
};

/** {"code": code, "message": message}, Core's JSONRPCError. */
UniValue JsonRpcErrorObj(int code, const std::string& message);

enum class JsonRpcVersion {
    V1_LEGACY,
    V2,
};

struct JsonRpcRequest {
    enum class Mode { EXECUTE, GET_HELP, GET_ARGS };

    /** The request's "id"; absent (nullopt) when the object had none. Null
     *  until Parse, so errors before the id is known carry "id": null. */
    std::optional<UniValue> id{UniValue()};
    std::string method;
    /** Array (positional) or object (named parameters). */
    UniValue params{UniValue::VARR};
    JsonRpcVersion json_version{JsonRpcVersion::V1_LEGACY};
    Mode mode{Mode::EXECUTE};
    /** Set when the result only goes on to UniValue::write() (the HTTP
     *  reply): a method may then return pre-serialized JSON text
     *  (JsonTextValue in rpc/json_writer.h) instead of a tree. */
    bool json_text_ok{false};

    // Context from the HTTP layer.
    std::string uri;
    std::string auth_user;
    std::string peer_addr;
    /** Set for requests to "/wallet/<name>" (URL-decoded). */
    std::optional<std::string> wallet_name;

    /**
     * Reads one request object. Throws RpcError with Core's messages:
     * -32600 "Invalid Request object" (not an object), "jsonrpc field must be
     * a string", "JSON-RPC version not supported", "Missing method",
     * "Method must be a string", "Params must be an array or object".
     * The id and version are taken first, so the error reply carries them.
     */
    void Parse(const UniValue& request);
    /** A JSON-RPC 2.0 request without "id". */
    bool IsNotification() const { return !id.has_value() && json_version == JsonRpcVersion::V2; }
};

/**
 * A reply object: "jsonrpc": "2.0" first for 2.0; legacy has both "result"
 * and "error" (one null), 2.0 only the one that applies; "id" last when the
 * request had one (a legacy request without "id" gets a reply without it).
 */
UniValue JsonRpcReplyObj(UniValue result, UniValue error, const std::optional<UniValue>& id, JsonRpcVersion version);

/** The HTTP status of a failed legacy request (or one that could not be
 *  parsed): 400 for -32600, 404 for -32601, 500 otherwise. */
int HttpStatusForRpcError(int code);

/** A JSON-RPC request object, as clients send it ("jsonrpc": "2.0"). */
UniValue JsonRpcRequestObj(const std::string& method, const UniValue& params, const UniValue& id);

} // namespace cairn

#endif
