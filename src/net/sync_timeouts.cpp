// PeerManager's sync timeouts (Core's net_processing): what keeps a node
// from waiting forever on peers that do not help it follow the best chain.
//
// * Initial headers sync: while our best header is more than a day old, the
//   one peer we sync headers from must bring it near today within 15
//   minutes plus 1 ms per block interval since it; otherwise it is
//   disconnected (a noban peer only loses its sync role) so that another
//   preferred peer takes over.
// * Outbound eviction (ConsiderEviction): an outbound full-relay or
//   block-relay-only peer whose best known block has less work than our tip
//   gets CHAIN_SYNC_TIMEOUT (20 minutes) to show a chain with at least the
//   work our tip had when the clock started, then one getheaders and
//   HEADERS_RESPONSE_TIME more, then it is disconnected. Up to four
//   full-relay peers that once showed a chain as good as ours are exempt.
// * Stale tip: every EXTRA_PEER_CHECK_INTERVAL the node checks (at most
//   every STALE_CHECK_INTERVAL) whether its tip has not moved for three
//   block intervals with no block in flight; it then lets the connection
//   manager open one extra full-relay peer.
// * Extra peers (outbound_eviction.h): once an extra full-relay or (after
//   the initial sync, every ~5 minutes) block-relay-only peer is connected,
//   the least useful peer of its kind is dropped at the same interval.
//
// All of it runs on the message handler with m_mutex held. Times are the
// mockable clock (setmocktime), as in Core.
#include "net/peer_manager.h"

#include "net/outbound_eviction.h"
#include "util/log.h"
#include "util/time.h"

#include <limits>

namespace cairn {

namespace {

/** As peer_manager.cpp: how long a getheaders may stay unanswered (seconds). */
constexpr int64_t HEADERS_RESPONSE_TIME_S = 2 * 60;

bool CanServeBlocks(uint64_t services)
{
    return services & (NODE_NETWORK | NODE_NETWORK_LIMITED);
}

} // namespace

void PeerManager::SetPreferredDownload(const Node& node, Peer& peer)
{
    // Blocks and headers are fetched from outbound peers first (or noban
    // ones): inbound connections are cheap for an attacker to make.
    peer.preferred_download = (!node.IsInbound() || node.HasPermission(NetPermissionFlags::NoBan)) &&
                              node.conn_type != ConnectionType::ADDR_FETCH && CanServeBlocks(peer.services);
    m_num_preferred_download_peers += peer.preferred_download;
}

bool PeerManager::SyncFromPeer(const Node& node, const Peer& peer) const
{
    if (peer.preferred_download) return true;
    // Typically an inbound peer: used when no preferred peer exists, or none
    // gives us blocks, so that our only source of blocks is not ignored.
    return CanServeBlocks(peer.services) && node.conn_type != ConnectionType::ADDR_FETCH &&
           (m_num_preferred_download_peers == 0 || m_blocks_in_flight.empty());
}

int64_t PeerManager::HeadersSyncTimeout(int64_t now_us) const
{
    int64_t best_time;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const BlockIndex* best = m_chainman.Tree().BestHeader();
        best_time = best ? best->GetBlockTime() : GetTime();
    }
    const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
    const int64_t behind = std::max<int64_t>(GetTime() - best_time, 0);
    return now_us + HEADERS_DOWNLOAD_TIMEOUT_BASE_US + HEADERS_DOWNLOAD_TIMEOUT_PER_HEADER_US * behind / spacing;
}

bool PeerManager::CheckHeadersSyncTimeout(Node& node, Peer& peer)
{
    constexpr int64_t CAUGHT_UP = std::numeric_limits<int64_t>::max();
    if (!peer.sync_started || peer.headers_sync_timeout_us == CAUGHT_UP) return false;
    int64_t best_time;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const BlockIndex* best = m_chainman.Tree().BestHeader();
        best_time = best ? best->GetBlockTime() : 0;
    }
    if (best_time > GetTime() - 24 * 60 * 60) {
        // Caught up once: this peer can no longer time out this way.
        peer.headers_sync_timeout_us = CAUGHT_UP;
        return false;
    }
    // Only our one sync peer, and only if another preferred peer could take over
    // (with inbound peers alone, we have bigger problems than a slow one).
    if (GetTimeMicros() <= peer.headers_sync_timeout_us || m_sync_started != 1 ||
        m_num_preferred_download_peers - int(peer.preferred_download) < 1) {
        return false;
    }
    if (!node.HasPermission(NetPermissionFlags::NoBan)) {
        LogInfo("Timeout downloading headers, {}", node.DisconnectMsg());
        node.disconnect = true;
        return true;
    }
    LogInfo("Timeout downloading headers from noban peer, not {}", node.DisconnectMsg());
    // Let another peer have a go; this one will get a getheaders again later.
    peer.sync_started = false;
    --m_sync_started;
    peer.headers_sync_timeout_us = 0;
    return false;
}

