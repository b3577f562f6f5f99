#include "mempool/chain_sync.h"

#include "consensus/consensus.h"
#include "mempool/accept.h"
#include "mempool/coins_view.h"
#include "mempool/tx_mempool.h"
#include "util/log.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <iterator>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace cairn {

namespace {

/** Rough heap bytes of a queued transaction, for the queue's budget. */
size_t QueuedUsage(const Transaction& tx)
{
    return sizeof(Transaction) + tx.GetTotalSize() + tx.vin.size() * sizeof(TxIn) + tx.vout.size() * sizeof(TxOut);
}

} // namespace

void RemoveOverAncestorLimits(TxMemPool& pool, const std::vector<uint256>& readded)
{
    const MempoolLimits& limits = pool.Options().limits;
    const std::set<uint256> readded_set(readded.begin(), readded.end());
    // Entries already in the pool that spend re-added transactions: the pool
    // linked them when their parents came back, and they now count those
    // parents (and the parents' ancestors) among their own.
    std::set<uint256> over_limits;
    for (const uint256& txid : readded) {
        const MempoolEntry* entry = pool.Get(txid);
        if (!entry) continue;
        for (const MempoolEntry* d : pool.GetDescendants(*entry)) {
            if (readded_set.count(d->Txid())) continue; // checked when it was accepted
            if (int64_t(d->GetCountWithAncestors()) > limits.ancestor_count ||
                d->GetSizeWithAncestors() > limits.ancestor_size_vbytes) {
                over_limits.insert(d->Txid());
            }
        }
    }
    for (const uint256& txid : over_limits) {
        // Maybe gone already, as a descendant of another one.
        if (const MempoolEntry* entry = pool.Get(txid)) {
            const TransactionRef tx = entry->GetSharedTx();
            pool.RemoveRecursive(*tx, RemovalReason::SIZELIMIT);
        }
    }
    if (!over_limits.empty()) {
        LogDebug(LogCategory::MEMPOOL, "Removed {} transactions over the ancestor limits after a reorg",
                 over_limits.size());
    }
}

void MempoolChainSync::BlockConnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index)
{
    // Confirmed again (the new branch of a reorg has it): nothing to re-add.
    if (!m_queue.empty()) {
        for (const TransactionRef& tx : block->vtx) {
            auto [first, last] = m_queued_by_txid.equal_range(tx->GetTxid());
            for (auto it = first; it != last; ++it) {
                m_queue_bytes -= QueuedUsage(**it->second);
                m_queue.erase(it->second);
            }
            m_queued_by_txid.erase(first, last);
        }
    }
    std::lock_guard pool_lock(m_pool.GetMutex());
    m_pool.RemoveForBlock(block->vtx, unsigned(index.height));
}

void MempoolChainSync::BlockDisconnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex&)
{
    // Blocks are disconnected tip first, so each one goes in front of those
    // queued before it; within the block, block order. The coinbase is kept:
    // at re-addition it is refused, which removes its spenders from the pool.
    auto pos = m_queue.begin();
    for (const TransactionRef& tx : block->vtx) {
        auto it = m_queue.insert(pos, tx);
        m_queued_by_txid.emplace(tx->GetTxid(), it);
        m_queue_bytes += QueuedUsage(*tx);
    }
    LimitQueue();
}

void MempoolChainSync::LimitQueue()
{
    if (m_queue_bytes <= m_max_queue_bytes) return;
    std::lock_guard pool_lock(m_pool.GetMutex());
    while (!m_queue.empty() && m_queue_bytes > m_max_queue_bytes) {
        TransactionRef tx = m_queue.back();
        auto [first, last] = m_queued_by_txid.equal_range(tx->GetTxid());
        for (auto it = first; it != last; ++it) {
            if (it->second == std::prev(m_queue.end())) {
                m_queued_by_txid.erase(it);
                break;
            }
        }
        m_queue.pop_back();
        m_queue_bytes -= QueuedUsage(*tx);
        // Its spenders in the pool would be orphans.
        m_pool.RemoveRecursive(*tx, RemovalReason::REORG);
    }
}

