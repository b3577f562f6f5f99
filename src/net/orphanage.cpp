#include "net/orphanage.h"

#include "consensus/tx_check.h"
#include "policy/policy.h"
#include "util/log.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace cairn {

namespace {

constexpr NodeId MIN_PEER = std::numeric_limits<NodeId>::min();
constexpr NodeId MAX_PEER = std::numeric_limits<NodeId>::max();

/** A fraction num/den with den > 0, compared exactly. */
struct Ratio {
    int64_t num;
    int64_t den;
    friend bool operator<(const Ratio& a, const Ratio& b)
    {
        return static_cast<__int128>(a.num) * b.den < static_cast<__int128>(b.num) * a.den;
    }
    friend bool operator==(const Ratio& a, const Ratio& b)
    {
        return static_cast<__int128>(a.num) * b.den == static_cast<__int128>(b.num) * a.den;
    }
};

} // namespace

int64_t TxOrphanage::Announcement::Usage() const
{
    // Weight stands for memory: inputs (the outpoint index) are not witness-discounted.
    return GetTransactionWeight(*tx);
}

TxOrphanage::TxOrphanage(unsigned max_global_latency_score, int64_t reserved_usage_per_peer)
    : m_max_global_latency_score(std::max(1u, max_global_latency_score)),
      m_reserved_usage_per_peer(std::max<int64_t>(1, reserved_usage_per_peer))
{
}

unsigned TxOrphanage::MaxPeerLatencyScore() const
{
    return m_max_global_latency_score / unsigned(std::max<size_t>(1, m_peer_stats.size()));
}

int64_t TxOrphanage::MaxGlobalUsage() const
{
    return m_reserved_usage_per_peer * int64_t(std::max<size_t>(1, m_peer_stats.size()));
}

size_t TxOrphanage::AnnouncementsFromPeer(NodeId peer) const
{
    auto it = m_peer_stats.find(peer);
    return it == m_peer_stats.end() ? 0 : it->second.count;
}

unsigned TxOrphanage::LatencyScoreFromPeer(NodeId peer) const
{
    auto it = m_peer_stats.find(peer);
    return it == m_peer_stats.end() ? 0 : it->second.latency;
}

int64_t TxOrphanage::UsageByPeer(NodeId peer) const
{
    auto it = m_peer_stats.find(peer);
    return it == m_peer_stats.end() ? 0 : it->second.usage;
}

bool TxOrphanage::HaveTx(const uint256& wtxid) const
{
    auto it = m_anns.lower_bound({wtxid, MIN_PEER});
    return it != m_anns.end() && it->first.first == wtxid;
}

bool TxOrphanage::HaveTxFromPeer(const uint256& wtxid, NodeId peer) const
{
    return m_anns.count({wtxid, peer}) != 0;
}

TransactionRef TxOrphanage::GetTx(const uint256& wtxid) const
{
    auto it = m_anns.lower_bound({wtxid, MIN_PEER});
    return it != m_anns.end() && it->first.first == wtxid ? it->second.tx : nullptr;
}

std::optional<std::vector<uint256>> TxOrphanage::GetParentTxids(const uint256& wtxid) const
{
    const TransactionRef tx = GetTx(wtxid);
    if (!tx) return std::nullopt;
    std::vector<uint256> parents;
    parents.reserve(tx->vin.size());
    for (const TxIn& in : tx->vin) parents.push_back(in.prevout.hash);
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    return parents;
}

bool TxOrphanage::Insert(const TransactionRef& tx, NodeId peer)
{
    const uint256& wtxid = tx->GetWtxid();
    const bool brand_new = !HaveTx(wtxid);
    auto [it, inserted] = m_anns.try_emplace({wtxid, peer}, Announcement{tx, m_sequence, false});
    if (!inserted) return false;
    ++m_sequence;
    m_by_peer.insert({peer, false, it->second.sequence, wtxid});
    PeerStats& stats = m_peer_stats[peer];
    stats.usage += it->second.Usage();
    stats.count += 1;
    stats.latency += it->second.LatencyScore();
    if (brand_new) {
        for (const TxIn& in : tx->vin) m_outpoint_to_orphans[in.prevout].insert(wtxid);
        ++m_unique_orphans;
        m_unique_usage += it->second.Usage();
        m_unique_input_scores += it->second.LatencyScore() - 1;
    }
    return true;
}

