// Writing state to disk in the order that keeps it consistent after a
// crash: block and undo files first, then the block index that points into
// them, then the coins that the undo data can roll back.
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <algorithm>
#include <chrono>

namespace cairn {

namespace {

/** How often the block index is written even when the coins cache is small. */
constexpr int64_t INDEX_WRITE_INTERVAL = 60 * 60;
/** A coins cache this close to its budget is flushed at the next periodic check (Core's
 *  MAX_BLOCK_COINSDB_USAGE_BYTES: about what one block can add). */
constexpr size_t LARGE_CACHE_MARGIN = size_t{10} << 20;
/** How often the coins are synced to disk when nothing else forces it. */
constexpr int64_t COINS_FLUSH_INTERVAL = 24 * 60 * 60;

int64_t SteadySeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

void ChainstateManager::WriteBlockIndex()
{
    std::vector<std::pair<int, BlockFileInfo>> files = m_block_files->TakeDirtyFileInfos();
    std::vector<DiskBlockIndex> entries;
    for (BlockIndex* b : m_tree.TakeDirty()) entries.push_back(DiskBlockIndex::FromBlockIndex(*b));
    if (files.empty() && entries.empty()) return;
    m_block_tree_db->WriteBatchSync(files, m_block_files->LastFile(), entries);
}

bool ChainstateManager::FlushLocked(FlushMode mode, BlockValidationState& state, int manual_prune_height)
{
    const int64_t now = SteadySeconds();
    if (m_last_flush_time == 0) m_last_flush_time = now;
    if (m_last_index_write_time == 0) m_last_index_write_time = now;

    try {
        // Pruning is worth checking when a new blk file was started (and at
        // the first flush after start-up), or when asked to.
        std::vector<int> prune_files;
        if (IsPruneMode() && (manual_prune_height > 0 || m_block_files->LastFile() != m_prune_checked_file)) {
            m_prune_checked_file = m_block_files->LastFile();
            prune_files = FindFilesToPrune(manual_prune_height);
        }

        const size_t usage = m_coins->DynamicMemoryUsage();
        const size_t budget = CoinsCacheBudget();
        // Over budget: must flush now. Nearly full at a periodic check: flush
        // early rather than in the middle of the next block.
        const bool critical = usage > budget;
        // "Nearly" is Core's: within 10 MiB of the budget, or past 90% of a small one.
        const size_t large_at =
            std::max(budget / 10 * 9, budget > LARGE_CACHE_MARGIN ? budget - LARGE_CACHE_MARGIN : size_t{0});
        const bool large = mode == FlushMode::PERIODIC && usage > large_at;
        const bool periodic_index = mode == FlushMode::PERIODIC && now > m_last_index_write_time + INDEX_WRITE_INTERVAL;
        const bool periodic_coins = mode == FlushMode::PERIODIC && now > m_last_flush_time + COINS_FLUSH_INTERVAL;
        // Before any file goes, the coins must be at the tip: a crash after
        // the deletion must never need a deleted block to catch up.
        const bool flush_coins =
            mode == FlushMode::ALWAYS || critical || large || periodic_coins || !prune_files.empty();
        const bool write_index = flush_coins || periodic_index;
        if (!write_index) return true;

        m_block_files->Flush();
        WriteBlockIndex();
        m_last_index_write_time = now;
        if (flush_coins && !m_coins->GetBestBlock().IsNull()) {
            LogDebug(LogCategory::COINDB, "Writing chainstate: {} coins, {:.1f} MiB", m_coins->CacheSize(),
                     double(usage) / (1 << 20));
            // Over budget, or nearly, the cache is emptied (as Core does):
            // syncing would keep it above 90% with clean coins, and every
            // later block would flush again. Otherwise keep the (now clean)
            // coins, which the next blocks will likely spend.
            if (critical || large) m_coins->Flush();
            else m_coins->Sync();
            m_last_flush_time = now;
        }

        if (!prune_files.empty()) {
            // Then the index stops pointing into the files, then they go.
            MarkPruned();
            uint64_t bytes = 0;
            for (int f : prune_files) {
                const BlockFileInfo* info = m_block_files->GetFileInfo(f);
                bytes += uint64_t{info->size} + info->undo_size;
                PruneOneBlockFile(f);
            }
            WriteBlockIndex();
            UnlinkPrunedFiles(prune_files);
            LogInfo("Pruned {} block files ({:.1f} MiB){}", prune_files.size(), double(bytes) / (1 << 20),
                    manual_prune_height > 0 ? " on request" : "");
        }
    } catch (const std::exception& e) {
        const std::string msg = std::string("Failed to write to the coin or block database: ") + e.what();
        LogError("{}", msg);
        if (m_opts.notifications) m_opts.notifications->FatalError(msg);
        return state.Error(msg);
    }
    return true;
}

bool ChainstateManager::FlushStateToDisk(FlushMode mode, BlockValidationState& state)
{
    std::lock_guard lock(m_mutex);
    return FlushLocked(mode, state);
}

} // namespace cairn
