#include "rpc/methods/mempool_util.h"

#include "mempool/tx_mempool.h"
#include "rpc/context.h"
#include "rpc/protocol.h"
#include "rpc/request.h"
#include "rpc/util.h"
#include "util/args.h"
#include "validation/chainstate_manager.h"

#include <atomic>
#include <mutex>

namespace cairn {

TxMemPool& EnsureMempool(const RpcContext& ctx)
{
    if (!ctx.mempool) throw RpcError(RPC_CLIENT_MEMPOOL_DISABLED, "Mempool disabled or instance not found");
    return *ctx.mempool;
}

FeeRate ParseFeeRateArg(const UniValue& value)
{
    const Amount per_kvb = AmountFromValue(value);
    if (per_kvb >= COIN) {
        throw RpcError(RPC_INVALID_PARAMETER, "Fee rates larger than or equal to 1BTC/kvB are not accepted");
    }
    return FeeRate(per_kvb);
}

bool IsBurnOutput(const TxOut& out)
{
    return out.script_pubkey.IsUnspendable() || !out.script_pubkey.HasValidOps();
}

void ThrowTxSubmitError(TxSubmitError error, const std::string& detail)
{
    int code = RPC_TRANSACTION_ERROR;
    std::string text;
    switch (error) {
    case TxSubmitError::MISSING_INPUTS:
        text = "Inputs missing or spent";
        break;
    case TxSubmitError::ALREADY_IN_UTXO_SET:
        code = RPC_VERIFY_ALREADY_IN_UTXO_SET;
        text = "Transaction outputs already in utxo set";
        break;
    case TxSubmitError::MEMPOOL_REJECTED:
        code = RPC_TRANSACTION_REJECTED;
        text = "Transaction rejected by mempool";
        break;
    case TxSubmitError::MEMPOOL_ERROR:
        text = "Mempool internal error";
        break;
    case TxSubmitError::MAX_FEE_EXCEEDED:
        text = "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)";
        break;
    case TxSubmitError::MAX_BURN_EXCEEDED:
        text = "Unspendable output exceeds maximum configured by user (maxburnamount)";
        break;
    case TxSubmitError::INVALID_PACKAGE:
        text = "Transaction rejected due to invalid package";
        break;
    }
    throw RpcError(code, detail.empty() ? text : detail);
}

void ThrowAcceptError(const TxValidationState& state)
{
    if (state.IsInvalid()) {
        ThrowTxSubmitError(state.GetResult() == TxResult::MISSING_INPUTS ? TxSubmitError::MISSING_INPUTS
                                                                          : TxSubmitError::MEMPOOL_REJECTED,
                           state.ToString());
    }
    ThrowTxSubmitError(TxSubmitError::MEMPOOL_ERROR, state.ToString());
}

void MaybeCheckMempool(const RpcContext& ctx)
{
    if (!ctx.mempool || !ctx.args || !ctx.chainman) return;
    const int64_t ratio =
        ctx.args->GetIntArg("-checkmempool", ctx.chainman->Params().default_consistency_checks ? 1 : 0);
    if (ratio <= 0) return;
    // Core draws a random number; a counter gives the same 1-in-N rate.
    static std::atomic<uint64_t> counter{0};
    if (ratio > 1 && counter.fetch_add(1) % uint64_t(ratio) != 0) return;
    std::lock_guard lock(ctx.mempool->GetMutex());
    ctx.mempool->Check();
}

} // namespace cairn
