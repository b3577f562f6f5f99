// Moving the active chain to the most-work valid chain: choosing the
// candidate tip, disconnecting and connecting blocks, and handling blocks
// found invalid on the way.
#include "util/log.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"
#include "validation/verification_progress.h"
#include "validation/notifications.h"

#include <cmath>

namespace cairn {

void ChainstateManager::TryAddCandidate(BlockIndex* index)
{
    const BlockIndex* tip = m_chain.Tip();
    if (!tip || !BlockIndexWorkComparator()(index, tip)) m_candidates.insert(index);
}

void ChainstateManager::PruneCandidates()
{
    // Everything ordered before the tip has less work (or arrived later) and can never win.
    const BlockIndex* tip = m_chain.Tip();
    if (!tip) return;
    auto it = m_candidates.begin();
    while (it != m_candidates.end() && BlockIndexWorkComparator()(*it, tip)) it = m_candidates.erase(it);
}

void ChainstateManager::RebuildCandidates()
{
    m_candidates.clear();
    for (BlockIndex* b : m_tree.SortedByHeight()) {
        if (b->IsValid(BLOCK_VALID_TRANSACTIONS) && b->chain_tx_count > 0) TryAddCandidate(b);
    }
    if (m_chain.Tip()) m_candidates.insert(m_chain.Tip());
    PruneCandidates();
}

void ChainstateManager::InvalidChainFound(BlockIndex* index)
{
    if (!m_best_invalid || index->chain_work > m_best_invalid->chain_work) m_best_invalid = index;
    // Every known descendant is invalid too, headers without data included
    // (as in Bitcoin Core since v29): no header is accepted on top of them
    // (bad-prevblk) and none of them can be the best header.
    for (BlockIndex* b : m_tree.SortedByHeight()) {
        if (b->height > index->height && !(b->status & BLOCK_FAILED_MASK) && b->GetAncestor(index->height) == index) {
            b->status |= BLOCK_FAILED_CHILD;
            m_tree.SetDirty(b);
        }
    }
    // A best header built on the invalid block is no longer the best header.
    BlockIndex* best = m_tree.BestHeader();
    if (best && best->GetAncestor(index->height) == index) m_tree.RecomputeBestHeader();
    LogInfo("InvalidChainFound: invalid block={} height={} log2_work={:.6f} date={}", index->GetBlockHash().GetHex(),
            index->height, std::log2(index->chain_work.getdouble()), index->time);
}

void ChainstateManager::InvalidBlockFound(BlockIndex* index, const BlockValidationState& state)
{
    // A mutated block says nothing about the header: another copy may be valid.
    if (state.GetResult() == BlockResult::MUTATED) return;
    index->status |= BLOCK_FAILED_VALID;
    m_tree.SetDirty(index);
    m_candidates.erase(index);
    InvalidChainFound(index);
}

BlockIndex* ChainstateManager::FindMostWorkChain()
{
    for (;;) {
        if (m_candidates.empty()) return nullptr;
        BlockIndex* candidate = *m_candidates.rbegin();
        // Every block between the active chain and the candidate must have
        // data and not be known invalid.
        BlockIndex* test = candidate;
        bool usable = true;
        while (test && !m_chain.Contains(test)) {
            const bool failed = test->status & BLOCK_FAILED_MASK;
            const bool missing_data = !(test->status & BLOCK_HAVE_DATA);
            if (failed || missing_data) {
                for (BlockIndex* b = candidate; b != test; b = b->prev) {
                    if (failed) {
                        b->status |= BLOCK_FAILED_CHILD;
                        m_tree.SetDirty(b);
                    } else {
                        m_unlinked.emplace(b->prev, b);
                    }
                    m_candidates.erase(b);
                }
                m_candidates.erase(test);
                usable = false;
                break;
            }
            test = test->prev;
        }
        if (usable && m_have_pruned && !CanDisconnectTo(candidate)) {
            // Not invalid, only out of reach: leave it out of the candidates.
            for (BlockIndex* b = candidate; b && !m_chain.Contains(b); b = b->prev) m_candidates.erase(b);
            usable = false;
        }
        if (usable) return candidate;
    }
}

bool ChainstateManager::CanDisconnectTo(const BlockIndex* candidate) const
{
    // Reorganising disconnects the active chain down to the fork, which
    // needs each block and its undo data: pruned ones are gone.
    const BlockIndex* fork = m_chain.FindFork(candidate);
    for (const BlockIndex* b = m_chain.Tip(); b && b != fork; b = b->prev) {
        if ((b->status & BLOCK_HAVE_MASK) != BLOCK_HAVE_MASK) {
            LogError("Cannot reorganize to {} (height {}): the active chain's block {} (height {}) was pruned; "
                     "restart with -reindex to switch chains",
                     candidate->GetBlockHash().GetHex(), candidate->height, b->GetBlockHash().GetHex(), b->height);
            return false;
        }
    }
    return true;
}

std::shared_ptr<const Block> ChainstateManager::ReadBlockOrFail(const BlockIndex& index, BlockValidationState& state)
{
    // A block we stored and can no longer read means the disk failed us: fatal.
    try {
        return std::make_shared<const Block>(m_block_files->ReadBlock(FlatFilePos(index.file, index.data_pos)));
    } catch (const std::exception& e) {
        const std::string msg = std::string("Failed to read block: ") + e.what();
        if (m_opts.notifications) m_opts.notifications->FatalError(msg);
        state.Error(msg);
        return nullptr;
    }
}

bool ChainstateManager::DisconnectTip(BlockValidationState& state, BlockList& disconnected)
{
    BlockIndex* tip = m_chain.Tip();
    std::shared_ptr<const Block> block = ReadBlockOrFail(*tip, state);
    if (!block) return false;
    CoinsCache view(m_coins.get());
    if (DisconnectBlock(*block, tip, view) != DisconnectResult::OK) {
        return state.Error("DisconnectTip(): DisconnectBlock " + tip->GetBlockHash().GetHex() + " failed");
    }
    view.Flush();
    m_chain.SetTip(tip->prev);
    if (m_locked_observer) m_locked_observer->BlockDisconnectedLocked(block, *tip);
    if (!FlushLocked(FlushMode::IF_NEEDED, state)) return false;
    disconnected.emplace_back(std::move(block), tip);
    return true;
}

bool ChainstateManager::ConnectTip(BlockValidationState& state, BlockIndex* index, std::shared_ptr<const Block> block,
                                   BlockList& connected)
{
    if (!block) block = ReadBlockOrFail(*index, state);
    if (!block) return false;
    // Connect in a scratch cache: an invalid block leaves the real one untouched.
    CoinsCache view(m_coins.get());
    if (!ConnectBlock(*block, state, index, view)) {
        // Core's line for a block whose transactions break a rule (tests written for Core look for it).
        if (state.IsInvalid()) LogInfo("Block validation error: {}", state.ToString());
        if (state.IsInvalid()) InvalidBlockFound(index, state);
        LogError("ConnectTip: ConnectBlock {} failed, {}", index->GetBlockHash().GetHex(), state.ToString());
        if (m_opts.notifications) m_opts.notifications->BlockChecked(*block, state.GetRejectReason());
        return false;
    }
    if (m_opts.notifications) m_opts.notifications->BlockChecked(*block, "");
    view.Flush();
    m_chain.SetTip(index);
    if (m_locked_observer) m_locked_observer->BlockConnectedLocked(block, *index);
    if (!FlushLocked(FlushMode::IF_NEEDED, state)) return false;
    LogInfo("UpdateTip: new best={} height={} version=0x{:08x} log2_work={:.6f} tx={} date='{}' progress={:.6f} "
            "cache={:.1f}MiB({}txo)",
            index->GetBlockHash().GetHex(), index->height, uint32_t(index->version),
            std::log2(index->chain_work.getdouble()), index->chain_tx_count, FormatISO8601DateTime(index->time),
            GuessVerificationProgress(GetChainTxData(*m_opts.params), index, m_opts.clock()),
            double(m_coins->DynamicMemoryUsage()) / (1 << 20), m_coins->CacheSize());
    connected.emplace_back(std::move(block), index);
    return true;
}

bool ChainstateManager::ActivateBestChainStep(BlockValidationState& state, BlockIndex* most_work,
                                              const std::shared_ptr<const Block>& hint, BlockList& connected,
                                              BlockList& disconnected)
{
    const BlockIndex* old_tip = m_chain.Tip();
    const BlockIndex* fork = m_chain.FindFork(most_work);

    while (m_chain.Tip() && m_chain.Tip() != fork) {
        if (!DisconnectTip(state, disconnected)) return false;
    }

    // Connect forward from the fork; stop once ahead of where we started,
    // so other threads get the lock between steps of a long sync. The path
    // is built 32 blocks at a time (found through the skip pointers): when
    // most_work is far ahead (-reindex-chainstate, restart after a crash)
    // walking all of it at every step would make the sync quadratic.
    std::vector<BlockIndex*> path;
    for (;;) {
        const BlockIndex* tip = m_chain.Tip();
        const int height = tip ? tip->height : -1;
        if (height >= most_work->height) break;
        path.clear();
        for (BlockIndex* b = most_work->GetAncestor(std::min(height + 32, most_work->height)); b != tip; b = b->prev) {
            path.push_back(b);
        }
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            BlockIndex* b = *it;
            std::shared_ptr<const Block> block = hint && hint->GetHash() == b->GetBlockHash() ? hint : nullptr;
            if (!ConnectTip(state, b, block, connected)) {
                if (state.IsInvalid()) {
                    // Not a failure of this call: try the next best chain.
                    state = BlockValidationState();
                    return true;
                }
                return false;
            }
            PruneCandidates();
            if (!old_tip || m_chain.Tip()->chain_work > old_tip->chain_work) return true;
        }
    }
    return true;
}

