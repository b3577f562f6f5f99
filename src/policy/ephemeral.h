// Ephemeral dust (Bitcoin Core 30's policy/ephemeral_policy.h): a
// transaction may carry one dust output (IsStandardTx allows
// MAX_DUST_OUTPUTS_PER_TX) if it pays no fee itself and a child in the same
// package spends the dust, so that the dust never reaches the UTXO set and
// nobody is paid to mine the parent alone.
//
// The checks are pure: the mempool supplies, through DustLookup, the dust
// of any parent that is not in the package (i.e. already in the pool).
#ifndef CAIRN_POLICY_EPHEMERAL_H
#define CAIRN_POLICY_EPHEMERAL_H

#include "consensus/validation_state.h"
#include "policy/feerate.h"
#include "policy/packages.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace cairn {

/** Before anything else about fees: a transaction with a dust output must
 *  pay nothing, neither base fee nor modified fee (prioritisetransaction
 *  included). Otherwise Invalid(NOT_STANDARD, "dust",
 *  "tx with dust output must be 0-fee"). */
bool PreCheckEphemeralTx(const Transaction& tx, FeeRate dust_relay_rate, Amount base_fee, Amount mod_fee,
                         TxValidationState& state);

/** The dust output indices (GetDust at the caller's dust rate) of the
 *  in-mempool transaction `txid`; nullopt when it is not in the mempool.
 *  Called only for parents that are not in the package itself. */
using DustLookup = std::function<std::optional<std::vector<uint32_t>>(const uint256& txid)>;

/** Index in `package` of the first transaction that leaves dust of one of
 *  its parents (in the package, else found by `mempool_dust`) unspent;
 *  nullopt when every child spends all its parents' dust. Parents found in
 *  neither place (confirmed) have no ephemeral dust to spend. */
std::optional<size_t> FindUnspentEphemeralDust(const Package& package, FeeRate dust_relay_rate,
                                               const DustLookup& mempool_dust);

/** Core's CheckEphemeralSpends over FindUnspentEphemeralDust: on failure
 *  sets out_child_state Invalid(MEMPOOL_POLICY, "missing-ephemeral-spends",
 *  "tx <txid> (wtxid=<wtxid>) did not spend parent's ephemeral dust"),
 *  out_child_wtxid to that child's wtxid, and returns false. A single
 *  transaction (its parents in the mempool) is a package of one. */
bool CheckEphemeralSpends(const Package& package, FeeRate dust_relay_rate, const DustLookup& mempool_dust,
                          TxValidationState& out_child_state, uint256& out_child_wtxid);

} // namespace cairn

#endif
