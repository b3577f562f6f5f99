// Address relay, as Bitcoin Core's net_processing does it (PeerManager
// member functions; the state is in addr_relay.h):
//
//  * Outbound full-relay peers get a getaddr right after their version (and
//    1000 extra tokens for the answer); inbound peers take part once they
//    send addr, addrv2 or getaddr; block-relay-only peers never do.
//  * Each peer has a token bucket of addresses we process: one token per
//    10 s, at most 1000 saved up. Addresses beyond it are counted as
//    rate-limited and dropped.
//  * A small (<= 10) unsolicited message of fresh, routable addresses is
//    relayed to two peers chosen by a keyed hash that changes daily (so
//    repeating an address does not spread it further); reachable ones go to
//    the address manager with a 2-hour penalty on their time.
//  * getaddr is answered once per connection, inbound only, from a cache
//    (23% of the table, at most 1000, kept for about a day).
//  * Our own address goes out about once a day per peer when we listen, are
//    out of initial block download and know a routable address of ours.
//  * addr messages go out batched, on average every 30 s, without addresses
//    the peer already knows.
#include "net/addrman.h"
#include "net/banman.h"
#include "net/local_addresses.h"
#include "net/netgroup.h"
#include "net/peer_manager.h"

#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/siphash.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>
#include <array>

