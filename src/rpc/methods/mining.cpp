// Mining RPCs: help category "mining" (getmininginfo, getnetworkhashps,
// submitblock, submitheader), "generating" (generatetoaddress,
// generatetodescriptor, generateblock) and the hidden test helpers
// setmocktime and generate.
//
// The generate* methods build a template (mining/block_assembler.h) filled
// from the mempool as Core's are, search a nonce (mining/pow_solve.h) and
// hand the block to the engine like any other; they are for regtest, where
// the target is trivial. getblocktemplate is in blocktemplate.cpp,
// prioritisetransaction in mining_priority.cpp.
#include "consensus/block_check.h"
#include "consensus/pow.h"
#include "consensus/versionbits.h"
#include "mempool/tx_mempool.h"
#include "mining/block_assembler.h"
#include "mining/pow_solve.h"
#include "rpc/context.h"
#include "rpc/methods/mining_util.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "script/address.h"
#include "script/descriptor.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <memory>

namespace cairn {

namespace {

/** generatetoaddress's and generatetodescriptor's default nonce budget. */
constexpr uint64_t DEFAULT_MAX_TRIES = 1000000;

const BlockIndex& RequireTip(const ChainstateManager& chainman)
{
    const BlockIndex* tip = chainman.ActiveChain().Tip();
    if (!tip) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
    return *tip;
}

/** Average hashes per second over `lookup` blocks ending at `height` (-1: the
 *  tip; lookup -1: since the last difficulty change). Under the lock. */
UniValue NetworkHashPs(const ChainstateManager& chainman, int lookup, int height)
{
    if (lookup < -1 || lookup == 0) {
        throw RpcError(RPC_INVALID_PARAMETER, "Invalid nblocks. Must be a positive number or -1.");
    }
    const Chain& chain = chainman.ActiveChain();
    if (height < -1 || height > chain.Height()) {
        throw RpcError(RPC_INVALID_PARAMETER, "Block does not exist at specified height");
    }
    const BlockIndex* end = height >= 0 ? chain[height] : chain.Tip();
    if (!end || end->height == 0) return 0;
    if (lookup == -1) lookup = int(end->height % chainman.Params().consensus.DifficultyAdjustmentInterval() + 1);
    lookup = std::min(lookup, end->height);

    const BlockIndex* start = end;
    int64_t min_time = end->GetBlockTime();
    int64_t max_time = min_time;
    for (int i = 0; i < lookup; ++i) {
        start = start->prev;
        min_time = std::min(min_time, start->GetBlockTime());
        max_time = std::max(max_time, start->GetBlockTime());
    }
    if (min_time == max_time) return 0; // no time passed: no estimate rather than a division by zero
    const arith_uint256 work = end->chain_work - start->chain_work;
    return DoubleValue(work.getdouble() / double(max_time - min_time));
}

/** A raw transaction in hex, read in the extended (BIP 144) form and, if that
 *  does not consume it exactly, in the legacy form; nullopt if neither does. */
TransactionRef DecodeHexTransaction(const std::string& hex)
{
    const auto bytes = TryParseHex(hex);
    if (!bytes) return nullptr;
    for (const bool witness : {true, false}) {
        try {
            Reader r(*bytes);
            MutableTransaction tx = DeserializeMutableTransaction(r, witness);
            if (r.empty() && !tx.vin.empty()) return MakeTransactionRef(std::move(tx));
        } catch (const std::exception&) {
        }
    }
    return nullptr;
}

/**
 * Solves `block` and (when `process`) hands it to the engine. Returns false
 * when the tries ran out or shutdown was requested; true with `out` null
 * when the nonce space ran out (build a new template and go on).
 */
bool MineBlock(RpcContext& ctx, Block block, uint64_t& max_tries, std::shared_ptr<const Block>& out, bool process)
{
    ChainstateManager& chainman = *ctx.chainman;
    out.reset();
    const auto interrupt = [&ctx] { return ctx.shutdown_requested && ctx.shutdown_requested(); };
    switch (SolveProofOfWork(block, chainman.Params().consensus, max_tries, interrupt)) {
    case SolveResult::OUT_OF_TRIES: return false;
    case SolveResult::NONCE_SPACE: return true;
    case SolveResult::SOLVED: break;
    }
    if (interrupt()) return false;
    out = std::make_shared<const Block>(std::move(block));
    if (!process) return true;
    if (!chainman.ProcessNewBlock(out, /*force_processing=*/true, /*min_pow_checked=*/true, nullptr)) {
        throw RpcError(RPC_INTERNAL_ERROR, "ProcessNewBlock, block not accepted");
    }
    return true;
}

/** generatetoaddress/generatetodescriptor: up to n blocks paying `script`. */
UniValue GenerateBlocks(RpcContext& ctx, const Script& script, int n, uint64_t max_tries)
{
    ChainstateManager& chainman = *ctx.chainman;
    const BlockAssemblerOptions options = MiningOptions(ctx);
    UniValue hashes(UniValue::VARR);
    while (n > 0 && !(ctx.shutdown_requested && ctx.shutdown_requested())) {
        Block block;
        {
            // The chain's lock, then (inside) the pool's: the pool stays in step with the tip.
            std::lock_guard lock(chainman.GetMutex());
            block = BlockAssembler(chainman, ctx.mempool, options).CreateNewBlock(script).block;
        }
        std::shared_ptr<const Block> mined;
        if (!MineBlock(ctx, std::move(block), max_tries, mined, /*process=*/true)) break;
        if (mined) {
            --n;
            hashes.push_back(mined->GetHash().GetHex());
        }
    }
    return hashes;
}

Script ScriptForAddress(const RpcContext& ctx, const std::string& address, const char* error)
{
    const Destination dest = DecodeDestination(address, ctx.chain);
    if (!IsValidDestination(dest)) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, error);
    return GetScriptForDestination(dest);
}

/**
 * The coinbase script a descriptor names, as Core picks it: the only script,
 * or for combo() the P2WPKH one (four scripts: uncompressed key) or else the
 * P2PKH one. False with `error` set when the text is not a descriptor;
 * throws for descriptors that parse but cannot serve.
 */
bool ScriptFromDescriptor(const RpcContext& ctx, const std::string& text, Script& script, std::string& error)
{
    const auto descs = ParseDescriptor(text, ctx.chain, error, /*require_checksum=*/false);
    if (descs.empty()) return false;
    if (descs.size() > 1) throw RpcError(RPC_INVALID_PARAMETER, "Multipath descriptor not accepted");
    const Descriptor& desc = *descs[0];
    if (desc.IsRange()) {
        throw RpcError(RPC_INVALID_PARAMETER, "Ranged descriptor not accepted. Maybe pass through deriveaddresses first?");
    }
    std::vector<Script> scripts;
    if (!desc.Expand(0, scripts)) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Cannot derive script without private keys");
    if (scripts.empty() || scripts.size() > 4) throw RpcError(RPC_INTERNAL_ERROR, "Unexpected number of scripts");
    script = scripts.size() == 1 ? scripts[0] : scripts.size() == 4 ? scripts[2] : scripts[1];
    return true;
}

RpcResult BlockHashArray()
{
    return RpcResult{RpcResult::Type::ARR, "", "hashes of blocks generated",
                     {{RpcResult::Type::STR_HEX, "", "blockhash"}}};
}

RpcMethod GenerateToAddress(RpcContext& ctx)
{
    return RpcMethod{
        "generatetoaddress",
        "Mine to a specified address and return the block hashes.",
        {
            {"nblocks", RpcArg::Type::NUM, RpcArg::Optional::NO, "How many blocks are generated."},
            {"address", RpcArg::Type::STR, RpcArg::Optional::NO, "The address to send the newly generated bitcoin to."},
            {"maxtries", RpcArg::Type::NUM, RpcArg::Default{UniValue(DEFAULT_MAX_TRIES)}, "How many iterations to try."},
        },
        BlockHashArray(),
        RpcExamples{"\nGenerate 11 blocks to myaddress\n" + HelpExampleCli("generatetoaddress", "11 \"myaddress\"") +
                    "If you are using the Cairn wallet, you can get a new address to send the newly generated bitcoin to with:\n" +
                    HelpExampleCli("getnewaddress", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const int n = args.GetInt<int>(0);
            // As Core: the budget is read as an int, so a negative one wraps to a huge budget.
            const uint64_t max_tries = uint64_t(int64_t(args.GetInt<int>(2)));
            const Script script = ScriptForAddress(ctx, args.GetStr(1), "Error: Invalid address");
            return GenerateBlocks(ctx, script, n, max_tries);
        }};
}

RpcMethod GenerateToDescriptor(RpcContext& ctx)
{
    return RpcMethod{
        "generatetodescriptor",
        "Mine to a specified descriptor and return the block hashes.",
        {
            {"num_blocks", RpcArg::Type::NUM, RpcArg::Optional::NO, "How many blocks are generated."},
            {"descriptor", RpcArg::Type::STR, RpcArg::Optional::NO, "The descriptor to send the newly generated bitcoin to."},
            {"maxtries", RpcArg::Type::NUM, RpcArg::Default{UniValue(DEFAULT_MAX_TRIES)}, "How many iterations to try."},
        },
        BlockHashArray(),
        RpcExamples{"\nGenerate 11 blocks to mydesc\n" + HelpExampleCli("generatetodescriptor", "11 \"mydesc\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const int n = args.GetInt<int>(0);
            const uint64_t max_tries = args.GetInt<uint64_t>(2);
            Script script;
            std::string error;
            if (!ScriptFromDescriptor(ctx, args.GetStr(1), script, error)) {
                throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, error);
            }
            return GenerateBlocks(ctx, script, n, max_tries);
        }};
}

RpcMethod GenerateBlock(RpcContext& ctx)
{
    return RpcMethod{
        "generateblock",
        "Mine a set of ordered transactions to a specified address or descriptor and return the block hash.",
        {
            {"output", RpcArg::Type::STR, RpcArg::Optional::NO, "The address or descriptor to send the newly generated bitcoin to."},
            {"transactions", RpcArg::Type::ARR, RpcArg::Optional::NO,
             "An array of hex strings which are either txids or raw transactions.\n"
             "Txids must reference transactions currently in the mempool.\n"
             "All transactions must be valid and in valid order, otherwise the block will be rejected.",
             {{"rawtx/txid", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, ""}}},
            {"submit", RpcArg::Type::BOOL, RpcArg::Default{UniValue(true)},
             "Whether to submit the block before the RPC call returns or to return it as hex."},
        },
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::STR_HEX, "hash", "hash of generated block"},
                      {RpcResult::Type::STR_HEX, "hex", /*optional=*/true, "hex of generated block, only present when submit=false"},
                  }},
        RpcExamples{"\nGenerate a block to myaddress, with txs rawtx and mempool_txid\n" +
                    HelpExampleCli("generateblock", R"("myaddress" '["rawtx", "mempool_txid"]')")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            Script script;
            std::string error;
            if (!ScriptFromDescriptor(ctx, args.GetStr(0), script, error)) {
                script = ScriptForAddress(ctx, args.GetStr(0), "Error: Invalid address or descriptor");
            }

            std::vector<TransactionRef> txs;
            for (const UniValue& item : args.Get(1).getValues()) {
                const std::string& str = item.get_str();
                if (str.size() == 64 && IsHex(str)) {
                    TransactionRef tx;
                    if (ctx.mempool) {
                        std::lock_guard lock(ctx.mempool->GetMutex());
                        tx = ctx.mempool->GetTx(uint256::FromHex(str).value());
                    }
                    if (!tx) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Transaction " + str + " not in mempool.");
                    txs.push_back(std::move(tx));
                    continue;
                }
                TransactionRef tx = DecodeHexTransaction(str);
                if (!tx) {
                    throw RpcError(RPC_DESERIALIZATION_ERROR,
                                   "Transaction decode failed for " + str + ". Make sure the tx has at least one input.");
                }
                txs.push_back(std::move(tx));
            }
            const bool submit = args.GetBool(2);

            ChainstateManager& chainman = *ctx.chainman;
            Block block;
            {
                std::lock_guard lock(chainman.GetMutex());
                // As Core: an empty template, then the transactions; their fees are not claimed.
                block = BlockAssembler(chainman, MiningOptions(ctx)).CreateNewBlock(script).block;
                block.vtx.insert(block.vtx.end(), txs.begin(), txs.end());
                const BlockIndex& tip = RequireTip(chainman);
                RegenerateCommitments(block, DeploymentActiveAfter(&tip, chainman.Params().consensus,
                                                                   BuriedDeployment::SEGWIT));
                BlockValidationState state;
                if (!chainman.TestBlockValidity(block, state, /*check_pow=*/false, /*check_merkle=*/false)) {
                    throw RpcError(RPC_VERIFY_ERROR, "TestBlockValidity failed: " + state.ToString());
                }
            }
            std::shared_ptr<const Block> mined;
            uint64_t max_tries = DEFAULT_MAX_TRIES;
            if (!MineBlock(ctx, std::move(block), max_tries, mined, submit) || !mined) {
                throw RpcError(RPC_MISC_ERROR, "Failed to make block.");
            }
            UniValue obj(UniValue::VOBJ);
            obj.pushKV("hash", mined->GetHash().GetHex());
            if (!submit) obj.pushKV("hex", HexStr(SerializeBlockBytes(*mined)));
            return obj;
        }};
}