void ChainstateManager::NotifyTip(const BlockIndex& tip)
{
    if (!m_opts.notifications) return;
    const bool ibd = IsInitialBlockDownload();
    double progress;
    {
        std::lock_guard lock(m_mutex);
        progress = GuessVerificationProgress(GetChainTxData(*m_opts.params), &tip, m_opts.clock());
    }
    m_opts.notifications->TipChanged(ibd ? SyncState::INITIAL_DOWNLOAD : SyncState::POST_INIT, tip, progress);
}

void ChainstateManager::Notify(const BlockList& connected, const BlockList& disconnected)
{
    ValidationNotifications* n = m_opts.notifications;
    if (!n) return;
    for (const auto& [block, index] : disconnected) n->BlockDisconnected(block, *index);
    for (const auto& [block, index] : connected) n->BlockConnected(block, *index);
}

bool ChainstateManager::ActivateBestChain(BlockValidationState& state, std::shared_ptr<const Block> block)
{
    std::lock_guard activate(m_activate_mutex);
    for (;;) {
        BlockList connected, disconnected;
        const BlockIndex* new_tip;
        bool done;
        {
            std::lock_guard lock(m_mutex);
            BlockIndex* most_work = FindMostWorkChain();
            done = !most_work || most_work == m_chain.Tip();
            const bool ok = done || ActivateBestChainStep(state, most_work, block, connected, disconnected);
            if (!disconnected.empty() && m_locked_observer) m_locked_observer->ReorgDoneLocked();
            if (!ok) return false;
            new_tip = m_chain.Tip();
            UpdateIbdState();
        }
        Notify(connected, disconnected);
        if (done) break;
        if (new_tip && (!connected.empty() || !disconnected.empty())) NotifyTip(*new_tip);
        if (m_opts.stop_at_height && new_tip && new_tip->height >= m_opts.stop_at_height) break;
        // Shutdown: stop between blocks (a long sync resumes at the next start).
        if (m_opts.interrupt && m_opts.interrupt()) break;
    }
    std::lock_guard lock(m_mutex);
    return FlushLocked(FlushMode::PERIODIC, state);
}

