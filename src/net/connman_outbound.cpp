// The automatic side of the connection manager (Bitcoin Core's
// ThreadOpenConnections, ThreadDNSAddressSeed, eviction and address
// dumps): which peers we dial on our own, and the files that remember them.
//
//  * opencon: every 500 ms, if an automatic slot is free, picks what to open
//    in Core's order: anchors (block-relay-only peers of the last run), full-
//    relay peers up to 8, block-relay-only peers up to 2, an extra full-relay
//    peer while PeerManager finds our tip stale, after the initial sync an
//    extra block-relay-only peer every ~5 minutes, else a feeler every
//    ~2 minutes (a short connection that tests an address or a tried-table
//    collision). Addresses come from the address manager, one per network
//    group, never banned, discouraged, local, already connected or added
//    with -addnode, bad ports avoided. -seednode entries become addr-fetch
//    connections while the address manager is empty or peers are few.
//  * dnsseed: asks the network's DNS seeds (after -seednode had its chance)
//    when the address manager is empty, or after a wait when few peers come.
//    Lookups never block the socket thread and give up at shutdown.
#include "net/connman.h"

#include "net/addrdb.h"
#include "net/addrman.h"
#include "net/banman.h"
#include "net/dns_resolve.h"
#include "net/fast_random.h"
#include "net/fixed_seeds.h"
#include "net/local_addresses.h"
#include "net/netgroup.h"
#include "net/proxy.h"
#include "net/sock.h"
#include "crypto/siphash.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>

namespace cairn {

namespace {

/** Average microseconds between feeler connections. */
constexpr int64_t FEELER_INTERVAL_US = 2 * 60 * 1'000'000LL;
/** Feelers wait a random part of this (ms) so nodes do not synchronise. */
constexpr int64_t FEELER_SLEEP_WINDOW_MS = 1000;
/** Seed nodes and DNS seeds stop once this many full-relay peers are connected. */
constexpr int SEED_OUTBOUND_CONNECTION_THRESHOLD = 2;
/** Seconds before another -seednode is tried while peers are few. */
constexpr int64_t ADD_NEXT_SEEDNODE = 10;
/** Seconds the seed nodes get before the DNS seeds are asked. */
constexpr int64_t SEEDNODE_TIMEOUT = 30;
/** DNS seeds asked at once, and the waits before asking more. */
constexpr int DNSSEEDS_TO_QUERY_AT_ONCE = 3;
constexpr int64_t DNSSEEDS_DELAY_FEW_PEERS = 11;
constexpr int64_t DNSSEEDS_DELAY_MANY_PEERS = 5 * 60;
constexpr size_t DNSSEEDS_DELAY_PEER_THRESHOLD = 1000;
/** Addresses taken from one DNS seed. */
constexpr size_t DNSSEED_MAX_IPS = 32;
/** Keys of the keyed hashes (Core's RANDOMIZER_ID_*). */
constexpr uint64_t RANDOMIZER_ID_NETGROUP = 0x6c0edd8036ef4036ULL;
constexpr uint64_t RANDOMIZER_ID_ADDRCACHE = 0x1cf2e4ddd306dda9ULL;

void SetThreadName(const char* name)
{
    pthread_setname_np(pthread_self(), name);
}

int64_t SteadySeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool MayHaveUsefulAddressDB(uint64_t services)
{
    return services & (NODE_NETWORK | NODE_NETWORK_LIMITED);
}

bool IsAutomaticOutbound(ConnectionType t)
{
    return t == ConnectionType::OUTBOUND_FULL_RELAY || t == ConnectionType::BLOCK_RELAY ||
           t == ConnectionType::FEELER || t == ConnectionType::ADDR_FETCH;
}

/** Core's GetReachableEmptyNetworks: the reachable networks the address manager has no address of. */
std::set<Network> ReachableEmptyNetworks(const AddrMan& addrman)
{
    std::set<Network> out;
    for (Network n : {Network::IPV4, Network::IPV6, Network::ONION, Network::I2P, Network::CJDNS}) {
        if (IsReachableNet(n) && addrman.Size(n) == 0) out.insert(n);
    }
    return out;
}

} // namespace

// ---- helpers ----

bool ConnMan::InterruptibleSleep(int64_t ms)
{
    std::unique_lock lock(m_interrupt_mutex);
    m_interrupt_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_interrupt.load(); });
    return !m_interrupt;
}

