// One transaction in the pool with what the pool knows about it: its fee,
// size, when and at which height it entered, and running totals over its
// in-pool ancestors and descendants (what eviction and mining sort by).
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

/** Fields that the pool maintains are written only by TxMemPool; everyone
 *  else sees entries through const pointers valid while the pool's lock is
 *  held and the entry is in the pool. */
class MempoolEntry
{
public:
    MempoolEntry(TransactionRef tx, Amount fee, int64_t time, unsigned entry_height, uint64_t entry_sequence,
                 bool spends_coinbase, int64_t sigop_cost, LockPoints lp, int64_t vsize);

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

} // namespace cairn

#endif
