// TRUC (topologically restricted until confirmation, BIP 431): the rules
// for version-3 transactions, as Bitcoin Core 30's policy/truc_policy. A
// TRUC transaction is small, has at most one unconfirmed parent and at most
// one unconfirmed child, and TRUC and non-TRUC transactions never spend each
// other while unconfirmed. This keeps replacement cheap to reason about
// (no pinning through large descendants) and makes sibling eviction possible.
//
// The checks read the pool's entries: call them with the pool's lock held.
#ifndef CAIRN_MEMPOOL_TRUC_H
#define CAIRN_MEMPOOL_TRUC_H

#include "consensus/consensus.h"
#include "mempool/mempool_entry.h"
#include "policy/packages.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace cairn {

/** The nVersion that opts a transaction into these rules. */
inline constexpr uint32_t TRUC_VERSION{3};
/** In-mempool ancestors, the transaction included. */
inline constexpr unsigned int TRUC_ANCESTOR_LIMIT{2};
/** In-mempool descendants, the transaction included. */
inline constexpr unsigned int TRUC_DESCENDANT_LIMIT{2};
/** Largest TRUC transaction, in virtual bytes (sigop-adjusted). */
inline constexpr int64_t TRUC_MAX_VSIZE{10000};
inline constexpr int64_t TRUC_MAX_WEIGHT{TRUC_MAX_VSIZE * WITNESS_SCALE_FACTOR};
/** Largest TRUC transaction with an unconfirmed parent. */
inline constexpr int64_t TRUC_CHILD_MAX_VSIZE{1000};
inline constexpr int64_t TRUC_CHILD_MAX_WEIGHT{TRUC_CHILD_MAX_VSIZE * WITNESS_SCALE_FACTOR};
static_assert(TRUC_CHILD_MAX_VSIZE <= TRUC_MAX_VSIZE);

/** The rules for one transaction entering on its own. `ancestors` are its
 *  in-pool ancestors, `direct_conflicts` the txids it replaces, `vsize` its
 *  virtual size. Returns nullopt if the rules hold; otherwise Core's message
 *  and, when the only problem is that the parent already has another child
 *  which may be evicted instead (sibling eviction), that child. */
std::optional<std::pair<std::string, TransactionRef>> SingleTRUCChecks(const TransactionRef& tx,
                                                                        const MempoolEntrySet& ancestors,
                                                                        const std::set<uint256>& direct_conflicts,
                                                                        int64_t vsize);

/** The rules for a transaction of a package (sorted, parents first), its
 *  in-package parents counted with its in-pool `ancestors`. No sibling
 *  eviction in packages. Returns Core's message on a violation. */
std::optional<std::string> PackageTRUCChecks(const TransactionRef& tx, int64_t vsize, const Package& package,
                                             const MempoolEntrySet& ancestors);

} // namespace cairn

#endif
