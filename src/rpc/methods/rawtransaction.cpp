// Raw transaction lookup and decoding (help category "rawtransactions").
#include "consensus/script/taproot.h"
#include "crypto/hash.h"
#include "mempool/tx_mempool.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "script/address.h"
#include "script/destination.h"
#include "script/infer_descriptor.h"
#include "script/solver.h"
#include "validation/chainstate_manager.h"

namespace cairn {

namespace {

/** A transaction and the block it was found in. */
struct FoundTx {
    TransactionRef tx;
    const BlockIndex* block{nullptr};
};

/** getrawtransaction's verbose result: the transaction, then where it is
 *  (Core's TxToJSON in rpc/rawtransaction.cpp). */
void PushBlockContext(UniValue& entry, const ChainstateManager& chainman, const BlockIndex* block)
{
    if (!block) return;
    entry.pushKV("blockhash", block->GetBlockHash().GetHex());
    std::lock_guard lock(chainman.GetMutex());
    const Chain& active = chainman.ActiveChain();
    if (active.Contains(block)) {
        entry.pushKV("confirmations", 1 + active.Height() - block->height);
        entry.pushKV("time", block->GetBlockTime());
        entry.pushKV("blocktime", block->GetBlockTime());
    } else {
        entry.pushKV("confirmations", 0);
    }
}

RpcMethod GetRawTransaction(RpcContext& ctx)
{
    ChainstateManager& chainman = *ctx.chainman;
    const ChainType chain = ctx.chain;
    std::vector<RpcResult> verbose_fields{
        {RpcResult::Type::BOOL, "in_active_chain", /*optional=*/true,
         "Whether specified block is in the active chain or not (only present with explicit \"blockhash\" argument)"},
        {RpcResult::Type::STR_HEX, "blockhash", /*optional=*/true, "the block hash"},
        {RpcResult::Type::NUM, "confirmations", /*optional=*/true, "The confirmations"},
        {RpcResult::Type::NUM_TIME, "blocktime", /*optional=*/true, "The block time expressed in UNIX epoch time"},
        {RpcResult::Type::NUM, "time", /*optional=*/true, "Same as \"blocktime\""},
        {RpcResult::Type::STR_HEX, "hex", "The serialized, hex-encoded data for 'txid'"},
    };
    for (RpcResult& r : DecodeTxDoc("The transaction id (same as provided)")) verbose_fields.push_back(std::move(r));

    return RpcMethod{
        "getrawtransaction",
        "By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled\n"
        "and no blockhash argument is passed, it will return the transaction if it is in the mempool or any block.\n"
        "If a blockhash argument is passed, it will return the transaction if\n"
        "the specified block is available and the transaction is in that block.\n\n"
        "Hint: Use gettransaction for wallet transactions.\n\n"
        "If verbosity is 0 or omitted, returns the serialized transaction as a hex-encoded string.\n"
        "If verbosity is 1, returns a JSON Object with information about the transaction.\n"
        "If verbosity is 2, returns a JSON Object with information about the transaction, including fee and prevout information.",
        {
            {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id"},
            {"verbosity|verbose", RpcArg::Type::NUM, RpcArg::Default{0},
             "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout",
             RpcArgOptions{.skip_type_check = true}},
            {"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, "The block in which to look for the transaction"},
        },
        RpcResults{
            RpcResult{"if verbosity is not set or set to 0", RpcResult::Type::STR, "data",
                      "The serialized transaction as a hex-encoded string for 'txid'"},
            RpcResult{"if verbosity is set to 1", RpcResult::Type::OBJ, "", "", verbose_fields},
            RpcResult{"for verbosity = 2", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::ELISION, "", "Same output as verbosity = 1"},
                          {RpcResult::Type::NUM, "fee", /*optional=*/true, "transaction fee in BTC, omitted if block undo data is not available"},
                          {RpcResult::Type::ARR, "vin", "",
                           {
                               {RpcResult::Type::OBJ, "", "utxo being spent",
                                {
                                    {RpcResult::Type::ELISION, "", "Same output as verbosity = 1"},
                                    {RpcResult::Type::OBJ, "prevout", /*optional=*/true, "The previous output, omitted if block undo data is not available",
                                     {
                                         {RpcResult::Type::BOOL, "generated", "Coinbase or not"},
                                         {RpcResult::Type::NUM, "height", "The height of the prevout"},
                                         {RpcResult::Type::STR_AMOUNT, "value", "The value in BTC"},
                                         {RpcResult::Type::OBJ, "scriptPubKey", "", ScriptPubKeyDoc()},
                                     }},
                                }},
                           }},
                      }},
        },
        RpcExamples{HelpExampleCli("getrawtransaction", "\"mytxid\"") + HelpExampleCli("getrawtransaction", "\"mytxid\" 1") +
                    HelpExampleRpc("getrawtransaction", "\"mytxid\", 1") +
                    HelpExampleCli("getrawtransaction", "\"mytxid\" 0 \"myblockhash\"") +
                    HelpExampleCli("getrawtransaction", "\"mytxid\" 1 \"myblockhash\"") +
                    HelpExampleCli("getrawtransaction", "\"mytxid\" 2 \"myblockhash\"")},
        [&ctx, &chainman, chain](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const uint256 txid = ParseHashV(args.Get(0), "parameter 1");
            if (txid == chainman.Params().GenesisBlock().merkle_root) {
                // Its output was never added to the UTXO set: not an ordinary transaction.
                throw RpcError(RPC_INVALID_ADDRESS_OR_KEY,
                               "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved");
            }
            const int verbosity = ParseVerbosity(args.Get(1), /*default_verbosity=*/0, /*allow_bool=*/true);

            const BlockIndex* block_index = nullptr;
            if (args.Has(2)) {
                const uint256 block_hash = ParseHashV(args.Get(2), "parameter 3");
                std::lock_guard lock(chainman.GetMutex());
                block_index = chainman.Tree().Lookup(block_hash);
                if (!block_index) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block hash not found");
            }

            // Without a block there is only the mempool and a transaction
            // index (not built), as in Core without -txindex.
            FoundTx found;
            std::optional<Block> block;
            if (!block_index && ctx.mempool) {
                std::lock_guard lock(ctx.mempool->GetMutex());
                found.tx = ctx.mempool->GetTx(txid);
            }
            if (block_index) {
                try {
                    block = chainman.ReadBlock(*block_index);
                } catch (const std::exception&) {
                    block.reset();
                }
                if (block) {
                    for (const TransactionRef& tx : block->vtx) {
                        if (tx->GetTxid() == txid) {
                            found = {tx, block_index};
                            break;
                        }
                    }
                }
            }
            if (!found.tx) {
                if (block_index) {
                    bool have_data;
                    {
                        std::lock_guard lock(chainman.GetMutex());
                        have_data = block_index->status & BLOCK_HAVE_DATA;
                    }
                    if (!have_data) throw RpcError(RPC_MISC_ERROR, "Block not available");
                    throw RpcError(RPC_INVALID_ADDRESS_OR_KEY,
                                   "No such transaction found in the provided block. Use gettransaction for wallet transactions.");
                }
                throw RpcError(RPC_INVALID_ADDRESS_OR_KEY,
                               "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain "
                               "transaction queries. Use gettransaction for wallet transactions.");
            }

            if (verbosity <= 0) return EncodeHexTx(*found.tx);

            UniValue result(UniValue::VOBJ);
            if (block_index) {
                std::lock_guard lock(chainman.GetMutex());
                result.pushKV("in_active_chain", chainman.ActiveChain().Contains(block_index));
            }

            TxJsonOptions options;
            std::optional<BlockUndo> undo;
            if (verbosity >= 2 && !found.tx->IsCoinBase() && found.block) {
                // Fee and prevouts come from the block's undo data, when it has any.
                try {
                    undo = chainman.ReadBlockUndo(*found.block);
                } catch (const std::exception&) {
                    throw RpcError(RPC_INTERNAL_ERROR, "Undo data expected but can't be read. This could be due to disk "
                                                       "corruption or a conflict with a pruning event.");
                }
                if (undo && block && undo->txundo.size() + 1 == block->vtx.size()) {
                    for (size_t i = 1; i < block->vtx.size(); ++i) {
                        if (block->vtx[i] == found.tx) {
                            options.spent = &undo->txundo[i - 1].prevout;
                            options.verbosity = TxVerbosity::SHOW_DETAILS_AND_PREVOUT;
                            break;
                        }
                    }
                }
            }
            const UniValue tx_json = TxToJSON(*found.tx, chain, options);
            for (size_t i = 0; i < tx_json.size(); ++i) result.pushKV(tx_json.getKeys()[i], tx_json[i]);
            PushBlockContext(result, chainman, found.block);
            return result;
        }};
}

RpcMethod DecodeRawTransaction(ChainType chain)
{
    return RpcMethod{
        "decoderawtransaction",
        "Return a JSON object representing the serialized, hex-encoded transaction.",
        {
            {"hexstring", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction hex string"},
            {"iswitness", RpcArg::Type::BOOL, RpcArg::DefaultHint{"depends on heuristic tests"},
             "Whether the transaction hex is a serialized witness transaction.\n"
             "If iswitness is not present, heuristic tests will be used in decoding.\n"
             "If true, only witness deserialization will be tried.\n"
             "If false, only non-witness deserialization will be tried.\n"
             "This boolean should reflect whether the transaction has inputs\n"
             "(e.g. fully valid, or on-chain transactions), if known by the caller."},
        },
        RpcResult{RpcResult::Type::OBJ, "", "", DecodeTxDoc("The transaction id")},
        RpcExamples{HelpExampleCli("decoderawtransaction", "\"hexstring\"") + HelpExampleRpc("decoderawtransaction", "\"hexstring\"")},
        [chain](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const std::optional<bool> iswitness = args.MaybeBool(1);
            const bool try_witness = iswitness.value_or(true);
            const bool try_no_witness = !iswitness.value_or(false);
            MutableTransaction mtx;
            if (!DecodeHexTx(mtx, args.GetStr(0), try_no_witness, try_witness)) {
                throw RpcError(RPC_DESERIALIZATION_ERROR, "TX decode failed");
            }
            TxJsonOptions options;
            options.include_hex = false;
            return TxToJSON(Transaction(std::move(mtx)), chain, options);
        }};
}

/** Whether decodescript offers P2SH (and maybe segwit) wrappings of a script. */
bool CanWrap(const Script& script, TxoutType type)
{
    switch (type) {
    case TxoutType::MULTISIG:
    case TxoutType::NONSTANDARD:
    case TxoutType::PUBKEY:
    case TxoutType::PUBKEYHASH:
    case TxoutType::WITNESS_V0_KEYHASH:
    case TxoutType::WITNESS_V0_SCRIPTHASH:
        break; // wrappable if the checks below pass
    case TxoutType::NULL_DATA:
    case TxoutType::SCRIPTHASH:
    case TxoutType::WITNESS_UNKNOWN:
    case TxoutType::WITNESS_V1_TAPROOT:
    case TxoutType::ANCHOR:
        return false;
    }
    if (!script.HasValidOps() || script.IsUnspendable()) return false;
    // Tapscript-only opcodes suggest a script not meant for P2SH or P2WSH.
    size_t pc = 0;
    Opcode op;
    while (pc < script.size() && script.GetOp(pc, op)) {
        if (op == OP_CHECKSIGADD || IsOpSuccess(uint8_t(op))) return false;
    }
    return true;
}

/** Whether it can also be wrapped in segwit v0 (P2WPKH or P2WSH). */
bool CanWrapSegwit(TxoutType type, const std::vector<Bytes>& solutions)
{
    switch (type) {
    case TxoutType::MULTISIG:
    case TxoutType::PUBKEY:
        // Segwit checksigs take compressed keys only.
        for (const Bytes& s : solutions) {
            if (s.size() != 1 && !PubKey(s).IsCompressed()) return false;
        }
        return true;
    case TxoutType::NONSTANDARD:
    case TxoutType::PUBKEYHASH:
        return true;
    case TxoutType::NULL_DATA:
    case TxoutType::SCRIPTHASH:
    case TxoutType::WITNESS_UNKNOWN:
    case TxoutType::WITNESS_V0_KEYHASH:
    case TxoutType::WITNESS_V0_SCRIPTHASH:
    case TxoutType::WITNESS_V1_TAPROOT:
    case TxoutType::ANCHOR:
        return false;
    }
    return false;
}

RpcMethod DecodeScript(ChainType chain)
{
    return RpcMethod{
        "decodescript",
        "Decode a hex-encoded script.",
        {{"hexstring", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hex-encoded script"}},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::STR, "asm", "Disassembly of the script"},
                      {RpcResult::Type::STR, "desc", "Inferred descriptor for the script"},
                      {RpcResult::Type::STR, "type", "The output type (e.g. " + GetAllOutputTypes() + ")"},
                      {RpcResult::Type::STR, "address", /*optional=*/true, "The Bitcoin address (only if a well-defined address exists)"},
                      {RpcResult::Type::STR, "p2sh", /*optional=*/true,
                       "address of P2SH script wrapping this redeem script (not returned for types that should not be wrapped)"},
                      {RpcResult::Type::OBJ, "segwit", /*optional=*/true,
                       "Result of a witness output script wrapping this redeem script (not returned for types that should not be wrapped)",
                       {
                           {RpcResult::Type::STR, "asm", "Disassembly of the output script"},
                           {RpcResult::Type::STR_HEX, "hex", "The raw output script bytes, hex-encoded"},
                           {RpcResult::Type::STR, "type", "The type of the output script (e.g. witness_v0_keyhash or witness_v0_scripthash)"},
                           {RpcResult::Type::STR, "address", /*optional=*/true, "The Bitcoin address (only if a well-defined address exists)"},
                           {RpcResult::Type::STR, "desc", "Inferred descriptor for the script"},
                           {RpcResult::Type::STR, "p2sh-segwit", "address of the P2SH script wrapping this witness redeem script"},
                       }},
                  }},
        RpcExamples{HelpExampleCli("decodescript", "\"hexstring\"") + HelpExampleRpc("decodescript", "\"hexstring\"")},
        [chain](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            Script script;
            // An empty script is a valid script.
            if (!args.GetStr(0).empty()) script = Script(ParseHexV(args.Get(0), "argument"));
            UniValue r = ScriptPubKeyToJSON(script, chain, /*include_hex=*/false, /*include_address=*/true);

            std::vector<Bytes> solutions;
            const TxoutType type = Solver(script, solutions);
            if (!CanWrap(script, type)) return r;

            r.pushKV("p2sh", EncodeDestination(ScriptHash(script), chain));
            if (!CanWrapSegwit(type, solutions)) return r;

            // Keys and key hashes go into P2WPKH, anything else into P2WSH.
            Script segwit;
            std::string desc;
            if (type == TxoutType::PUBKEY) {
                segwit = GetScriptForDestination(WitnessV0KeyHash(Hash160(solutions[0])));
            } else if (type == TxoutType::PUBKEYHASH) {
                segwit = GetScriptForDestination(WitnessV0KeyHash(uint160(solutions[0])));
            } else {
                segwit = GetScriptForDestination(WitnessV0ScriptHash(script));
                // The witness script is known here, so the descriptor can name it.
                desc = InferP2WSHDescriptorString(script, chain);
            }
            UniValue sr = ScriptPubKeyToJSON(segwit, chain, /*include_hex=*/true, /*include_address=*/true);
            if (!desc.empty()) sr.pushKV("desc", desc); // replaces the addr() one
            sr.pushKV("p2sh-segwit", EncodeDestination(ScriptHash(segwit), chain));
            r.pushKV("segwit", std::move(sr));
            return r;
        }};
}

} // namespace

void RegisterRawTransactionRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("rawtransactions", DecodeRawTransaction(ctx.chain));
    table.Register("rawtransactions", DecodeScript(ctx.chain));
    if (ctx.chainman) table.Register("rawtransactions", GetRawTransaction(ctx));
}

} // namespace cairn
