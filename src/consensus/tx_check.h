// Context-free transaction checks (no chain, no coins).
#ifndef CAIRN_CONSENSUS_TX_CHECK_H
#define CAIRN_CONSENSUS_TX_CHECK_H

#include "consensus/validation_state.h"
#include "primitives/transaction.h"

namespace cairn {

/** BIP 141 weight: stripped size counts four times, witness bytes once. */
int64_t GetTransactionWeight(const Transaction& tx);

/** The checks every transaction must pass regardless of context: non-empty
 *  inputs and outputs, size, output amounts, duplicate inputs, coinbase
 *  script length, null prevouts. Reasons are Bitcoin Core's tokens. */
bool CheckTransaction(const Transaction& tx, TxValidationState& state);

} // namespace cairn

#endif