bool ConnMan::AlreadyConnectedToAddress(const Service& addr) const
{
    // As Core: one connection per IP, whatever the port.
    const std::string name = addr.ToStringAddrPort();
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (static_cast<const NetAddr&>(node->addr) == static_cast<const NetAddr&>(addr) || node->addr_name == name) {
            return true;
        }
    }
    return false;
}

bool ConnMan::AddedNodesContain(const Service& addr) const
{
    const std::string a = addr.ToString(), ap = addr.ToStringAddrPort();
    std::lock_guard lock(m_added_mutex);
    return std::any_of(m_added_nodes.begin(), m_added_nodes.end(),
                       [&](const std::string& n) { return n == a || n == ap; });
}

bool ConnMan::IsLocalAddress(const Service& addr) const
{
    return m_local && m_local->Contains(addr);
}

int ConnMan::MaxFullRelay() const
{
    return std::min(MAX_OUTBOUND_FULL_RELAY_CONNECTIONS, std::max(0, m_opts.max_connections));
}

int ConnMan::MaxBlockRelay() const
{
    return std::min(MAX_BLOCK_RELAY_ONLY_CONNECTIONS, std::max(0, m_opts.max_connections) - MaxFullRelay());
}

int ConnMan::MaxAutomaticOutbound() const
{
    return std::min(MaxFullRelay() + MaxBlockRelay() + MAX_FEELER_CONNECTIONS, std::max(0, m_opts.max_connections));
}

int ConnMan::CountConnected(ConnectionType type) const
{
    std::lock_guard lock(m_nodes_mutex);
    return int(std::count_if(m_nodes.begin(), m_nodes.end(), [type](const auto& n) {
        return n->successfully_connected && !n->disconnect && n->conn_type == type;
    }));
}

void ConnMan::SetTryNewOutboundPeer(bool flag)
{
    if (m_try_new_outbound_peer.exchange(flag) != flag) {
        LogDebug(LogCategory::NET, "setting try another outbound peer={}", flag ? "true" : "false");
    }
}

void ConnMan::StartExtraBlockRelayPeers()
{
    if (!m_start_extra_block_relay_peers.exchange(true)) {
        LogDebug(LogCategory::NET, "enabling extra block-relay-only peers");
    }
}

int ConnMan::GetExtraFullOutboundCount() const
{
    return std::max(CountConnected(ConnectionType::OUTBOUND_FULL_RELAY) - MaxFullRelay(), 0);
}

int ConnMan::GetExtraBlockRelayCount() const
{
    return std::max(CountConnected(ConnectionType::BLOCK_RELAY) - MaxBlockRelay(), 0);
}

bool ConnMan::MultipleManualOrFullOutboundConns(Network net) const
{
    std::lock_guard lock(m_nodes_mutex);
    return std::count_if(m_nodes.begin(), m_nodes.end(), [net](const auto& n) {
               return (n->conn_type == ConnectionType::OUTBOUND_FULL_RELAY || n->conn_type == ConnectionType::MANUAL) &&
                      n->addr.GetNetwork() == net;
           }) > 1;
}

int ConnMan::GetFullOutboundConnCount() const
{
    std::lock_guard lock(m_nodes_mutex);
    return int(std::count_if(m_nodes.begin(), m_nodes.end(), [](const auto& n) {
        return n->successfully_connected && n->conn_type == ConnectionType::OUTBOUND_FULL_RELAY;
    }));
}

