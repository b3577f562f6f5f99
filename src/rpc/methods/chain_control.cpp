// RPCs that check, steer or wait on the active chain: verifychain,
// preciousblock, getdeploymentinfo, waitfornewblock, waitforblock and
// waitforblockheight (help category "blockchain", public since Core 30);
// invalidateblock, reconsiderblock and syncwithvalidationinterfacequeue
// ("hidden", as in Bitcoin Core). pruneblockchain lives in pruning.cpp.
#include "consensus/versionbits.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "validation/chainstate_manager.h"
#include "validation/tip_watch.h"

#include <string>

namespace cairn {

namespace {

/** Core's defaults for verifychain (and -checklevel / -checkblocks). */
constexpr int DEFAULT_CHECKLEVEL = 3;
constexpr int DEFAULT_CHECKBLOCKS = 6;

const RpcResult WAIT_RESULT{RpcResult::Type::OBJ, "", "",
                            {
                                {RpcResult::Type::STR_HEX, "hash", "The blockhash"},
                                {RpcResult::Type::NUM, "height", "Block height"},
                            }};

UniValue TipToJSON(const TipWatch::Tip& tip)
{
    UniValue ret(UniValue::VOBJ);
    ret.pushKV("hash", tip.hash.GetHex());
    ret.pushKV("height", tip.height);
    return ret;
}

/** The timeout argument of the waitfor* methods, in milliseconds (0: none). */
int64_t WaitTimeout(const RpcArgs& args, size_t i)
{
    const int timeout = args.GetInt<int>(i);
    if (timeout < 0) throw RpcError(RPC_MISC_ERROR, "Negative timeout");
    return timeout;
}

/** Looks the block up first so that an unknown hash gets Core's error. */
void RequireKnownBlock(ChainstateManager& chainman, const uint256& hash)
{
    std::lock_guard lock(chainman.GetMutex());
    if (!chainman.Tree().Lookup(hash)) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
}

/** Engine failures (not the verdict on a block) are database errors, as in Core. */
void ThrowIfFailed(const BlockValidationState& state)
{
    if (!state.IsValid()) throw RpcError(RPC_DATABASE_ERROR, state.ToString());
}

RpcMethod VerifyChain(RpcContext& ctx)
{
    return RpcMethod{
        "verifychain",
        "Verifies blockchain database.",
        {
            {"checklevel", RpcArg::Type::NUM, RpcArg::DefaultHint{std::to_string(DEFAULT_CHECKLEVEL) + ", range=0-4"},
             "How thorough the block verification is:\n"
             "- level 0 reads the blocks from disk\n"
             "- level 1 verifies block validity\n"
             "- level 2 verifies undo data\n"
             "- level 3 checks disconnection of tip blocks\n"
             "- level 4 tries to reconnect the blocks\n"
             "- each level includes the checks of the previous levels"},
            {"nblocks", RpcArg::Type::NUM, RpcArg::DefaultHint{std::to_string(DEFAULT_CHECKBLOCKS) + ", 0=all"},
             "The number of blocks to check."},
        },
        RpcResult{RpcResult::Type::BOOL, "", "Verification finished successfully. If false, check debug.log for reason."},
        RpcExamples{HelpExampleCli("verifychain", "") + HelpExampleRpc("verifychain", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const int level = args.MaybeInt<int>(0).value_or(DEFAULT_CHECKLEVEL);
            const int depth = args.MaybeInt<int>(1).value_or(DEFAULT_CHECKBLOCKS);
            return ctx.chainman->VerifyDB(level, depth, ctx.shutdown_requested);
        }};
}

RpcMethod PreciousBlock(RpcContext& ctx)
{
    return RpcMethod{
        "preciousblock",
        "Treats a block as if it were received before others with the same work.\n\n"
        "A later preciousblock call can override the effect of an earlier one.\n\n"
        "The effects of preciousblock are not retained across restarts.",
        {{"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hash of the block to mark as precious"}},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{HelpExampleCli("preciousblock", "\"blockhash\"") + HelpExampleRpc("preciousblock", "\"blockhash\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const uint256 hash = ParseHashV(RpcArgs(self, request).Get(0), "blockhash");
            RequireKnownBlock(*ctx.chainman, hash);
            BlockValidationState state;
            ctx.chainman->PreciousBlock(state, hash);
            ThrowIfFailed(state);
            return UniValue(UniValue::VNULL);
        }};
}

RpcMethod InvalidateBlock(RpcContext& ctx)
{
    return RpcMethod{
        "invalidateblock",
        "Permanently marks a block as invalid, as if it violated a consensus rule.",
        {{"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hash of the block to mark as invalid"}},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{HelpExampleCli("invalidateblock", "\"blockhash\"") + HelpExampleRpc("invalidateblock", "\"blockhash\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const uint256 hash = ParseHashV(RpcArgs(self, request).Get(0), "blockhash");
            RequireKnownBlock(*ctx.chainman, hash);
            BlockValidationState state;
            ctx.chainman->InvalidateBlock(state, hash); // moves to the best remaining chain
            ThrowIfFailed(state);
            return UniValue(UniValue::VNULL);
        }};
}

RpcMethod ReconsiderBlock(RpcContext& ctx)
{
    return RpcMethod{
        "reconsiderblock",
        "Removes invalidity status of a block, its ancestors and its descendants, reconsider them for activation.\n"
        "This can be used to undo the effects of invalidateblock.",
        {{"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "the hash of the block to reconsider"}},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{HelpExampleCli("reconsiderblock", "\"blockhash\"") + HelpExampleRpc("reconsiderblock", "\"blockhash\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const uint256 hash = ParseHashV(RpcArgs(self, request).Get(0), "blockhash");
            RequireKnownBlock(*ctx.chainman, hash);
            BlockValidationState state;
            ctx.chainman->ReconsiderBlock(state, hash);
            ThrowIfFailed(state);
            return UniValue(UniValue::VNULL);
        }};
}

RpcMethod WaitForNewBlock(RpcContext& ctx)
{
    return RpcMethod{
        "waitfornewblock",
        "Waits for any new block and returns useful info about it.\n\n"
        "Returns the current block on timeout or exit.\n\n"
        "Make sure to use no RPC timeout (cairn-cli -rpcclienttimeout=0)",
        {
            {"timeout", RpcArg::Type::NUM, RpcArg::Default{0}, "Time in milliseconds to wait for a response. 0 indicates no timeout."},
            {"current_tip", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, "Method waits for the chain tip to differ from this."},
        },
        WAIT_RESULT,
        RpcExamples{HelpExampleCli("waitfornewblock", "1000") + HelpExampleRpc("waitfornewblock", "1000")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const int64_t timeout = WaitTimeout(args, 0);
            TipWatch& watch = *ctx.tip_watch;
            // With current_tip the caller names the tip it knows, so a block found between two calls is not missed.
            const uint256 known = args.Has(1) ? ParseHashV(args.Get(1), "current_tip") : watch.Latest().hash;
            return TipToJSON(watch.WaitFor([&](const TipWatch::Tip& tip) { return tip.hash != known; }, timeout));
        }};
}

RpcMethod WaitForBlock(RpcContext& ctx)
{
    return RpcMethod{
        "waitforblock",
        "Waits for a specific new block and returns useful info about it.\n\n"
        "Returns the current block on timeout or exit.\n\n"
        "Make sure to use no RPC timeout (cairn-cli -rpcclienttimeout=0)",
        {
            {"blockhash", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "Block hash to wait for."},
            {"timeout", RpcArg::Type::NUM, RpcArg::Default{0}, "Time in milliseconds to wait for a response. 0 indicates no timeout."},
        },
        WAIT_RESULT,
        RpcExamples{
            HelpExampleCli("waitforblock", "\"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862\" 1000") +
            HelpExampleRpc("waitforblock", "\"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862\", 1000")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const uint256 hash = ParseHashV(args.Get(0), "blockhash");
            const int64_t timeout = WaitTimeout(args, 1);
            return TipToJSON(ctx.tip_watch->WaitFor([&](const TipWatch::Tip& tip) { return tip.hash == hash; }, timeout));
        }};
}

RpcMethod WaitForBlockHeight(RpcContext& ctx)
{
    return RpcMethod{
        "waitforblockheight",
        "Waits for (at least) block height and returns the height and hash\n"
        "of the current tip.\n\n"
        "Returns the current block on timeout or exit.\n\n"
        "Make sure to use no RPC timeout (cairn-cli -rpcclienttimeout=0)",
        {
            {"height", RpcArg::Type::NUM, RpcArg::Optional::NO, "Block height to wait for."},
            {"timeout", RpcArg::Type::NUM, RpcArg::Default{0}, "Time in milliseconds to wait for a response. 0 indicates no timeout."},
        },
        WAIT_RESULT,
        RpcExamples{HelpExampleCli("waitforblockheight", "100 1000") + HelpExampleRpc("waitforblockheight", "100, 1000")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const int height = args.GetInt<int>(0);
            const int64_t timeout = WaitTimeout(args, 1);
            return TipToJSON(ctx.tip_watch->WaitFor([&](const TipWatch::Tip& tip) { return tip.height >= height; }, timeout));
        }};
}

RpcMethod SyncWithValidationInterfaceQueue()
{
    return RpcMethod{
        "syncwithvalidationinterfacequeue",
        "Waits for the validation interface queue to catch up on everything that was there when we entered this function.",
        {},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{HelpExampleCli("syncwithvalidationinterfacequeue", "") +
                    HelpExampleRpc("syncwithvalidationinterfacequeue", "")},
        [](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            // Cairn has no notification queue: the engine calls its
            // listeners synchronously before the call that caused the event
            // returns, so everything queued before this call is done already.
            return UniValue(UniValue::VNULL);
        }};
}

// ---- getdeploymentinfo ----

std::vector<RpcResult> DeploymentDoc()
{
    return {
        {RpcResult::Type::STR, "type", "one of \"buried\", \"bip9\""},
        {RpcResult::Type::NUM, "height", /*optional=*/true,
         "height of the first block which the rules are or will be enforced (only for \"buried\" type, or \"bip9\" type with \"active\" status)"},
        {RpcResult::Type::BOOL, "active", "true if the rules are enforced for the mempool and the next block"},
        {RpcResult::Type::OBJ, "bip9", /*optional=*/true, "status of bip9 softforks (only for \"bip9\" type)",
         {
             {RpcResult::Type::NUM, "bit", /*optional=*/true,
              "the bit (0-28) in the block version field used to signal this softfork (only for \"started\" and \"locked_in\" status)"},
             {RpcResult::Type::NUM_TIME, "start_time", "the minimum median time past of a block at which the bit gains its meaning"},
             {RpcResult::Type::NUM_TIME, "timeout",
              "the median time past of a block at which the deployment is considered failed if not yet locked in"},
             {RpcResult::Type::NUM, "min_activation_height", "minimum height of blocks for which the rules may be enforced"},
             {RpcResult::Type::STR, "status",
              "status of deployment at specified block (one of \"defined\", \"started\", \"locked_in\", \"active\", \"failed\")"},
             {RpcResult::Type::NUM, "since", "height of the first block to which the status applies"},
             {RpcResult::Type::STR, "status_next", "status of deployment at the next block"},
             {RpcResult::Type::OBJ, "statistics", /*optional=*/true,
              "numeric statistics about signalling for a softfork (only for \"started\" and \"locked_in\" status)",
              {
                  {RpcResult::Type::NUM, "period", "the length in blocks of the signalling period"},
                  {RpcResult::Type::NUM, "threshold", /*optional=*/true,
                   "the number of blocks with the version bit set required to activate the feature (only for \"started\" status)"},
                  {RpcResult::Type::NUM, "elapsed", "the number of blocks elapsed since the beginning of the current period"},
                  {RpcResult::Type::NUM, "count", "the number of blocks with the version bit set in the current period"},
                  {RpcResult::Type::BOOL, "possible", /*optional=*/true,
                   "returns false if there are not enough blocks left in this period to pass activation threshold (only for \"started\" status)"},
              }},
             {RpcResult::Type::STR, "signalling", /*optional=*/true,
              "indicates blocks that signalled with a # and blocks that did not with a -"},
         }},
    };
}

void PushBuried(UniValue& out, const BlockIndex& block, const ConsensusParams& params, BuriedDeployment dep)
{
    if (!DeploymentEnabled(params, dep)) return;
    UniValue rv(UniValue::VOBJ);
    rv.pushKV("type", "buried");
    // Active when the rules apply to the block after this one, as Core reports it.
    rv.pushKV("active", DeploymentActiveAfter(&block, params, dep));
    rv.pushKV("height", params.DeploymentHeight(dep));
    out.pushKV(std::string(DeploymentName(dep)), std::move(rv));
}

void PushBip9(UniValue& out, const BlockIndex& block, const ConsensusParams& params, DeploymentPos pos,
              VersionBitsCache& cache)
{
    if (!DeploymentEnabled(params, pos)) return;
    const BIP9Deployment& d = params.deployments[pos];
    const BIP9Info info = cache.Info(block, params, pos);

    UniValue bip9(UniValue::VOBJ);
    if (info.stats) bip9.pushKV("bit", d.bit);
    bip9.pushKV("start_time", d.start_time);
    bip9.pushKV("timeout", d.timeout);
    bip9.pushKV("min_activation_height", d.min_activation_height);
    bip9.pushKV("status", std::string(ThresholdStateName(info.current_state)));
    bip9.pushKV("since", info.since);
    bip9.pushKV("status_next", std::string(ThresholdStateName(info.next_state)));
    if (info.stats) {
        UniValue stats(UniValue::VOBJ);
        stats.pushKV("period", info.stats->period);
        stats.pushKV("elapsed", info.stats->elapsed);
        stats.pushKV("count", info.stats->count);
        if (info.current_state != ThresholdState::LOCKED_IN) {
            stats.pushKV("threshold", info.stats->threshold);
            stats.pushKV("possible", info.stats->possible);
        }
        bip9.pushKV("statistics", std::move(stats));
        bip9.pushKV("signalling", info.signalling_blocks);
    }

    UniValue rv(UniValue::VOBJ);
    rv.pushKV("type", "bip9");
    const bool active = info.next_state == ThresholdState::ACTIVE;
    if (active && info.active_since) rv.pushKV("height", *info.active_since);
    rv.pushKV("active", active);
    rv.pushKV("bip9", std::move(bip9));
    out.pushKV(std::string(DeploymentName(pos)), std::move(rv));
}

RpcMethod GetDeploymentInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getdeploymentinfo",
        "Returns an object containing various state info regarding deployments of consensus changes.",
        {{"blockhash", RpcArg::Type::STR_HEX, RpcArg::Default{"hash of current chain tip"},
          "The block hash at which to query deployment state"}},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::STR, "hash", "requested block hash (or tip)"},
                      {RpcResult::Type::NUM, "height", "requested block height (or tip)"},
                      {RpcResult::Type::OBJ_DYN, "deployments", "",
                       {{RpcResult::Type::OBJ, "xxxx", "name of the deployment", DeploymentDoc()}}},
                  }},
        RpcExamples{HelpExampleCli("getdeploymentinfo", "") + HelpExampleRpc("getdeploymentinfo", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            ChainstateManager& chainman = *ctx.chainman;
            std::lock_guard lock(chainman.GetMutex());
            const BlockIndex* block = chainman.ActiveChain().Tip();
            if (args.Has(0)) {
                block = chainman.Tree().Lookup(ParseHashV(args.Get(0), "blockhash"));
                if (!block) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
            }
            if (!block) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
            const ConsensusParams& params = chainman.Params().consensus;

            // Core's order: bip34, bip66, bip65, csv, segwit, testdummy, taproot.
            UniValue deployments(UniValue::VOBJ);
            PushBuried(deployments, *block, params, BuriedDeployment::HEIGHTINCB);
            PushBuried(deployments, *block, params, BuriedDeployment::DERSIG);
            PushBuried(deployments, *block, params, BuriedDeployment::CLTV);
            PushBuried(deployments, *block, params, BuriedDeployment::CSV);
            PushBuried(deployments, *block, params, BuriedDeployment::SEGWIT);
            PushBip9(deployments, *block, params, DEPLOYMENT_TESTDUMMY, chainman.VersionBits());
            PushBip9(deployments, *block, params, DEPLOYMENT_TAPROOT, chainman.VersionBits());

            UniValue ret(UniValue::VOBJ);
            ret.pushKV("hash", block->GetBlockHash().GetHex());
            ret.pushKV("height", block->height);
            ret.pushKV("deployments", std::move(deployments));
            return ret;
        }};
}

} // namespace

void RegisterChainControlRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("blockchain", GetDeploymentInfo(ctx));
    table.Register("blockchain", PreciousBlock(ctx));
    table.Register("blockchain", VerifyChain(ctx));
    table.Register("hidden", InvalidateBlock(ctx));
    table.Register("hidden", ReconsiderBlock(ctx));
    table.Register("hidden", SyncWithValidationInterfaceQueue());
    table.Register("blockchain", WaitForBlock(ctx));
    table.Register("blockchain", WaitForBlockHeight(ctx));
    table.Register("blockchain", WaitForNewBlock(ctx));
}

} // namespace cairn