bool TxOrphanage::AddTx(const TransactionRef& tx, NodeId peer)
{
    const int64_t weight = GetTransactionWeight(*tx);
    if (weight > MAX_STANDARD_TX_WEIGHT) {
        LogDebug(LogCategory::TXPACKAGES, "ignoring large orphan tx (size: {}, txid: {}, wtxid: {})", weight,
                 tx->GetTxid().GetHex(), tx->GetWtxid().GetHex());
        return false;
    }
    const bool brand_new = !HaveTx(tx->GetWtxid());
    if (!Insert(tx, peer)) return false;
    if (brand_new) {
        LogDebug(LogCategory::TXPACKAGES, "stored orphan tx {} (wtxid={}), weight: {} (mapsz {} outsz {})",
                 tx->GetTxid().GetHex(), tx->GetWtxid().GetHex(), weight, m_anns.size(), m_outpoint_to_orphans.size());
    } else {
        LogDebug(LogCategory::TXPACKAGES, "added peer={} as announcer of orphan tx {} (wtxid={})", peer,
                 tx->GetTxid().GetHex(), tx->GetWtxid().GetHex());
    }
    LimitOrphans();
    return brand_new;
}

bool TxOrphanage::AddAnnouncer(const uint256& wtxid, NodeId peer)
{
    const TransactionRef tx = GetTx(wtxid);
    if (!tx || !Insert(tx, peer)) return false;
    LogDebug(LogCategory::TXPACKAGES, "added peer={} as announcer of orphan tx {} (wtxid={})", peer,
             tx->GetTxid().GetHex(), wtxid.GetHex());
    LimitOrphans();
    return true;
}

void TxOrphanage::Erase(std::map<AnnKey, Announcement>::iterator it)
{
    const auto& [wtxid, peer] = it->first;
    const Announcement& ann = it->second;
    auto sit = m_peer_stats.find(peer);
    sit->second.usage -= ann.Usage();
    sit->second.count -= 1;
    sit->second.latency -= ann.LatencyScore();
    if (sit->second.count == 0) m_peer_stats.erase(sit);
    m_by_peer.erase({peer, ann.reconsider, ann.sequence, wtxid});
    if (ann.reconsider) m_reconsiderable.erase(wtxid);

    const bool unique = (it == m_anns.begin() || std::prev(it)->first.first != wtxid) &&
                        (std::next(it) == m_anns.end() || std::next(it)->first.first != wtxid);
    if (unique) {
        --m_unique_orphans;
        m_unique_usage -= ann.Usage();
        m_unique_input_scores -= ann.LatencyScore() - 1;
        for (const TxIn& in : ann.tx->vin) {
            auto oit = m_outpoint_to_orphans.find(in.prevout);
            if (oit == m_outpoint_to_orphans.end()) continue;
            oit->second.erase(wtxid);
            if (oit->second.empty()) m_outpoint_to_orphans.erase(oit);
        }
    }
    m_anns.erase(it);
}

bool TxOrphanage::EraseTxInternal(const uint256& wtxid)
{
    auto it = m_anns.lower_bound({wtxid, MIN_PEER});
    if (it == m_anns.end() || it->first.first != wtxid) return false;
    const uint256 txid = it->second.tx->GetTxid();
    size_t n = 0;
    while (it != m_anns.end() && it->first.first == wtxid) {
        Erase(it++);
        ++n;
    }
    LogDebug(LogCategory::TXPACKAGES, "removed orphan tx {} (wtxid={}) ({} announcements)", txid.GetHex(),
             wtxid.GetHex(), n);
    return true;
}

bool TxOrphanage::EraseTx(const uint256& wtxid)
{
    const bool erased = EraseTxInternal(wtxid);
    // Fewer peers may mean a lower global usage limit.
    LimitOrphans();
    return erased;
}

void TxOrphanage::EraseForPeer(NodeId peer)
{
    auto it = m_by_peer.lower_bound({peer, false, 0, uint256()});
    size_t n = 0;
    while (it != m_by_peer.end() && std::get<0>(*it) == peer) {
        const uint256 wtxid = std::get<3>(*it);
        ++it; // Erase removes the current element of m_by_peer
        Erase(m_anns.find({wtxid, peer}));
        ++n;
    }
    if (n > 0) LogDebug(LogCategory::TXPACKAGES, "Erased {} orphan transaction(s) from peer={}", n, peer);
    LimitOrphans();
}

