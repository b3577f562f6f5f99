// Block RPCs: headers, blocks and their statistics (help category "blockchain").
#include "consensus/block_check.h"
#include "consensus/consensus.h"
#include "consensus/subsidy.h"
#include "consensus/tx_check.h"
#include "consensus/bip30.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/tx_json_writer.h"
#include "rpc/util.h"
#include "util/hex.h"
#include "validation/chainstate_manager.h"

#include <algorithm>
#include <array>
#include <limits>
#include <set>

namespace cairn {

namespace {

const std::string EXAMPLE_BLOCK_HASH = "\"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09\"";

/** Whether a block's data was there once and is gone: only pruning does
 *  that (Core's IsBlockPruned; a block never received has no tx count). */
bool IsBlockPruned(const BlockIndex& index)
{
    return !(index.status & BLOCK_HAVE_DATA) && index.tx_count > 0;
}

/** Throws Core's errors when the block's data (or, with `undo`, its undo
 *  data) is not stored. Under the chainstate lock. */
void CheckBlockDataAvailability(const BlockIndex& index, bool undo)
{
    const uint32_t flag = undo ? BLOCK_HAVE_UNDO : BLOCK_HAVE_DATA;
    if (index.status & flag) return;
    if (IsBlockPruned(index)) {
        throw RpcError(RPC_MISC_ERROR, std::string(undo ? "Undo data" : "Block") + " not available (pruned data)");
    }
    if (undo) throw RpcError(RPC_MISC_ERROR, "Undo data not available");
    throw RpcError(RPC_MISC_ERROR, "Block not available (not fully downloaded)");
}

/** The entry for `hash`; RPC_INVALID_ADDRESS_OR_KEY "Block not found" if unknown. Under the lock. */
const BlockIndex& LookupOrThrow(const ChainstateManager& chainman, const uint256& hash)
{
    const BlockIndex* index = chainman.Tree().Lookup(hash);
    if (!index) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
    return *index;
}

const BlockIndex& TipOrThrow(const ChainstateManager& chainman)
{
    const BlockIndex* tip = chainman.ActiveChain().Tip();
    if (!tip) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
    return *tip;
}

/** Reads a block whose availability was checked (the lock released: the
 *  read takes it itself). */
Block ReadBlockChecked(const ChainstateManager& chainman, const BlockIndex& index)
{
    std::optional<Block> block;
    try {
        block = chainman.ReadBlock(index);
    } catch (const std::exception&) {
        block.reset();
    }
    // Pruned between the check and the read, or damaged on disk.
    if (!block) throw RpcError(RPC_MISC_ERROR, "Block not found on disk");
    return std::move(*block);
}

/** The spent coins of each transaction but the coinbase; the genesis block
 *  has none. For getblockstats (Core's GetUndoChecked). */
BlockUndo ReadUndoChecked(const ChainstateManager& chainman, const BlockIndex& index)
{
    if (index.height == 0) return {};
    {
        std::lock_guard lock(chainman.GetMutex());
        CheckBlockDataAvailability(index, /*undo=*/true);
    }
    std::optional<BlockUndo> undo;
    try {
        undo = chainman.ReadBlockUndo(index);
    } catch (const std::exception&) {
        undo.reset();
    }
    if (!undo) throw RpcError(RPC_MISC_ERROR, "Can't read undo data from disk");
    return std::move(*undo);
}

/** Core's getblockheader/getblock verbose member list, minus what differs. */
std::vector<RpcResult> HeaderResultFields(bool in_block)
{
    std::vector<RpcResult> fields{
        {RpcResult::Type::STR_HEX, "hash", "the block hash (same as provided)"},
        {RpcResult::Type::NUM, "confirmations", "The number of confirmations, or -1 if the block is not on the main chain"},
    };
    if (in_block) {
        fields.push_back({RpcResult::Type::NUM, "size", "The block size"});
        fields.push_back({RpcResult::Type::NUM, "strippedsize", "The block size excluding witness data"});
        fields.push_back({RpcResult::Type::NUM, "weight", "The block weight as defined in BIP 141"});
    }
    fields.push_back({RpcResult::Type::NUM, "height", "The block height or index"});
    fields.push_back({RpcResult::Type::NUM, "version", "The block version"});
    fields.push_back({RpcResult::Type::STR_HEX, "versionHex", "The block version formatted in hexadecimal"});
    fields.push_back({RpcResult::Type::STR_HEX, "merkleroot", "The merkle root"});
    if (in_block) {
        fields.push_back({RpcResult::Type::ARR, "tx", "The transaction ids", {{RpcResult::Type::STR_HEX, "", "The transaction id"}}});
    }
    fields.push_back({RpcResult::Type::NUM_TIME, "time", "The block time expressed in UNIX epoch time"});
    fields.push_back({RpcResult::Type::NUM_TIME, "mediantime", "The median block time expressed in UNIX epoch time"});
    fields.push_back({RpcResult::Type::NUM, "nonce", "The nonce"});
    fields.push_back({RpcResult::Type::STR_HEX, "bits", "nBits: compact representation of the block difficulty target"});
    fields.push_back({RpcResult::Type::STR_HEX, "target", "The difficulty target"});
    fields.push_back({RpcResult::Type::NUM, "difficulty", "The difficulty"});
    fields.push_back({RpcResult::Type::STR_HEX, "chainwork",
                      in_block ? "Expected number of hashes required to produce the chain up to this block (in hex)"
                               : "Expected number of hashes required to produce the current chain"});
    fields.push_back({RpcResult::Type::NUM, "nTx", "The number of transactions in the block"});
    fields.push_back({RpcResult::Type::STR_HEX, "previousblockhash", /*optional=*/true, "The hash of the previous block (if available)"});
    fields.push_back({RpcResult::Type::STR_HEX, "nextblockhash", /*optional=*/true, "The hash of the next block (if available)"});
    return fields;
}

RpcMethod GetBlockHeader(ChainstateManager& chainman)
{
    return RpcMethod{
        "getblockheader",
        "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.\n"
        "If verbose is true, returns an Object with information about blockheader <hash>.",
        {
            {"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The block hash"},
            {"verbose", RpcArg::Type::BOOL, RpcArg::Default{true}, "true for a json object, false for the hex-encoded data"},
        },
        RpcResults{
            RpcResult{"for verbose = true", RpcResult::Type::OBJ, "", "", HeaderResultFields(false)},
            RpcResult{"for verbose=false", RpcResult::Type::STR_HEX, "", "A string that is serialized, hex-encoded data for block 'hash'"},
        },
        RpcExamples{HelpExampleCli("getblockheader", EXAMPLE_BLOCK_HASH) + HelpExampleRpc("getblockheader", EXAMPLE_BLOCK_HASH)},
        [&chainman](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const uint256 hash = ParseHashV(args.Get(0), "hash");
            const bool verbose = args.GetBool(1);
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex& index = LookupOrThrow(chainman, hash);
            if (!verbose) {
                Bytes raw;
                VectorWriter writer(raw);
                SerializeBlockHeader(writer, index.GetBlockHeader());
                return HexStr(raw);
            }
            return BlockHeaderToJSON(TipOrThrow(chainman), index);
        }};
}

RpcResult GetBlockVinDoc()
{
    return RpcResult{
        RpcResult::Type::ARR, "vin", "",
        {
            {RpcResult::Type::OBJ, "", "",
             {
                 {RpcResult::Type::ELISION, "", "The same output as verbosity = 2"},
                 {RpcResult::Type::OBJ, "prevout", "(Only if undo information is available)",
                  {
                      {RpcResult::Type::BOOL, "generated", "Coinbase or not"},
                      {RpcResult::Type::NUM, "height", "The height of the prevout"},
                      {RpcResult::Type::STR_AMOUNT, "value", "The value in BTC"},
                      {RpcResult::Type::OBJ, "scriptPubKey", "", ScriptPubKeyDoc()},
                  }},
             }},
        }};
}

RpcMethod GetBlock(ChainstateManager& chainman, ChainType chain)
{
    return RpcMethod{
        "getblock",
        "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n"
        "If verbosity is 1, returns an Object with information about block <hash>.\n"
        "If verbosity is 2, returns an Object with information about block <hash> and information about each transaction.\n"
        "If verbosity is 3, returns an Object with information about block <hash> and information about each transaction, "
        "including prevout information for inputs (only for unpruned blocks in the current best chain).",
        {
            {"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The block hash"},
            {"verbosity|verbose", RpcArg::Type::NUM, RpcArg::Default{1},
             "0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object "
             "with transaction data including prevout information for inputs",
             RpcArgOptions{.skip_type_check = true}},
        },
        RpcResults{
            RpcResult{"for verbosity = 0", RpcResult::Type::STR_HEX, "", "A string that is serialized, hex-encoded data for block 'hash'"},
            RpcResult{"for verbosity = 1", RpcResult::Type::OBJ, "", "", HeaderResultFields(true)},
            RpcResult{"for verbosity = 2", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::ELISION, "", "Same output as verbosity = 1"},
                          {RpcResult::Type::ARR, "tx", "",
                           {
                               {RpcResult::Type::OBJ, "", "",
                                {
                                    {RpcResult::Type::ELISION, "", "The transactions in the format of the getrawtransaction RPC. Different from verbosity = 1 \"tx\" result"},
                                    {RpcResult::Type::NUM, "fee", "The transaction fee in BTC, omitted if block undo data is not available"},
                                }},
                           }},
                      }},
            RpcResult{"for verbosity = 3", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::ELISION, "", "Same output as verbosity = 2"},
                          {RpcResult::Type::ARR, "tx", "", {{RpcResult::Type::OBJ, "", "", {GetBlockVinDoc()}}}},
                      }},
        },
        RpcExamples{HelpExampleCli("getblock", EXAMPLE_BLOCK_HASH) + HelpExampleRpc("getblock", EXAMPLE_BLOCK_HASH)},
        [&chainman, chain](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const uint256 hash = ParseHashV(args.Get(0), "blockhash");
            const int verbosity = ParseVerbosity(args.Get(1), /*default_verbosity=*/1, /*allow_bool=*/true);

            const BlockIndex* index;
            UniValue result;
            bool have_undo;
            {
                std::lock_guard lock(chainman.GetMutex());
                index = &LookupOrThrow(chainman, hash);
                CheckBlockDataAvailability(*index, /*undo=*/false);
                result = BlockHeaderToJSON(TipOrThrow(chainman), *index);
                have_undo = !IsBlockPruned(*index) && (index->status & BLOCK_HAVE_UNDO);
            }
            const Block block = ReadBlockChecked(chainman, *index);
            if (verbosity <= 0) return HexStr(SerializeBlockBytes(block, /*with_witness=*/true));

            SizeCounter stripped, full;
            SerializeBlock(stripped, block, /*with_witness=*/false);
            SerializeBlock(full, block, /*with_witness=*/true);
            result.pushKV("strippedsize", uint64_t(stripped.size()));
            result.pushKV("size", uint64_t(full.size()));
            result.pushKV("weight", GetBlockWeight(block));

            UniValue txs(UniValue::VARR);
            if (verbosity == 1) {
                for (const TransactionRef& tx : block.vtx) txs.push_back(tx->GetTxid().GetHex());
            } else {
                BlockUndo undo;
                if (have_undo) {
                    std::optional<BlockUndo> read;
                    try {
                        read = chainman.ReadBlockUndo(*index);
                    } catch (const std::exception&) {
                        read.reset();
                    }
                    if (!read || read->txundo.size() + 1 != block.vtx.size()) {
                        throw RpcError(RPC_INTERNAL_ERROR, "Undo data expected but can't be read. This could be due to "
                                                           "disk corruption or a conflict with a pruning event.");
                    }
                    undo = std::move(*read);
                }
                TxJsonOptions options;
                options.verbosity = verbosity == 2 ? TxVerbosity::SHOW_DETAILS : TxVerbosity::SHOW_DETAILS_AND_PREVOUT;
                if (request.json_text_ok) {
                    // Straight to text, the same bytes as the tree below
                    // would write, several times faster for a full block.
                    return JsonTextValue(BlockToJsonText(result, block, have_undo ? &undo : nullptr, options.verbosity, chain));
                }
                for (size_t i = 0; i < block.vtx.size(); ++i) {
                    // The coinbase (i == 0) spends nothing and has no undo entry.
                    options.spent = (have_undo && i > 0) ? &undo.txundo[i - 1].prevout : nullptr;
                    txs.push_back(TxToJSON(*block.vtx[i], chain, options));
                }
            }
            result.pushKV("tx", std::move(txs));
            return result;
        }};
}

