// Accepting headers and blocks into the block tree and onto disk, before
// (and independently of) connecting them to the chain.
#include "consensus/block_check.h"
#include "consensus/versionbits.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

namespace cairn {

bool ChainstateManager::AcceptBlockHeader(const BlockHeader& header, BlockValidationState& state, BlockIndex** out,
                                          bool min_pow_checked)
{
    const ConsensusParams& params = m_opts.params->consensus;
    const uint256 hash = header.GetHash();
    if (BlockIndex* known = m_tree.Lookup(hash)) {
        if (out) *out = known;
        if (known->status & BLOCK_FAILED_MASK) {
            return state.Invalid(BlockResult::CACHED_INVALID, "duplicate-invalid",
                                 "block " + hash.GetHex() + " was previously marked invalid");
        }
        return true;
    }
    if (!CheckBlockHeader(header, state, params)) {
        LogDebug(LogCategory::VALIDATION, "AcceptBlockHeader: consensus::CheckBlockHeader: {}, {}", hash.GetHex(),
                 state.ToString());
        return false;
    }
    BlockIndex* prev = nullptr;
    if (hash != params.genesis_hash) {
        prev = m_tree.Lookup(header.prev_block);
        if (!prev) {
            LogDebug(LogCategory::VALIDATION, "header {} has prev block not found: {}", hash.GetHex(),
                     header.prev_block.GetHex());
            return state.Invalid(BlockResult::MISSING_PREV, "prev-blk-not-found");
        }
        if (prev->status & BLOCK_FAILED_MASK) {
            LogDebug(LogCategory::VALIDATION, "header {} has prev block invalid: {}", hash.GetHex(),
                     header.prev_block.GetHex());
            return state.Invalid(BlockResult::INVALID_PREV, "bad-prevblk");
        }
        if (!ContextualCheckBlockHeader(header, state, *prev, params, m_opts.clock())) {
            LogDebug(LogCategory::VALIDATION, "AcceptBlockHeader: {}, {}", hash.GetHex(), state.ToString());
            return false;
        }
    }
    if (!min_pow_checked) {
        LogDebug(LogCategory::VALIDATION, "AcceptBlockHeader: not adding new block header {}, missing anti-dos "
                 "proof-of-work validation", hash.GetHex());
        return state.Invalid(BlockResult::HEADER_LOW_WORK, "too-little-chainwork");
    }
    BlockIndex* index = m_tree.AddHeader(header);
    if ((index->status & BLOCK_VALID_MASK) < BLOCK_VALID_TREE) {
        index->status = (index->status & ~BLOCK_VALID_MASK) | BLOCK_VALID_TREE;
    }
    m_tree.SetDirty(index);
    if (out) *out = index;
    return true;
}

bool ChainstateManager::ProcessNewBlockHeaders(const std::vector<BlockHeader>& headers, BlockValidationState& state,
                                               const BlockIndex** last_accepted)
{
    const BlockIndex* best_before;
    const BlockIndex* last = nullptr;
    {
        std::lock_guard lock(m_mutex);
        best_before = m_tree.BestHeader();
        for (const BlockHeader& header : headers) {
            BlockIndex* index = nullptr;
            const bool ok = AcceptBlockHeader(header, state, &index, true);
            if (!ok) return false;
            last = index;
            if (last_accepted) *last_accepted = index;
        }
    }
    const BlockIndex* best = BestHeader();
    // Core's progress line while syncing headers in initial download: the last header taken and how much of
    // the chain up to now (by its timestamp) that is.
    if (last && best != best_before && IsInitialBlockDownload()) {
        const int64_t spacing = m_opts.params->consensus.pow_target_spacing;
        const int64_t blocks_left = std::max<int64_t>(0, (m_opts.clock() - last->GetBlockTime()) / spacing);
        const int64_t total = last->height + blocks_left;
        LogInfo("Synchronizing blockheaders, height: {} (~{:.2f}%)", last->height,
                total > 0 ? 100.0 * last->height / double(total) : 100.0);
    }
    if (m_opts.notifications && !headers.empty()) {
        m_opts.notifications->HeaderTip(IsInitialBlockDownload() ? SyncState::INITIAL_DOWNLOAD : SyncState::POST_INIT,
                                        best->height, best->time, false);
    }
    return true;
}

void ChainstateManager::ReceivedBlockTransactions(const Block& block, BlockIndex* index, const FlatFilePos& pos)
{
    index->tx_count = unsigned(block.vtx.size());
    index->file = pos.file;
    index->data_pos = pos.pos;
    index->status |= BLOCK_HAVE_DATA;
    if (DeploymentActiveAt(*index, m_opts.params->consensus, BuriedDeployment::SEGWIT)) {
        index->status |= BLOCK_OPT_WITNESS;
    }
    if ((index->status & BLOCK_VALID_MASK) < BLOCK_VALID_TRANSACTIONS) {
        index->status = (index->status & ~BLOCK_VALID_MASK) | BLOCK_VALID_TRANSACTIONS;
    }
    m_tree.SetDirty(index);

    if (index->prev && !index->prev->chain_tx_count) {
        // An ancestor's data is still missing: link this block when it arrives.
        m_unlinked.emplace(index->prev, index);
        return;
    }
    // This block, and any descendants that were waiting for it, now have all data below them.
    std::vector<BlockIndex*> queue{index};
    while (!queue.empty()) {
        BlockIndex* b = queue.back();
        queue.pop_back();
        b->chain_tx_count = (b->prev ? b->prev->chain_tx_count : 0) + b->tx_count;
        b->sequence_id = m_tree.NextSequenceId();
        TryAddCandidate(b);
        auto range = m_unlinked.equal_range(b);
        for (auto it = range.first; it != range.second; ++it) queue.push_back(it->second);
        m_unlinked.erase(range.first, range.second);
    }
}

bool ChainstateManager::CheckBlockOnce(const std::shared_ptr<const Block>& block, BlockValidationState& state)
{
    if (IsCheckedBlock(*block)) return true;
    if (!CheckBlock(*block, state, m_opts.params->consensus)) return false;
    m_checked_block = block;
    return true;
}

bool ChainstateManager::AcceptBlock(const std::shared_ptr<const Block>& block, BlockValidationState& state,
                                    BlockIndex** out, bool force_processing, bool* new_block, bool min_pow_checked,
                                    const FlatFilePos* dbp)
{
    if (new_block) *new_block = false;
    BlockIndex* index = nullptr;
    if (!AcceptBlockHeader(*block, state, &index, min_pow_checked)) return false;
    if (out) *out = index;
    if (index->status & BLOCK_HAVE_DATA) return true;

    const BlockIndex* tip = m_chain.Tip();
    if (!force_processing) {
        // Unrequested blocks are stored only if they could become the tip soon.
        if (tip && index->chain_work < tip->chain_work) return true;
        if (tip && index->height > tip->height + MIN_BLOCKS_TO_KEEP) return true;
    }
    if (new_block) *new_block = true;

    const ConsensusParams& params = m_opts.params->consensus;
    if (!CheckBlockOnce(block, state) || !ContextualCheckBlock(*block, state, index->prev, params)) {
        if (state.IsInvalid() && state.GetResult() != BlockResult::MUTATED) {
            index->status |= BLOCK_FAILED_VALID;
            m_tree.SetDirty(index);
            InvalidChainFound(index);
        }
        LogInfo("AcceptBlock: {}, {}", index->GetBlockHash().GetHex(), state.ToString());
        return false;
    }

    std::optional<FlatFilePos> pos;
    if (dbp) {
        SizeCounter size;
        SerializeBlock(size, *block, /*with_witness=*/true);
        m_block_files->NoteExistingBlock(*dbp, size.size(), index->height, block->time);
        pos = *dbp;
    } else {
        pos = m_block_files->WriteBlock(*block, index->height);
    }
    if (!pos) {
        if (m_opts.notifications) m_opts.notifications->FatalError("Disk space is too low!");
        return state.Error("Disk space is too low!");
    }
    ReceivedBlockTransactions(*block, index, *pos);
    return true;
}

bool ChainstateManager::ProcessNewBlock(const std::shared_ptr<const Block>& block, bool force_processing,
                                        bool min_pow_checked, bool* new_block, BlockValidationState* state_out)
{
    BlockValidationState state;
    bool ok;
    // A new block on the tip, to be relayed before it is connected (Core's NewPoWValidBlock).
    const BlockIndex* pow_valid = nullptr;
    {
        std::lock_guard lock(m_mutex);
        BlockIndex* index = nullptr;
        bool is_new = false;
        try {
            // As in Bitcoin Core, a block failing CheckBlock is refused before
            // its header enters the tree, so it is never marked invalid: the
            // body may be a malleated copy of a valid block with the same
            // header (duplicated transactions, or a 64-byte "transaction"
            // standing for an inner merkle node).
            ok = CheckBlockOnce(block, state) &&
                 AcceptBlock(block, state, &index, force_processing, &is_new, min_pow_checked);
        } catch (const std::exception& e) {
            ok = state.Error(std::string("AcceptBlock failed: ") + e.what());
        }
        if (new_block) *new_block = is_new;
        if (ok && is_new && index && index->prev && m_chain.Tip() == index->prev) pow_valid = index;
    }
    if (m_opts.notifications && !ok) m_opts.notifications->BlockChecked(*block, state.GetRejectReason());
    if (m_opts.notifications && pow_valid && !IsInitialBlockDownload()) {
        m_opts.notifications->NewPoWValidBlock(*pow_valid, block);
    }
    if (state_out) *state_out = state;
    if (!ok) return false;

    BlockValidationState activate_state;
    if (!ActivateBestChain(activate_state, block)) {
        LogError("ProcessNewBlock: ActivateBestChain failed ({})", activate_state.ToString());
        if (state_out) *state_out = activate_state;
    }
    return true;
}

} // namespace cairn
