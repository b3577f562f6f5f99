#include "node/rpc_setup.h"

#include "util/log.h"

namespace cairn {

bool NodeRpc::Start(const ArgsManager& args, ChainType chain, const std::filesystem::path& datadir, RpcTable& table,
                    std::string& error)
{
    // Credentials: -rpcpassword with -rpcuser, else a fresh cookie; -rpcauth entries add to either.
    const std::string password = args.GetArg("-rpcpassword", "");
    if (!password.empty()) {
        m_auth.AddUserPassword(args.GetArg("-rpcuser", ""), password);
    } else if (!args.IsArgNegated("-rpccookiefile")) {
        std::filesystem::path cookie = args.GetPathArg("-rpccookiefile", ".cookie");
        if (cookie.is_relative()) cookie = datadir / cookie;
        CookiePerms perms = CookiePerms::OWNER;
        if (auto p = args.GetArg("-rpccookieperms")) {
            auto parsed = ParseCookiePerms(*p);
            if (!parsed) {
                error = "Invalid -rpccookieperms=" + *p + "; must be one of 'owner', 'group', or 'all'.";
                return false;
            }
            perms = *parsed;
        }
        auto secret = GenerateAuthCookie(cookie, perms, error);
        if (!secret) return false;
        m_auth.AddUserPassword("__cookie__", *secret);
        m_cookie = cookie;
    }
    for (const std::string& entry : args.GetArgs("-rpcauth")) {
        if (entry.empty()) continue;
        if (!m_auth.AddRpcAuth(entry)) {
            error = "Invalid -rpcauth argument.";
            return false;
        }
    }

    // -rpcwhitelist, as Core: with any entry, users without one may call nothing
    // unless -rpcwhitelistdefault=0.
    for (const std::string& entry : args.GetArgs("-rpcwhitelist")) m_whitelist.Add(entry);
    m_whitelist.SetDefaultDeny(args.GetBoolArg("-rpcwhitelistdefault", args.IsArgSet("-rpcwhitelist")));

    const uint16_t port = uint16_t(args.GetIntArg("-rpcport", DefaultRpcPort(chain)));
    std::vector<std::string> warnings;
    auto endpoints = RpcBindEndpoints(args.GetArgs("-rpcbind"), args.IsArgSet("-rpcallowip"), port, warnings, error);
    if (!endpoints) return false;
    for (const std::string& w : warnings) LogWarning("{}", w);

    HttpServerOptions opts;
    opts.bind = *endpoints;
    opts.allow_ip = args.GetArgs("-rpcallowip");
    opts.threads = int(std::max<int64_t>(1, args.GetIntArg("-rpcthreads", DEFAULT_HTTP_THREADS)));
    opts.work_queue_depth = int(std::max<int64_t>(1, args.GetIntArg("-rpcworkqueue", DEFAULT_HTTP_WORKQUEUE)));
    opts.timeout_seconds = int(args.GetIntArg("-rpcservertimeout", DEFAULT_HTTP_SERVER_TIMEOUT));
    StartHttpRpc(m_http, table, m_auth, /*wallet_endpoints=*/true, &m_whitelist);
    if (!m_http.Start(opts, error)) return false;
    m_started = true;
    return true;
}

void NodeRpc::Stop(RpcTable& table)
{
    if (m_started) {
        StopHttpRpc(m_http);
        m_http.Interrupt();
        table.Interrupt();
        m_http.Stop();
        m_started = false;
    }
    if (m_cookie) DeleteAuthCookie(*m_cookie);
    m_cookie.reset();
}

} // namespace cairn