RpcMethod GetChainTips(ChainstateManager& chainman)
{
    return RpcMethod{
        "getchaintips",
        "Return information about all known tips in the block tree, including the main chain as well as orphaned branches.",
        {},
        RpcResult{RpcResult::Type::ARR, "", "",
                  {{RpcResult::Type::OBJ, "", "",
                    {
                        {RpcResult::Type::NUM, "height", "height of the chain tip"},
                        {RpcResult::Type::STR_HEX, "hash", "block hash of the tip"},
                        {RpcResult::Type::NUM, "branchlen", "zero for main chain, otherwise length of branch connecting the tip to the main chain"},
                        {RpcResult::Type::STR, "status",
                         "status of the chain, \"active\" for the main chain\n"
                         "Possible values for status:\n"
                         "1.  \"invalid\"               This branch contains at least one invalid block\n"
                         "2.  \"headers-only\"          Not all blocks for this branch are available, but the headers are valid\n"
                         "3.  \"valid-headers\"         All blocks are available for this branch, but they were never fully validated\n"
                         "4.  \"valid-fork\"            This branch is not part of the active chain, but is fully validated\n"
                         "5.  \"active\"                This is the tip of the active main chain, which is certainly valid"},
                    }}}},
        RpcExamples{HelpExampleCli("getchaintips", "") + HelpExampleRpc("getchaintips", "")},
        [&chainman](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            std::lock_guard lock(chainman.GetMutex());
            const Chain& active = chainman.ActiveChain();

            // Tips: the active tip, plus every block off the active chain
            // that no other block off the active chain builds on.
            std::set<const BlockIndex*> off_chain;
            std::set<const BlockIndex*> parents;
            for (const BlockIndex* b : chainman.Tree().SortedByHeight()) {
                if (active.Contains(b)) continue;
                off_chain.insert(b);
                parents.insert(b->prev);
            }
            std::vector<const BlockIndex*> tips;
            for (const BlockIndex* b : off_chain) {
                if (!parents.count(b)) tips.push_back(b);
            }
            tips.push_back(&TipOrThrow(chainman));
            // Highest first, as Core lists them.
            std::sort(tips.begin(), tips.end(), [](const BlockIndex* a, const BlockIndex* b) {
                if (a->height != b->height) return a->height > b->height;
                return a->GetBlockHash() < b->GetBlockHash();
            });

            UniValue res(UniValue::VARR);
            for (const BlockIndex* b : tips) {
                UniValue obj(UniValue::VOBJ);
                obj.pushKV("height", b->height);
                obj.pushKV("hash", b->GetBlockHash().GetHex());
                obj.pushKV("branchlen", b->height - active.FindFork(b)->height);
                std::string status;
                if (active.Contains(b)) {
                    status = "active";
                } else if (b->status & BLOCK_FAILED_MASK) {
                    status = "invalid"; // this block or an ancestor is invalid
                } else if (b->chain_tx_count == 0) {
                    status = "headers-only"; // data of this block or an ancestor is missing
                } else if (b->IsValid(BLOCK_VALID_SCRIPTS)) {
                    status = "valid-fork"; // fully validated once, then reorganised away
                } else if (b->IsValid(BLOCK_VALID_TREE)) {
                    status = "valid-headers"; // all data there, never connected
                } else {
                    status = "unknown";
                }
                obj.pushKV("status", status);
                res.push_back(std::move(obj));
            }
            return res;
        }};
}