std::vector<AddrEntry> ConnMan::GetCurrentBlockRelayOnlyConns() const
{
    std::vector<AddrEntry> out;
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (node->conn_type != ConnectionType::BLOCK_RELAY || !node->successfully_connected) continue;
        AddrEntry e;
        e.addr = node->addr;
        // It passed the service check at its version message.
        e.services = NODE_NETWORK | NODE_WITNESS;
        e.time = uint32_t(GetTime());
        out.push_back(e);
    }
    return out;
}

// ---- addresses ----

std::vector<AddrEntry> ConnMan::GetAddresses(size_t max_addresses, size_t max_pct, std::optional<Network> network,
                                             bool filtered) const
{
    std::vector<AddrEntry> addrs = m_addrman.GetAddr(max_addresses, max_pct, network, filtered);
    if (m_banman) {
        std::erase_if(addrs, [this](const AddrEntry& a) {
            return m_banman->IsDiscouraged(a.addr) || m_banman->IsBanned(a.addr);
        });
    }
    return addrs;
}

std::vector<AddrEntry> ConnMan::GetAddressesCached(const Node& requestor, size_t max_addresses, size_t max_pct)
{
    // One answer per network and local socket: asking repeatedly, or from many connections to
    // the same address of ours, shows nothing new about the table.
    const Bytes local = AddrBytes(requestor.addr_bind);
    const uint64_t cache_id = SipHasher(m_seed0, m_seed1)
                                  .Write(RANDOMIZER_ID_ADDRCACHE)
                                  .Write(uint64_t(requestor.addr.GetNetwork()))
                                  .Write(local)
                                  .Write(uint64_t(requestor.IsInbound() ? requestor.addr_bind.GetPort() : 0))
                                  .Finalize();
    const int64_t now = GetTimeMicros();
    CachedAddrResponse& entry = m_addr_response_caches[cache_id];
    if (entry.expiration_us < now) {
        entry.addrs = GetAddresses(max_addresses, max_pct, std::nullopt);
        // 21 to 27 hours: long enough to reveal little, short enough to stay useful.
        FastRandom rng;
        entry.expiration_us = now + 21LL * 3600 * 1'000'000 + int64_t(rng.randrange(6ULL * 3600 * 1'000'000));
    }
    return entry.addrs;
}

void ConnMan::DumpAddresses()
{
    if (m_opts.datadir.empty()) return;
    DumpPeersDat(m_opts.datadir / "peers.dat", m_opts.magic, m_addrman);
    if (m_banman) m_banman->DumpBanlist();
}

void ConnMan::MaybeDumpAddresses()
{
    const int64_t now = SteadySeconds();
    if (now - m_last_dump < DUMP_PEERS_INTERVAL) return;
    m_last_dump = now;
    DumpAddresses();
}

// ---- eviction ----

bool ConnMan::AttemptToEvictConnection()
{
    std::vector<std::shared_ptr<Node>> nodes;
    std::set<NodeId> prefer;
    {
        std::lock_guard lock(m_nodes_mutex);
        nodes = m_nodes;
        prefer = m_prefer_evict;
    }
    std::vector<EvictionCandidate> candidates;
    for (const auto& node : nodes) {
        if (!node->IsInbound() || node->disconnect) continue;
        EvictionCandidate c;
        c.id = node->id;
        c.connected = node->connected_time;
        m_events.GetEvictionInputs(node->id, c.in);
        c.keyed_net_group = SipHasher(m_seed0, m_seed1).Write(RANDOMIZER_ID_NETGROUP).Write(NetGroup(node->addr)).Finalize();
        c.prefer_evict = prefer.count(node->id) > 0;
        c.noban = node->HasPermission(NetPermissionFlags::NoBan);
        c.is_local = node->addr.IsLocal();
        c.network = node->addr.GetNetwork();
        candidates.push_back(c);
    }
    const std::optional<NodeId> victim = SelectNodeToEvict(std::move(candidates));
    if (!victim) return false;
    for (const auto& node : nodes) {
        if (node->id != *victim) continue;
        LogDebug(LogCategory::NET, "selected {} connection for eviction, {}", ConnectionTypeAsString(node->conn_type),
                 node->DisconnectMsg());
        node->disconnect = true;
        return true;
    }
    return false;
}