size_t TxOrphanage::EraseForBlock(const std::vector<TransactionRef>& block_txs)
{
    if (m_anns.empty()) return 0;
    std::set<uint256> to_erase;
    for (const TransactionRef& tx : block_txs) {
        for (const TxIn& in : tx->vin) {
            auto it = m_outpoint_to_orphans.find(in.prevout);
            if (it != m_outpoint_to_orphans.end()) to_erase.insert(it->second.begin(), it->second.end());
        }
    }
    size_t n = 0;
    for (const uint256& wtxid : to_erase) n += EraseTxInternal(wtxid);
    if (n > 0) LogDebug(LogCategory::TXPACKAGES, "Erased {} orphan transaction(s) included or conflicted by block", n);
    LimitOrphans();
    return n;
}

void TxOrphanage::SetReconsider(std::map<AnnKey, Announcement>::iterator it, bool reconsider)
{
    Announcement& ann = it->second;
    if (ann.reconsider == reconsider) return;
    const auto& [wtxid, peer] = it->first;
    m_by_peer.erase({peer, ann.reconsider, ann.sequence, wtxid});
    ann.reconsider = reconsider;
    m_by_peer.insert({peer, ann.reconsider, ann.sequence, wtxid});
    if (reconsider) {
        m_reconsiderable.insert(wtxid);
    } else {
        m_reconsiderable.erase(wtxid);
    }
}

std::vector<std::pair<uint256, NodeId>> TxOrphanage::AddChildrenToWorkSet(const Transaction& tx,
                                                                          const std::function<uint64_t(uint64_t)>& rand)
{
    std::vector<std::pair<uint256, NodeId>> out;
    if (m_anns.empty()) return out;
    for (uint32_t i = 0; i < tx.vout.size(); ++i) {
        auto oit = m_outpoint_to_orphans.find(OutPoint(tx.GetTxid(), i));
        if (oit == m_outpoint_to_orphans.end()) continue;
        for (const uint256& wtxid : oit->second) {
            if (m_reconsiderable.count(wtxid)) continue; // already queued with someone
            auto first = m_anns.lower_bound({wtxid, MIN_PEER});
            auto last = m_anns.upper_bound({wtxid, MAX_PEER});
            const auto count = uint64_t(std::distance(first, last));
            if (count == 0) continue;
            // A random announcer does the work: an announcer that disconnects
            // on purpose cannot keep the orphan from being looked at (its
            // announcement goes, and another peer's remains).
            std::advance(first, rand(count));
            SetReconsider(first, true);
            out.emplace_back(wtxid, first->first.second);
            LogDebug(LogCategory::TXPACKAGES, "added {} (wtxid={}) to peer {} workset",
                     first->second.tx->GetTxid().GetHex(), wtxid.GetHex(), first->first.second);
        }
    }
    return out;
}

bool TxOrphanage::HaveTxToReconsider(NodeId peer) const
{
    auto it = m_by_peer.lower_bound({peer, true, 0, uint256()});
    return it != m_by_peer.end() && std::get<0>(*it) == peer && std::get<1>(*it);
}

TransactionRef TxOrphanage::GetTxToReconsider(NodeId peer)
{
    auto it = m_by_peer.lower_bound({peer, true, 0, uint256()});
    if (it == m_by_peer.end() || std::get<0>(*it) != peer || !std::get<1>(*it)) return nullptr;
    auto ait = m_anns.find({std::get<3>(*it), peer});
    // Reconsidered once per reason: it waits for the next parent to arrive.
    SetReconsider(ait, false);
    return ait->second.tx;
}

std::vector<TxOrphanage::OrphanId> TxOrphanage::GetChildrenFromSamePeer(const Transaction& parent, NodeId peer) const
{
    std::vector<OrphanId> out;
    const uint256& parent_txid = parent.GetTxid();
    // m_by_peer orders a peer's entries non-reconsiderable first, then by
    // age: walking backwards gives reconsiderable first, newest first.
    auto lo = m_by_peer.lower_bound({peer, false, 0, uint256()});
    auto hi = m_by_peer.upper_bound({peer, true, std::numeric_limits<uint64_t>::max(), uint256()});
    while (hi != lo) {
        --hi;
        const uint256& wtxid = std::get<3>(*hi);
        const TransactionRef& tx = m_anns.at({wtxid, peer}).tx;
        for (const TxIn& in : tx->vin) {
            if (in.prevout.hash == parent_txid) {
                out.push_back({tx->GetTxid(), wtxid});
                break;
            }
        }
    }
    return out;
}