RpcMethod GetChainTxStats(ChainstateManager& chainman)
{
    return RpcMethod{
        "getchaintxstats",
        "Compute statistics about the total number and rate of transactions in the chain.",
        {
            {"nblocks", RpcArg::Type::NUM, RpcArg::DefaultHint{"one month"}, "Size of the window in number of blocks"},
            {"blockhash", RpcArg::Type::STR_HEX, RpcArg::DefaultHint{"chain tip"}, "The hash of the block that ends the window."},
        },
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::NUM_TIME, "time", "The timestamp for the final block in the window, expressed in UNIX epoch time"},
                      {RpcResult::Type::NUM, "txcount", /*optional=*/true,
                       "The total number of transactions in the chain up to that point, if known. It may be unknown when using assumeutxo."},
                      {RpcResult::Type::STR_HEX, "window_final_block_hash", "The hash of the final block in the window"},
                      {RpcResult::Type::NUM, "window_final_block_height", "The height of the final block in the window."},
                      {RpcResult::Type::NUM, "window_block_count", "Size of the window in number of blocks"},
                      {RpcResult::Type::NUM, "window_interval", /*optional=*/true,
                       "The elapsed time in the window in seconds. Only returned if \"window_block_count\" is > 0"},
                      {RpcResult::Type::NUM, "window_tx_count", /*optional=*/true,
                       "The number of transactions in the window. Only returned if \"window_block_count\" is > 0 and if "
                       "txcount exists for the start and end of the window."},
                      {RpcResult::Type::NUM, "txrate", /*optional=*/true,
                       "The average rate of transactions per second in the window. Only returned if \"window_interval\" is "
                       "> 0 and if window_tx_count exists."},
                  }},
        RpcExamples{HelpExampleCli("getchaintxstats", "") + HelpExampleRpc("getchaintxstats", "2016")},
        [&chainman](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            std::optional<uint256> hash;
            if (args.Has(1)) hash = ParseHashV(args.Get(1), "blockhash");
            std::lock_guard lock(chainman.GetMutex());
            // One month of blocks by default.
            int blockcount = int(30 * 24 * 60 * 60 / chainman.Params().consensus.pow_target_spacing);
            const BlockIndex* index;
            if (!hash) {
                index = &TipOrThrow(chainman);
            } else {
                index = &LookupOrThrow(chainman, *hash);
                if (!chainman.ActiveChain().Contains(index)) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Block is not in main chain");
                }
            }
            if (!args.Has(0)) {
                blockcount = std::max(0, std::min(blockcount, index->height - 1));
            } else {
                blockcount = args.GetInt<int>(0);
                if (blockcount < 0 || (blockcount > 0 && blockcount >= index->height)) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Invalid block count: should be between 0 and the block's height - 1");
                }
            }
            const BlockIndex& past = *index->GetAncestor(index->height - blockcount);
            const int64_t time_diff = index->GetMedianTimePast() - past.GetMedianTimePast();

            UniValue ret(UniValue::VOBJ);
            ret.pushKV("time", int64_t(index->time));
            if (index->chain_tx_count) ret.pushKV("txcount", index->chain_tx_count);
            ret.pushKV("window_final_block_hash", index->GetBlockHash().GetHex());
            ret.pushKV("window_final_block_height", index->height);
            ret.pushKV("window_block_count", blockcount);
            if (blockcount > 0) {
                ret.pushKV("window_interval", time_diff);
                if (index->chain_tx_count != 0 && past.chain_tx_count != 0) {
                    const uint64_t window_tx_count = index->chain_tx_count - past.chain_tx_count;
                    ret.pushKV("window_tx_count", window_tx_count);
                    if (time_diff > 0) ret.pushKV("txrate", DoubleValue(double(window_tx_count) / double(time_diff)));
                }
            }
            return ret;
        }};
}

