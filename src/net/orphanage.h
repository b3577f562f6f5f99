// Transactions whose inputs we cannot find yet ("orphans"), kept while
// their parents are fetched (Bitcoin Core 30's TxOrphanage).
//
// An orphan cannot be told apart from a transaction spending made-up
// outputs, so the orphanage is bounded by announcements, not trust: each
// (wtxid, peer) pair is one announcement; an orphan stays while it has an
// announcer. Two global limits:
//   - latency score: announcements plus, per unique orphan, one for every 10
//     inputs, at most DEFAULT_MAX_ORPHANAGE_LATENCY_SCORE (3000);
//   - usage: the unique orphans' weights, at most
//     DEFAULT_RESERVED_ORPHAN_USAGE_PER_PEER (404,000 WU) per announcing peer.
// Each announcing peer is entitled to an equal share of the latency score
// and to the reserved usage. When a global limit is exceeded, the peer whose
// use is the largest multiple of its share (the "DoS score") loses its
// oldest announcements (those not waiting to be reconsidered go first), so
// one peer flooding the orphanage can only evict its own orphans. Orphans
// heavier than a standard transaction are refused. There is no time-based
// expiry (Core 30 removed it); orphans leave when a block confirms or
// conflicts with them, when they are accepted or rejected, when their last
// announcer disconnects, or by the limits above.
//
// Not thread-safe: the owner serialises access.
#ifndef CAIRN_NET_ORPHANAGE_H
#define CAIRN_NET_ORPHANAGE_H

#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace cairn {

using NodeId = int64_t;

inline constexpr int64_t DEFAULT_RESERVED_ORPHAN_USAGE_PER_PEER = 404'000;
inline constexpr unsigned DEFAULT_MAX_ORPHANAGE_LATENCY_SCORE = 3000;

class TxOrphanage
{
public:
    struct OrphanInfo {
        TransactionRef tx;
        std::set<NodeId> announcers;
    };
    struct OrphanId {
        uint256 txid;
        uint256 wtxid;
    };

    explicit TxOrphanage(unsigned max_global_latency_score = DEFAULT_MAX_ORPHANAGE_LATENCY_SCORE,
                         int64_t reserved_usage_per_peer = DEFAULT_RESERVED_ORPHAN_USAGE_PER_PEER);

    /** Adds `tx` as announced by `peer`. True only if the transaction was not
     *  in the orphanage before (a new announcer of a known orphan is added
     *  but returns false; so does an orphan over the standard weight, which
     *  is refused). May evict announcements to stay within the limits. */
    bool AddTx(const TransactionRef& tx, NodeId peer);
    /** Another peer announced a known orphan. False if unknown or already its announcer. */
    bool AddAnnouncer(const uint256& wtxid, NodeId peer);

    TransactionRef GetTx(const uint256& wtxid) const;
    bool HaveTx(const uint256& wtxid) const;
    bool HaveTxFromPeer(const uint256& wtxid, NodeId peer) const;
    /** Sorted, distinct txids of the orphan's inputs; nullopt if unknown. */
    std::optional<std::vector<uint256>> GetParentTxids(const uint256& wtxid) const;

    /** Removes the orphan with all its announcements. False if unknown. */
    bool EraseTx(const uint256& wtxid);
    /** The peer is gone: its announcements go, orphans others announced stay. */
    void EraseForPeer(NodeId peer);
    /** Removes orphans a block confirmed or made invalid (any spent input
     *  shared with a block transaction). Returns how many. */
    size_t EraseForBlock(const std::vector<TransactionRef>& block_txs);

    /** `tx` entered the mempool: orphans spending its outputs become
     *  reconsiderable, each in the work set of one of its announcers picked
     *  with `rand` (uniform below its argument). Returns (wtxid, peer) pairs. */
    std::vector<std::pair<uint256, NodeId>> AddChildrenToWorkSet(const Transaction& tx,
                                                                 const std::function<uint64_t(uint64_t)>& rand);
    bool HaveTxToReconsider(NodeId peer) const;
    /** Takes one orphan from the peer's work set (nullptr if none). */
    TransactionRef GetTxToReconsider(NodeId peer);
    /** Orphans from `peer` spending an output of `parent`: reconsiderable
     *  ones first, then newest first (1p1c package candidates). */
    std::vector<OrphanId> GetChildrenFromSamePeer(const Transaction& parent, NodeId peer) const;

    std::vector<OrphanInfo> GetOrphanTransactions() const;

    size_t CountAnnouncements() const { return m_anns.size(); }
    size_t CountUniqueOrphans() const { return m_unique_orphans; }
    size_t AnnouncementsFromPeer(NodeId peer) const;
    unsigned LatencyScoreFromPeer(NodeId peer) const;
    int64_t UsageByPeer(NodeId peer) const;
    int64_t TotalOrphanUsage() const { return m_unique_usage; }
    unsigned TotalLatencyScore() const { return unsigned(m_unique_input_scores + m_anns.size()); }
    unsigned MaxGlobalLatencyScore() const { return m_max_global_latency_score; }
    /** The global latency score shared equally by the announcing peers. */
    unsigned MaxPeerLatencyScore() const;
    int64_t ReservedPeerUsage() const { return m_reserved_usage_per_peer; }
    /** Reserved usage times the number of announcing peers (at least one). */
    int64_t MaxGlobalUsage() const;

    /** Checks every invariant and that no limit is exceeded; throws std::logic_error (tests). */
    void SanityCheck() const;

private:
    struct Announcement {
        TransactionRef tx;
        uint64_t sequence{0};
        bool reconsider{false};
        int64_t Usage() const;
        /** One, plus one for every 10 inputs. */
        unsigned LatencyScore() const { return 1 + unsigned(tx->vin.size() / 10); }
    };
    struct PeerStats {
        int64_t usage{0};
        size_t count{0};
        unsigned latency{0};
    };
    using AnnKey = std::pair<uint256, NodeId>;                       // (wtxid, peer)
    using PeerKey = std::tuple<NodeId, bool, uint64_t, uint256>;   // (peer, reconsider, sequence, wtxid)

    bool Insert(const TransactionRef& tx, NodeId peer);
    void Erase(std::map<AnnKey, Announcement>::iterator it);
    bool EraseTxInternal(const uint256& wtxid);
    void SetReconsider(std::map<AnnKey, Announcement>::iterator it, bool reconsider);
    bool NeedsTrim() const;
    void LimitOrphans();

    const unsigned m_max_global_latency_score;
    const int64_t m_reserved_usage_per_peer;
    uint64_t m_sequence{0};
    std::map<AnnKey, Announcement> m_anns;
    std::set<PeerKey> m_by_peer;
    std::map<OutPoint, std::set<uint256>> m_outpoint_to_orphans;
    std::set<uint256> m_reconsiderable; // wtxids with (exactly one) reconsider announcement
    std::map<NodeId, PeerStats> m_peer_stats;
    size_t m_unique_orphans{0};
    int64_t m_unique_usage{0};
    size_t m_unique_input_scores{0}; // per unique orphan: its latency score minus one
};

} // namespace cairn

#endif