bool ChainstateManager::InvalidateBlock(BlockValidationState& state, const uint256& hash)
{
    {
        std::lock_guard activate(m_activate_mutex);
        BlockList connected, disconnected;
        const BlockIndex* new_tip = nullptr;
        {
            std::lock_guard lock(m_mutex);
            BlockIndex* index = m_tree.Lookup(hash);
            if (!index) return state.Invalid(BlockResult::UNSET, "Block not found");
            while (m_chain.Contains(index) && m_chain.Tip()) {
                if (!DisconnectTip(state, disconnected)) return false;
            }
            index->status |= BLOCK_FAILED_VALID;
            m_tree.SetDirty(index);
            // Descendants fail as children of an invalid block.
            for (BlockIndex* b : m_tree.SortedByHeight()) {
                if (b != index && b->height > index->height && b->GetAncestor(index->height) == index) {
                    b->status |= BLOCK_FAILED_CHILD;
                    m_tree.SetDirty(b);
                }
            }
            InvalidChainFound(index);
            m_tree.RecomputeBestHeader();
            RebuildCandidates();
            new_tip = m_chain.Tip();
            if (!disconnected.empty() && m_locked_observer) m_locked_observer->ReorgDoneLocked();
        }
        Notify(connected, disconnected);
        // As Core: a tip that only moved back is still a new tip (RPC waits, -blocknotify).
        if (!disconnected.empty() && new_tip) NotifyTip(*new_tip);
    }
    return ActivateBestChain(state);
}

