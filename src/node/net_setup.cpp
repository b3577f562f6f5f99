#include "node/net_setup.h"

#include "config/cairn-config.h"
#include "consensus/chain_params.h"
#include "net/addrdb.h"
#include "net/net_permissions.h"
#include "net/netgroup.h"
#include "net/node.h"
#include "net/proxy.h"
#include "net/upload_target.h"
#include "node/notifications.h"
#include "rpc/context.h"
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

/** Core's reading of -proxy, -onion, -proxyrandomize and -onlynet: the proxies by network and for names
 *  into `proxies`, the reachable networks into g_reachable_nets. `listen`: whether we listen (-listenonion's
 *  default). False with Core's start-up error. */
bool SetupProxies(const ArgsManager& args, bool allow_dns, bool listen, ProxyConfig& proxies, std::string& error)
{
    // Reachable networks: -onlynet's, else all; CJDNS only with -cjdnsreachable, I2P never (no SAM support).
    const bool onlynet = args.IsArgSet("-onlynet") && !args.IsArgNegated("-onlynet");
    if (onlynet) {
        g_reachable_nets.RemoveAll();
        for (const std::string& name : args.GetArgs("-onlynet")) {
            const Network net = ParseNetworkName(name);
            if (net == Network::UNROUTABLE) {
                error = "Unknown network specified in -onlynet: '" + name + "'";
                return false;
            }
            g_reachable_nets.Add(net);
        }
    } else {
        g_reachable_nets.SetAll();
    }
    if (!args.IsArgSet("-cjdnsreachable")) {
        if (onlynet && g_reachable_nets.Contains(Network::CJDNS)) {
            error = "Outbound connections restricted to CJDNS (-onlynet=cjdns) but -cjdnsreachable is not provided";
            return false;
        }
        g_reachable_nets.Remove(Network::CJDNS);
    }
    if (onlynet && g_reachable_nets.Contains(Network::I2P) && args.GetArg("-i2psam", "").empty()) {
        error = "Outbound connections restricted to i2p (-onlynet=i2p) but -i2psam is not provided";
        return false;
    }
    g_reachable_nets.Remove(Network::I2P);
    // DNS seeds are IPv4/IPv6 peers: asking for them while -onlynet forbids both is a contradiction.
    if (args.GetBoolArg("-dnsseed", false) && !g_reachable_nets.Contains(Network::IPV4) &&
        !g_reachable_nets.Contains(Network::IPV6)) {
        error = "Incompatible options: -dnsseed=1 was explicitly specified, but -onlynet forbids connections to IPv4/IPv6";
        return false;
    }

    const bool randomize = args.GetBoolArg("-proxyrandomize", DEFAULT_PROXYRANDOMIZE);
    std::optional<Proxy> ipv4, ipv6, onion, name, cjdns;
    for (const std::string& value : args.GetArgs("-proxy")) {
        // "addr:port" for every network, or "addr:port=<net>" for one.
        const size_t eq = value.rfind('=');
        const std::string proxy_text = value.substr(0, eq);
        std::string net_text;
        if (eq != std::string::npos) {
            if (eq + 1 == value.size()) {
                error = "Invalid -proxy address or hostname, ends with '=': '" + value + "'";
                return false;
            }
            net_text = value.substr(eq + 1);
            std::transform(net_text.begin(), net_text.end(), net_text.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
        }
        std::optional<Proxy> proxy;
        if (IsUnixSocketPath(proxy_text)) {
            proxy = Proxy{Service{}, randomize, proxy_text};
        } else if (!proxy_text.empty() && proxy_text != "0") {
            const auto addr = LookupService(proxy_text, DEFAULT_TOR_SOCKS_PORT, allow_dns);
            if (!addr || !addr->IsValid()) {
                error = "Invalid -proxy address or hostname: '" + proxy_text + "'";
                return false;
            }
            proxy = Proxy{*addr, randomize, {}};
        }
        if (net_text.empty()) {
            ipv4 = ipv6 = onion = name = cjdns = proxy;
        } else if (net_text == "ipv4") {
            ipv4 = name = proxy;
        } else if (net_text == "ipv6") {
            ipv6 = name = proxy;
        } else if (net_text == "onion" || net_text == "tor") {
            onion = proxy;
        } else if (net_text == "cjdns") {
            cjdns = proxy;
        } else {
            error = "Unrecognized network in -proxy='" + value + "': '" + net_text + "'";
            return false;
        }
    }
    if (ipv4) proxies.by_network[Network::IPV4] = *ipv4;
    if (ipv6) proxies.by_network[Network::IPV6] = *ipv6;
    if (cjdns) proxies.by_network[Network::CJDNS] = *cjdns;
    proxies.name_proxy = name;

    // -onion: a proxy for .onion only, or over -proxy's; -noonion / -onion=0: no onion connections.
    const bool onlynet_onion = onlynet && g_reachable_nets.Contains(Network::ONION);
    const std::string onion_text = args.IsArgNegated("-onion") ? "0" : args.GetArg("-onion", "");
    if (!onion_text.empty()) {
        if (onion_text == "0") {
            onion.reset();
            if (onlynet_onion) {
                error = "Outbound connections restricted to Tor (-onlynet=onion) but the proxy for reaching the Tor "
                        "network is explicitly forbidden: -onion=0";
                return false;
            }
        } else if (IsUnixSocketPath(onion_text)) {
            onion = Proxy{Service{}, randomize, onion_text};
        } else {
            const auto addr = LookupService(onion_text, DEFAULT_TOR_SOCKS_PORT, allow_dns);
            if (!addr || !addr->IsValid()) {
                error = "Invalid -onion address or hostname: '" + onion_text + "'";
                return false;
            }
            onion = Proxy{*addr, randomize, {}};
        }
    }
    if (onion) {
        proxies.by_network[Network::ONION] = *onion;
    } else {
        // Core may still learn the Tor proxy from the control port (-listenonion); Cairn has no
        // Tor control yet, but the start-up rule is Core's.
        if (onlynet_onion && !args.GetBoolArg("-listenonion", listen)) {
            error = "Outbound connections restricted to Tor (-onlynet=onion) but the proxy for reaching the Tor "
                    "network is not provided: none of -proxy, -onion or -listenonion is given";
            return false;
        }
        g_reachable_nets.Remove(Network::ONION);
    }
    return true;
}

} // namespace

