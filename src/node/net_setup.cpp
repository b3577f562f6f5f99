#include "node/net_setup.h"

#include "config/cairn-config.h"
#include "consensus/chain_params.h"
#include "node/notifications.h"
#include "util/args.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"

#include <algorithm>

namespace cairn {

namespace {

/** Core's SAFE_CHARS_UA_COMMENT. */
bool IsSafeUaComment(const std::string& s)
{
    static const std::string SAFE = " .,;-_?@";
    for (char c : s) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && SAFE.find(c) == std::string::npos) return false;
    }
    return true;
}

} // namespace

void NodeP2P::Stop()
{
    if (connman) connman->Stop();
    if (notifications) notifications->SetNetListener(nullptr);
    notifications = nullptr;
}

bool SetupP2P(const ArgsManager& args, const ChainParams& params, ChainstateManager& chainman,
              const std::optional<uint256>& minimum_chain_work, NodeP2P& p2p, std::string& error)
{
    std::vector<std::string> comments;
    for (const std::string& c : args.GetArgs("-uacomment")) {
        if (!IsSafeUaComment(c)) {
            error = "User Agent comment (" + c + ") contains unsafe characters.";
            return false;
        }
        comments.push_back(c);
    }
    PeerManagerOptions pm;
    pm.user_agent = FormatSubVersion(PACKAGE_NAME, PACKAGE_VERSION, comments);
    if (pm.user_agent.size() > MAX_SUBVERSION_LENGTH) {
        error = "Total length of network version string (" + std::to_string(pm.user_agent.size()) +
                ") exceeds maximum length (" + std::to_string(MAX_SUBVERSION_LENGTH) +
                "). Reduce the number or size of uacomments.";
        return false;
    }
    pm.relay_txs = !args.GetBoolArg("-blocksonly", false);
    pm.minimum_chain_work = UintToArith256(minimum_chain_work.value_or(params.consensus.minimum_chain_work));

    ConnManOptions co;
    co.magic = params.message_start;
    const int64_t port = args.GetIntArg("-port", params.default_port);
    if (port < 1 || port > 65535) {
        error = "Invalid port specified in -port: '" + args.GetArg("-port", "") + "'";
        return false;
    }
    co.default_port = params.default_port;
    std::vector<std::string> connect = args.GetArgs("-connect");
    if (connect.size() == 1 && connect[0] == "0") connect.clear();
    if (args.IsArgNegated("-connect")) connect.clear();
    co.connect = connect;
    co.added_nodes = args.GetArgs("-addnode");
    // As Core: only connecting to chosen peers implies not listening, unless asked.
    const bool listen = args.GetBoolArg("-listen", connect.empty());
    if (listen) {
        for (const std::string& b : args.GetArgs("-bind")) {
            std::string text = b;
            if (text.size() > 6 && text.ends_with("=onion")) text.resize(text.size() - 6);
            auto s = ParseService(text, uint16_t(port));
            if (!s) {
                error = "Cannot resolve -bind address: '" + b + "'";
                return false;
            }
            // The same address may come from the config file and the command line.
            if (std::find(co.binds.begin(), co.binds.end(), *s) == co.binds.end()) co.binds.push_back(*s);
        }
        if (co.binds.empty()) {
            co.binds_optional.push_back(Service(*NetAddr::Parse("::"), uint16_t(port)));
            co.binds.push_back(Service(*NetAddr::Parse("0.0.0.0"), uint16_t(port)));
        }
    }
    co.max_connections = int(std::max<int64_t>(0, args.GetIntArg("-maxconnections", DEFAULT_MAX_PEER_CONNECTIONS)));
    co.max_receive_buffer = size_t(std::max<int64_t>(0, args.GetIntArg("-maxreceivebuffer", DEFAULT_MAX_RECEIVE_BUFFER))) * 1000;
    co.max_send_buffer = size_t(std::max<int64_t>(0, args.GetIntArg("-maxsendbuffer", DEFAULT_MAX_SEND_BUFFER))) * 1000;
    co.peer_timeout = int(args.GetIntArg("-peertimeout", DEFAULT_PEER_CONNECT_TIMEOUT));
    if (co.peer_timeout <= 0) {
        error = "peertimeout must be a positive integer.";
        return false;
    }
    co.connect_timeout_ms = int(args.GetIntArg("-timeout", DEFAULT_CONNECT_TIMEOUT));
    if (co.connect_timeout_ms <= 0) co.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT;
    co.network_active = args.GetBoolArg("-networkactive", true);
    co.allow_dns = args.GetBoolArg("-dns", true);
    co.local_services = NODE_NETWORK | NODE_WITNESS;
    pm.local_services = co.local_services;

    p2p.peerman = std::make_unique<PeerManager>(chainman, pm);
    p2p.connman = std::make_unique<ConnMan>(co, *p2p.peerman);
    p2p.peerman->SetConnMan(p2p.connman.get());
    return true;
}

bool StartP2P(NodeP2P& p2p, NodeNotifications& notifications, std::string& error)
{
    p2p.notifications = &notifications;
    notifications.SetNetListener(p2p.peerman.get());
    if (!p2p.connman->Start(error)) return false;
    if (!p2p.connman->GetNetworkActive()) LogInfo("SetNetworkActive: false");
    return true;
}

} // namespace cairn
