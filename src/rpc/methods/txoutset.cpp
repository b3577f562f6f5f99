// RPCs over the UTXO set (help category "blockchain"): gettxout and
// gettxoutsetinfo.
//
// Cairn has no coinstatsindex (yet): gettxoutsetinfo always walks the
// flushed chainstate, so it reports "transactions" and "disk_size" and
// refuses hash_or_height with Core's error for a node without the index.
// gettxout with include_mempool sees the pool as Core's CCoinsViewMemPool
// does: an output spent by a pool transaction is gone, an output of a pool
// transaction is there with 0 confirmations.
#include "mempool/tx_mempool.h"
#include "rpc/context.h"
#include "rpc/methods/mempool_util.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "validation/chainstate_manager.h"
#include "validation/coin_stats.h"

namespace cairn {

namespace {

CoinStatsHashType ParseHashType(const std::string& name)
{
    if (name == "hash_serialized_3") return CoinStatsHashType::HASH_SERIALIZED;
    if (name == "muhash") return CoinStatsHashType::MUHASH;
    if (name == "none") return CoinStatsHashType::NONE;
    throw RpcError(RPC_INVALID_PARAMETER, "'" + name + "' is not a valid hash_type");
}

RpcMethod GetTxOut(RpcContext& ctx)
{
    return RpcMethod{
        "gettxout",
        "Returns details about an unspent transaction output.",
        {
            {"txid", RpcArg::Type::STR, RpcArg::Optional::NO, "The transaction id"},
            {"n", RpcArg::Type::NUM, RpcArg::Optional::NO, "vout number"},
            {"include_mempool", RpcArg::Type::BOOL, RpcArg::Default{true},
             "Whether to include the mempool. Note that an unspent output that is spent in the mempool won't appear."},
        },
        RpcResults{
            RpcResult{"If the UTXO was not found", RpcResult::Type::NONE, "", ""},
            RpcResult{"Otherwise", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::STR_HEX, "bestblock", "The hash of the block at the tip of the chain"},
                          {RpcResult::Type::NUM, "confirmations", "The number of confirmations"},
                          {RpcResult::Type::STR_AMOUNT, "value", "The transaction value in BTC"},
                          {RpcResult::Type::OBJ, "scriptPubKey", "",
                           {
                               {RpcResult::Type::STR, "asm", "Disassembly of the output script"},
                               {RpcResult::Type::STR, "desc", "Inferred descriptor for the output"},
                               {RpcResult::Type::STR_HEX, "hex", "The raw output script bytes, hex-encoded"},
                               {RpcResult::Type::STR, "type", "The type, eg pubkeyhash"},
                               {RpcResult::Type::STR, "address", /*optional=*/true,
                                "The Bitcoin address (only if a well-defined address exists)"},
                           }},
                          {RpcResult::Type::BOOL, "coinbase", "Coinbase or not"},
                      }},
        },
        RpcExamples{"\nGet unspent transactions\n" + HelpExampleCli("listunspent", "") + "\nView the details\n" +
                    HelpExampleCli("gettxout", "\"txid\" 1") + "\nAs a JSON-RPC call\n" +
                    HelpExampleRpc("gettxout", "\"txid\", 1")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const OutPoint outpoint(ParseHashV(args.Get(0), "txid"), args.GetInt<uint32_t>(1));
            const bool include_mempool = args.GetBool(2);

            ChainstateManager& chainman = *ctx.chainman;
            // Chain first, then the pool (the node's lock order).
            std::lock_guard lock(chainman.GetMutex());
            std::optional<Coin> coin;
            bool in_mempool = false;
            if (include_mempool) {
                const TxMemPool& pool = EnsureMempool(ctx);
                std::lock_guard pool_lock(pool.GetMutex());
                if (pool.GetSpender(outpoint)) return UniValue(UniValue::VNULL);
                if (const TransactionRef ptx = pool.GetTx(outpoint.hash)) {
                    // An output of a pool transaction (never falls back to the chain).
                    if (outpoint.n >= ptx->vout.size()) return UniValue(UniValue::VNULL);
                    coin = Coin(ptx->vout[outpoint.n], 0, false);
                    in_mempool = true;
                }
            }
            if (!in_mempool) coin = chainman.Coins().GetCoin(outpoint);
            if (!coin || coin->IsSpent()) return UniValue(UniValue::VNULL);
            const BlockIndex* best = chainman.Tree().Lookup(chainman.Coins().GetBestBlock());
            if (!best) throw RpcError(RPC_INTERNAL_ERROR, "The UTXO set's best block is unknown");

            UniValue ret(UniValue::VOBJ);
            ret.pushKV("bestblock", best->GetBlockHash().GetHex());
            ret.pushKV("confirmations", in_mempool ? int64_t{0} : int64_t(best->height) - int64_t(coin->height) + 1);
            ret.pushKV("value", ValueFromAmount(coin->out.value));
            ret.pushKV("scriptPubKey", ScriptPubKeyToJSON(coin->out.script_pubkey, ctx.chain));
            ret.pushKV("coinbase", coin->IsCoinBase());
            return ret;
        }};
}

