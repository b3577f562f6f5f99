// One transaction in the pool with what the pool knows about it: its fee,
// size, when and at which height it entered, and running totals over its
// in-pool ancestors and descendants (what eviction and mining sort by), and
// the ancestor-score order block assembly walks.
#ifndef CAIRN_MEMPOOL_MEMPOOL_ENTRY_H
#define CAIRN_MEMPOOL_MEMPOOL_ENTRY_H

#include "consensus/block_index.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"

#include <cstdint>
#include <set>

namespace cairn {

/** The chain position at which a transaction's BIP 68 locks were last
 *  computed, so a reorg need not recompute them unless it goes below it. */
struct LockPoints {
    int height{0};
    int64_t time{0};
    /** The highest block holding one of the spent coins (null: all in the pool or not computed). */
    const BlockIndex* max_input_block{nullptr};
};

class MempoolEntry;

/** Orders entries by txid, so that sets of entries iterate deterministically. */
struct MempoolEntryTxidLess {
    bool operator()(const MempoolEntry* a, const MempoolEntry* b) const;
};
using MempoolEntrySet = std::set<const MempoolEntry*, MempoolEntryTxidLess>;

/** What block assembly ranks a candidate by: its own modified fee and vsize,
 *  and those of its package (itself with its in-pool ancestors, or with those
 *  not yet in the block while a template is built). */
struct AncestorScore {
    Amount own_fee;
    int64_t own_size;
    Amount package_fee;
    int64_t package_size;
    const uint256* txid;
};

/** Core's CompareTxMemPoolEntryByAncestorFee: true if `a` ranks before `b`.
 *  The rate that counts is the lower of the own and the package fee rate
 *  (a child paying less than its package cannot ride on a rich parent); a
 *  higher rate ranks first, equal rates by the lower txid. Core compares
 *  cross products in doubles; here they are exact (128 bits), the same
 *  answer whenever the doubles are exact (fee times size below 2^53) and a
 *  strict weak ordering for any amounts, as a std::set needs. */
inline bool AncestorScoreBetter(const AncestorScore& a, const AncestorScore& b)
{
    using Wide = __int128;
    // The lower rate of each, as a (fee, size) pair; own on a tie.
    const bool a_package = Wide(a.own_fee) * a.package_size > Wide(a.package_fee) * a.own_size;
    const bool b_package = Wide(b.own_fee) * b.package_size > Wide(b.package_fee) * b.own_size;
    const Wide a_fee = a_package ? a.package_fee : a.own_fee;
    const Wide a_size = a_package ? a.package_size : a.own_size;
    const Wide b_fee = b_package ? b.package_fee : b.own_fee;
    const Wide b_size = b_package ? b.package_size : b.own_size;
    const Wide lhs = a_fee * b_size;
    const Wide rhs = a_size * b_fee;
    if (lhs != rhs) return lhs > rhs;
    return *a.txid < *b.txid;
}

/** The pool's ancestor-score order (best first), on an entry's own totals. */
struct MempoolEntryAncestorScoreOrder {
    bool operator()(const MempoolEntry* a, const MempoolEntry* b) const;
};
using AncestorScoreIndex = std::set<const MempoolEntry*, MempoolEntryAncestorScoreOrder>;

/** Fields that the pool maintains are written only by TxMemPool; everyone
 *  else sees entries through const pointers valid while the pool's lock is
 *  held and the entry is in the pool. */
class MempoolEntry
{
public:
    /** `entry_sequence`: the pool's sequence when the transaction was
     *  accepted, or 0 for a transaction of a disconnected block (as Core:
     *  it may then be served to a peer we announced it to before), or
     *  NEXT_SEQUENCE for the pool's sequence at the moment it is added. */
    MempoolEntry(TransactionRef tx, Amount fee, int64_t time, unsigned entry_height, uint64_t entry_sequence,
                 bool spends_coinbase, int64_t sigop_cost, LockPoints lp, int64_t vsize);
    static constexpr uint64_t NEXT_SEQUENCE = ~uint64_t{0};

    const Transaction& GetTx() const { return *m_tx; }
    const TransactionRef& GetSharedTx() const { return m_tx; }
    const uint256& Txid() const { return m_tx->GetTxid(); }
    const uint256& Wtxid() const { return m_tx->GetWtxid(); }
    /** The fee the transaction pays (inputs minus outputs). */
    Amount GetFee() const { return m_fee; }
    /** The fee plus any prioritisetransaction delta: what policy and mining use. */
    Amount GetModifiedFee() const { return m_fee + m_fee_delta; }
    Amount GetFeeDelta() const { return m_fee_delta; }
    /** Virtual size, sigops-adjusted (policy's GetVirtualTransactionSize). */
    int64_t GetTxSize() const { return m_vsize; }
    int64_t GetTxWeight() const { return m_weight; }
    /** Seconds since the epoch at which it entered (mock time aware). */
    int64_t GetTime() const { return m_time; }
    unsigned GetHeight() const { return m_entry_height; }
    /** The pool's sequence number when it entered (getrawmempool mempool_sequence). */
    uint64_t GetSequence() const { return m_entry_sequence; }
    bool GetSpendsCoinbase() const { return m_spends_coinbase; }
    int64_t GetSigOpCost() const { return m_sigop_cost; }
    const LockPoints& GetLockPoints() const { return m_lock_points; }
    /** Approximate heap bytes used by this entry and its transaction. */
    size_t DynamicMemoryUsage() const { return m_usage; }

    /** Direct in-pool parents and children. */
    const MempoolEntrySet& Parents() const { return m_parents; }
    const MempoolEntrySet& Children() const { return m_children; }

    // Totals including this entry itself.
    uint64_t GetCountWithAncestors() const { return m_count_with_ancestors; }
    int64_t GetSizeWithAncestors() const { return m_size_with_ancestors; }
    Amount GetModFeesWithAncestors() const { return m_mod_fees_with_ancestors; }
    int64_t GetSigOpCostWithAncestors() const { return m_sigops_with_ancestors; }
    uint64_t GetCountWithDescendants() const { return m_count_with_descendants; }
    int64_t GetSizeWithDescendants() const { return m_size_with_descendants; }
    Amount GetModFeesWithDescendants() const { return m_mod_fees_with_descendants; }

    /** Its rank for block assembly with every in-pool ancestor in its package. */
    AncestorScore GetAncestorScore() const
    {
        return {GetModifiedFee(), m_vsize, m_mod_fees_with_ancestors, m_size_with_ancestors, &Txid()};
    }

private:
    friend class TxMemPool;

    TransactionRef m_tx;
    Amount m_fee;
    Amount m_fee_delta{0};
    int64_t m_vsize;
    int64_t m_weight;
    int64_t m_time;
    unsigned m_entry_height;
    uint64_t m_entry_sequence;
    bool m_spends_coinbase;
    int64_t m_sigop_cost;
    LockPoints m_lock_points;
    size_t m_usage;

    MempoolEntrySet m_parents;
    MempoolEntrySet m_children;

    uint64_t m_count_with_ancestors{1};
    int64_t m_size_with_ancestors;
    Amount m_mod_fees_with_ancestors;
    int64_t m_sigops_with_ancestors;
    uint64_t m_count_with_descendants{1};
    int64_t m_size_with_descendants;
    Amount m_mod_fees_with_descendants;
};

// Inline: called a few dozen times for every insertion into the pool.
inline bool MempoolEntryAncestorScoreOrder::operator()(const MempoolEntry* a, const MempoolEntry* b) const
{
    return AncestorScoreBetter(a->GetAncestorScore(), b->GetAncestorScore());
}

} // namespace cairn

#endif