RpcMethod Generate()
{
    return RpcMethod{
        "generate",
        "has been replaced by the -generate cli option. Refer to -help for more information.",
        {},
        RpcResults{std::initializer_list<RpcResult>{}},
        RpcExamples{""},
        [](const RpcMethod& self, const JsonRpcRequest&) -> UniValue {
            throw RpcError(RPC_METHOD_NOT_FOUND, self.ToString());
        }};
}

RpcMethod SubmitBlock(RpcContext& ctx)
{
    return RpcMethod{
        "submitblock",
        "Attempts to submit new block to network.\n"
        "See https://en.bitcoin.it/wiki/BIP_0022 for full specification.\n",
        {
            {"hexdata", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hex-encoded block data to submit"},
            {"dummy", RpcArg::Type::STR, RpcArg::DefaultHint{"ignored"},
             "dummy value, for compatibility with BIP22. This value is ignored."},
        },
        RpcResults{
            RpcResult{"If the block was accepted", RpcResult::Type::NONE, "", ""},
            RpcResult{"Otherwise", RpcResult::Type::STR, "", "According to BIP22"},
        },
        RpcExamples{HelpExampleCli("submitblock", "\"mydata\"") + HelpExampleRpc("submitblock", "\"mydata\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            std::optional<Block> decoded = DecodeHexBlock(args.GetStr(0));
            if (!decoded) throw RpcError(RPC_DESERIALIZATION_ERROR, "Block decode failed");
            if (decoded->vtx.empty() || !decoded->vtx[0]->IsCoinBase()) {
                throw RpcError(RPC_DESERIALIZATION_ERROR, "Block does not start with a coinbase");
            }
            auto block = std::make_shared<Block>(std::move(*decoded));
            const uint256 hash = block->GetHash();
            ChainstateManager& chainman = *ctx.chainman;
            {
                std::lock_guard lock(chainman.GetMutex());
                if (const BlockIndex* known = chainman.Tree().Lookup(hash)) {
                    if (known->IsValid(BLOCK_VALID_SCRIPTS)) return "duplicate";
                    if (known->status & BLOCK_FAILED_MASK) return "duplicate-invalid";
                }
                // A block without the witness reserved value (pre-segwit
                // software) gets the zero one, as Core's
                // UpdateUncommittedBlockStructures does.
                const BlockIndex* prev = chainman.Tree().Lookup(block->prev_block);
                if (prev && DeploymentActiveAfter(prev, chainman.Params().consensus, BuriedDeployment::SEGWIT) &&
                    GetWitnessCommitmentIndex(*block) != -1 && block->vtx[0]->vin[0].witness.IsNull()) {
                    MutableTransaction cb{block->vtx[0]->version, block->vtx[0]->vin, block->vtx[0]->vout,
                                          block->vtx[0]->locktime};
                    cb.vin[0].witness.stack.assign(1, Bytes(32, 0));
                    block->vtx[0] = MakeTransactionRef(std::move(cb));
                }
            }

            bool new_block = false;
            BlockValidationState state;
            const bool accepted = chainman.ProcessNewBlock(block, /*force_processing=*/true, /*min_pow_checked=*/true,
                                                           &new_block, &state);
            if (!accepted) {
                LogInfo("submitblock: block {} rejected: {}", hash.GetHex(), state.ToString());
                return Bip22Result(state);
            }
            if (!new_block) return "duplicate";

            // Stored: whether it was connected decides the answer. A block
            // that failed to connect was marked invalid; its reason comes
            // from checking it again on its parent, which is then the tip.
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex* index = chainman.Tree().Lookup(hash);
            if (index && chainman.ActiveChain().Contains(index)) return UniValue();
            if (index && (index->status & BLOCK_FAILED_VALID)) {
                BlockValidationState connect_state;
                if (!chainman.TestBlockValidity(*block, connect_state) && connect_state.IsInvalid() &&
                    connect_state.GetRejectReason() != "inconclusive-not-best-prevblk") {
                    LogInfo("submitblock: block {} rejected: {}", hash.GetHex(), connect_state.ToString());
                    return Bip22Result(connect_state);
                }
                LogInfo("submitblock: block {} rejected", hash.GetHex());
                return "rejected";
            }
            return "inconclusive";
        }};
}

RpcMethod SubmitHeader(RpcContext& ctx)
{
    return RpcMethod{
        "submitheader",
        "Decode the given hexdata as a header and submit it as a candidate chain tip if valid.\n"
        "Throws when the header is invalid.\n",
        {{"hexdata", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hex-encoded block header data"}},
        RpcResult{RpcResult::Type::NONE, "", "None"},
        RpcExamples{HelpExampleCli("submitheader", "\"aabbcc\"") + HelpExampleRpc("submitheader", "\"aabbcc\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            BlockHeader header;
            const auto bytes = TryParseHex(args.GetStr(0));
            bool decoded = false;
            if (bytes) {
                try {
                    Reader r(*bytes);
                    header = DeserializeBlockHeader(r);
                    decoded = true;
                } catch (const std::exception&) {
                }
            }
            if (!decoded) throw RpcError(RPC_DESERIALIZATION_ERROR, "Block header decode failed");
            ChainstateManager& chainman = *ctx.chainman;
            {
                std::lock_guard lock(chainman.GetMutex());
                if (!chainman.Tree().Lookup(header.prev_block)) {
                    throw RpcError(RPC_VERIFY_ERROR, "Must submit previous header (" + header.prev_block.GetHex() + ") first");
                }
            }
            BlockValidationState state;
            chainman.ProcessNewBlockHeaders({header}, state);
            if (state.IsValid()) return UniValue();
            if (state.IsError()) throw RpcError(RPC_VERIFY_ERROR, state.ToString());
            throw RpcError(RPC_VERIFY_ERROR, state.GetRejectReason());
        }};
}

RpcMethod GetNetworkHashPs(RpcContext& ctx)
{
    return RpcMethod{
        "getnetworkhashps",
        "Returns the estimated network hashes per second based on the last n blocks.\n"
        "Pass in [blocks] to override # of blocks, -1 specifies since last difficulty change.\n"
        "Pass in [height] to estimate the network speed at the time when a certain block was found.\n",
        {
            {"nblocks", RpcArg::Type::NUM, RpcArg::Default{UniValue(120)},
             "The number of previous blocks to calculate estimate from, or -1 for blocks since last difficulty change."},
            {"height", RpcArg::Type::NUM, RpcArg::Default{UniValue(-1)}, "To estimate at the time of the given height."},
        },
        RpcResult{RpcResult::Type::NUM, "", "Hashes per second estimated"},
        RpcExamples{HelpExampleCli("getnetworkhashps", "") + HelpExampleRpc("getnetworkhashps", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const int lookup = args.GetInt<int>(0);
            const int height = args.GetInt<int>(1);
            std::lock_guard lock(ctx.chainman->GetMutex());
            return NetworkHashPs(*ctx.chainman, lookup, height);
        }};
}

RpcMethod GetMiningInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getmininginfo",
        "Returns a json object containing mining-related information.",
        {},
        RpcResult{
            RpcResult::Type::OBJ, "", "",
            {
                {RpcResult::Type::NUM, "blocks", "The current block"},
                {RpcResult::Type::NUM, "currentblockweight", /*optional=*/true,
                 "The block weight (including reserved weight for block header, txs count and coinbase tx) of the last assembled block (only present if a block was ever assembled)"},
                {RpcResult::Type::NUM, "currentblocktx", /*optional=*/true,
                 "The number of block transactions (excluding coinbase) of the last assembled block (only present if a block was ever assembled)"},
                {RpcResult::Type::STR_HEX, "bits", "The current nBits, compact representation of the block difficulty target"},
                {RpcResult::Type::NUM, "difficulty", "The current difficulty"},
                {RpcResult::Type::STR_HEX, "target", "The current target"},
                {RpcResult::Type::NUM, "networkhashps", "The network hashes per second"},
                {RpcResult::Type::NUM, "pooledtx", "The size of the mempool"},
                {RpcResult::Type::STR_AMOUNT, "blockmintxfee",
                 "Minimum feerate of packages selected for block inclusion in BTC/kvB"},
                {RpcResult::Type::STR, "chain", "current network name (main, test, testnet4, signet, regtest)"},
                {RpcResult::Type::STR_HEX, "signet_challenge", /*optional=*/true,
                 "The block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)"},
                {RpcResult::Type::OBJ, "next", "The next block",
                 {
                     {RpcResult::Type::NUM, "height", "The next height"},
                     {RpcResult::Type::STR_HEX, "bits", "The next target nBits"},
                     {RpcResult::Type::NUM, "difficulty", "The next difficulty"},
                     {RpcResult::Type::STR_HEX, "target", "The next target"},
                 }},
                {RpcResult::Type::ARR, "warnings",
                 "any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)",
                 {{RpcResult::Type::STR, "", "warning"}}},
            }},
        RpcExamples{HelpExampleCli("getmininginfo", "") + HelpExampleRpc("getmininginfo", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            ChainstateManager& chainman = *ctx.chainman;
            const auto stats = GetLastTemplateStats();
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex& tip = RequireTip(chainman);
            const ConsensusParams& params = chainman.Params().consensus;
            UniValue obj(UniValue::VOBJ);
            obj.pushKV("blocks", tip.height);
            if (stats) {
                obj.pushKV("currentblockweight", stats->weight);
                obj.pushKV("currentblocktx", stats->num_txs);
            }
            obj.pushKV("bits", fmt::format("{:08x}", tip.bits));
            obj.pushKV("difficulty", DoubleValue(GetDifficulty(tip.bits)));
            obj.pushKV("target", TargetHex(tip.bits));
            obj.pushKV("networkhashps", NetworkHashPs(chainman, 120, -1));
            uint64_t pooled = 0;
            if (ctx.mempool) {
                std::lock_guard pool_lock(ctx.mempool->GetMutex());
                pooled = ctx.mempool->Size();
            }
            obj.pushKV("pooledtx", pooled);
            obj.pushKV("blockmintxfee", ValueFromAmount(MiningOptions(ctx).block_min_fee_rate.GetFeePerK()));
            obj.pushKV("chain", std::string(chainman.Params().GetChainTypeString()));

            // The next block as if it were mined now with no transactions.
            BlockHeader next_header;
            next_header.prev_block = tip.GetBlockHash();
            UpdateTime(next_header, tip, params, GetTime());
            next_header.bits = GetNextWorkRequired(&tip, next_header, params);
            UniValue next(UniValue::VOBJ);
            next.pushKV("height", tip.height + 1);
            next.pushKV("bits", fmt::format("{:08x}", next_header.bits));
            next.pushKV("difficulty", DoubleValue(GetDifficulty(next_header.bits)));
            next.pushKV("target", TargetHex(next_header.bits));
            obj.pushKV("next", next);
            // After "next", where Core puts it (its help lists it before).
            if (params.signet_blocks) obj.pushKV("signet_challenge", HexStr(params.signet_challenge));
            obj.pushKV("warnings", UniValue(UniValue::VARR));
            return obj;
        }};
}

RpcMethod SetMockTime(RpcContext& ctx)
{
    return RpcMethod{
        "setmocktime",
        "Set the local time to given timestamp (-regtest only)\n",
        {{"timestamp", RpcArg::Type::NUM, RpcArg::Optional::NO,
          "UNIX epoch time\nPass 0 to go back to using the system time."}},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{""},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            if (ctx.chain != ChainType::REGTEST) {
                throw std::runtime_error("setmocktime is for regression testing (-regtest mode) only");
            }
            const int64_t time = RpcArgs(self, request).GetInt<int64_t>(0);
            // The largest time a nanosecond clock can hold, as Core bounds it.
            constexpr int64_t max_time =
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::nanoseconds::max()).count();
            if (time < 0 || time > max_time) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               fmt::format("Mocktime must be in the range [0, {}], not {}.", max_time, time));
            }
            // Not in the middle of validating a block (Core takes cs_main too).
            std::lock_guard lock(ctx.chainman->GetMutex());
            cairn::SetMockTime(time);
            return UniValue();
        }};
}

} // namespace

void RegisterMiningRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("mining", GetNetworkHashPs(ctx));
    table.Register("mining", GetMiningInfo(ctx));
    table.Register("mining", SubmitBlock(ctx));
    table.Register("mining", SubmitHeader(ctx));
    RegisterBlockTemplateRpcCommands(table, ctx);
    RegisterMiningPriorityRpcCommands(table, ctx);

    table.Register("generating", GenerateToAddress(ctx));
    table.Register("generating", GenerateToDescriptor(ctx));
    table.Register("generating", GenerateBlock(ctx));

    table.Register("hidden", Generate());
    table.Register("hidden", SetMockTime(ctx));
}

} // namespace cairn