RpcMethod GetTxOutSetInfo(RpcContext& ctx)
{
    return RpcMethod{
        "gettxoutsetinfo",
        "Returns statistics about the unspent transaction output set.\n"
        "Note this call may take some time if you are not using coinstatsindex.",
        {
            {"hash_type", RpcArg::Type::STR, RpcArg::Default{"hash_serialized_3"},
             "Which UTXO set hash should be calculated. Options: 'hash_serialized_3' (the legacy algorithm), 'muhash', 'none'."},
            {"hash_or_height", RpcArg::Type::NUM, RpcArg::DefaultHint{"the current best block"},
             "The block hash or height of the target height (only available with coinstatsindex).",
             RpcArgOptions{.skip_type_check = true, .type_str = {"", "string or numeric"}}},
            {"use_index", RpcArg::Type::BOOL, RpcArg::Default{true}, "Use coinstatsindex, if available."},
        },
        RpcResult{
            RpcResult::Type::OBJ, "", "",
            {
                {RpcResult::Type::NUM, "height", "The block height (index) of the returned statistics"},
                {RpcResult::Type::STR_HEX, "bestblock", "The hash of the block at which these statistics are calculated"},
                {RpcResult::Type::NUM, "txouts", "The number of unspent transaction outputs"},
                {RpcResult::Type::NUM, "bogosize", "Database-independent, meaningless metric indicating the UTXO set size"},
                {RpcResult::Type::STR_HEX, "hash_serialized_3", /*optional=*/true,
                 "The serialized hash (only present if 'hash_serialized_3' hash_type is chosen)"},
                {RpcResult::Type::STR_HEX, "muhash", /*optional=*/true,
                 "The serialized hash (only present if 'muhash' hash_type is chosen)"},
                {RpcResult::Type::NUM, "transactions", /*optional=*/true,
                 "The number of transactions with unspent outputs (not available when coinstatsindex is used)"},
                {RpcResult::Type::NUM, "disk_size", /*optional=*/true,
                 "The estimated size of the chainstate on disk (not available when coinstatsindex is used)"},
                {RpcResult::Type::STR_AMOUNT, "total_amount", "The total amount of coins in the UTXO set"},
                {RpcResult::Type::STR_AMOUNT, "total_unspendable_amount", /*optional=*/true,
                 "The total amount of coins permanently excluded from the UTXO set (only available if coinstatsindex is used)"},
                {RpcResult::Type::OBJ, "block_info", /*optional=*/true,
                 "Info on amounts in the block at this block height (only available if coinstatsindex is used)",
                 {
                     {RpcResult::Type::STR_AMOUNT, "prevout_spent", "Total amount of all prevouts spent in this block"},
                     {RpcResult::Type::STR_AMOUNT, "coinbase", "Coinbase subsidy amount of this block"},
                     {RpcResult::Type::STR_AMOUNT, "new_outputs_ex_coinbase", "Total amount of new outputs created by this block"},
                     {RpcResult::Type::STR_AMOUNT, "unspendable", "Total amount of unspendable outputs created in this block"},
                     {RpcResult::Type::OBJ, "unspendables", "Detailed view of the unspendable categories",
                      {
                          {RpcResult::Type::STR_AMOUNT, "genesis_block", "The unspendable amount of the Genesis block subsidy"},
                          {RpcResult::Type::STR_AMOUNT, "bip30", "Transactions overridden by duplicates (no longer possible with BIP30)"},
                          {RpcResult::Type::STR_AMOUNT, "scripts", "Amounts sent to scripts that are unspendable (for example OP_RETURN outputs)"},
                          {RpcResult::Type::STR_AMOUNT, "unclaimed_rewards", "Fee rewards that miners did not claim in their coinbase transaction"},
                      }},
                 }},
            }},
        RpcExamples{HelpExampleCli("gettxoutsetinfo", "") + HelpExampleCli("gettxoutsetinfo", R"("none")") +
                    HelpExampleCli("gettxoutsetinfo", R"("none" 1000)") +
                    HelpExampleCli("gettxoutsetinfo",
                                   R"("none" '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"')") +
                    HelpExampleCli("-named gettxoutsetinfo", R"(hash_type='muhash' use_index='false')") +
                    HelpExampleRpc("gettxoutsetinfo", "") + HelpExampleRpc("gettxoutsetinfo", R"("none")") +
                    HelpExampleRpc("gettxoutsetinfo", R"("none", 1000)") +
                    HelpExampleRpc("gettxoutsetinfo",
                                   R"("none", "00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09")")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const CoinStatsHashType hash_type = ParseHashType(args.GetStr(0));
            (void)args.GetBool(2); // use_index: there is no index to use
            if (args.Has(1)) {
                throw RpcError(RPC_INVALID_PARAMETER, "Querying specific block heights requires coinstatsindex");
            }

            ChainstateManager& chainman = *ctx.chainman;
            // The statistics are those of the database: write the cache out first.
            BlockValidationState state;
            if (!chainman.FlushStateToDisk(FlushMode::ALWAYS, state)) {
                throw RpcError(RPC_INTERNAL_ERROR, "Unable to read UTXO set");
            }
            // Open the cursor and read the best block together; the walk then
            // runs on the cursor's snapshot without holding up validation.
            std::unique_ptr<CoinsDB::Cursor> cursor;
            uint256 best_block;
            int height = 0;
            CoinsDB* db;
            {
                std::lock_guard lock(chainman.GetMutex());
                db = &chainman.CoinsDatabase();
                best_block = db->GetBestBlock();
                cursor = db->NewCursor();
                const BlockIndex* best = chainman.Tree().Lookup(best_block);
                if (!best) throw RpcError(RPC_INTERNAL_ERROR, "Unable to read UTXO set");
                height = best->height;
            }
            bool interrupted = false;
            const auto stats = ComputeCoinsStats(*cursor, best_block, hash_type, [&] {
                interrupted = ctx.shutdown_requested && ctx.shutdown_requested();
                return interrupted;
            });
            if (interrupted) throw RpcError(RPC_CLIENT_NOT_CONNECTED, "Shutting down");
            if (!stats) throw RpcError(RPC_INTERNAL_ERROR, "Unable to read UTXO set");

            UniValue ret(UniValue::VOBJ);
            ret.pushKV("height", height);
            ret.pushKV("bestblock", stats->best_block.GetHex());
            ret.pushKV("txouts", stats->txouts);
            ret.pushKV("bogosize", stats->bogosize);
            if (hash_type == CoinStatsHashType::HASH_SERIALIZED) ret.pushKV("hash_serialized_3", stats->hash->GetHex());
            if (hash_type == CoinStatsHashType::MUHASH) ret.pushKV("muhash", stats->hash->GetHex());
            ret.pushKV("total_amount", ValueFromAmount(stats->total_amount));
            ret.pushKV("transactions", stats->transactions);
            ret.pushKV("disk_size", db->EstimateSize());
            return ret;
        }};
}

} // namespace

void RegisterTxOutSetRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("blockchain", GetTxOut(ctx));
    table.Register("blockchain", GetTxOutSetInfo(ctx));
}

} // namespace cairn