void PeerManager::ConsiderEviction(Node& node, Peer& peer, int64_t now)
{
    const bool outbound_or_block_relay =
        node.conn_type == ConnectionType::OUTBOUND_FULL_RELAY || node.conn_type == ConnectionType::BLOCK_RELAY;
    if (peer.chain_sync.protect || !outbound_or_block_relay || !peer.sync_started) return;
    const BlockIndex* getheaders_from = nullptr;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const BlockIndex* tip = m_chainman.ActiveChain().Tip();
        const BlockIndex* best = peer.best_known_block;
        auto& state = peer.chain_sync;
        if (!tip) return;
        if (best && best->chain_work >= tip->chain_work) {
            // The peer has shown a chain as good as ours: no clock.
            if (state.timeout != 0) {
                state.timeout = 0;
                state.work_header = nullptr;
                state.sent_getheaders = false;
            }
        } else if (state.timeout == 0 || (state.work_header && best && best->chain_work >= state.work_header->chain_work)) {
            // Behind our tip, noticed now, or it caught up with the tip we
            // measured it against but we moved on: measure against today's.
            state.timeout = now + CHAIN_SYNC_TIMEOUT;
            state.work_header = tip;
            state.sent_getheaders = false;
        } else if (state.timeout > 0 && now > state.timeout) {
            if (state.sent_getheaders) {
                LogInfo("Outbound peer has old chain, best known block = {}, {}",
                        best ? best->GetBlockHash().GetHex() : "<none>", node.DisconnectMsg());
                node.disconnect = true;
                return;
            }
            // One last chance: a getheaders (or the one in flight) may show it caught up.
            getheaders_from = state.work_header->prev;
            LogDebug(LogCategory::NET, "sending getheaders to outbound peer={} to verify chain work (current best "
                     "known block:{}, benchmark blockhash: {})", node.id,
                     best ? best->GetBlockHash().GetHex() : "<none>", state.work_header->GetBlockHash().GetHex());
            state.sent_getheaders = true;
            state.timeout = now + HEADERS_RESPONSE_TIME_S;
        }
    }
    if (getheaders_from) SendGetHeaders(node, peer, getheaders_from);
}

bool PeerManager::TipMayBeStale()
{
    const int64_t now = GetTime();
    if (m_last_tip_update == 0) m_last_tip_update = now;
    const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
    return m_last_tip_update < now - 3 * spacing && m_blocks_in_flight.empty();
}

void PeerManager::CheckForStaleTipAndEvictPeers()
{
    if (!m_connman) return;
    const int64_t now = GetTime();
    EvictExtraOutboundPeers(now);
    if (now > m_stale_tip_check_time) {
        if (!m_chainman.LoadingBlocks() && m_connman->GetNetworkActive() && TipMayBeStale()) {
            LogInfo("Potential stale tip detected, will try using extra outbound peer (last tip update: {} seconds ago)",
                    now - m_last_tip_update);
            m_connman->SetTryNewOutboundPeer(true);
        } else if (m_connman->GetTryNewOutboundPeer()) {
            m_connman->SetTryNewOutboundPeer(false);
        }
        m_stale_tip_check_time = now + STALE_CHECK_INTERVAL;
    }
    if (!m_initial_sync_finished) {
        bool synced;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            synced = CanDirectFetchLocked();
        }
        if (synced) {
            m_connman->StartExtraBlockRelayPeers();
            m_initial_sync_finished = true;
        }
    }
}

void PeerManager::EvictExtraOutboundPeers(int64_t now)
{
    const bool extra_block_relay = m_connman->GetExtraBlockRelayCount() > 0;
    const bool extra_full_relay = m_connman->GetExtraFullOutboundCount() > 0;
    if (!extra_block_relay && !extra_full_relay) return;
    std::vector<OutboundCandidate> full_relay, block_relay;
    std::map<NodeId, std::shared_ptr<Node>> nodes;
    for (const auto& node : m_connman->GetNodes()) {
        if (node->disconnect || !node->successfully_connected) continue;
        const bool is_full = node->conn_type == ConnectionType::OUTBOUND_FULL_RELAY;
        if (!is_full && node->conn_type != ConnectionType::BLOCK_RELAY) continue;
        auto it = m_peers.find(node->id);
        if (it == m_peers.end()) continue;
        const Peer& peer = *it->second;
        OutboundCandidate c;
        c.id = node->id;
        c.connected = node->connected_time;
        c.blocks_in_flight = peer.blocks_in_flight.size();
        if (is_full) {
            c.last_block = peer.last_block_announcement;
            c.is_protected = peer.chain_sync.protect;
            c.only_on_network = !m_connman->MultipleManualOrFullOutboundConns(node->addr.GetNetwork());
            full_relay.push_back(c);
        } else {
            c.last_block = peer.last_block_time;
            block_relay.push_back(c);
        }
        nodes[node->id] = node;
    }
    const auto drop = [&](const std::optional<OutboundCandidate>& chosen, const char* kind, const char* last) {
        if (!chosen) return false;
        if (!MayDropExtraPeer(*chosen, now)) {
            LogDebug(LogCategory::NET, "keeping {} peer={} chosen for eviction (connect time: {}, blocks_in_flight: {})",
                     kind, chosen->id, chosen->connected, chosen->blocks_in_flight);
            return false;
        }
        LogDebug(LogCategory::NET, "disconnecting extra {} peer={} ({} at time {})", kind, chosen->id, last,
                 chosen->last_block);
        nodes[chosen->id]->disconnect = true;
        return true;
    };
    if (extra_block_relay) {
        drop(ChooseExtraBlockRelayPeer(block_relay), "block-relay-only", "last block received");
    }
    if (extra_full_relay && drop(ChooseExtraFullRelayPeer(full_relay), "outbound", "last block announcement received")) {
        // Back to the target: no more extra peer until the tip looks stale again.
        m_connman->SetTryNewOutboundPeer(false);
    }
}

void PeerManager::SyncTimeoutsOnFinalize(const Peer& peer)
{
    m_num_preferred_download_peers -= peer.preferred_download;
    m_outbound_peers_with_protect_from_disconnect -= peer.chain_sync.protect;
}

} // namespace cairn