void NodeP2P::Stop()
{
    // Stopping connman writes anchors.dat, peers.dat and the ban list.
    if (connman) connman->Stop();
    if (peerman) peerman->SetMempool(nullptr); // the pool may go before us
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
    pm.max_extra_txn = size_t(std::max<int64_t>(
        0, args.GetIntArg("-blockreconstructionextratxn", int64_t{DEFAULT_BLOCK_RECONSTRUCTION_EXTRA_TXN})));
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

    // Permissions: -whitebind sockets and -whitelist ranges (Core's syntax and errors, net_permissions.h).
    for (const std::string& text : args.GetArgs("-whitebind")) {
        std::string perm_error;
        auto wb = ParseWhitebind(text, perm_error);
        if (!wb) {
            error = perm_error;
            return false;
        }
        co.whitebinds.push_back(*wb);
    }
    for (const std::string& text : args.GetArgs("-whitelist")) {
        std::string perm_error;
        auto wl = ParseWhitelist(text, perm_error);
        if (!wl) {
            error = perm_error;
            return false;
        }
        if (uint8_t(wl->direction) & uint8_t(ConnectionDirection::In)) co.whitelist_inbound.push_back(*wl);
        if (uint8_t(wl->direction) & uint8_t(ConnectionDirection::Out)) co.whitelist_outbound.push_back(*wl);
    }
    co.whitelist_relay = args.GetBoolArg("-whitelistrelay", DEFAULT_WHITELISTRELAY);
    co.whitelist_forcerelay = args.GetBoolArg("-whitelistforcerelay", DEFAULT_WHITELISTFORCERELAY);
    // Core's -maxuploadtarget: MiB by default, or with a unit suffix (k/K, m/M, g/G, t/T).
    const std::string upload_target = args.GetArg("-maxuploadtarget", "0M");
    const std::optional<uint64_t> max_upload = ParseByteUnits(upload_target, uint64_t(1) << 20);
    if (!max_upload) {
        error = "Unable to parse -maxuploadtarget: '" + upload_target + "'";
        return false;
    }
    co.max_upload_target = *max_upload;

    // Core's parameter interaction, in its order: an explicit -bind or -whitebind means "listen" even with
    // -connect or -proxy; otherwise any -connect (even -connect=0), -maxconnections=0 or a -proxy (privacy)
    // turns listening off by default.
    const std::string proxy_arg = args.GetArg("-proxy", "");
    const bool proxy_set = !proxy_arg.empty() && proxy_arg != "0";
    const bool user_bind = !args.GetArgs("-bind").empty() || !args.GetArgs("-whitebind").empty();
    const bool only_chosen_peers = args.IsArgSet("-connect") || args.GetIntArg("-maxconnections", DEFAULT_MAX_PEER_CONNECTIONS) <= 0;
    const bool listen = args.GetBoolArg("-listen", user_bind || (!only_chosen_peers && !proxy_set));
    if (!listen && user_bind) {
        error = "Cannot set -bind or -whitebind together with -listen=0";
        return false;
    }
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
        // As Core: the wildcard addresses only when neither -bind nor -whitebind says where.
        if (co.binds.empty() && co.whitebinds.empty()) {
            co.binds_optional.push_back(Service(*NetAddr::Parse("::"), uint16_t(port)));
            co.binds.push_back(Service(*NetAddr::Parse("0.0.0.0"), uint16_t(port)));
        }
    }
    g_log_ips = args.GetBoolArg("-logips", false);
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
    if (!SetupProxies(args, co.allow_dns, listen, co.proxies, error)) return false;
    // As Core: every node serves recent blocks; only an unpruned one serves them all.
    const bool prune = args.GetIntArg("-prune", 0) != 0;
    co.local_services = NODE_NETWORK_LIMITED | NODE_WITNESS;
    if (!prune) {
        LogInfo("Setting NODE_NETWORK on non-prune mode");
        co.local_services |= NODE_NETWORK;
    }
    pm.local_services = co.local_services;

    // Automatic connections, seeds and the files in the datadir.
    const std::filesystem::path datadir = args.GetDataDirNet();
    co.datadir = datadir;
    // As Core: any -connect (even -connect=0 or -noconnect) turns automatic connections and, unless asked
    // for, DNS seeding off.
    co.use_addrman_outgoing = !args.IsArgSet("-connect");
    // As Core: no DNS seeds by default when -onlynet rules out both IPv4 and IPv6.
    const bool clearnet = IsReachableNet(Network::IPV4) || IsReachableNet(Network::IPV6);
    co.dns_seed = args.GetBoolArg("-dnsseed", !only_chosen_peers && clearnet ? DEFAULT_DNSSEED : false);
    co.force_dns_seed = args.GetBoolArg("-forcednsseed", DEFAULT_FORCEDNSSEED);
    if (co.force_dns_seed && !co.dns_seed) {
        error = "Cannot set -forcednsseed to true when setting -dnsseed to false.";
        return false;
    }
    co.fixed_seeds = args.GetBoolArg("-fixedseeds", DEFAULT_FIXEDSEEDS);
    co.dns_seeds = params.dns_seeds;
    co.seed_nodes = args.GetArgs("-seednode");

    const int32_t check_addrman = int32_t(std::clamp<int64_t>(
        args.GetIntArg("-checkaddrman", DEFAULT_ADDRMAN_CONSISTENCY_CHECKS), 0, 1'000'000));
    // -test=addrman: a fixed bucket key, so regression tests see the same bucket placement every run.
    const std::vector<std::string> tests = args.GetArgs("-test");
    const bool deterministic = std::find(tests.begin(), tests.end(), "addrman") != tests.end();
    p2p.addrman = std::make_unique<AddrMan>(deterministic, check_addrman);
    if (auto load_error = LoadPeersDat(datadir / "peers.dat", params.message_start, *p2p.addrman)) {
        error = *load_error;
        return false;
    }
    p2p.banman = std::make_unique<BanMan>(datadir / "banlist", args.GetIntArg("-bantime", DEFAULT_MISBEHAVING_BANTIME));

    // Our own addresses: -externalip, and interface discovery when listening without one.
    const std::vector<std::string> external = args.GetArgs("-externalip");
    // As Core: no discovery through a proxy (privacy).
    const bool discover = args.GetBoolArg("-discover", listen && external.empty() && !proxy_set);
    p2p.local = std::make_unique<LocalAddresses>(discover, uint16_t(port));
    for (const std::string& e : external) {
        const auto addr = LookupService(e, uint16_t(port), co.allow_dns);
        if (!addr || !addr->IsValid()) {
            error = "Cannot resolve -externalip address: '" + e + "'";
            return false;
        }
        p2p.local->Add(*addr, LOCAL_MANUAL);
    }

    p2p.peerman = std::make_unique<PeerManager>(chainman, pm);
    p2p.connman = std::make_unique<ConnMan>(co, *p2p.peerman, *p2p.addrman, p2p.banman.get(), p2p.local.get());
    p2p.peerman->SetConnMan(p2p.connman.get());
    p2p.peerman->SetAddrRelay(p2p.addrman.get(), p2p.banman.get(), p2p.local.get());
    return true;
}

bool StartP2P(NodeP2P& p2p, NodeNotifications& notifications, std::string& error)
{
    p2p.notifications = &notifications;
    notifications.SetNetListener(p2p.peerman.get());
    if (!p2p.connman->Start(error)) return false;
    if (!p2p.connman->GetNetworkActive()) LogInfo("SetNetworkActive: false");
    if (p2p.connman->IsListening()) {
        // A specific routable address we listen on is one of ours.
        for (const Service& bind : p2p.connman->GetListenAddresses()) p2p.local->Add(bind, LOCAL_BIND);
        p2p.local->DiscoverInterfaces();
    }
    return true;
}

void SetP2PMempool(NodeP2P& p2p, TxMemPool* mempool)
{
    if (p2p.peerman) p2p.peerman->SetMempool(mempool);
}

void LendP2PToRpc(NodeP2P& p2p, RpcContext& ctx)
{
    ctx.connman = p2p.connman.get();
    ctx.peerman = p2p.peerman.get();
    ctx.addrman = p2p.addrman.get();
    ctx.banman = p2p.banman.get();
}

} // namespace cairn
