// Replace-by-fee (Bitcoin Core 30's policy/rbf.h): the parts of the
// replacement rules that are arithmetic over plain data. The mempool
// gathers the numbers (conflicts, their descendants and fees) and calls
// these; each returns nullopt when the rule holds, else Core's debug
// message. The reject reason the mempool pairs it with is noted per rule.
#ifndef CAIRN_POLICY_RBF_H
#define CAIRN_POLICY_RBF_H

#include "policy/feerate.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>

namespace cairn {

/** Most mempool transactions (direct conflicts and their descendants) one
 *  replacement may evict. */
inline constexpr uint32_t MAX_REPLACEMENT_CANDIDATES{100};

/** Rule 5 (reason "too many potential replacements"). `counts` holds, per
 *  direct conflict, its count with descendants; their running sum may not
 *  exceed MAX_REPLACEMENT_CANDIDATES (a shared descendant is counted twice:
 *  deliberately conservative). Message:
 *  "rejecting replacement <txid>; too many potential replacements (N > 100)". */
std::optional<std::string> CheckReplacementCandidates(std::span<const uint64_t> counts, const uint256& txid);

/** Rule 2 (reason "replacement-adds-unconfirmed"): every input of `tx` that
 *  does not spend a parent of a conflict must be confirmed; `in_mempool`
 *  says whether a txid is in the pool. Message:
 *  "replacement <txid> adds unconfirmed input, idx <i>". */
std::optional<std::string> HasNoNewUnconfirmed(const Transaction& tx, const std::set<uint256>& parents_of_conflicts,
                                               const std::function<bool(const uint256&)>& in_mempool);

/** A replacement may not spend what it replaces (reason
 *  "bad-txns-spends-conflicting-tx"): none of its in-mempool ancestors may
 *  be a direct conflict. Message: "<txid> spends conflicting transaction <ancestor>". */
std::optional<std::string> EntriesAndTxidsDisjoint(std::span<const uint256> ancestor_txids,
                                                   const std::set<uint256>& direct_conflicts, const uint256& txid);

/** Rule 6 (reason "insufficient fee"): the replacement's feerate must be
 *  higher than that of each direct conflict (modified fee over vsize).
 *  Message: "rejecting replacement <txid>; new feerate <r> <= old feerate <o>"
 *  with rates printed as FeeRate::ToString (BTC/kvB). */
std::optional<std::string> PaysMoreThanConflicts(std::span<const FeeRate> conflict_feerates,
                                                 FeeRate replacement_feerate, const uint256& txid);

/** Rules 3 and 4 (reason "insufficient fee"): the replacement pays at least
 *  the fees of everything it evicts (`original_fees`), and on top of that
 *  at least `relay_fee` (the incremental relay fee) for its own vsize.
 *  Messages, amounts as FormatMoney:
 *  "rejecting replacement <txid>, less fees than conflicting txs; <new> < <old>"
 *  "rejecting replacement <txid>, not enough additional fees to relay; <extra> < <needed>" */
std::optional<std::string> PaysForRBF(Amount original_fees, Amount replacement_fees, int64_t replacement_vsize,
                                      FeeRate relay_fee, const uint256& txid);

} // namespace cairn

#endif