void MempoolChainSync::ReorgDoneLocked()
{
    std::list<TransactionRef> queue = std::exchange(m_queue, {});
    m_queued_by_txid.clear();
    m_queue_bytes = 0;

    std::lock_guard pool_lock(m_pool.GetMutex());
    std::vector<uint256> readded;
    for (const TransactionRef& tx : queue) {
        // Validation errors are expected (conflicts with the new branch, ...)
        // and ignored; a refused transaction takes its in-pool spenders with it.
        const bool accepted =
            !tx->IsCoinBase() &&
            AcceptToMemoryPoolLocked(m_chainman, m_pool, tx, GetTime(), /*bypass_limits=*/true, /*test_accept=*/false)
                    .type == MempoolAcceptResult::ResultType::VALID;
        if (accepted) {
            readded.push_back(tx->GetTxid());
        } else {
            m_pool.RemoveRecursive(*tx, RemovalReason::REORG);
        }
    }
    if (!queue.empty()) {
        LogDebug(LogCategory::MEMPOOL, "Re-added {} of {} transactions of disconnected blocks", readded.size(),
                 queue.size());
    }
    RemoveOverAncestorLimits(m_pool, readded);
    RemoveInvalidAtTip();
    LimitMempoolSizeLocked(m_chainman, m_pool);
}

void MempoolChainSync::RemoveInvalidAtTip()
{
    const Chain& chain = m_chainman.ActiveChain();
    const BlockIndex* tip = chain.Tip();
    if (!tip) return;
    CoinsCache& chain_coins = m_chainman.Coins();
    const CoinsViewMemPool view(chain_coins, m_pool);

    std::set<uint256> to_remove;
    std::vector<std::pair<const MempoolEntry*, LockPoints>> new_lock_points;
    for (const MempoolEntry* entry : m_pool.EntriesTopological()) {
        const Transaction& tx = entry->GetTx();
        if (!CheckFinalTxAtTip(*tip, tx)) {
            to_remove.insert(entry->Txid());
            continue;
        }
        // Lock points stay valid while the block they were computed against
        // is still in the chain; otherwise they are computed again.
        const LockPoints& lp = entry->GetLockPoints();
        if (!lp.max_input_block || chain.Contains(lp.max_input_block)) {
            if (!CheckSequenceLocksAtTip(*tip, lp)) {
                to_remove.insert(entry->Txid());
                continue;
            }
        } else {
            std::optional<LockPoints> fresh = CalculateLockPointsAtTip(*tip, view, tx);
            if (!fresh || !CheckSequenceLocksAtTip(*tip, *fresh)) {
                to_remove.insert(entry->Txid());
                continue;
            }
            new_lock_points.emplace_back(entry, *fresh);
        }
        // A spent coinbase may have become immature (or gone) at the new tip.
        if (entry->GetSpendsCoinbase()) {
            for (const TxIn& in : tx.vin) {
                if (m_pool.Exists(in.prevout.hash)) continue;
                std::optional<Coin> coin = chain_coins.GetCoin(in.prevout);
                if (!coin || coin->IsSpent() ||
                    (coin->IsCoinBase() && tip->height + 1 - int(coin->height) < COINBASE_MATURITY)) {
                    to_remove.insert(entry->Txid());
                    break;
                }
            }
        }
    }
    for (const auto& [entry, lp] : new_lock_points) {
        if (!to_remove.count(entry->Txid())) m_pool.UpdateLockPoints(*entry, lp);
    }
    if (!to_remove.empty()) {
        m_pool.RemoveForReorg([&to_remove](const MempoolEntry& e) { return to_remove.count(e.Txid()) != 0; });
    }
}

} // namespace cairn