// ---- getblockstats ----

/** Core's per-output cost in its UTXO index estimate: outpoint (36 bytes),
 *  height (4) and coinbase flag (1). */
constexpr int64_t PER_UTXO_OVERHEAD = 36 + 4 + 1;

/** Serialized size of an output: value, script length, script. */
int64_t TxOutSize(const TxOut& out)
{
    SizeCounter c;
    SerializeTxOut(c, out);
    return int64_t(c.size());
}


/** The median, averaging the two middle values of an even count (rounding
 *  toward zero, as Core's integer division does). */
int64_t TruncatedMedian(std::vector<int64_t> values)
{
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 == 0 ? (values[n / 2 - 1] + values[n / 2]) / 2 : values[n / 2];
}

/** Feerates at the 10th, 25th, 50th, 75th and 90th percentile of weight. */
std::array<int64_t, 5> PercentilesByWeight(std::vector<std::pair<int64_t, int64_t>> scores, int64_t total_weight)
{
    std::array<int64_t, 5> result{};
    if (scores.empty()) return result;
    std::sort(scores.begin(), scores.end());
    const double weights[5] = {total_weight / 10.0, total_weight / 4.0, total_weight / 2.0, (total_weight * 3.0) / 4.0,
                               (total_weight * 9.0) / 10.0};
    size_t next = 0;
    int64_t cumulative = 0;
    for (const auto& [feerate, weight] : scores) {
        cumulative += weight;
        while (next < 5 && cumulative >= weights[next]) result[next++] = feerate;
    }
    for (; next < 5; ++next) result[next] = scores.back().first;
    return result;
}

