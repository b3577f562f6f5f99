// Transaction rules that need context: the spent coins, the height and
// time of the block, and the chain for relative lock times. Pure functions:
// the caller looks the coins up and passes them in.
#ifndef CAIRN_CONSENSUS_TX_VERIFY_H
#define CAIRN_CONSENSUS_TX_VERIFY_H

#include "consensus/block_index.h"
#include "consensus/validation_state.h"
#include "primitives/coin.h"
#include "primitives/transaction.h"

#include <span>
#include <utility>
#include <vector>

namespace cairn {

/** nLockTime is satisfied at this height and time (or every input is final). */
bool IsFinalTx(const Transaction& tx, int block_height, int64_t block_time);

/** BIP 68: the minimum height and median time past (each -1 for none)
 *  after which the transaction may be included, given the heights of the
 *  blocks that created its inputs. `prev_heights` is updated: inputs that
 *  opt out get 0. `block` is the block the transaction would be in. */
std::pair<int, int64_t> CalculateSequenceLocks(const Transaction& tx, unsigned int flags,
                                               std::vector<int>& prev_heights, const BlockIndex& block);
/** True if `block` satisfies the locks (it must have a parent). */
bool EvaluateSequenceLocks(const BlockIndex& block, std::pair<int, int64_t> lock);
bool SequenceLocks(const Transaction& tx, unsigned int flags, std::vector<int>& prev_heights,
                   const BlockIndex& block);

/** Checks the amounts and maturity of the spent coins (one per input, in
 *  input order; null for a coin that is missing or spent) and computes the
 *  fee. Reasons are Bitcoin Core's: bad-txns-inputs-missingorspent,
 *  bad-txns-premature-spend-of-coinbase, bad-txns-inputvalues-outofrange,
 *  bad-txns-in-belowout, bad-txns-fee-outofrange. */
bool CheckTxInputs(const Transaction& tx, TxValidationState& state, std::span<const Coin* const> coins,
                   int spend_height, Amount& fee);

} // namespace cairn

#endif
