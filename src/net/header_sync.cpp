// PeerManager's anti-DoS header handling (Core's ProcessHeadersMessage
// checks): headers must carry valid proof of work and follow one another, a
// header chain whose claimed work stays below the threshold is synced in two
// passes (headers_presync.h) before any of it is stored, headers that do not
// connect to our tree (a BIP 130 announcement we cannot place) are answered
// with one getheaders at a time, and what a peer's headers tell us about it
// (last announcement, protection from outbound eviction) is kept.
#include "consensus/block_index.h"
#include "consensus/pow.h"
#include "crypto/random.h"
#include "net/peer_manager.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>

namespace cairn {

arith_uint256 PeerManager::AntiDoSWorkThresholdLocked() const
{
    // Headers forking within 144 blocks of the tip are always worth storing.
    arith_uint256 threshold = m_opts.minimum_chain_work;
    if (const BlockIndex* tip = m_chainman.ActiveChain().Tip()) {
        const arith_uint256 margin = GetBlockProof(*tip) * 144;
        threshold = std::max(threshold, tip->chain_work - std::min(margin, tip->chain_work));
    }
    return threshold;
}

bool PeerManager::CheckHeadersPoW(Peer& peer, const std::vector<BlockHeader>& headers)
{
    const ConsensusParams& params = m_chainman.Params().consensus;
    for (const BlockHeader& h : headers) {
        if (!CheckProofOfWork(h.GetHash(), h.bits, params)) {
            Misbehaving(peer, "header with invalid proof of work");
            return false;
        }
    }
    for (size_t i = 1; i < headers.size(); ++i) {
        if (headers[i].prev_block != headers[i - 1].GetHash()) {
            Misbehaving(peer, "non-continuous headers sequence");
            return false;
        }
    }
    return true;
}

void PeerManager::HandleUnconnectingHeaders(Node& node, Peer& peer, const std::vector<BlockHeader>& headers)
{
    // Maybe a BIP 130 announcement of a block whose parent we lack (say one
    // we refused as too far in the future): ask for the headers in between,
    // from our best header. No getheaders while one is in flight (this does
    // not answer it), so a peer that keeps sending such headers gets at most
    // one request per HEADERS_RESPONSE_TIME, and is not punished (Core 28+).
    const BlockIndex* best_header;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        best_header = m_chainman.Tree().BestHeader();
    }
    if (SendGetHeaders(node, peer, best_header)) {
        LogDebug(LogCategory::NET, "received header {}: missing prev block {}, sending getheaders ({}) to end (peer={})",
                 headers[0].GetHash().GetHex(), headers[0].prev_block.GetHex(), best_header ? best_header->height : -1,
                 node.id);
    }
    // Once these headers arrive, from anyone, this peer can serve the block.
    std::lock_guard cs(m_chainman.GetMutex());
    UpdateBlockAvailability(peer, headers.back().GetHash());
}

void PeerManager::UpdatePeerStateForReceivedHeaders(Node& node, Peer& peer, const BlockIndex& last_header,
                                                    bool received_new_header, bool may_have_more_headers)
{
    const bool ibd = m_chainman.IsInitialBlockDownload();
    std::lock_guard cs(m_chainman.GetMutex());
    UpdateBlockAvailability(peer, last_header.GetBlockHash());
    const BlockIndex* tip = m_chainman.ActiveChain().Tip();
    if (received_new_header && tip && last_header.chain_work > tip->chain_work) {
        peer.last_block_announcement = GetTime();
    }
    const bool outbound_or_block_relay =
        node.conn_type == ConnectionType::OUTBOUND_FULL_RELAY || node.conn_type == ConnectionType::BLOCK_RELAY;
    // In IBD an outbound peer whose whole chain (it has no more headers) is
    // below the minimum chain work cannot help us: make room for another.
    if (ibd && !may_have_more_headers && peer.best_known_block &&
        peer.best_known_block->chain_work < m_opts.minimum_chain_work && outbound_or_block_relay) {
        LogInfo("outbound peer headers chain has insufficient work, {}", node.DisconnectMsg());
        node.disconnect = true;
    }
    // Up to four full-relay outbound peers that showed a chain as good as
    // ours are never evicted for lagging (sync_timeouts.cpp).
    if (!node.disconnect && node.conn_type == ConnectionType::OUTBOUND_FULL_RELAY && peer.best_known_block && tip &&
        m_outbound_peers_with_protect_from_disconnect < MAX_OUTBOUND_PEERS_TO_PROTECT_FROM_DISCONNECT &&
        peer.best_known_block->chain_work >= tip->chain_work && !peer.chain_sync.protect) {
        LogDebug(LogCategory::NET, "Protecting outbound peer={} from eviction", node.id);
        peer.chain_sync.protect = true;
        ++m_outbound_peers_with_protect_from_disconnect;
    }
}

