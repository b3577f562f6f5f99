// pruneblockchain (help category "blockchain"): deleting old block files on
// request, for nodes started with -prune.
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"

namespace cairn {

namespace {

/** Block times may be this far out of order: a timestamp prunes only blocks
 *  at least this much older (Core's TIMESTAMP_WINDOW). */
constexpr int64_t TIMESTAMP_WINDOW = 2 * 60 * 60;
/** Above this a "height" is a block time (Sep 2001 onwards), as in Core. */
constexpr int64_t MAX_HEIGHT_PARAM = 1000000000;

RpcMethod PruneBlockchain(ChainstateManager& chainman)
{
    return RpcMethod{
        "pruneblockchain",
        "",
        {{"height", RpcArg::Type::NUM, RpcArg::Optional::NO,
          "The block height to prune up to. May be set to a discrete height, or to a UNIX epoch time"
              "\n                  to prune blocks whose block time is at least 2 hours older than the provided "
              "timestamp."}},
        RpcResult{RpcResult::Type::NUM, "", "Height of the last block pruned"},
        RpcExamples{HelpExampleCli("pruneblockchain", "1000") + HelpExampleRpc("pruneblockchain", "1000")},
        [&chainman](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            if (!chainman.IsPruneMode()) {
                throw RpcError(RPC_MISC_ERROR, "Cannot prune blocks because node is not in prune mode.");
            }
            int height = RpcArgs(self, request).GetInt<int>(0);
            if (height < 0) throw RpcError(RPC_INVALID_PARAMETER, "Negative block height.");
            {
                std::lock_guard lock(chainman.GetMutex());
                const Chain& chain = chainman.ActiveChain();
                if (height > MAX_HEIGHT_PARAM) {
                    const BlockIndex* b = chain.FindEarliestAtLeast(int64_t(height) - TIMESTAMP_WINDOW, 0);
                    if (!b) {
                        throw RpcError(RPC_INVALID_PARAMETER,
                                       "Could not find block with at least the specified timestamp.");
                    }
                    height = b->height;
                }
                const int chain_height = chain.Height();
                if (chain_height < 0 || uint64_t(chain_height) < chainman.Params().prune_after_height) {
                    throw RpcError(RPC_MISC_ERROR, "Blockchain is too short for pruning.");
                }
                if (height > chain_height) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Blockchain is shorter than the attempted prune height.");
                }
                if (height > chain_height - MIN_BLOCKS_TO_KEEP) {
                    LogDebug(LogCategory::RPC,
                             "Attempt to prune blocks close to the tip.  Retaining the minimum number of blocks.");
                    height = chain_height - MIN_BLOCKS_TO_KEEP;
                }
            }
            if (!chainman.PruneBlockFilesManual(height)) {
                throw RpcError(RPC_MISC_ERROR, "Failed to write to the coin or block database");
            }
            // The last pruned block is just below the lowest one with data (-1: none).
            return chainman.PruneHeight() - 1;
        }};
}

} // namespace

void RegisterPruningRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("blockchain", PruneBlockchain(*ctx.chainman));
}

} // namespace cairn