namespace cairn {

namespace {

/** Core's RANDOMIZER_ID_ADDRESS_RELAY. */
constexpr uint64_t RANDOMIZER_ID_ADDRESS_RELAY = 0x3cac0035b5866b90ULL;

bool HasDesirableServices(uint64_t services)
{
    return (services & NODE_WITNESS) && (services & (NODE_NETWORK | NODE_NETWORK_LIMITED));
}

bool MayHaveUsefulAddressDB(uint64_t services)
{
    return services & (NODE_NETWORK | NODE_NETWORK_LIMITED);
}

/** The key of an address in a peer's known-address filter. */
uint256 AddrKnownKey(const Service& addr)
{
    return Sha256Single(ServiceKey(addr));
}

bool IsAddrCompatible(bool wants_addrv2, const AddrEntry& addr)
{
    return wants_addrv2 || IsAddrV1Compatible(addr.addr);
}

} // namespace

void PeerManager::SetAddrRelay(AddrMan* addrman, BanMan* banman, LocalAddresses* local)
{
    std::lock_guard lock(m_mutex);
    m_addr_relay.addrman = addrman;
    m_addr_relay.banman = banman;
    m_addr_relay.local = local;
    m_addr_relay.k0 = GetRandUint64();
    m_addr_relay.k1 = GetRandUint64();
}

bool PeerManager::SetupAddressRelay(const Node& node, Peer& peer)
{
    // Addr traffic would tell an observer which of our links are block-relay-only ones.
    if (node.conn_type == ConnectionType::BLOCK_RELAY) return false;
    AddrRelayState& st = peer.addr_relay;
    if (!st.enabled) {
        st.enabled = true;
        st.known = std::make_unique<RollingBloomFilter>(5000, 0.001);
        if (st.token_timestamp_us == 0) st.token_timestamp_us = GetTimeMicros();
    }
    return true;
}

void PeerManager::AddrRelayOnVersion(Node& node, Peer& peer)
{
    if (node.disconnect) return;
    if (peer.addr_relay.token_timestamp_us == 0) peer.addr_relay.token_timestamp_us = GetTimeMicros();
    if (node.IsInbound() && peer.addr_local && m_addr_relay.local) m_addr_relay.local->Seen(*peer.addr_local);
    if (!node.IsInbound() && SetupAddressRelay(node, peer)) {
        // A one-time fetch to fill or refresh the address manager.
        Push(node, msgtype::GETADDR);
        peer.addr_relay.getaddr_sent = true;
        // The answer may be a full 1000 addresses: let them past the rate limit.
        peer.addr_relay.token_bucket += double(MAX_ADDR_TO_SEND);
    }
    if (!node.IsInbound() && m_addr_relay.addrman) {
        // A completed handshake: the address works (moves to tried, settles collisions).
        m_addr_relay.addrman->SetServices(node.addr, peer.services);
        m_addr_relay.addrman->Good(node.addr);
    }
    if (node.conn_type == ConnectionType::FEELER) {
        LogDebug(LogCategory::NET, "feeler connection completed, {}", node.DisconnectMsg());
        node.disconnect = true;
    }
}

void PeerManager::AddrRelayOnFinalize(Node& node, Peer& peer)
{
    (void)peer;
    // Only full outbound peers change what others can learn from our table.
    if (node.successfully_connected && !node.IsInbound() && node.conn_type != ConnectionType::BLOCK_RELAY &&
        m_addr_relay.addrman) {
        m_addr_relay.addrman->Connected(node.addr);
    }
    std::lock_guard lock(m_eviction_mutex);
    m_eviction_inputs.erase(node.id);
}

void PeerManager::HandleAddr(Node& node, Peer& peer, const std::string& command, ByteSpan payload)
{
    std::vector<AddrEntry> addrs = command == msgtype::ADDRV2 ? DeserializeAddrV2(payload) : DeserializeAddr(payload);
    if (!SetupAddressRelay(node, peer)) {
        LogDebug(LogCategory::NET, "ignoring {} message from {} peer={}", command,
                 ConnectionTypeAsString(node.conn_type), node.id);
        return;
    }
    if (addrs.size() > MAX_ADDR_TO_SEND) {
        Misbehaving(peer, command + " message size = " + std::to_string(addrs.size()));
        return;
    }
    AddrRelayState& st = peer.addr_relay;
    const int64_t now = GetTime();
    const int64_t now_us = GetTimeMicros();
    if (st.token_bucket < MAX_ADDR_PROCESSING_TOKEN_BUCKET) {
        const int64_t elapsed_us = std::max<int64_t>(now_us - st.token_timestamp_us, 0);
        st.token_bucket = std::min(st.token_bucket + double(elapsed_us) / 1e6 * MAX_ADDR_RATE_PER_SECOND,
                                   MAX_ADDR_PROCESSING_TOKEN_BUCKET);
    }
    st.token_timestamp_us = now_us;

    uint64_t processed = 0, rate_limited = 0;
    std::vector<AddrEntry> accepted;
    // Peers with the addr permission are not rate-limited (Core).
    const bool limited = !node.HasPermission(NetPermissionFlags::Addr);
    m_addr_relay.rng.shuffle(addrs.begin(), addrs.end());
    for (AddrEntry& a : addrs) {
        if (st.token_bucket < 1.0) {
            if (limited) {
                ++rate_limited;
                continue;
            }
        } else {
            st.token_bucket -= 1.0;
        }
        // Only full nodes (and pruned ones, which feelers may still test).
        if (!MayHaveUsefulAddressDB(a.services) && !HasDesirableServices(a.services)) continue;
        if (a.time <= 100000000 || int64_t(a.time) > now + 10 * 60) a.time = uint32_t(now - 5 * 24 * 60 * 60);
        st.known->Insert(AddrKnownKey(a.addr));
        BanMan* banman = m_addr_relay.banman;
        if (banman && (banman->IsDiscouraged(a.addr) || banman->IsBanned(a.addr))) continue;
        ++processed;
        const bool reachable = IsReachable(a.addr);
        if (int64_t(a.time) > now - 10 * 60 && !st.getaddr_sent && addrs.size() <= 10 && IsRoutableAddr(a.addr)) {
            RelayAddress(node.id, a, reachable);
        }
        if (reachable) accepted.push_back(a);
    }
    st.processed += processed;
    st.rate_limited += rate_limited;
    LogDebug(LogCategory::NET, "Received addr: {} addresses ({} processed, {} rate-limited) from peer={}",
             addrs.size(), processed, rate_limited, node.id);
    if (m_addr_relay.addrman) m_addr_relay.addrman->Add(accepted, node.addr, 2 * 60 * 60);
    if (addrs.size() < MAX_ADDR_TO_SEND) st.getaddr_sent = false;
    // An addr-fetch connection has done its job once real addresses came (not just a self-announcement).
    if (node.conn_type == ConnectionType::ADDR_FETCH && addrs.size() > 1) {
        LogDebug(LogCategory::NET, "addrfetch connection completed, {}", node.DisconnectMsg());
        node.disconnect = true;
    }
}

void PeerManager::HandleGetAddr(Node& node, Peer& peer)
{
    // Only inbound peers are answered: a node behind NAT cannot be fingerprinted through its table.
    if (!node.IsInbound()) {
        LogDebug(LogCategory::NET, "Ignoring \"getaddr\" from {} connection. peer={}",
                 ConnectionTypeAsString(node.conn_type), node.id);
        return;
    }
    SetupAddressRelay(node, peer);
    AddrRelayState& st = peer.addr_relay;
    if (st.getaddr_recvd) {
        LogDebug(LogCategory::NET, "Ignoring repeated \"getaddr\". peer={}", node.id);
        return;
    }
    st.getaddr_recvd = true;
    st.to_send.clear();
    // The addr permission gets a fresh answer from the whole table instead of the cache (Core).
    const std::vector<AddrEntry> addrs =
        node.HasPermission(NetPermissionFlags::Addr)
            ? m_connman->GetAddresses(MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND, std::nullopt)
            : m_connman->GetAddressesCached(node, MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND);
    for (const AddrEntry& a : addrs) PushAddress(peer, a);
}

void PeerManager::PushAddress(Peer& peer, const AddrEntry& addr)
{
    AddrRelayState& st = peer.addr_relay;
    if (!st.known) return;
    // Known addresses are filtered again when sending; this only saves space.
    if (!IsValidAddr(addr.addr) || st.known->Contains(AddrKnownKey(addr.addr)) || !IsAddrCompatible(peer.send_addrv2, addr)) {
        return;
    }
    if (st.to_send.size() >= MAX_ADDR_TO_SEND) {
        st.to_send[m_addr_relay.rng.randrange(st.to_send.size())] = addr;
    } else {
        st.to_send.push_back(addr);
    }
}

void PeerManager::RelayAddress(NodeId originator, const AddrEntry& addr, bool reachable)
{
    if (!reachable && !IsRelayable(addr.addr)) return;
    // The same two peers for a day (per address), so sending an address again does not spread it further.
    const uint64_t hash_addr = SipHasher(0, 0).Write(ServiceKey(addr.addr)).Finalize();
    const uint64_t time_addr = (uint64_t(GetTime()) + hash_addr) / uint64_t(ROTATE_ADDR_RELAY_DEST_INTERVAL);
    SipHasher hasher(m_addr_relay.k0, m_addr_relay.k1);
    hasher.Write(RANDOMIZER_ID_ADDRESS_RELAY).Write(hash_addr).Write(time_addr);
    // Reachable addresses go to two peers; others to one or two.
    const unsigned relay_nodes = (reachable || (hasher.Finalize() & 1)) ? 2 : 1;
    std::array<std::pair<uint64_t, Peer*>, 2> best{{{0, nullptr}, {0, nullptr}}};
    for (auto& [id, p] : m_peers) {
        if (!p->addr_relay.enabled || id == originator || !IsAddrCompatible(p->send_addrv2, addr)) continue;
        const uint64_t key = SipHasher(hasher).Write(uint64_t(id)).Finalize();
        for (unsigned i = 0; i < relay_nodes; ++i) {
            if (key > best[i].first) {
                std::copy(best.begin() + i, best.begin() + relay_nodes - 1, best.begin() + i + 1);
                best[i] = {key, p.get()};
                break;
            }
        }
    }
    for (unsigned i = 0; i < relay_nodes && best[i].first != 0; ++i) PushAddress(*best[i].second, addr);
}

std::optional<Service> PeerManager::GetLocalAddrForPeer(const Node& node, const Peer& peer)
{
    LocalAddresses* local = m_addr_relay.local;
    if (!local) return std::nullopt;
    Service addr = local->GetBest(node.addr);
    // With discovery on, sometimes use the address the peer sees us at: it may know better.
    const bool peer_view_good = local->Discover() && IsRoutableAddr(node.addr) && peer.addr_local &&
                                IsRoutableAddr(*peer.addr_local) && IsReachable(*peer.addr_local);
    if (peer_view_good &&
        (!IsRoutableAddr(addr) || m_addr_relay.rng.randbits(local->Score(addr) > LOCAL_MANUAL ? 3 : 1) == 0)) {
        // Inbound: the peer sees our listening port too; outbound: only the address.
        addr = node.IsInbound() ? *peer.addr_local : Service(*peer.addr_local, addr.GetPort());
    }
    if (!IsRoutableAddr(addr)) return std::nullopt;
    LogDebug(LogCategory::NET, "Advertising address {} to peer={}", addr.ToStringAddrPort(), node.id);
    return addr;
}

void PeerManager::MaybeSendAddr(Node& node, Peer& peer)
{
    const int64_t now_us = GetTimeMicros();
    if (node.conn_type == ConnectionType::ADDR_FETCH && GetTime() - node.connected_time > ADDR_FETCH_TIMEOUT) {
        LogDebug(LogCategory::NET, "addrfetch connection timeout, {}", node.DisconnectMsg());
        node.disconnect = true;
        return;
    }
    AddrRelayState& st = peer.addr_relay;
    if (!st.enabled) return;
    if (m_connman->IsListening() && st.next_local_addr_send_us < now_us && !m_chainman.IsInitialBlockDownload()) {
        // Clear what the peer knows so the self-announcement really goes out (about once a day).
        if (st.next_local_addr_send_us != 0) st.known->Reset();
        if (std::optional<Service> local = GetLocalAddrForPeer(node, peer)) {
            AddrEntry e;
            e.addr = *local;
            e.services = m_opts.local_services;
            e.time = uint32_t(GetTime());
            PushAddress(peer, e);
        }
        st.next_local_addr_send_us = now_us + m_addr_relay.rng.rand_exp(AVG_LOCAL_ADDRESS_BROADCAST_INTERVAL * 1'000'000);
    }
    if (now_us <= st.next_addr_send_us) return;
    st.next_addr_send_us = now_us + m_addr_relay.rng.rand_exp(AVG_ADDRESS_BROADCAST_INTERVAL * 1'000'000);
    if (st.to_send.size() > MAX_ADDR_TO_SEND) st.to_send.resize(MAX_ADDR_TO_SEND);
    std::erase_if(st.to_send, [&](const AddrEntry& a) {
        const uint256 key = AddrKnownKey(a.addr);
        if (st.known->Contains(key)) return true;
        st.known->Insert(key);
        return false;
    });
    if (st.to_send.empty()) return;
    if (peer.send_addrv2) {
        Push(node, msgtype::ADDRV2, SerializeAddrV2(st.to_send));
    } else {
        Push(node, msgtype::ADDR, SerializeAddr(st.to_send));
    }
    st.to_send.clear();
    if (st.to_send.capacity() > 40) st.to_send.shrink_to_fit(); // the big getaddr answer is sent once
}

// ---- eviction inputs (read by the socket thread) ----

void PeerManager::UpdateEvictionInputs(const Peer& peer)
{
    EvictionInputs in;
    in.min_ping_us = peer.min_ping_us < 0 ? INT64_MAX : peer.min_ping_us;
    in.last_block_time = peer.last_block_time;
    in.relay_txs = peer.relay_txs && m_opts.relay_txs;
    in.relevant_services = HasDesirableServices(peer.services);
    std::lock_guard lock(m_eviction_mutex);
    m_eviction_inputs[peer.id] = in;
}

bool PeerManager::GetEvictionInputs(NodeId id, EvictionInputs& out) const
{
    std::lock_guard lock(m_eviction_mutex);
    auto it = m_eviction_inputs.find(id);
    if (it == m_eviction_inputs.end()) return false;
    out = it->second;
    return true;
}

} // namespace cairn
