// Replacement checks that need the pool (Bitcoin Core 30's policy/rbf.cpp
// halves that read the mempool): they gather the conflicts, their
// descendants, parents and fees from the pool's entries and apply the
// arithmetic rules of policy/rbf.h. Also the feerate-diagram comparison
// that package RBF uses. Each returns nullopt when the rule holds, else
// Core's debug message. Call with the pool's lock held.
#ifndef CAIRN_MEMPOOL_RBF_H
#define CAIRN_MEMPOOL_RBF_H

#include "mempool/mempool_entry.h"
#include "policy/feerate.h"
#include "policy/rbf.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <compare>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

class TxMemPool;

/** Rule 5: the direct conflicts and all their descendants (into
 *  `all_conflicts`), unless that would evict more than
 *  MAX_REPLACEMENT_CANDIDATES ("too many potential replacements"). */
std::optional<std::string> GetEntriesForConflicts(const Transaction& tx, const TxMemPool& pool,
                                                  const MempoolEntrySet& direct_conflicts,
                                                  MempoolEntrySet& all_conflicts);

/** Rule 2: no input of `tx` spends an in-pool transaction unless some
 *  entry of `conflicts` spent an output of that same transaction
 *  ("replacement-adds-unconfirmed"). */
std::optional<std::string> HasNoNewUnconfirmed(const Transaction& tx, const TxMemPool& pool,
                                               const MempoolEntrySet& conflicts);

/** No in-pool ancestor of the replacement is one of the transactions it
 *  directly conflicts with ("bad-txns-spends-conflicting-tx"). */
std::optional<std::string> EntriesAndTxidsDisjoint(const MempoolEntrySet& ancestors,
                                                   const std::set<uint256>& direct_conflicts, const uint256& txid);

/** Rule 6: the replacement's feerate beats each direct conflict's own
 *  (modified fee over vsize) ("insufficient fee"). */
std::optional<std::string> PaysMoreThanConflicts(const MempoolEntrySet& direct_conflicts,
                                                 FeeRate replacement_feerate, const uint256& txid);

// ---- feerate diagrams (package RBF) ----

/** A fee and a size: one chunk of a linearization, or a point of a diagram. */
struct FeeFrac {
    int64_t fee{0};
    int64_t size{0};
    FeeFrac() = default;
    FeeFrac(int64_t f, int64_t s) : fee(f), size(s) {}
    FeeFrac& operator+=(const FeeFrac& o)
    {
        fee += o.fee;
        size += o.size;
        return *this;
    }
    friend FeeFrac operator-(const FeeFrac& a, const FeeFrac& b) { return {a.fee - b.fee, a.size - b.size}; }
};

/** Compares the feerates fee/size exactly (cross-multiplied); sizes must be positive. */
std::strong_ordering CompareFeerate(const FeeFrac& a, const FeeFrac& b);

/** Compares the diagrams (cumulative size against cumulative fee) of two
 *  chunk lists, each sorted by decreasing feerate, the shorter one extended
 *  horizontally: greater when `a` is nowhere below `b` and above somewhere,
 *  equivalent when equal, unordered when each is above the other somewhere. */
std::partial_ordering CompareChunks(const std::vector<FeeFrac>& a, const std::vector<FeeFrac>& b);

/** Core's CheckConflictTopology: package RBF only handles conflicts in
 *  clusters of at most two transactions (a lone transaction, or a parent
 *  with its only child). */
std::optional<std::string> CheckConflictTopology(const MempoolEntrySet& conflicts);

enum class DiagramCheckError {
    UNCALCULABLE, //!< the conflicts' clusters are too complex to compare
    FAILURE,      //!< the replacement does not improve the diagram
};

/** The replacement (`replacement` = total modified fee and vsize of the new
 *  transactions) must strictly improve the pool's feerate diagram compared
 *  with the entries it evicts (`to_remove`, all conflicts with
 *  descendants). Message on failure: "insufficient feerate: does not
 *  improve feerate diagram", or the topology error. */
std::optional<std::pair<DiagramCheckError, std::string>> ImprovesFeerateDiagram(const MempoolEntrySet& to_remove,
                                                                                const FeeFrac& replacement);

} // namespace cairn

#endif