// ---- opening connections ----

int ConnMan::ConnectOutbound(const std::optional<Service>& target, const std::string& dest, bool& proxy_failed)
{
    proxy_failed = false;
    const auto interrupted = [this] { return m_interrupt.load(); };
    std::string error;
    int fd = -1;
    bool socks_failed = false;
    if (target && !target->IsValid()) {
        LogDebug(LogCategory::NET, "Resolver returned invalid address {} for {}", target->ToStringAddrPort(), dest);
        return -1;
    }
    if (target) {
        if (const auto proxy = m_opts.proxies.ForAddress(*target)) {
            LogDebug(LogCategory::PROXY, "Using proxy: {} to connect to {}", proxy->ToString(), target->ToStringAddrPort());
            fd = ConnectThroughProxy(*proxy, target->ToString(), target->GetPort(), m_opts.connect_timeout_ms,
                                     interrupted, proxy_failed, error);
            socks_failed = fd < 0 && !proxy_failed;
        } else {
            fd = ConnectSocket(*target, m_opts.connect_timeout_ms, error);
        }
    } else {
        std::string host;
        std::optional<uint16_t> port;
        if (!SplitHostPort(dest, host, port) || host.empty()) {
            LogDebug(LogCategory::NET, "Cannot resolve {}", dest);
            return -1;
        }
        // A .onion name is Tor's to resolve: the onion proxy, whatever the name proxy is.
        const std::optional<Proxy> proxy =
            IsOnionName(host) ? m_opts.proxies.ForNetwork(Network::ONION) : m_opts.proxies.name_proxy;
        if (!proxy) {
            LogDebug(LogCategory::NET, "Cannot connect to {}: no proxy for it", dest);
            return -1;
        }
        LogDebug(LogCategory::PROXY, "Using proxy: {} to connect to {}", proxy->ToString(), dest);
        fd = ConnectThroughProxy(*proxy, host, port.value_or(m_opts.default_port), m_opts.connect_timeout_ms,
                                 interrupted, proxy_failed, error);
        socks_failed = fd < 0 && !proxy_failed;
    }
    if (fd < 0 && !error.empty()) {
        // A proxy's refusal is worth the log, as in Core; failed plain connects are routine.
        if (socks_failed) {
            LogInfo("{}", error);
        } else {
            LogDebug(LogCategory::NET, "{}", error);
        }
    }
    return fd;
}

bool ConnMan::OpenAutoConnection(const AddrEntry& addr, ConnectionType type, bool count_failures)
{
    if (m_interrupt || !m_network_active) return false;
    if (IsLocalAddress(addr.addr) || IsDiscouraged(addr.addr) || IsBanned(addr.addr) ||
        AlreadyConnectedToAddress(addr.addr)) {
        return false;
    }
    LogDebug(LogCategory::NET, "trying v1 connection {} lastseen={:.1f}hrs", addr.addr.ToStringAddrPort(),
             double(GetTime() - int64_t(addr.time)) / 3600.0);
    bool proxy_failed = false;
    const int fd = ConnectOutbound(addr.addr, "", proxy_failed);
    // As Core: an unreachable proxy is not the address's fault.
    if (!proxy_failed) m_addrman.Attempt(addr.addr, count_failures);
    if (fd < 0) return false;
    auto node = AddNodeForSocket(fd, addr.addr, type, addr.addr.ToStringAddrPort());
    LogDebug(LogCategory::NET, "Added connection peer={}", node->id);
    return true;
}