void PeerManager::HeadersDirectFetchBlocks(Node& node, Peer& peer, const BlockIndex& last_header)
{
    // Near the tip, the blocks of a header announcement are asked of the announcer at once (Core asks any
    // announcer, whatever services it offers), walking back to our chain, at most 16 at a time.
    std::vector<const BlockIndex*> wanted;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const Chain& chain = m_chainman.ActiveChain();
        if (!chain.Tip() || !CanDirectFetchLocked() || !last_header.IsValid(BLOCK_VALID_TREE) ||
            chain.Tip()->chain_work > last_header.chain_work) {
            return;
        }
        const int segwit_height = m_chainman.Params().consensus.segwit_height;
        const BlockIndex* walk = &last_header;
        while (walk && !chain.Contains(walk) && wanted.size() <= MAX_BLOCKS_IN_TRANSIT_PER_PEER) {
            if (!(walk->status & BLOCK_HAVE_DATA) && !m_blocks_in_flight.count(walk->GetBlockHash()) &&
                (walk->height < segwit_height || (peer.services & NODE_WITNESS))) {
                wanted.push_back(walk);
            }
            walk = walk->prev;
        }
        if (!chain.Contains(walk)) {
            LogDebug(LogCategory::NET, "Large reorg, won't direct fetch to {} ({})", last_header.GetBlockHash().GetHex(),
                     last_header.height);
            return;
        }
    }
    std::vector<const BlockIndex*> blocks;
    for (auto it = wanted.rbegin(); it != wanted.rend(); ++it) {
        if (peer.blocks_in_flight.size() + blocks.size() >= MAX_BLOCKS_IN_TRANSIT_PER_PEER) break;
        blocks.push_back(*it);
    }
    if (blocks.size() > 1) {
        LogDebug(LogCategory::NET, "Downloading blocks toward {} ({}) via headers direct fetch",
                 last_header.GetBlockHash().GetHex(), last_header.height);
    }
    SendBlockRequests(node, peer, blocks);
}

void PeerManager::SendGetHeadersLocator(Node& node, Peer& peer, const std::vector<uint256>& locator)
{
    LocatorMsg m;
    m.locator = locator;
    peer.last_getheaders_time = GetTime();
    Push(node, msgtype::GETHEADERS, SerializeLocator(m));
    LogDebug(LogCategory::NET, "more getheaders (from {}) to peer={}", locator.front().GetHex(), node.id);
}

bool PeerManager::ContinuePresync(Node& node, Peer& peer, std::vector<BlockHeader>& headers)
{
    if (!peer.presync) return false;
    auto result = peer.presync->Process(headers, headers.size() == MAX_HEADERS_RESULTS);
    // A valid continuation answers the getheaders in flight.
    if (result.success) peer.last_getheaders_time = 0;
    if (result.request_more) {
        const auto locator = peer.presync->Locator();
        if (!locator.empty()) SendGetHeadersLocator(node, peer, locator);
    }
    if (peer.presync->GetPhase() == HeadersPresync::Phase::FINAL) {
        peer.presync.reset();
    } else if (peer.presync->GetPhase() == HeadersPresync::Phase::PRESYNC) {
        ReportPresync(node, *peer.presync);
    }
    if (!result.success) return false; // processed as ordinary headers (and judged there)
    headers.swap(result.to_process);
    return true;
}

bool PeerManager::TryLowWorkHeadersSync(Node& node, Peer& peer, const BlockIndex& chain_start,
                                        std::vector<BlockHeader>& headers, const arith_uint256& threshold)
{
    arith_uint256 claimed = chain_start.chain_work;
    for (const BlockHeader& h : headers) claimed += GetBlockProof(h.bits);
    if (claimed >= threshold) return false;
    if (headers.size() == MAX_HEADERS_RESULTS) {
        PresyncStart start{chain_start.GetBlockHash(), chain_start.height, chain_start.chain_work, chain_start.bits,
                           chain_start.GetMedianTimePast()};
        peer.presync = std::make_unique<HeadersPresync>(
            m_chainman.Params().consensus, start, threshold, GetTime(), GetRandUint64(), GetRandUint64(),
            int(GetRandUint64() % HEADER_COMMITMENT_PERIOD));
        LogDebug(LogCategory::NET, "Initial headers sync started with peer={}: height={}, max_commitments bound by time",
                 node.id, chain_start.height);
        (void)ContinuePresync(node, peer, headers);
    } else {
        LogDebug(LogCategory::NET, "Ignoring low-work chain (height={}) from peer={}",
                 chain_start.height + int(headers.size()), node.id);
    }
    headers.clear();
    return true;
}

void PeerManager::ReportPresync(Node& node, const HeadersPresync& sync)
{
    // One log line every few seconds for the best presyncing peer, as Core's
    // "Pre-synchronizing blockheaders" progress.
    const int64_t now = GetTime();
    if (sync.PresyncHeight() <= m_presync_best_height && now - m_presync_last_log < 5) return;
    m_presync_best_height = std::max(m_presync_best_height, sync.PresyncHeight());
    if (now - m_presync_last_log < 5) return;
    m_presync_last_log = now;
    const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
    const double remaining = double(std::max<int64_t>(now - sync.PresyncTime(), 0)) / double(spacing);
    const double height = sync.PresyncHeight();
    LogInfo("Pre-synchronizing blockheaders, height: {} (~{:.2f}%)", sync.PresyncHeight(),
            100.0 * height / std::max(height + remaining, 1.0));
    (void)node;
}

} // namespace cairn
