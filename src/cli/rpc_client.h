// The RPC round trip of cairn-cli: where to connect, which credentials, the
// HTTP exchange, and bitcoin-cli's reading of its outcome.
//
// Request handlers turn the command line into a JSON-RPC request (one call,
// or a batch for -getinfo and -netinfo) and the reply back into one reply
// object {"result", "error", "id"}; the caller prints that. Errors that are
// not RPC errors are thrown as std::runtime_error with bitcoin-cli's text
// (printed as "error: <text>", exit code 1); ConnectionFailed marks the
// transient ones that -rpcwait retries.
#ifndef CAIRN_CLI_RPC_CLIENT_H
#define CAIRN_CLI_RPC_CLIENT_H

#include "util/args.h"
#include "util/chaintype.h"

#include <univalue.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** The server could not be reached (or was still warming up under -rpcwait). */
class ConnectionFailed : public std::runtime_error
{
public:
    explicit ConnectionFailed(const std::string& message) : std::runtime_error(message) {}
};

class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    /** The JSON-RPC request (object or batch array) to send. */
    virtual UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) = 0;
    /** The reply as one object with "result"/"error". */
    virtual UniValue ProcessReply(const UniValue& reply) = 0;
};

/** One call of `method`, positional or (-named) named parameters. */
class DefaultRequestHandler : public RequestHandler
{
public:
    explicit DefaultRequestHandler(bool named = false) : m_named(named) {}
    UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) override;
    UniValue ProcessReply(const UniValue& reply) override;

private:
    bool m_named;
};

/** What to connect to: the arguments and the selected chain. */
struct RpcClientContext {
    const ArgsManager& args;
    ChainType chain;
};

/**
 * Bitcoin Core's SplitHostPort: "host", "host:port", "[v6]:port", "[v6]" or
 * a bare IPv6 address. `port` is set only when a port is given; false if the
 * port is not a number in 1..65535 (`host` then keeps the whole text).
 */
bool SplitHostPort(std::string_view in, uint16_t& port, std::string& host);

/** "/" or "/wallet/<name>" with the name percent-encoded as libevent's
 *  evhttp_uriencode does (only A-Z a-z 0-9 - . _ ~ are kept). */
std::string RpcEndpoint(const std::optional<std::string>& wallet);

/** One HTTP round trip. Throws ConnectionFailed or std::runtime_error. */
UniValue CallRpc(const RpcClientContext& ctx, RequestHandler& handler, const std::string& method,
                 const std::vector<std::string>& args, const std::optional<std::string>& wallet);

/** CallRpc, retried every second under -rpcwait (for -rpcwaittimeout
 *  seconds, 0 for ever) while the connection fails or the server warms up.
 *  A connection failure that is not retried is rethrown as
 *  "timeout on transient error: <reason>". */
UniValue ConnectAndCallRpc(const RpcClientContext& ctx, RequestHandler& handler, const std::string& method,
                           const std::vector<std::string>& args, const std::optional<std::string>& wallet = {});

/** The replies of a batch indexed by their "id" (0..n-1). Throws
 *  "Batch must be an array", "Batch member must be an object", "Batch
 *  member id is larger than batch size". */
std::vector<UniValue> ProcessBatchReply(const UniValue& in);

/** A request object as bitcoin-cli sends it: {"method", "params", "id",
 *  "jsonrpc": "2.0"}. (Built here rather than taken from rpc/, so that the
 *  client links none of the server's code.) */
UniValue RequestObj(const std::string& method, const UniValue& params, int id);

/** {"result": result, "error": error, "id": id}: a reply made up by the client. */
UniValue ClientReplyObj(const UniValue& result, const UniValue& error, int id);

/** The -rpcwallet value, if the option is set (an empty name is the default wallet). */
std::optional<std::string> RpcWalletName(const ArgsManager& args);

} // namespace cairn

#endif