void ConnMan::ProcessAddrFetch()
{
    std::string dest;
    {
        std::lock_guard lock(m_addr_fetch_mutex);
        if (m_addr_fetches.empty()) return;
        dest = m_addr_fetches.front();
        m_addr_fetches.pop_front();
    }
    std::string host;
    std::optional<uint16_t> port;
    if (!SplitHostPort(dest, host, port)) return;
    // A name goes to the proxy unresolved when one takes names (never a local DNS lookup then).
    std::optional<Service> target;
    if (auto ip = NetAddr::Parse(host)) {
        target = Service(*ip, port.value_or(m_opts.default_port));
    } else if (!IsOnionName(host) && !m_opts.proxies.name_proxy) {
        if (!m_opts.allow_dns) return;
        const std::vector<NetAddr> addrs = ResolveHost(host, 1, [this] { return m_interrupt.load(); });
        if (addrs.empty()) {
            LogDebug(LogCategory::NET, "Cannot resolve {}", dest);
            return;
        }
        target = Service(addrs.front(), port.value_or(m_opts.default_port));
    }
    {
        std::lock_guard lock(m_nodes_mutex);
        for (const auto& node : m_nodes) {
            if (node->addr_name == dest || (target && node->addr == *target)) return;
        }
    }
    LogDebug(LogCategory::NET, "trying v1 connection {} lastseen=0.0hrs", dest);
    bool proxy_failed = false;
    const int fd = ConnectOutbound(target, dest, proxy_failed);
    if (fd < 0) return;
    auto node = AddNodeForSocket(fd, target.value_or(Service{}), ConnectionType::ADDR_FETCH, dest);
    LogDebug(LogCategory::NET, "Added connection peer={}", node->id);
}

