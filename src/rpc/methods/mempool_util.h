// What the mempool RPCs (mempool.cpp, rawtransaction_submit.cpp) share:
// finding the pool, Bitcoin Core's fee-rate and burn-amount arguments, its
// mapping of acceptance failures to RPC errors, and the -checkmempool hook.
#ifndef CAIRN_RPC_METHODS_MEMPOOL_UTIL_H
#define CAIRN_RPC_METHODS_MEMPOOL_UTIL_H

#include "consensus/validation_state.h"
#include "policy/feerate.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"

#include <univalue.h>

#include <string>

namespace cairn {

struct RpcContext;
class TxMemPool;

/** sendrawtransaction / testmempoolaccept / submitpackage "maxfeerate"
 *  default (Core's DEFAULT_MAX_RAW_TX_FEE_RATE: 0.10 BTC/kvB). */
inline constexpr Amount DEFAULT_MAX_RAW_TX_FEE_RATE_PER_KVB{COIN / 10};
/** "maxburnamount" default (Core's DEFAULT_MAX_BURN_AMOUNT). */
inline constexpr Amount DEFAULT_MAX_BURN_AMOUNT{0};

/** The pool, or RPC_CLIENT_MEMPOOL_DISABLED "Mempool disabled or instance not found". */
TxMemPool& EnsureMempool(const RpcContext& ctx);

/** Core's ParseFeeRate: an amount per kvB; RPC_INVALID_PARAMETER "Fee rates
 *  larger than or equal to 1BTC/kvB are not accepted" at 1 BTC or more. */
FeeRate ParseFeeRateArg(const UniValue& value);

/** Whether an output burns coins for maxburnamount: provably unspendable
 *  (OP_RETURN or oversized) or with an invalid opcode. */
bool IsBurnOutput(const TxOut& out);

/** Core's TransactionError kinds, for the submission RPCs' errors. */
enum class TxSubmitError {
    MISSING_INPUTS,
    ALREADY_IN_UTXO_SET,
    MEMPOOL_REJECTED,
    MEMPOOL_ERROR,
    MAX_FEE_EXCEEDED,
    MAX_BURN_EXCEEDED,
    INVALID_PACKAGE,
};

/** Core's JSONRPCTransactionError: `detail` (when not empty) or the kind's
 *  standard text, with -26 for MEMPOOL_REJECTED, -27 for
 *  ALREADY_IN_UTXO_SET and -25 for the rest. Never returns. */
[[noreturn]] void ThrowTxSubmitError(TxSubmitError error, const std::string& detail = {});

/** Core's HandleATMPError for a failed acceptance: MISSING_INPUTS (-25) for
 *  missing or spent inputs, MEMPOOL_REJECTED (-26) for other invalidity,
 *  MEMPOOL_ERROR (-25) for internal errors; the message is state.ToString(). */
[[noreturn]] void ThrowAcceptError(const TxValidationState& state);

/** -checkmempool: checks the pool's consistency with Core's probability of
 *  1/N (N = -checkmempool, default 1 on regtest, else 0 = never). */
void MaybeCheckMempool(const RpcContext& ctx);

} // namespace cairn

#endif
