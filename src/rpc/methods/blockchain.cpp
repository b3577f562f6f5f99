// Blockchain RPCs (help category "blockchain"). The rest of Bitcoin Core's
// blockchain methods arrive with the node issue.
#include "consensus/pow.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "util/args.h"
#include "util/hex.h"
#include "util/strencodings.h"
#include "validation/chainstate_manager.h"
#include "validation/verification_progress.h"

#include <cmath>
#include <ctime>
#include <fmt/format.h>

namespace cairn {

namespace {

const BlockIndex& RequireTip(const ChainstateManager& chainman)
{
    const BlockIndex* tip = chainman.ActiveChain().Tip();
    if (!tip) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
    return *tip;
}

RpcMethod GetBlockCount(ChainstateManager& chainman)
{
    return RpcMethod{
        "getblockcount",
        "Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.",
        {},
        RpcResult{RpcResult::Type::NUM, "", "The current block count"},
        RpcExamples{HelpExampleCli("getblockcount", "") + HelpExampleRpc("getblockcount", "")},
        [&chainman](const RpcMethod&, const JsonRpcRequest&) -> UniValue { return chainman.Height(); }};
}

RpcMethod GetBestBlockHash(ChainstateManager& chainman)
{
    return RpcMethod{
        "getbestblockhash",
        "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
        {},
        RpcResult{RpcResult::Type::STR_HEX, "", "the block hash, hex-encoded"},
        RpcExamples{HelpExampleCli("getbestblockhash", "") + HelpExampleRpc("getbestblockhash", "")},
        [&chainman](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            std::lock_guard lock(chainman.GetMutex());
            return RequireTip(chainman).GetBlockHash().GetHex();
        }};
}

RpcMethod GetBlockHash(ChainstateManager& chainman)
{
    return RpcMethod{
        "getblockhash",
        "Returns hash of block in best-block-chain at height provided.",
        {{"height", RpcArg::Type::NUM, RpcArg::Optional::NO, "The height index"}},
        RpcResult{RpcResult::Type::STR_HEX, "", "The block hash"},
        RpcExamples{HelpExampleCli("getblockhash", "1000") + HelpExampleRpc("getblockhash", "1000")},
        [&chainman](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const int64_t height = RpcArgs(self, request).GetInt<int>(0);
            std::lock_guard lock(chainman.GetMutex());
            const Chain& chain = chainman.ActiveChain();
            if (height < 0 || height > chain.Height()) throw RpcError(RPC_INVALID_PARAMETER, "Block height out of range");
            return chain[int(height)]->GetBlockHash().GetHex();
        }};
}

RpcMethod GetDifficultyRpc(ChainstateManager& chainman)
{
    return RpcMethod{
        "getdifficulty",
        "Returns the proof-of-work difficulty as a multiple of the minimum difficulty.",
        {},
        RpcResult{RpcResult::Type::NUM, "", "the proof-of-work difficulty as a multiple of the minimum difficulty."},
        RpcExamples{HelpExampleCli("getdifficulty", "") + HelpExampleRpc("getdifficulty", "")},
        [&chainman](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            std::lock_guard lock(chainman.GetMutex());
            return DoubleValue(GetDifficulty(RequireTip(chainman).bits));
        }};
}

/** Core's warnings for the chain: unknown soft forks that activated. (The
 *  other kind, a long invalid chain with more work than ours, is not
 *  reported yet.) Under the chainstate lock. */
UniValue ChainWarnings(ChainstateManager& chainman, const BlockIndex& tip)
{
    UniValue warnings(UniValue::VARR);
    for (const auto& [bit, active] : chainman.VersionBits().CheckUnknownActivations(&tip, chainman.Params().consensus)) {
        // Core keeps one warning of this kind (the first bit it sees); LOCKED_IN ones are only logged.
        if (active) {
            warnings.push_back(fmt::format("Unknown new rules activated (versionbit {})", bit));
            break;
        }
    }
    return warnings;
}

RpcMethod GetBlockchainInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getblockchaininfo",
        "Returns an object containing various state info regarding blockchain processing.",
        {},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::STR, "chain", "current network name (main, test, testnet4, signet, regtest)"},
                      {RpcResult::Type::NUM, "blocks", "the height of the most-work fully-validated chain. The genesis block has height 0"},
                      {RpcResult::Type::NUM, "headers", "the current number of headers we have validated"},
                      {RpcResult::Type::STR, "bestblockhash", "the hash of the currently best block"},
                      {RpcResult::Type::STR_HEX, "bits", "nBits: compact representation of the block difficulty target"},
                      {RpcResult::Type::STR_HEX, "target", "The difficulty target"},
                      {RpcResult::Type::NUM, "difficulty", "the current difficulty"},
                      {RpcResult::Type::NUM_TIME, "time", "The block time expressed in UNIX epoch time"},
                      {RpcResult::Type::NUM_TIME, "mediantime", "The median block time expressed in UNIX epoch time"},
                      {RpcResult::Type::NUM, "verificationprogress", "estimate of verification progress [0..1]"},
                      {RpcResult::Type::BOOL, "initialblockdownload", "(debug information) estimate of whether this node is in Initial Block Download mode"},
                      {RpcResult::Type::STR_HEX, "chainwork", "total amount of work in active chain, in hexadecimal"},
                      {RpcResult::Type::NUM, "size_on_disk", "the estimated size of the block and undo files on disk"},
                      {RpcResult::Type::BOOL, "pruned", "if the blocks are subject to pruning"},
                      {RpcResult::Type::NUM, "pruneheight", /*optional=*/true, "height of the last block pruned, plus one (only present if pruning is enabled)"},
                      {RpcResult::Type::BOOL, "automatic_pruning", /*optional=*/true, "whether automatic pruning is enabled (only present if pruning is enabled)"},
                      {RpcResult::Type::NUM, "prune_target_size", /*optional=*/true, "the target size used by pruning (only present if automatic pruning is enabled)"},
                      {RpcResult::Type::STR_HEX, "signet_challenge", /*optional=*/true, "the block challenge (aka. block script), in hexadecimal (only present if the current network is a signet)"},
                      {RpcResult::Type::ARR, "warnings", "any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)",
                       {{RpcResult::Type::STR, "", "warning"}}},
                  }},
        RpcExamples{HelpExampleCli("getblockchaininfo", "") + HelpExampleRpc("getblockchaininfo", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            ChainstateManager& chainman = *ctx.chainman;
            const bool ibd = chainman.IsInitialBlockDownload();
            // These take the lock themselves.
            const uint64_t size_on_disk = chainman.BlockFilesUsage();
            const bool pruned = chainman.IsPruneMode();
            const int prune_height = pruned ? chainman.PruneHeight() : 0;
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex& tip = RequireTip(chainman);
            const BlockIndex* best_header = chainman.Tree().BestHeader();
            const ChainParams& params = chainman.Params();
            UniValue obj(UniValue::VOBJ);
            obj.pushKV("chain", std::string(params.GetChainTypeString()));
            obj.pushKV("blocks", tip.height);
            obj.pushKV("headers", best_header ? best_header->height : -1);
            obj.pushKV("bestblockhash", tip.GetBlockHash().GetHex());
            obj.pushKV("bits", fmt::format("{:08x}", tip.bits));
            arith_uint256 target;
            target.SetCompact(tip.bits);
            obj.pushKV("target", ArithToUint256(target).GetHex());
            obj.pushKV("difficulty", DoubleValue(GetDifficulty(tip.bits)));
            obj.pushKV("time", int64_t(tip.time));
            obj.pushKV("mediantime", tip.GetMedianTimePast());
            obj.pushKV("verificationprogress",
                       DoubleValue(GuessVerificationProgress(GetChainTxData(params), &tip, int64_t(std::time(nullptr)))));
            obj.pushKV("initialblockdownload", ibd);
            obj.pushKV("chainwork", ArithToUint256(tip.chain_work).GetHex());
            obj.pushKV("size_on_disk", size_on_disk);
            obj.pushKV("pruned", pruned);
            if (pruned) {
                obj.pushKV("pruneheight", prune_height);
                // -prune=1 prunes only on request (pruneblockchain); larger values are a target in MiB.
                const int64_t prune_mib = ctx.args ? ctx.args->GetIntArg("-prune", 0) : 0;
                const bool automatic = prune_mib > 1;
                obj.pushKV("automatic_pruning", automatic);
                if (automatic) obj.pushKV("prune_target_size", uint64_t(prune_mib) << 20);
            }
            if (params.chain_type == ChainType::SIGNET) {
                obj.pushKV("signet_challenge", HexStr(params.consensus.signet_challenge));
            }
            obj.pushKV("warnings", ChainWarnings(chainman, tip));
            return obj;
        }};
}

} // namespace

void RegisterBlockchainRpcCommands(RpcTable& table, RpcContext& ctx)
{
    ChainstateManager& chainman = *ctx.chainman;
    table.Register("blockchain", GetBestBlockHash(chainman));
    table.Register("blockchain", GetBlockchainInfo(ctx));
    table.Register("blockchain", GetBlockCount(chainman));
    table.Register("blockchain", GetBlockHash(chainman));
    table.Register("blockchain", GetDifficultyRpc(chainman));
}

} // namespace cairn