void ConnMan::ThreadOpenAutoConnections()
{
    SetThreadName("opencon");
    FastRandom rng;
    const int64_t start = GetTime();
    int64_t next_feeler_us = GetTimeMicros() + rng.rand_exp(FEELER_INTERVAL_US);
    bool add_fixed_seeds = m_opts.fixed_seeds;
    std::vector<std::string> seed_nodes = m_opts.seed_nodes;
    const bool use_seednodes = !seed_nodes.empty();
    int64_t seed_node_timer = SteadySeconds();
    bool add_addr_fetch = m_addrman.Size() == 0 && !seed_nodes.empty();
    if (!add_fixed_seeds) LogInfo("Fixed seeds are disabled");

    const int max_auto = std::max(0, m_opts.max_connections);
    const int max_full_relay = MaxFullRelay();
    const int max_block_relay = MaxBlockRelay();
    const int max_outbound = MaxAutomaticOutbound();
    // Core's EXTRA_BLOCK_RELAY_ONLY_PEER_INTERVAL: 5 minutes on average.
    constexpr int64_t EXTRA_BLOCK_RELAY_ONLY_PEER_INTERVAL_US = 5 * 60 * 1'000'000LL;
    int64_t next_extra_block_relay_us = GetTimeMicros() + rng.rand_exp(EXTRA_BLOCK_RELAY_ONLY_PEER_INTERVAL_US);

    while (!m_interrupt) {
        if (add_addr_fetch && !seed_nodes.empty()) {
            add_addr_fetch = false;
            const std::string seed = seed_nodes.back();
            seed_nodes.pop_back();
            {
                std::lock_guard lock(m_addr_fetch_mutex);
                m_addr_fetches.push_back(seed);
            }
            if (m_addrman.Size() == 0) {
                LogInfo("Empty addrman, adding seednode ({}) to addrfetch", seed);
            } else {
                LogInfo("Couldn't connect to peers from addrman after {} seconds. Adding seednode ({}) to addrfetch",
                        ADD_NEXT_SEEDNODE, seed);
            }
        }
        if (m_network_active) ProcessAddrFetch();
        if (!InterruptibleSleep(500)) return;
        if (!m_network_active) continue;

        // Fixed seeds (Core's logic): for the reachable networks the address manager has nothing of,
        // once the other sources had their chance: at once when there are none (-dnsseed=0, no
        // -seednode, no -addnode), else after 60 seconds. Only those networks' seeds are added, so
        // unreachable ones (-onlynet) never enter the address manager.
        const std::set<Network> fixed_seed_networks = add_fixed_seeds ? ReachableEmptyNetworks(m_addrman) : std::set<Network>{};
        if (!fixed_seed_networks.empty()) {
            bool now_add = false;
            if (GetTime() > start + 60) {
                now_add = true;
                LogInfo("Adding fixed seeds as 60 seconds have passed and addrman is empty for at least one "
                        "reachable network");
            } else if (!m_opts.dns_seed && !use_seednodes) {
                std::lock_guard lock(m_added_mutex);
                if (m_added_nodes.empty()) {
                    now_add = true;
                    LogInfo("Adding fixed seeds as -dnsseed=0 (or IPv4/IPv6 connections are disabled via -onlynet) "
                            "and neither -addnode nor -seednode are provided");
                }
            }
            if (now_add) {
                add_fixed_seeds = false;
                // The chain from the message start: a custom signet's names no standard network, so none.
                std::vector<AddrEntry> seeds = FixedSeedsForMagic(m_opts.magic);
                std::erase_if(seeds, [&](const AddrEntry& e) { return !fixed_seed_networks.contains(e.addr.GetNetwork()); });
                // Core's source for them: the internal address named "fixedseeds".
                m_addrman.Add(seeds, MakeInternalAddr("fixedseeds"));
                LogInfo("Added {} fixed seeds from reachable networks.", seeds.size());
            }
        }

        // What we have: automatic slots used, and the groups of our long-lived outbound peers.
        int full_relay = 0, block_relay = 0, auto_outbound = 0, privacy_peers = 0;
        std::set<Bytes> groups;
        for (const auto& node : GetNodes()) {
            if (node->conn_type == ConnectionType::OUTBOUND_FULL_RELAY) ++full_relay;
            if (node->conn_type == ConnectionType::BLOCK_RELAY) ++block_relay;
            if (IsAutomaticOutbound(node->conn_type)) ++auto_outbound;
            switch (node->conn_type) {
            case ConnectionType::INBOUND:
            case ConnectionType::ADDR_FETCH:
            case ConnectionType::FEELER:
                break;
            case ConnectionType::MANUAL:
            case ConnectionType::OUTBOUND_FULL_RELAY:
            case ConnectionType::BLOCK_RELAY: {
                const Network n = node->addr.GetNetwork();
                if (n == Network::ONION || n == Network::I2P || n == Network::CJDNS) {
                    ++privacy_peers;
                } else {
                    groups.insert(NetGroup(node->addr));
                }
                break;
            }
            }
        }
        if (use_seednodes && full_relay < SEED_OUTBOUND_CONNECTION_THRESHOLD &&
            SteadySeconds() > seed_node_timer + ADD_NEXT_SEEDNODE) {
            seed_node_timer = SteadySeconds();
            add_addr_fetch = true;
        }
        if (auto_outbound >= max_outbound) continue;

        ConnectionType type = ConnectionType::OUTBOUND_FULL_RELAY;
        bool anchor = false, feeler = false;
        const int64_t now_us = GetTimeMicros();
        if (!m_anchors.empty() && block_relay < max_block_relay) {
            type = ConnectionType::BLOCK_RELAY;
            anchor = true;
        } else if (full_relay < max_full_relay) {
            // full relay
        } else if (block_relay < max_block_relay) {
            type = ConnectionType::BLOCK_RELAY;
        } else if (m_try_new_outbound_peer) {
            // One extra full-relay peer while the tip looks stale (PeerManager
            // drops the least useful full-relay peer once it is up).
        } else if (now_us > next_extra_block_relay_us && m_start_extra_block_relay_peers) {
            // And now and then an extra block-relay-only peer, dropped in turn
            // unless it brings a block sooner than our others.
            next_extra_block_relay_us = now_us + rng.rand_exp(EXTRA_BLOCK_RELAY_ONLY_PEER_INTERVAL_US);
            type = ConnectionType::BLOCK_RELAY;
        } else if (now_us > next_feeler_us) {
            next_feeler_us = now_us + rng.rand_exp(FEELER_INTERVAL_US);
            type = ConnectionType::FEELER;
            feeler = true;
        } else {
            continue;
        }

        m_addrman.ResolveCollisions();
        const int64_t now = GetTime();
        std::set<Network> reachable;
        for (Network n : {Network::IPV4, Network::IPV6, Network::ONION, Network::I2P, Network::CJDNS}) {
            if (IsReachableNet(n)) reachable.insert(n);
        }
        AddrEntry target;
        bool found = false;
        for (int tries = 1; !m_interrupt; ++tries) {
            if (anchor && !m_anchors.empty()) {
                const AddrEntry a = m_anchors.back();
                m_anchors.pop_back();
                if (!IsValidAddr(a.addr) || IsLocalAddress(a.addr) || !IsReachable(a.addr) ||
                    !HasAllDesirableServiceFlags(a.services, m_events.TipIsRecent()) || groups.count(NetGroup(a.addr))) {
                    continue;
                }
                target = a;
                found = true;
                LogDebug(LogCategory::NET, "Trying to make an anchor connection to {}", a.addr.ToStringAddrPort());
                break;
            }
            // After 100 addresses, let the outer loop recount before trying more.
            if (tries > 100) break;
            std::pair<AddrEntry, int64_t> sel;
            if (feeler) {
                sel = m_addrman.SelectTriedCollision();
                if (!IsValidAddr(sel.first.addr)) {
                    sel = m_addrman.Select(true, reachable);
                } else if (AlreadyConnectedToAddress(sel.first.addr)) {
                    // Connected already, so it works: settle the collision without a feeler.
                    m_addrman.Good(sel.first.addr);
                    sel = m_addrman.Select(true, reachable);
                }
            } else {
                sel = m_addrman.Select(false, reachable);
            }
            const AddrEntry& a = sel.first;
            if (!feeler && groups.count(NetGroup(a.addr))) continue;
            if (!IsValidAddr(a.addr) || IsLocalAddress(a.addr)) break;
            if (!IsReachable(a.addr)) continue;
            if (now - sel.second < 10 * 60 && tries < 30) continue; // tried recently
            if (!feeler && !HasAllDesirableServiceFlags(a.services, m_events.TipIsRecent())) continue;
            if (feeler && !MayHaveUsefulAddressDB(a.services)) continue;
            if (tries < 50 && IsBadPort(a.addr.GetPort())) continue;
            if (AddedNodesContain(a.addr)) {
                LogDebug(LogCategory::NET, "Not making automatic {} connection to {} peer selected for manual "
                         "(addnode) connection", ConnectionTypeAsString(type), a.addr.ToStringAddrPort());
                continue;
            }
            target = a;
            found = true;
            break;
        }
        if (!found) continue;
        if (feeler) {
            if (!InterruptibleSleep(int64_t(rng.randrange(FEELER_SLEEP_WINDOW_MS)))) return;
            LogDebug(LogCategory::NET, "Making feeler connection to {}", target.addr.ToStringAddrPort());
        }
        // Failures only count while we are evidently online (peers in two groups at least).
        const bool count_failures = int(groups.size()) + privacy_peers >= std::min(max_auto - 1, 2);
        OpenAutoConnection(target, type, count_failures);
    }
}

