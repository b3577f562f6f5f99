// Blockchain RPCs (help category "blockchain"). The rest of Bitcoin Core's
// blockchain methods arrive with the node issue.
#include "consensus/pow.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/strencodings.h"
#include "validation/chainstate_manager.h"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>

namespace cairn {

namespace {

/** Bitcoin Core's difficulty: the difficulty-1 target over this target. */
double GetDifficulty(uint32_t bits)
{
    int shift = (bits >> 24) & 0xff;
    double diff = double(0x0000ffff) / double(bits & 0x00ffffff);
    while (shift < 29) {
        diff *= 256.0;
        ++shift;
    }
    while (shift > 29) {
        diff /= 256.0;
        --shift;
    }
    return diff;
}

/** A double the way Core's UniValue prints it (16 significant digits). */
UniValue DoubleValue(double v)
{
    UniValue out;
    out.setNumStr(fmt::format("{:.16g}", v));
    return out;
}

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
            const int64_t height = RpcArgs(self, request).GetInt<int64_t>(0);
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

RpcMethod GetBlockchainInfo(ChainstateManager& chainman, std::filesystem::path blocks_dir)
{
    return RpcMethod{
        "getblockchaininfo",
        "Returns an object containing various state info regarding blockchain processing.",
        {},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::STR, "chain", "current network name (main, test, testnet4, signet, regtest)"},
                      {RpcResult::Type::NUM, "blocks", "the height of the most-work fully-validated chain"},
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
                      {RpcResult::Type::ARR, "warnings", "any network and blockchain warnings",
                       {{RpcResult::Type::STR, "", "warning"}}},
                  }},
        RpcExamples{HelpExampleCli("getblockchaininfo", "") + HelpExampleRpc("getblockchaininfo", "")},
        [&chainman, blocks_dir](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            const bool ibd = chainman.IsInitialBlockDownload();
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex& tip = RequireTip(chainman);
            const BlockIndex* best_header = chainman.Tree().BestHeader();
            UniValue obj(UniValue::VOBJ);
            obj.pushKV("chain", std::string(chainman.Params().GetChainTypeString()));
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
            obj.pushKV("verificationprogress", DoubleValue(ibd ? 0.0 : 1.0));
            obj.pushKV("initialblockdownload", ibd);
            obj.pushKV("chainwork", ArithToUint256(tip.chain_work).GetHex());
            uint64_t size = 0;
            std::error_code ec;
            for (const auto& entry : std::filesystem::directory_iterator(blocks_dir, ec)) {
                const std::string name = entry.path().filename().string();
                if ((name.rfind("blk", 0) == 0 || name.rfind("rev", 0) == 0) && entry.is_regular_file(ec)) {
                    size += entry.file_size(ec);
                }
            }
            obj.pushKV("size_on_disk", size);
            obj.pushKV("pruned", false);
            obj.pushKV("warnings", UniValue(UniValue::VARR));
            return obj;
        }};
}

} // namespace

void RegisterBlockchainRpcCommands(RpcTable& table, RpcContext& ctx)
{
    ChainstateManager& chainman = *ctx.chainman;
    const std::filesystem::path blocks_dir = ctx.datadir / "blocks";
    table.Register("blockchain", GetBestBlockHash(chainman));
    table.Register("blockchain", GetBlockchainInfo(chainman, blocks_dir));
    table.Register("blockchain", GetBlockCount(chainman));
    table.Register("blockchain", GetBlockHash(chainman));
    table.Register("blockchain", GetDifficultyRpc(chainman));
}

} // namespace cairn
