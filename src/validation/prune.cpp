// Pruning (-prune): deleting old blk/rev files while the chainstate stays
// valid, as Bitcoin Core does.
//
// Files are pruned whole, never a block at a time, and never one holding a
// block within MIN_BLOCKS_TO_KEEP of the tip (a reorg may need it). The
// order makes a crash at any point harmless: the blocks of a chosen file
// lose BLOCK_HAVE_DATA/UNDO and its record is cleared in memory; the flush
// writes block files, then that block index, then the coins; only then are
// the files deleted. A crash before the deletion leaves unreferenced files
// (deleted at the next start); one after it finds an index that no longer
// points into them.
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <algorithm>

namespace cairn {

namespace {

/** The block index flag that says files were ever deleted. */
constexpr std::string_view PRUNED_FLAG = "prunedblockfiles";

} // namespace

bool ChainstateManager::IsPruneMode() const { return m_opts.prune_target_bytes != 0; }

uint64_t ChainstateManager::BlockFilesUsage() const
{
    std::lock_guard lock(m_mutex);
    return m_block_files->CalculateCurrentUsage();
}

int ChainstateManager::PruneHeight() const
{
    std::lock_guard lock(m_mutex);
    if (!m_have_pruned) return 0;
    const BlockIndex* tip = m_chain.Tip();
    const BlockIndex* first = m_chain[1];
    // The genesis block has no undo data but is not pruned: it is left out.
    if (!tip || !first) return 0;
    if ((tip->status & BLOCK_HAVE_MASK) != BLOCK_HAVE_MASK) return tip->height + 1;
    const BlockIndex* b = tip;
    while (b != first && (b->prev->status & BLOCK_HAVE_MASK) == BLOCK_HAVE_MASK) b = b->prev;
    return b == first ? 0 : b->height;
}

bool ChainstateManager::PruneBlockFilesManual(int height)
{
    if (!IsPruneMode() || height <= 0) return true;
    std::lock_guard lock(m_mutex);
    BlockValidationState state;
    return FlushLocked(FlushMode::ALWAYS, state, height);
}

void ChainstateManager::PruneOneBlockFile(int file)
{
    m_tree.ForEach([&](BlockIndex* b) {
        if (b->file != file || !(b->status & BLOCK_HAVE_MASK)) return;
        b->status &= ~uint32_t(BLOCK_HAVE_MASK);
        b->file = -1;
        b->data_pos = 0;
        b->undo_pos = 0;
        m_tree.SetDirty(b);
        // A block waiting for its parent's data can no longer be connected
        // from here; it has to be stored again if it is ever needed.
        auto range = m_unlinked.equal_range(b->prev);
        for (auto it = range.first; it != range.second;) {
            it = it->second == b ? m_unlinked.erase(it) : std::next(it);
        }
        m_candidates.erase(b);
    });
    m_block_files->ClearFileInfo(file);
}

std::vector<int> ChainstateManager::FindFilesToPrune(int manual_height)
{
    std::vector<int> files;
    const BlockIndex* tip = m_chain.Tip();
    if (!tip || !IsPruneMode()) return files;
    const int tip_height = tip->height;
    // Automatic pruning waits until the chain is long enough to be worth it.
    if (manual_height == 0 && uint64_t(tip_height) <= m_opts.params->prune_after_height) return files;
    // A reindex records blocks where they are: nothing may go meanwhile.
    if (m_reindexing) return files;

    const int last_prunable = std::max(
        0, std::min(manual_height > 0 ? manual_height : tip_height, tip_height - MIN_BLOCKS_TO_KEEP));
    const int file_count = int(m_block_files->FileCount());

    if (manual_height > 0) {
        for (int f = 0; f < file_count; ++f) {
            const BlockFileInfo* info = m_block_files->GetFileInfo(f);
            if (info->size == 0 || int(info->height_last) > last_prunable) continue;
            files.push_back(f);
        }
        LogDebug(LogCategory::PRUNE, "Prune (Manual): prune_height={} found {} blk/rev pairs to remove",
                 last_prunable, files.size());
        return files;
    }

    const uint64_t target = m_opts.prune_target_bytes;
    if (target == PRUNE_TARGET_MANUAL) return files;
    uint64_t usage = m_block_files->CalculateCurrentUsage();
    // Room for the chunks the next blocks pre-allocate; during initial
    // download prune further ahead, so that pruning (and the flush it
    // forces) happens less often.
    uint64_t buffer = BLOCKFILE_CHUNK_SIZE + UNDOFILE_CHUNK_SIZE;
    if (usage + buffer < target) return files;
    if (!m_ibd_done.load(std::memory_order_relaxed)) buffer += target / 10;
    for (int f = 0; f < file_count && usage + buffer >= target; ++f) {
        const BlockFileInfo* info = m_block_files->GetFileInfo(f);
        if (info->size == 0 || int(info->height_last) > last_prunable) continue;
        files.push_back(f);
        usage -= uint64_t{info->size} + info->undo_size;
    }
    LogDebug(LogCategory::PRUNE, "target={}MiB actual={}MiB diff={}MiB max_prune_height={} found {} blk/rev pairs to remove",
             target >> 20, usage >> 20, (int64_t(target) - int64_t(usage)) / (1 << 20), last_prunable, files.size());
    return files;
}

void ChainstateManager::UnlinkPrunedFiles(const std::vector<int>& files)
{
    for (int f : files) {
        m_block_files->UnlinkFiles(f);
        LogDebug(LogCategory::PRUNE, "Prune: deleted blk/rev ({:05d})", f);
    }
}

bool ChainstateManager::LoadPruneState(std::string& error)
{
    m_have_pruned = m_block_tree_db->ReadFlag(PRUNED_FLAG).value_or(false);
    if (m_have_pruned && !IsPruneMode()) {
        error = "You need to rebuild the database using -reindex to go back to unpruned mode.  This will "
                "redownload the entire blockchain";
        return false;
    }
    if (m_have_pruned) {
        // Files whose record was cleared but which a crash kept from being
        // deleted: nothing refers to them any more.
        const int last = m_block_files->LastFile();
        for (int f = 0; f < last; ++f) {
            const BlockFileInfo* info = m_block_files->GetFileInfo(f);
            if (info && info->size == 0 && info->undo_size == 0) m_block_files->UnlinkFiles(f);
        }
    }
    return true;
}

void ChainstateManager::MarkPruned()
{
    if (m_have_pruned) return;
    m_block_tree_db->WriteFlag(PRUNED_FLAG, true);
    m_have_pruned = true;
}

} // namespace cairn
