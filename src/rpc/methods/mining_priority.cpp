// Fee deltas for block assembly: prioritisetransaction and
// getprioritisedtransactions (help category "mining"). A delta changes the
// fee that mining and the pool's policy see (the "modified" fee); nothing
// is paid. Deltas may be set before the transaction arrives, and are kept
// until it is mined. Amounts are satoshis, as in BIP 22.
#include "mempool/tx_mempool.h"
#include "policy/policy.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "validation/chainstate_manager.h"

#include <mutex>

namespace cairn {

namespace {

TxMemPool& RequirePool(const RpcContext& ctx)
{
    if (!ctx.mempool) throw RpcError(RPC_CLIENT_MEMPOOL_DISABLED, "Mempool disabled or instance not found");
    return *ctx.mempool;
}

RpcMethod PrioritiseTransaction(RpcContext& ctx)
{
    return RpcMethod{
        "prioritisetransaction",
        "Accepts the transaction into mined blocks at a higher (or lower) priority\n",
        {
            {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id."},
            {"dummy", RpcArg::Type::NUM, RpcArg::Optional::OMITTED,
             "API-Compatibility for previous API. Must be zero or null.\n"
             "                  DEPRECATED. For forward compatibility use named arguments and omit this parameter."},
            {"fee_delta", RpcArg::Type::NUM, RpcArg::Optional::NO,
             "The fee value (in satoshis) to add (or subtract, if negative).\n"
             "                  Note, that this value is not a fee rate. It is a value to modify absolute fee of the TX.\n"
             "                  The fee is not actually paid, only the algorithm for selecting transactions into a block\n"
             "                  considers the transaction as it would have paid a higher (or lower) fee."},
        },
        RpcResult{RpcResult::Type::BOOL, "", "Returns true"},
        RpcExamples{HelpExampleCli("prioritisetransaction", "\"txid\" 0.0 10000") +
                    HelpExampleRpc("prioritisetransaction", "\"txid\", 0.0, 10000")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const uint256 txid = ParseHashV(args.Get(0), "txid");
            const Amount delta = args.GetInt<int64_t>(2);
            if (const UniValue* dummy = args.Maybe(1); dummy && dummy->get_real() != 0) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.");
            }
            TxMemPool& pool = RequirePool(ctx);
            // As Core, under the chain's lock: no block is being connected meanwhile.
            std::lock_guard chain_lock(ctx.chainman->GetMutex());
            std::lock_guard pool_lock(pool.GetMutex());
            // A dust output must be spent in the same package and its parent
            // pay no fee (ephemeral dust); a delta would undo that.
            const TransactionRef tx = pool.GetTx(txid);
            if (pool.Options().require_standard && tx &&
                !GetDust(*tx, pool.Options().dust_relay_feerate).empty()) {
                throw RpcError(RPC_INVALID_PARAMETER, "Priority is not supported for transactions with dust outputs.");
            }
            pool.PrioritiseTransaction(txid, delta);
            return true;
        }};
}

RpcMethod GetPrioritisedTransactions(RpcContext& ctx)
{
    return RpcMethod{
        "getprioritisedtransactions",
        "Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and whether the tx is "
        "present in mempool.",
        {},
        RpcResult{RpcResult::Type::OBJ_DYN, "", "prioritisation keyed by txid",
                  {
                      {RpcResult::Type::OBJ, "<transactionid>", "",
                       {
                           {RpcResult::Type::NUM, "fee_delta", "transaction fee delta in satoshis"},
                           {RpcResult::Type::BOOL, "in_mempool", "whether this transaction is currently in mempool"},
                           {RpcResult::Type::NUM, "modified_fee", /*optional=*/true,
                            "modified fee in satoshis. Only returned if in_mempool=true"},
                       }},
                  }},
        RpcExamples{HelpExampleCli("getprioritisedtransactions", "") +
                    HelpExampleRpc("getprioritisedtransactions", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            TxMemPool& pool = RequirePool(ctx);
            std::lock_guard lock(pool.GetMutex());
            UniValue result(UniValue::VOBJ);
            for (const auto& [txid, delta] : pool.GetDeltas()) {
                UniValue item(UniValue::VOBJ);
                item.pushKV("fee_delta", delta);
                const MempoolEntry* entry = pool.Get(txid);
                item.pushKV("in_mempool", entry != nullptr);
                if (entry) item.pushKV("modified_fee", entry->GetModifiedFee());
                result.pushKV(txid.GetHex(), std::move(item));
            }
            return result;
        }};
}

} // namespace

void RegisterMiningPriorityRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("mining", PrioritiseTransaction(ctx));
    table.Register("mining", GetPrioritisedTransactions(ctx));
}

} // namespace cairn
