#include "net/tx_download.h"

#include "crypto/random.h"
#include "util/log.h"

#include <algorithm>

namespace cairn {

namespace {

// Filter sizes as Core: the rejects filters remember about two blocks' worth
// of transactions, the confirmed one a bit more than one block.
constexpr uint32_t RECENT_REJECTS_SIZE = 120'000;
constexpr uint32_t RECENT_CONFIRMED_SIZE = 48'000;
constexpr double FILTER_FP_RATE = 0.000001;

bool FilterContains(const std::unique_ptr<RollingBloomFilter>& f, const uint256& hash)
{
    return f && f->Contains(hash);
}

std::vector<uint256> UniqueParents(const Transaction& tx)
{
    std::vector<uint256> parents;
    parents.reserve(tx.vin.size());
    for (const TxIn& in : tx.vin) parents.push_back(in.prevout.hash);
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    return parents;
}

} // namespace

std::string PackageToValidate::ToString() const
{
    if (txns.size() != 2 || senders.size() != 2) return "package of " + std::to_string(txns.size()) + " transactions";
    return "parent " + txns[0]->GetTxid().GetHex() + " (wtxid=" + txns[0]->GetWtxid().GetHex() +
           ", sender=" + std::to_string(senders[0]) + ") + child " + txns[1]->GetTxid().GetHex() +
           " (wtxid=" + txns[1]->GetWtxid().GetHex() + ", sender=" + std::to_string(senders[1]) + ")";
}

TxDownloadManager::TxDownloadManager(InPoolFn in_pool, bool deterministic, unsigned max_orphan_latency_score,
                                     int64_t reserved_orphan_usage_per_peer)
    : m_in_pool(std::move(in_pool)), m_deterministic(deterministic),
      m_orphanage(max_orphan_latency_score, reserved_orphan_usage_per_peer), m_txrequest(deterministic)
{
}

uint64_t TxDownloadManager::Rand(uint64_t n)
{
    if (n <= 1) return 0;
    if (!m_deterministic) return GetRandUint64() % n;
    // splitmix64: repeatable choices for tests.
    uint64_t z = (m_rand_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (z ^ (z >> 31)) % n;
}

RollingBloomFilter& TxDownloadManager::RecentRejects()
{
    if (!m_recent_rejects) m_recent_rejects = std::make_unique<RollingBloomFilter>(RECENT_REJECTS_SIZE, FILTER_FP_RATE);
    return *m_recent_rejects;
}

RollingBloomFilter& TxDownloadManager::RecentRejectsReconsiderable()
{
    if (!m_recent_rejects_reconsiderable) {
        m_recent_rejects_reconsiderable = std::make_unique<RollingBloomFilter>(RECENT_REJECTS_SIZE, FILTER_FP_RATE);
    }
    return *m_recent_rejects_reconsiderable;
}

RollingBloomFilter& TxDownloadManager::RecentConfirmed()
{
    if (!m_recent_confirmed) {
        m_recent_confirmed = std::make_unique<RollingBloomFilter>(RECENT_CONFIRMED_SIZE, FILTER_FP_RATE);
    }
    return *m_recent_confirmed;
}

void TxDownloadManager::ActiveTipChange()
{
    if (m_recent_rejects) m_recent_rejects->Reset();
    if (m_recent_rejects_reconsiderable) m_recent_rejects_reconsiderable->Reset();
}

void TxDownloadManager::BlockConnected(const Block& block)
{
    m_orphanage.EraseForBlock(block.vtx);
    for (const TransactionRef& tx : block.vtx) {
        RecentConfirmed().Insert(tx->GetTxid());
        if (tx->HasWitness()) RecentConfirmed().Insert(tx->GetWtxid());
        m_txrequest.ForgetTxHash(tx->GetTxid());
        m_txrequest.ForgetTxHash(tx->GetWtxid());
    }
}

void TxDownloadManager::BlockDisconnected()
{
    // After a reorg a confirmed transaction may be unconfirmed again and
    // worth fetching: forget them all (a 1-block reorg keeps one block's worth).
    if (m_recent_confirmed) m_recent_confirmed->Reset();
}

void TxDownloadManager::ConnectedPeer(NodeId peer, const TxDownloadConnectionInfo& info)
{
    if (m_peers.count(peer)) return;
    m_peers.emplace(peer, info);
    if (info.wtxid_relay) ++m_num_wtxid_peers;
}

void TxDownloadManager::DisconnectedPeer(NodeId peer)
{
    m_orphanage.EraseForPeer(peer);
    m_txrequest.DisconnectedPeer(peer);
    auto it = m_peers.find(peer);
    if (it != m_peers.end()) {
        if (it->second.wtxid_relay) --m_num_wtxid_peers;
        m_peers.erase(it);
    }
}

bool TxDownloadManager::AlreadyHaveTx(const GenTxid& gtxid, bool include_reconsiderable)
{
    const uint256& hash = gtxid.hash;
    // The orphanage is asked by wtxid only: a txid could match an orphan with
    // another witness, and a peer could then keep us from fetching the real
    // one. A non-witness transaction's txid is its wtxid, so asking with the
    // hash as a wtxid finds those without false positives.
    if (m_orphanage.HaveTx(hash)) return true;
    if (include_reconsiderable && FilterContains(m_recent_rejects_reconsiderable, hash)) return true;
    if (FilterContains(m_recent_confirmed, hash)) return true;
    return FilterContains(m_recent_rejects, hash) || m_in_pool(gtxid);
}

bool TxDownloadManager::MaybeAddOrphanResolutionCandidate(const std::vector<uint256>& unique_parents,
                                                          const uint256& wtxid, NodeId peer, int64_t now)
{
    auto it = m_peers.find(peer);
    if (it == m_peers.end()) return false;
    if (m_orphanage.HaveTxFromPeer(wtxid, peer)) return false;
    const TxDownloadConnectionInfo& info = it->second;
    // Resolving means requesting every missing parent: count them against
    // the peer's announcement limit.
    if (!info.relay_permissions && m_txrequest.Count(peer) + unique_parents.size() > MAX_PEER_TX_ANNOUNCEMENTS) {
        return false;
    }
    int64_t delay = 0;
    if (!info.preferred) delay += NONPREF_PEER_TX_DELAY;
    // Parents are requested by txid. Parent and child are often announced
    // together; waiting a little lets the parent arrive on its own.
    if (m_num_wtxid_peers > 0) delay += TXID_RELAY_DELAY;
    if (!info.relay_permissions && m_txrequest.CountInFlight(peer) >= MAX_PEER_TX_REQUEST_IN_FLIGHT) {
        delay += OVERLOADED_PEER_TX_DELAY;
    }
    for (const uint256& parent : unique_parents) {
        m_txrequest.ReceivedInv(peer, GenTxid::Txid(parent), info.preferred, now + delay);
    }
    LogDebug(LogCategory::TXPACKAGES, "added peer={} as a candidate for resolving orphan {}", peer, wtxid.GetHex());
    return true;
}

bool TxDownloadManager::AddTxAnnouncement(NodeId peer, const GenTxid& gtxid, int64_t now)
{
    // Announcing an orphan we hold makes the peer a candidate to resolve it.
    if (gtxid.is_wtxid) {
        if (const TransactionRef orphan = m_orphanage.GetTx(gtxid.hash)) {
            std::vector<uint256> parents = UniqueParents(*orphan);
            std::erase_if(parents, [&](const uint256& p) { return AlreadyHaveTx(GenTxid::Txid(p), false); });
            // The parents may all have been accepted or rejected meanwhile;
            // the orphan may be queued for reconsideration, so it stays.
            if (parents.empty()) return true;
            if (MaybeAddOrphanResolutionCandidate(parents, gtxid.hash, peer, now)) {
                m_orphanage.AddAnnouncer(gtxid.hash, peer);
            }
            return true;
        }
    }
    if (AlreadyHaveTx(gtxid, /*include_reconsiderable=*/true)) return true;

    auto it = m_peers.find(peer);
    if (it == m_peers.end()) return false;
    const TxDownloadConnectionInfo& info = it->second;
    if (!info.relay_permissions && m_txrequest.Count(peer) >= MAX_PEER_TX_ANNOUNCEMENTS) return false;
    int64_t delay = 0;
    if (!info.preferred) delay += NONPREF_PEER_TX_DELAY;
    if (!gtxid.is_wtxid && m_num_wtxid_peers > 0) delay += TXID_RELAY_DELAY;
    if (!info.relay_permissions && m_txrequest.CountInFlight(peer) >= MAX_PEER_TX_REQUEST_IN_FLIGHT) {
        delay += OVERLOADED_PEER_TX_DELAY;
    }
    m_txrequest.ReceivedInv(peer, gtxid, info.preferred, now + delay);
    return false;
}

std::vector<GenTxid> TxDownloadManager::GetRequestsToSend(NodeId peer, int64_t now)
{
    std::vector<GenTxid> requests;
    std::vector<std::pair<NodeId, GenTxid>> expired;
    const std::vector<GenTxid> requestable = m_txrequest.GetRequestable(peer, now, &expired);
    for (const auto& [id, gtxid] : expired) {
        LogDebug(LogCategory::NET, "timeout of inflight {} {} from peer={}", gtxid.is_wtxid ? "wtx" : "tx",
                 gtxid.hash.GetHex(), id);
    }
    for (const GenTxid& gtxid : requestable) {
        if (!AlreadyHaveTx(gtxid, /*include_reconsiderable=*/false)) {
            LogDebug(LogCategory::NET, "Requesting {} {} peer={}", gtxid.is_wtxid ? "wtx" : "tx", gtxid.hash.GetHex(),
                     peer);
            requests.push_back(gtxid);
            m_txrequest.RequestedTx(peer, gtxid.hash, now + GETDATA_TX_INTERVAL);
        } else {
            // Got it meanwhile some other way: nobody needs asking.
            m_txrequest.ForgetTxHash(gtxid.hash);
        }
    }
    return requests;
}

void TxDownloadManager::ReceivedNotFound(NodeId peer, const std::vector<uint256>& txhashes)
{
    for (const uint256& h : txhashes) m_txrequest.ReceivedResponse(peer, h);
}

std::optional<PackageToValidate> TxDownloadManager::Find1P1CPackage(const TransactionRef& parent, NodeId peer)
{
    // Only children from the same peer: an attacker sending many fake
    // children cannot crowd out the real one an honest peer gave us.
    for (const TxOrphanage::OrphanId& child : m_orphanage.GetChildrenFromSamePeer(*parent, peer)) {
        const TransactionRef child_tx = m_orphanage.GetTx(child.wtxid);
        if (!child_tx) continue;
        Package package{parent, child_tx};
        if (!FilterContains(m_recent_rejects_reconsiderable, GetPackageHash(package)) &&
            !FilterContains(m_recent_rejects, child.txid)) {
            return PackageToValidate{std::move(package), {peer, peer}};
        }
    }
    return std::nullopt;
}

void TxDownloadManager::MempoolAcceptedTx(const TransactionRef& tx)
{
    m_txrequest.ForgetTxHash(tx->GetTxid());
    m_txrequest.ForgetTxHash(tx->GetWtxid());
    m_orphanage.AddChildrenToWorkSet(*tx, [this](uint64_t n) { return Rand(n); });
    // If it was an orphan, it is one no more.
    m_orphanage.EraseTx(tx->GetWtxid());
}

RejectedTxTodo TxDownloadManager::MempoolRejectedTx(const TransactionRef& ptx, const TxValidationState& state,
                                                    NodeId peer, bool first_time_failure, int64_t now)
{
    const Transaction& tx = *ptx;
    RejectedTxTodo todo;
    if (state.GetResult() == TxResult::MISSING_INPUTS) {
        // Reconsidered orphans and package members are in the orphanage already.
        if (first_time_failure && !FilterContains(m_recent_rejects, tx.GetWtxid())) {
            std::vector<uint256> parents = UniqueParents(tx);
            // A parent we rejected dooms the child; one low-fee parent is
            // fine (the pair may pass as a package), two are not.
            bool rejected_parents = false;
            std::optional<uint256> reconsiderable_parent;
            for (const uint256& parent : parents) {
                if (FilterContains(m_recent_rejects, parent)) {
                    rejected_parents = true;
                    break;
                }
                if (FilterContains(m_recent_rejects_reconsiderable, parent) && !m_in_pool(GenTxid::Txid(parent))) {
                    if (reconsiderable_parent) {
                        rejected_parents = true;
                        break;
                    }
                    reconsiderable_parent = parent;
                }
            }
            if (!rejected_parents) {
                // Low-fee parents are not "had": the orphan may pay for them.
                std::erase_if(parents, [&](const uint256& p) { return AlreadyHaveTx(GenTxid::Txid(p), false); });
                // Every peer that announced this transaction can be asked for its parents.
                std::vector<NodeId> candidates{peer};
                m_txrequest.GetCandidatePeers(tx.GetTxid(), candidates);
                if (tx.HasWitness()) m_txrequest.GetCandidatePeers(tx.GetWtxid(), candidates);
                for (NodeId candidate : candidates) {
                    if (MaybeAddOrphanResolutionCandidate(parents, tx.GetWtxid(), candidate, now)) {
                        m_orphanage.AddTx(ptx, candidate);
                    }
                }
                // In the orphanage it counts as had: no more requests for it.
                m_txrequest.ForgetTxHash(tx.GetTxid());
                m_txrequest.ForgetTxHash(tx.GetWtxid());
                todo.unique_parents = std::move(parents);
            } else {
                LogDebug(LogCategory::MEMPOOL, "not keeping orphan with rejected parents {} (wtxid={})",
                         tx.GetTxid().GetHex(), tx.GetWtxid().GetHex());
                // Whatever its witness, it cannot get in: both ids are rejected.
                RecentRejects().Insert(tx.GetTxid());
                RecentRejects().Insert(tx.GetWtxid());
                m_txrequest.ForgetTxHash(tx.GetTxid());
                m_txrequest.ForgetTxHash(tx.GetWtxid());
            }
        }
    } else if (state.GetResult() == TxResult::WITNESS_STRIPPED) {
        // Nothing is remembered: the same txid with its witness may be fine.
    } else {
        // Only the wtxid is remembered: a txid may come back with a valid
        // witness, and peers that relay by txid must still be able to give it.
        if (state.GetResult() == TxResult::RECONSIDERABLE) {
            RecentRejectsReconsiderable().Insert(tx.GetWtxid());
            if (first_time_failure) {
                LogDebug(LogCategory::TXPACKAGES,
                         "tx {} (wtxid={}) failed but reconsiderable, looking for child in orphanage",
                         tx.GetTxid().GetHex(), tx.GetWtxid().GetHex());
                todo.package_to_validate = Find1P1CPackage(ptx, peer);
            }
        } else {
            RecentRejects().Insert(tx.GetWtxid());
        }
        m_txrequest.ForgetTxHash(tx.GetWtxid());
        // Non-standard inputs do not depend on the witness (the spent
        // scripts are fixed by the txid): the txid can be rejected too, so
        // orphans' parent requests by txid do not fetch it again.
        if (state.GetResult() == TxResult::INPUTS_NOT_STANDARD && tx.HasWitness()) {
            RecentRejects().Insert(tx.GetTxid());
            m_txrequest.ForgetTxHash(tx.GetTxid());
        }
    }
    // A reconsidered orphan that failed for another reason leaves the orphanage.
    if (state.GetResult() != TxResult::MISSING_INPUTS && m_orphanage.EraseTx(tx.GetWtxid())) {
        LogDebug(LogCategory::TXPACKAGES, "   removed orphan tx {} (wtxid={})", tx.GetTxid().GetHex(),
                 tx.GetWtxid().GetHex());
    }
    return todo;
}

void TxDownloadManager::MempoolRejectedPackage(const Package& package)
{
    RecentRejectsReconsiderable().Insert(GetPackageHash(package));
}

std::pair<bool, std::optional<PackageToValidate>> TxDownloadManager::ReceivedTx(NodeId peer, const TransactionRef& tx)
{
    const uint256& txid = tx->GetTxid();
    const uint256& wtxid = tx->GetWtxid();
    m_txrequest.ReceivedResponse(peer, txid);
    if (tx->HasWitness()) m_txrequest.ReceivedResponse(peer, wtxid);
    // Checked by wtxid: the rejects filter holds wtxids. A transaction we
    // rejected is dropped without knowing why, so its sender is not punished
    // (the filter has false positives, and most rejections are policy).
    if (AlreadyHaveTx(GenTxid::Wtxid(wtxid), /*include_reconsiderable=*/false)) return {false, std::nullopt};
    if (FilterContains(m_recent_rejects_reconsiderable, wtxid)) {
        // Not again on its own, but maybe with a child from the orphanage.
        LogDebug(LogCategory::TXPACKAGES,
                 "found tx {} (wtxid={}) in reconsiderable rejects, looking for child in orphanage", txid.GetHex(),
                 wtxid.GetHex());
        return {false, Find1P1CPackage(tx, peer)};
    }
    return {true, std::nullopt};
}

bool TxDownloadManager::HaveMoreWork(NodeId peer) const
{
    return m_orphanage.HaveTxToReconsider(peer);
}

TransactionRef TxDownloadManager::GetTxToReconsider(NodeId peer)
{
    return m_orphanage.GetTxToReconsider(peer);
}

} // namespace cairn