/** A block by height (on the active chain) or by hash (anywhere). */
const BlockIndex& ParseHashOrHeight(const UniValue& param, const ChainstateManager& chainman)
{
    std::lock_guard lock(chainman.GetMutex());
    const Chain& active = chainman.ActiveChain();
    if (param.isNum()) {
        const int height = int(IntFromValue(param, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
        if (height < 0) throw RpcError(RPC_INVALID_PARAMETER, "Target block height " + std::to_string(height) + " is negative");
        if (height > active.Height()) {
            throw RpcError(RPC_INVALID_PARAMETER, "Target block height " + std::to_string(height) + " after current tip " +
                                                      std::to_string(active.Height()));
        }
        return *active[height];
    }
    return LookupOrThrow(chainman, ParseHashV(param, "hash_or_height"));
}

RpcMethod GetBlockStats(ChainstateManager& chainman)
{
    auto stat = [](const std::string& name, const std::string& doc) {
        return RpcResult{RpcResult::Type::NUM, name, /*optional=*/true, doc};
    };
    return RpcMethod{
        "getblockstats",
        "Compute per block statistics for a given window. All amounts are in satoshis.\n"
        "It won't work for some heights with pruning.",
        {
            {"hash_or_height", RpcArg::Type::NUM, RpcArg::Optional::NO, "The block hash or height of the target block",
             RpcArgOptions{.skip_type_check = true, .type_str = {"", "string or numeric"}}},
            {"stats", RpcArg::Type::ARR, RpcArg::DefaultHint{"all values"}, "Values to plot (see result below)",
             {
                 {"height", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "Selected statistic"},
                 {"time", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "Selected statistic"},
             },
             RpcArgOptions{.oneline_description = "stats"}},
        },
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      stat("avgfee", "Average fee in the block"),
                      stat("avgfeerate", "Average feerate (in satoshis per virtual byte)"),
                      stat("avgtxsize", "Average transaction size"),
                      {RpcResult::Type::STR_HEX, "blockhash", /*optional=*/true, "The block hash (to check for potential reorgs)"},
                      {RpcResult::Type::ARR_FIXED, "feerate_percentiles", /*optional=*/true,
                       "Feerates at the 10th, 25th, 50th, 75th, and 90th percentile weight unit (in satoshis per virtual byte)",
                       {
                           {RpcResult::Type::NUM, "10th_percentile_feerate", "The 10th percentile feerate"},
                           {RpcResult::Type::NUM, "25th_percentile_feerate", "The 25th percentile feerate"},
                           {RpcResult::Type::NUM, "50th_percentile_feerate", "The 50th percentile feerate"},
                           {RpcResult::Type::NUM, "75th_percentile_feerate", "The 75th percentile feerate"},
                           {RpcResult::Type::NUM, "90th_percentile_feerate", "The 90th percentile feerate"},
                       }},
                      stat("height", "The height of the block"),
                      stat("ins", "The number of inputs (excluding coinbase)"),
                      stat("maxfee", "Maximum fee in the block"),
                      stat("maxfeerate", "Maximum feerate (in satoshis per virtual byte)"),
                      stat("maxtxsize", "Maximum transaction size"),
                      stat("medianfee", "Truncated median fee in the block"),
                      stat("mediantime", "The block median time past"),
                      stat("mediantxsize", "Truncated median transaction size"),
                      stat("minfee", "Minimum fee in the block"),
                      stat("minfeerate", "Minimum feerate (in satoshis per virtual byte)"),
                      stat("mintxsize", "Minimum transaction size"),
                      stat("outs", "The number of outputs"),
                      stat("subsidy", "The block subsidy"),
                      stat("swtotal_size", "Total size of all segwit transactions"),
                      stat("swtotal_weight", "Total weight of all segwit transactions"),
                      stat("swtxs", "The number of segwit transactions"),
                      stat("time", "The block time"),
                      stat("total_out", "Total amount in all outputs (excluding coinbase and thus reward [ie subsidy + totalfee])"),
                      stat("total_size", "Total size of all non-coinbase transactions"),
                      stat("total_weight", "Total weight of all non-coinbase transactions"),
                      stat("totalfee", "The fee total"),
                      stat("txs", "The number of transactions (including coinbase)"),
                      stat("utxo_increase", "The increase/decrease in the number of unspent outputs (not discounting op_return and similar)"),
                      stat("utxo_size_inc", "The increase/decrease in size for the utxo index (not discounting op_return and similar)"),
                      stat("utxo_increase_actual", "The increase/decrease in the number of unspent outputs, not counting unspendables"),
                      stat("utxo_size_inc_actual", "The increase/decrease in size for the utxo index, not counting unspendables"),
                  }},
        RpcExamples{HelpExampleCli("getblockstats", "'" + EXAMPLE_BLOCK_HASH + "' '[\"minfeerate\",\"avgfeerate\"]'") +
                    HelpExampleCli("getblockstats", "1000 '[\"minfeerate\",\"avgfeerate\"]'") +
                    HelpExampleRpc("getblockstats", EXAMPLE_BLOCK_HASH + ", [\"minfeerate\",\"avgfeerate\"]") +
                    HelpExampleRpc("getblockstats", "1000, [\"minfeerate\",\"avgfeerate\"]")},
        [&chainman](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const BlockIndex& index = ParseHashOrHeight(args.Get(0), chainman);

            std::set<std::string> stats;
            if (args.Has(1)) {
                for (const UniValue& s : args.Get(1).getValues()) {
                    CheckValueType(s, UniValue::VSTR);
                    stats.insert(s.get_str());
                }
            }

            {
                std::lock_guard lock(chainman.GetMutex());
                CheckBlockDataAvailability(index, /*undo=*/false);
            }
            const Block block = ReadBlockChecked(chainman, index);
            const BlockUndo undo = ReadUndoChecked(chainman, index);

            // Only what the selected statistics need is computed, as in Core.
            auto any = [&stats](std::initializer_list<const char*> keys) {
                for (const char* k : keys) {
                    if (stats.count(k)) return true;
                }
                return false;
            };
            const bool do_all = stats.empty();
            const bool do_mediantxsize = do_all || stats.count("mediantxsize");
            const bool do_medianfee = do_all || stats.count("medianfee");
            const bool do_feerate_percentiles = do_all || stats.count("feerate_percentiles");
            const bool loop_inputs = do_all || do_medianfee || do_feerate_percentiles ||
                                     any({"utxo_increase", "utxo_increase_actual", "utxo_size_inc", "utxo_size_inc_actual",
                                          "totalfee", "avgfee", "avgfeerate", "minfee", "maxfee", "minfeerate", "maxfeerate"});
            const bool loop_outputs = do_all || loop_inputs || stats.count("total_out");
            const bool do_calculate_size = do_mediantxsize || any({"total_size", "avgtxsize", "mintxsize", "maxtxsize", "swtotal_size"});
            const bool do_calculate_weight = do_all || any({"total_weight", "avgfeerate", "swtotal_weight", "feerate_percentiles",
                                                            "minfeerate", "maxfeerate"});
            const bool do_calculate_sw = do_all || any({"swtxs", "swtotal_size", "swtotal_weight"});

            if (loop_inputs && undo.txundo.size() + 1 != block.vtx.size() && index.height != 0) {
                throw RpcError(RPC_MISC_ERROR, "Can't read undo data from disk");
            }

            constexpr int64_t MAX_BLOCK_SERIALIZED_SIZE = 4000000;
            int64_t maxfee = 0, maxfeerate = 0, minfee = MAX_MONEY, minfeerate = MAX_MONEY;
            int64_t total_out = 0, totalfee = 0, inputs = 0, outputs = 0;
            int64_t maxtxsize = 0, mintxsize = MAX_BLOCK_SERIALIZED_SIZE;
            int64_t swtotal_size = 0, swtotal_weight = 0, swtxs = 0, total_size = 0, total_weight = 0;
            int64_t utxos = 0, utxo_size_inc = 0, utxo_size_inc_actual = 0;
            std::vector<int64_t> fee_array, txsize_array;
            std::vector<std::pair<int64_t, int64_t>> feerate_array;

            for (size_t i = 0; i < block.vtx.size(); ++i) {
                const Transaction& tx = *block.vtx[i];
                outputs += int64_t(tx.vout.size());
                int64_t tx_total_out = 0;
                if (loop_outputs) {
                    for (const TxOut& out : tx.vout) {
                        tx_total_out += out.value;
                        const int64_t out_size = TxOutSize(out) + PER_UTXO_OVERHEAD;
                        utxo_size_inc += out_size;
                        // The genesis block and the two repeated coinbases add
                        // nothing to the UTXO set; unspendable outputs neither.
                        if (index.height == 0 || (IsBIP30Repeat(index) && tx.IsCoinBase())) continue;
                        if (out.script_pubkey.IsUnspendable()) continue;
                        ++utxos;
                        utxo_size_inc_actual += out_size;
                    }
                }
                if (tx.IsCoinBase()) continue;

                inputs += int64_t(tx.vin.size()); // the coinbase's input is not a real one
                total_out += tx_total_out;        // nor is its output a transfer

                int64_t tx_size = 0;
                if (do_calculate_size) {
                    tx_size = int64_t(tx.GetTotalSize());
                    if (do_mediantxsize) txsize_array.push_back(tx_size);
                    maxtxsize = std::max(maxtxsize, tx_size);
                    mintxsize = std::min(mintxsize, tx_size);
                    total_size += tx_size;
                }
                int64_t weight = 0;
                if (do_calculate_weight) {
                    weight = GetTransactionWeight(tx);
                    total_weight += weight;
                }
                if (do_calculate_sw && tx.HasWitness()) {
                    ++swtxs;
                    swtotal_size += tx_size;
                    swtotal_weight += weight;
                }
                if (loop_inputs) {
                    int64_t tx_total_in = 0;
                    for (const Coin& coin : undo.txundo[i - 1].prevout) {
                        tx_total_in += coin.out.value;
                        const int64_t prevout_size = TxOutSize(coin.out) + PER_UTXO_OVERHEAD;
                        utxo_size_inc -= prevout_size;
                        utxo_size_inc_actual -= prevout_size;
                    }
                    const int64_t txfee = tx_total_in - tx_total_out;
                    if (!MoneyRange(txfee)) throw std::runtime_error("Internal bug detected: fee out of range");
                    if (do_medianfee) fee_array.push_back(txfee);
                    maxfee = std::max(maxfee, txfee);
                    minfee = std::min(minfee, txfee);
                    totalfee += txfee;
                    // Satoshis per virtual byte, not per serialized byte.
                    const int64_t feerate = weight ? (txfee * WITNESS_SCALE_FACTOR) / weight : 0;
                    if (do_feerate_percentiles) feerate_array.emplace_back(feerate, weight);
                    maxfeerate = std::max(maxfeerate, feerate);
                    minfeerate = std::min(minfeerate, feerate);
                }
            }

            UniValue feerates(UniValue::VARR);
            for (int64_t f : PercentilesByWeight(std::move(feerate_array), total_weight)) feerates.push_back(f);

            const int64_t non_coinbase = int64_t(block.vtx.size()) - 1;
            UniValue all(UniValue::VOBJ);
            all.pushKV("avgfee", non_coinbase > 0 ? totalfee / non_coinbase : 0);
            all.pushKV("avgfeerate", total_weight ? (totalfee * WITNESS_SCALE_FACTOR) / total_weight : 0);
            all.pushKV("avgtxsize", non_coinbase > 0 ? total_size / non_coinbase : 0);
            all.pushKV("blockhash", index.GetBlockHash().GetHex());
            all.pushKV("feerate_percentiles", std::move(feerates));
            all.pushKV("height", int64_t(index.height));
            all.pushKV("ins", inputs);
            all.pushKV("maxfee", maxfee);
            all.pushKV("maxfeerate", maxfeerate);
            all.pushKV("maxtxsize", maxtxsize);
            all.pushKV("medianfee", TruncatedMedian(std::move(fee_array)));
            all.pushKV("mediantime", index.GetMedianTimePast());
            all.pushKV("mediantxsize", TruncatedMedian(std::move(txsize_array)));
            all.pushKV("minfee", minfee == MAX_MONEY ? 0 : minfee);
            all.pushKV("minfeerate", minfeerate == MAX_MONEY ? 0 : minfeerate);
            all.pushKV("mintxsize", mintxsize == MAX_BLOCK_SERIALIZED_SIZE ? 0 : mintxsize);
            all.pushKV("outs", outputs);
            all.pushKV("subsidy", GetBlockSubsidy(index.height, chainman.Params().consensus));
            all.pushKV("swtotal_size", swtotal_size);
            all.pushKV("swtotal_weight", swtotal_weight);
            all.pushKV("swtxs", swtxs);
            all.pushKV("time", index.GetBlockTime());
            all.pushKV("total_out", total_out);
            all.pushKV("total_size", total_size);
            all.pushKV("total_weight", total_weight);
            all.pushKV("totalfee", totalfee);
            all.pushKV("txs", int64_t(block.vtx.size()));
            all.pushKV("utxo_increase", outputs - inputs);
            all.pushKV("utxo_size_inc", utxo_size_inc);
            all.pushKV("utxo_increase_actual", utxos - inputs);
            all.pushKV("utxo_size_inc_actual", utxo_size_inc_actual);
            if (do_all) return all;

            UniValue ret(UniValue::VOBJ);
            for (const std::string& s : stats) {
                const UniValue& value = find_value(all, s);
                if (value.isNull()) throw RpcError(RPC_INVALID_PARAMETER, "Invalid selected statistic '" + s + "'");
                ret.pushKV(s, value);
            }
            return ret;
        }};
}

} // namespace

void RegisterBlockRpcCommands(RpcTable& table, RpcContext& ctx)
{
    ChainstateManager& chainman = *ctx.chainman;
    table.Register("blockchain", GetBlock(chainman, ctx.chain));
    table.Register("blockchain", GetBlockHeader(chainman));
    table.Register("blockchain", GetBlockStats(chainman));
    table.Register("blockchain", GetChainTips(chainman));
    table.Register("blockchain", GetChainTxStats(chainman));
}

} // namespace cairn
