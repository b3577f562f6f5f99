// Read-only access to stored undo data, for RPCs (getblock verbosity 2/3,
// getrawtransaction verbosity 2, getblockstats) that report what each input
// spent.
#include "validation/chainstate_manager.h"

namespace cairn {

std::optional<BlockUndo> ChainstateManager::ReadBlockUndo(const BlockIndex& index) const
{
    FlatFilePos pos;
    uint256 prev_hash;
    {
        std::lock_guard lock(m_mutex);
        if (!(index.status & BLOCK_HAVE_UNDO) || !index.prev) return std::nullopt;
        pos = FlatFilePos(index.file, index.undo_pos);
        prev_hash = index.prev->GetBlockHash();
    }
    // As in ReadBlock: the store's reads touch only immutable state.
    return m_block_files->ReadUndo(pos, prev_hash);
}

} // namespace cairn
