// The JSON-RPC server of the node: credentials (cookie, -rpcuser and
// -rpcpassword, -rpcauth), endpoints and HTTP settings from the arguments.
#ifndef CAIRN_NODE_RPC_SETUP_H
#define CAIRN_NODE_RPC_SETUP_H

#include "http/auth.h"
#include "http/server.h"
#include "rpc/server.h"
#include "rpc/whitelist.h"
#include "util/args.h"
#include "util/chaintype.h"

#include <filesystem>
#include <optional>
#include <string>

namespace cairn {

class NodeRpc
{
public:
    /** Starts the HTTP server with the RPC endpoint; false with `error` on a bad option or a failed bind. */
    bool Start(const ArgsManager& args, ChainType chain, const std::filesystem::path& datadir, RpcTable& table,
               std::string& error);
    /** Stops in the order that lets the reply to `stop` get out, and removes the cookie. */
    void Stop(RpcTable& table);

private:
    HttpServer m_http;
    RpcAuthenticator m_auth;
    RpcWhitelist m_whitelist;
    std::optional<std::filesystem::path> m_cookie;
    bool m_started{false};
};

} // namespace cairn

#endif
