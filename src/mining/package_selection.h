// Choosing the pool's transactions for a block: Bitcoin Core's ancestor-
// feerate package selection (BlockAssembler::addPackageTxs).
//
// Each candidate is a transaction together with its in-pool ancestors not
// yet in the block (its "package"), scored by the lower of its own and its
// package's modified fee rate (fees plus prioritisetransaction deltas). The
// best package that fits the weight and sigop budget goes in, parents
// first (by ancestor count). A transaction whose ancestors went in earlier
// is re-scored on what remains of its package (the "modified" entries), so
// a high-fee child lifts its low-fee parent (CPFP). Selection stops at the
// first package below -blockmintxfee (all later ones pay less), or when the
// block is nearly full and the last 1000 candidates did not fit. Candidates
// come from the top of the pool's ancestor-score index (as Core's mapTx
// ancestor_score), so a template costs what it takes from the pool, not
// the pool's size.
#ifndef CAIRN_MINING_PACKAGE_SELECTION_H
#define CAIRN_MINING_PACKAGE_SELECTION_H

#include "mining/assembler_options.h"
#include "mining/block_assembler.h"
#include "primitives/amount.h"

#include <cstdint>
#include <vector>

namespace cairn {

class TxMemPool;

/** Give up after this many packages in a row did not fit ... */
inline constexpr int64_t MAX_CONSECUTIVE_FAILURES{1000};
/** ... once the block is within this much weight of its limit. */
inline constexpr int64_t BLOCK_FULL_ENOUGH_WEIGHT_DELTA{4000};

struct PackageSelection {
    /** The chosen transactions in block order, with their (unmodified) fees and sigop costs. */
    std::vector<TemplateTx> txs;
    /** The reserved weight plus the chosen transactions' weight. */
    int64_t block_weight{0};
    /** The coinbase's sigop budget plus the chosen transactions' sigop cost. */
    int64_t block_sigops_cost{0};
    /** What the chosen transactions pay (without prioritisation deltas). */
    Amount fees{0};
    int packages_selected{0};
    /** Times an entry was re-scored because an ancestor went in. */
    int descendants_updated{0};
};

/**
 * The pool's best transactions for a block at `height` whose parent has
 * median time past `lock_time_cutoff` (transactions not final there are
 * skipped). `options` should be clamped (ClampOptions). The caller holds
 * pool.GetMutex() (and, before it, the chain's lock if the pool must stay in
 * step with the tip).
 */
PackageSelection SelectPackages(const TxMemPool& pool, int height, int64_t lock_time_cutoff,
                                const BlockAssemblerOptions& options);

} // namespace cairn

#endif
