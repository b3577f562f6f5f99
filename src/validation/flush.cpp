// Writing state to disk in the order that keeps it consistent after a
// crash: block and undo files first, then the block index that points into
// them, then the coins that the undo data can roll back.
#include "crypto/random.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/coins_cache_size.h"
#include "validation/notifications.h"

#include <algorithm>

namespace cairn {

namespace {

/** The block index and the coins are written at least this often (Core's
 *  DATABASE_WRITE_INTERVAL_MIN/MAX). Each wait is drawn anew in this window
 *  so that nodes started together do not all write at the same moments. */
constexpr int64_t DATABASE_WRITE_INTERVAL_MIN = 50 * 60;
constexpr int64_t DATABASE_WRITE_INTERVAL_MAX = 70 * 60;

int64_t NextWriteTime(int64_t now)
{
    const uint64_t range = DATABASE_WRITE_INTERVAL_MAX - DATABASE_WRITE_INTERVAL_MIN;
    return now + DATABASE_WRITE_INTERVAL_MIN + int64_t(GetRandUint64() % (range + 1));
}

} // namespace

size_t CoinsCacheSpace(size_t cache_budget, const MempoolMemory& mempool)
{
    const size_t spare = mempool.max_bytes > mempool.usage ? mempool.max_bytes - mempool.usage : 0;
    // Saturating: absurd figures must not wrap to a tiny space.
    return spare > SIZE_MAX - cache_budget ? SIZE_MAX : cache_budget + spare;
}

CoinsCacheSizeState GetCoinsCacheSizeState(size_t cache_usage, size_t cache_budget, const MempoolMemory& mempool)
{
    const size_t space = CoinsCacheSpace(cache_budget, mempool);
    if (cache_usage > space) return CoinsCacheSizeState::CRITICAL;
    const size_t large_at = std::max(space / 10 * 9 + space % 10 * 9 / 10,
                                     space > MAX_BLOCK_COINSDB_USAGE_BYTES ? space - MAX_BLOCK_COINSDB_USAGE_BYTES : 0);
    return cache_usage > large_at ? CoinsCacheSizeState::LARGE : CoinsCacheSizeState::OK;
}

CoinsCacheSizeState ChainstateManager::GetCoinsCacheSizeState() const
{
    const MempoolMemory mempool = m_mempool_memory ? m_mempool_memory() : MempoolMemory{};
    return cairn::GetCoinsCacheSizeState(m_coins->DynamicMemoryUsage(), CoinsCacheBudget(), mempool);
}

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
    // The node's clock (mock time in tests), as Core's NodeClock.
    const int64_t now = m_opts.clock();
    if (m_next_write_time == 0) m_next_write_time = NextWriteTime(now);

    try {
        // Pruning is worth checking when a new blk file was started (and at
        // the first flush after start-up), or when asked to.
        std::vector<int> prune_files;
        if (IsPruneMode() && (manual_prune_height > 0 || m_block_files->LastFile() != m_prune_checked_file)) {
            m_prune_checked_file = m_block_files->LastFile();
            prune_files = FindFilesToPrune(manual_prune_height);
        }

        const size_t usage = m_coins->DynamicMemoryUsage();
        // The budget includes what the mempool leaves unused (see -dbcache).
        const CoinsCacheSizeState cache_state = GetCoinsCacheSizeState();
        // Over budget: must flush now. Nearly full at a periodic check: flush
        // early rather than in the middle of the next block.
        const bool critical = cache_state == CoinsCacheSizeState::CRITICAL;
        const bool large = mode == FlushMode::PERIODIC && cache_state != CoinsCacheSizeState::OK;
        // Index and coins together every 50-70 minutes, so that a crash
        // never costs more than about an hour of blocks (as Core).
        const bool periodic = mode == FlushMode::PERIODIC && now >= m_next_write_time;
        // Before any file goes, the coins must be at the tip: a crash after
        // the deletion must never need a deleted block to catch up.
        const bool should_write = mode == FlushMode::ALWAYS || critical || large || periodic || !prune_files.empty();
        if (!should_write) return true;

        m_block_files->Flush();
        WriteBlockIndex();
        if (!m_coins->GetBestBlock().IsNull()) {
            LogDebug(LogCategory::COINDB, "Writing chainstate: {} coins, {:.1f} MiB", m_coins->CacheSize(),
                     double(usage) / (1 << 20));
            // Over budget, or nearly, the cache is emptied (as Core does):
            // syncing would keep it above 90% with clean coins, and every
            // later block would flush again. Otherwise keep the (now clean)
            // coins, which the next blocks will likely spend.
            if (critical || large) m_coins->Flush();
            else m_coins->Sync();
        }
        m_next_write_time = NextWriteTime(now);

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