void ConnMan::ThreadDnsSeed()
{
    SetThreadName("dnsseed");
    int outbound = 0;
    if (!m_opts.seed_nodes.empty()) {
        const int64_t start = SteadySeconds();
        LogInfo("-seednode enabled. Trying the provided seeds for {} seconds before defaulting to the dnsseeds.",
                SEEDNODE_TIMEOUT);
        while (!m_interrupt) {
            if (!InterruptibleSleep(500)) return;
            if (SteadySeconds() > start + SEEDNODE_TIMEOUT) {
                LogInfo("Couldn't connect to enough peers via seed nodes. Handing fetch logic to the DNS seeds.");
                break;
            }
            outbound = GetFullOutboundConnCount();
            if (outbound >= SEED_OUTBOUND_CONNECTION_THRESHOLD) {
                LogInfo("P2P peers available. Finished fetching data from seed nodes.");
                break;
            }
        }
    }
    FastRandom rng;
    std::vector<std::string> seeds = m_opts.dns_seeds;
    rng.shuffle(seeds.begin(), seeds.end());
    int seeds_right_now = 0;
    if (m_opts.force_dns_seed || m_addrman.Size() == 0) seeds_right_now = int(seeds.size());
    if (outbound >= SEED_OUTBOUND_CONNECTION_THRESHOLD && seeds_right_now == 0) {
        LogInfo("Skipping DNS seeds. Enough peers have been found");
        return;
    }
    int found = 0;
    const int64_t wait = m_addrman.Size() >= DNSSEEDS_DELAY_PEER_THRESHOLD ? DNSSEEDS_DELAY_MANY_PEERS
                                                                           : DNSSEEDS_DELAY_FEW_PEERS;
    for (const std::string& seed : seeds) {
        if (seeds_right_now == 0) {
            seeds_right_now += DNSSEEDS_TO_QUERY_AT_ONCE;
            if (m_addrman.Size() > 0) {
                LogInfo("Waiting {} seconds before querying DNS seeds.", wait);
                for (int64_t left = wait; left > 0;) {
                    const int64_t step = std::min(DNSSEEDS_DELAY_FEW_PEERS, left);
                    if (!InterruptibleSleep(step * 1000)) return;
                    left -= step;
                    if (GetFullOutboundConnCount() >= SEED_OUTBOUND_CONNECTION_THRESHOLD) {
                        if (found > 0) {
                            LogInfo("{} addresses found from DNS seeds", found);
                            LogInfo("P2P peers available. Finished DNS seeding.");
                        } else {
                            LogInfo("P2P peers available. Skipped DNS seeding.");
                        }
                        return;
                    }
                }
            }
        }
        if (m_interrupt) return;
        if (!m_network_active) {
            LogInfo("Waiting for network to be reactivated before querying DNS seeds.");
            do {
                if (!InterruptibleSleep(1000)) return;
            } while (!m_network_active);
        }
        LogInfo("Loading addresses from DNS seed {}", seed);
        if (m_opts.proxies.name_proxy) {
            // As Core: with a proxy for names, no lookup here; an addr-fetch connection to the
            // seed's name goes through the proxy, which resolves it.
            std::lock_guard lock(m_addr_fetch_mutex);
            m_addr_fetches.push_back(seed);
            --seeds_right_now;
            continue;
        }
        // Ask for nodes with the services we need (the "x9." subdomain).
        const uint64_t required = NODE_NETWORK | NODE_WITNESS;
        const std::string host = fmt::format("x{:x}.{}", required, seed);
        const NetAddr source = MakeInternalAddr(host);
        const std::vector<NetAddr> ips = ResolveHost(host, DNSSEED_MAX_IPS, [this] { return m_interrupt.load(); });
        if (m_interrupt) return;
        if (!ips.empty()) {
            std::vector<AddrEntry> add;
            for (const NetAddr& ip : ips) {
                AddrEntry e;
                e.addr = Service(ip, m_opts.default_port);
                e.services = required;
                // A random age of three to seven days.
                e.time = uint32_t(GetTime() - 3 * 24 * 3600 - int64_t(rng.randrange(4 * 24 * 3600)));
                add.push_back(e);
                ++found;
            }
            m_addrman.Add(add, source);
        } else {
            // No answer for the subdomain: an addr-fetch connection to the seed's own name.
            std::lock_guard lock(m_addr_fetch_mutex);
            m_addr_fetches.push_back(seed);
        }
        --seeds_right_now;
    }
    LogInfo("{} addresses found from DNS seeds", found);
}

} // namespace cairn