std::vector<TxOrphanage::OrphanInfo> TxOrphanage::GetOrphanTransactions() const
{
    std::vector<OrphanInfo> out;
    out.reserve(m_unique_orphans);
    for (auto it = m_anns.begin(); it != m_anns.end(); ++it) {
        if (out.empty() || out.back().tx->GetWtxid() != it->first.first) out.push_back({it->second.tx, {}});
        out.back().announcers.insert(it->first.second);
    }
    return out;
}

bool TxOrphanage::NeedsTrim() const
{
    return TotalLatencyScore() > m_max_global_latency_score || TotalOrphanUsage() > MaxGlobalUsage();
}

void TxOrphanage::LimitOrphans()
{
    if (!NeedsTrim()) return;
    const size_t unique_before = m_unique_orphans;
    // The shares stay as they were at the start, even if a peer's last
    // orphan goes during the loop.
    const int64_t max_latency = MaxPeerLatencyScore();
    const int64_t max_usage = m_reserved_usage_per_peer;
    auto dos_score = [&](const PeerStats& s) {
        const Ratio latency{int64_t(s.latency), std::max<int64_t>(1, max_latency)};
        const Ratio usage{s.usage, max_usage};
        return latency < usage ? usage : latency;
    };
    size_t erased = 0;
    while (NeedsTrim()) {
        // The peer using the most of its share; ties: the later connection.
        auto worst = m_peer_stats.end();
        Ratio worst_score{0, 1};
        for (auto it = m_peer_stats.begin(); it != m_peer_stats.end(); ++it) {
            const Ratio score = dos_score(it->second);
            if (worst == m_peer_stats.end() || worst_score < score || (score == worst_score && it->first > worst->first)) {
                worst = it;
                worst_score = score;
            }
        }
        if (worst == m_peer_stats.end()) break;
        // Its oldest announcement, those not waiting to be reconsidered first.
        const NodeId peer = worst->first;
        auto pit = m_by_peer.lower_bound({peer, false, 0, uint256()});
        if (pit == m_by_peer.end() || std::get<0>(*pit) != peer) break;
        Erase(m_anns.find({std::get<3>(*pit), peer}));
        ++erased;
    }
    LogDebug(LogCategory::TXPACKAGES, "orphanage overflow, removed {} tx ({} announcements)",
             unique_before - m_unique_orphans, erased);
}

void TxOrphanage::SanityCheck() const
{
    auto fail = [](const std::string& what) { throw std::logic_error("TxOrphanage: " + what); };
    std::map<NodeId, PeerStats> stats;
    std::set<uint256> unique, reconsiderable;
    std::set<OutPoint> outpoints;
    int64_t usage = 0;
    size_t input_scores = 0;
    for (const auto& [key, ann] : m_anns) {
        const auto& [wtxid, peer] = key;
        if (ann.tx->GetWtxid() != wtxid) fail("wtxid key");
        if (!m_by_peer.count({peer, ann.reconsider, ann.sequence, wtxid})) fail("peer index");
        PeerStats& s = stats[peer];
        s.usage += ann.Usage();
        s.count += 1;
        s.latency += ann.LatencyScore();
        if (ann.reconsider && !reconsiderable.insert(wtxid).second) fail("two reconsider announcements");
        if (unique.insert(wtxid).second) {
            usage += ann.Usage();
            input_scores += ann.LatencyScore() - 1;
            for (const TxIn& in : ann.tx->vin) {
                outpoints.insert(in.prevout);
                auto it = m_outpoint_to_orphans.find(in.prevout);
                if (it == m_outpoint_to_orphans.end() || !it->second.count(wtxid)) fail("outpoint index");
            }
        }
    }
    if (m_by_peer.size() != m_anns.size()) fail("peer index size");
    if (reconsiderable != m_reconsiderable) fail("reconsiderable set");
    if (unique.size() != m_unique_orphans || usage != m_unique_usage || input_scores != m_unique_input_scores) {
        fail("unique totals");
    }
    if (outpoints.size() != m_outpoint_to_orphans.size()) fail("stale outpoints");
    for (const auto& [outpoint, wtxids] : m_outpoint_to_orphans) {
        for (const uint256& w : wtxids) {
            if (!unique.count(w)) fail("outpoint points to a missing orphan");
        }
    }
    if (stats.size() != m_peer_stats.size()) fail("peer count");
    for (const auto& [peer, s] : stats) {
        auto it = m_peer_stats.find(peer);
        if (it == m_peer_stats.end() || it->second.usage != s.usage || it->second.count != s.count ||
            it->second.latency != s.latency) {
            fail("peer stats of " + std::to_string(peer));
        }
    }
    if (NeedsTrim()) fail("over its limits");
}

} // namespace cairn
