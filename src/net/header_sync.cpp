// PeerManager's anti-DoS header handling (Core's ProcessHeadersMessage
// checks): headers must carry valid proof of work, and a header chain whose
// claimed work stays below the threshold is synced in two passes
// (headers_presync.h) before any of it is stored.
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
    return true;
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