bool ChainstateManager::ReconsiderBlock(BlockValidationState& state, const uint256& hash)
{
    {
        std::lock_guard lock(m_mutex);
        BlockIndex* index = m_tree.Lookup(hash);
        if (!index) return state.Invalid(BlockResult::UNSET, "Block not found");
        // Clear the failure of the block, its descendants and its ancestors.
        for (BlockIndex* b : m_tree.SortedByHeight()) {
            const bool descendant = b->height >= index->height && b->GetAncestor(index->height) == index;
            const bool ancestor = index->GetAncestor(b->height) == b;
            if ((descendant || ancestor) && (b->status & BLOCK_FAILED_MASK)) {
                b->status &= ~uint32_t(BLOCK_FAILED_MASK);
                m_tree.SetDirty(b);
                if (b == m_best_invalid) m_best_invalid = nullptr;
            }
        }
        m_tree.RecomputeBestHeader();
        RebuildCandidates();
    }
    return ActivateBestChain(state);
}

bool ChainstateManager::PreciousBlock(BlockValidationState& state, const uint256& hash)
{
    {
        std::lock_guard lock(m_mutex);
        BlockIndex* index = m_tree.Lookup(hash);
        if (!index) return state.Invalid(BlockResult::UNSET, "Block not found");
        const BlockIndex* tip = m_chain.Tip();
        if (tip && index->chain_work < tip->chain_work) return true; // nothing to prefer it over
        if (tip && tip->chain_work > m_last_precious_chain_work) {
            // The chain grew since the last call: start the ordering afresh.
            m_precious_sequence = -1;
        }
        if (tip) m_last_precious_chain_work = tip->chain_work;
        m_candidates.erase(index);
        index->sequence_id = m_precious_sequence;
        if (m_precious_sequence > std::numeric_limits<int32_t>::min()) --m_precious_sequence;
        if (index->IsValid(BLOCK_VALID_TRANSACTIONS) && index->chain_tx_count) {
            m_candidates.insert(index);
            PruneCandidates();
        }
    }
    return ActivateBestChain(state);
}

} // namespace cairn
