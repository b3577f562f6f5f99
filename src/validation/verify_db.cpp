// verifychain (and -checkblocks at startup): a check of the stored chain
// near the tip against the block files, the undo files and the UTXO set,
// as Bitcoin Core's CVerifyDB does it. Each level adds to the one below:
//   0  every block can be read back from its blk file;
//   1  and passes CheckBlock (merkle root, proof of work, transactions);
//   2  and its undo data reads back with a matching checksum;
//   3  and disconnecting the blocks, tip first, from a scratch view over the
//      coins is clean (every output there, every spent coin put back);
//   4  and connecting them again passes every rule, scripts included.
// Nothing is written: the scratch view is dropped at the end.
#include "consensus/block_check.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <algorithm>

namespace cairn {

namespace {

/** Progress in percent, as Core reports it: disconnecting takes the whole
 *  scale, or half of it when level 4 reconnects the blocks afterwards. */
int PercentDone(int tip_height, int height, int depth, int level, bool reconnecting)
{
    const double share = level >= 4 ? 50.0 : 100.0;
    const double done = reconnecting ? 100.0 - double(tip_height - height) / double(depth) * share
                                     : double(tip_height - height) / double(depth) * share;
    return std::clamp(int(done), 1, 99);
}

} // namespace

VerifyDBResult ChainstateManager::VerifyDBDetailed(int level, int depth, const std::function<bool()>& interrupt)
{
    std::lock_guard lock(m_mutex);
    const BlockIndex* tip = m_chain.Tip();
    if (!tip || !tip->prev) return VerifyDBResult::SUCCESS; // nothing but the genesis block, whose coinbase is not in the set

    const int tip_height = m_chain.Height();
    if (depth <= 0 || depth > tip_height) depth = tip_height;
    level = std::clamp(level, 0, 4);
    LogInfo("Verifying last {} blocks at level {}", depth, level);
    ValidationNotifications* notify = m_opts.notifications;
    const bool prune_mode = IsPruneMode();
    const ConsensusParams& params = m_opts.params->consensus;

    // Changes of levels 3 and 4 go here only, never to the node's coins.
    CoinsCache view(m_coins.get());
    BlockIndex* index = m_chain.Tip();
    const BlockIndex* failure = nullptr; // the lowest block whose disconnection was unclean
    int good_transactions = 0;
    int reported = 0;
    bool skipped_missing_data = false;
    bool skipped_level3 = false;
    LogInfo("Verification progress: 0%");
    const auto report = [&](int percent) {
        if (reported < percent / 10) {
            LogInfo("Verification progress: {}%", percent);
            reported = percent / 10;
        }
        if (notify) notify->Progress("Verifying blocks…", percent, false);
    };
    // Levels 0 and 4 read blocks back; a block that does not read is a damaged database.
    const auto read_block = [&](const BlockIndex* at, Block& out) {
        try {
            out = m_block_files->ReadBlock(FlatFilePos(at->file, at->data_pos));
            return true;
        } catch (const std::exception& e) {
            LogInfo("Verification error: ReadBlockFromDisk failed at {}, hash={} ({})", at->height,
                    at->GetBlockHash().GetHex(), e.what());
            return false;
        }
    };

    for (; index && index->prev; index = index->prev) {
        report(PercentDone(tip_height, index->height, depth, level, false));
        if (index->height <= tip_height - depth) break;
        if (prune_mode && !(index->status & BLOCK_HAVE_DATA)) {
            // A pruned node only goes back as far as it has blocks.
            LogInfo("VerifyDB(): block verification stopping at height {} (no data). This could be due to pruning "
                    "or use of an assumeutxo snapshot.",
                    index->height);
            skipped_missing_data = true;
            break;
        }

        // Level 0: the block reads back.
        Block block;
        if (!read_block(index, block)) return VerifyDBResult::CORRUPTED_BLOCK_DB;
        // Level 1: the block is valid on its own.
        BlockValidationState state;
        if (level >= 1 && !CheckBlock(block, state, params, true, true)) {
            LogInfo("Verification error: found bad block at {}, hash={} ({})", index->height,
                    index->GetBlockHash().GetHex(), state.ToString());
            return VerifyDBResult::CORRUPTED_BLOCK_DB;
        }
        // Level 2: its undo data reads back and matches its checksum.
        if (level >= 2 && (index->status & BLOCK_HAVE_UNDO)) {
            try {
                (void)m_block_files->ReadUndo(FlatFilePos(index->file, index->undo_pos), index->prev->GetBlockHash());
            } catch (const std::exception& e) {
                LogInfo("Verification error: found bad undo data at {}, hash={} ({})", index->height,
                        index->GetBlockHash().GetHex(), e.what());
                return VerifyDBResult::CORRUPTED_BLOCK_DB;
            }
        }
        // Level 3: disconnecting it from the scratch view is clean, as long
        // as the two caches fit the coins budget together.
        if (level >= 3) {
            if (view.DynamicMemoryUsage() + m_coins->DynamicMemoryUsage() <= CoinsCacheBudget()) {
                const DisconnectResult res = DisconnectBlock(block, index, view);
                if (res == DisconnectResult::FAILED) {
                    LogInfo("Verification error: irrecoverable inconsistency in block data at {}, hash={}",
                            index->height, index->GetBlockHash().GetHex());
                    return VerifyDBResult::CORRUPTED_BLOCK_DB;
                }
                if (res == DisconnectResult::UNCLEAN) {
                    good_transactions = 0;
                    failure = index;
                } else {
                    good_transactions += int(block.vtx.size());
                }
            } else {
                skipped_level3 = true;
            }
        }
        if (interrupt && interrupt()) return VerifyDBResult::INTERRUPTED;
    }
    if (failure) {
        LogInfo("Verification error: coin database inconsistencies found (last {} blocks, {} good transactions "
                "before that)",
                tip_height - failure->height + 1, good_transactions);
        return VerifyDBResult::CORRUPTED_BLOCK_DB;
    }
    if (skipped_level3) {
        LogInfo("Skipped verification of level >=3 (insufficient database cache size). Consider increasing "
                "-dbcache.");
    }
    // `index` is the last block not checked (its child was the lowest one checked).
    const int block_count = tip_height - index->height;

    // Level 4: connect the blocks again, in order, on the scratch view.
    if (level >= 4 && !skipped_level3) {
        while (index != m_chain.Tip()) {
            report(PercentDone(tip_height, index->height, depth, level, true));
            index = m_chain.Next(index);
            Block block;
            if (!read_block(index, block)) return VerifyDBResult::CORRUPTED_BLOCK_DB;
            BlockValidationState state;
            if (!ConnectBlock(block, state, index, view)) {
                LogInfo("Verification error: found unconnectable block at {}, hash={} ({})", index->height,
                        index->GetBlockHash().GetHex(), state.ToString());
                return VerifyDBResult::CORRUPTED_BLOCK_DB;
            }
            if (interrupt && interrupt()) return VerifyDBResult::INTERRUPTED;
        }
    }
    if (notify) notify->Progress("", 100, false);
    LogInfo("Verification: No coin database inconsistencies in last {} blocks ({} transactions)", block_count,
            good_transactions);
    // As in Core, a check that could not be done in full is not a success.
    if (skipped_missing_data) return VerifyDBResult::SKIPPED_MISSING_BLOCKS;
    if (skipped_level3) return VerifyDBResult::SKIPPED_L3_CHECKS;
    return VerifyDBResult::SUCCESS;
}

bool ChainstateManager::VerifyDB(int level, int depth, const std::function<bool()>& interrupt)
{
    return VerifyDBDetailed(level, depth, interrupt) == VerifyDBResult::SUCCESS;
}

} // namespace cairn
