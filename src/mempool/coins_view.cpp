#include "mempool/coins_view.h"

#include "consensus/tx_verify.h"
#include "mempool/tx_mempool.h"
#include "policy/policy.h"

#include <algorithm>

#include <stdexcept>

namespace cairn {

std::optional<Coin> CoinsViewMemPool::GetCoin(const OutPoint& outpoint) const
{
    // Package coins first: they are not in the pool yet.
    if (auto it = m_temp_added.find(outpoint); it != m_temp_added.end()) {
        m_non_base_coins.insert(outpoint);
        return it->second;
    }
    // An in-pool transaction's output is unspent as far as the chain knows
    // (the chain cannot have it: the pool holds only unconfirmed ones).
    if (TransactionRef tx = m_pool.GetTx(outpoint.hash)) {
        if (outpoint.n >= tx->vout.size()) return std::nullopt;
        m_non_base_coins.insert(outpoint);
        return Coin(tx->vout[outpoint.n], MEMPOOL_HEIGHT, false);
    }
    return m_base.GetCoin(outpoint);
}

void CoinsViewMemPool::BatchWrite(CoinsMap&, const uint256&, bool)
{
    throw std::logic_error("CoinsViewMemPool is read-only");
}

void CoinsViewMemPool::PackageAddTransaction(const TransactionRef& tx)
{
    for (uint32_t n = 0; n < tx->vout.size(); ++n) {
        m_temp_added[OutPoint(tx->GetTxid(), n)] = Coin(tx->vout[n], MEMPOOL_HEIGHT, false);
    }
}

void CoinsViewMemPool::Reset()
{
    m_temp_added.clear();
    m_non_base_coins.clear();
}

namespace {

/** A stand-in for the block after `tip`: enough for the lock-time rules,
 *  which only read its height and its ancestors. */
BlockIndex NextBlock(const BlockIndex& tip)
{
    BlockIndex next;
    next.prev = const_cast<BlockIndex*>(&tip);
    next.height = tip.height + 1;
    return next;
}

} // namespace

bool CheckFinalTxAtTip(const BlockIndex& tip, const Transaction& tx)
{
    // The next block's height, and (BIP 113) the median time past of its parent, the tip.
    return IsFinalTx(tx, tip.height + 1, tip.GetMedianTimePast());
}

std::optional<LockPoints> CalculateLockPointsAtTip(const BlockIndex& tip, const CoinsView& view,
                                                  const Transaction& tx)
{
    const BlockIndex next = NextBlock(tip);
    std::vector<int> prev_heights(tx.vin.size());
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        std::optional<Coin> coin = view.GetCoin(tx.vin[i].prevout);
        if (!coin) return std::nullopt;
        // Unconfirmed parents are assumed to confirm in the next block.
        prev_heights[i] = coin->height == MEMPOOL_HEIGHT ? next.height : int(coin->height);
    }
    const auto [min_height, min_time] = CalculateSequenceLocks(tx, STANDARD_LOCKTIME_VERIFY_FLAGS, prev_heights, next);
    // Inputs in the pool are left out: a non-zero lock on one of them fails
    // at tip+1 anyway, so such points are never kept.
    int max_input_height = 0;
    for (int h : prev_heights) {
        if (h != next.height) max_input_height = std::max(max_input_height, h);
    }
    LockPoints lp;
    lp.height = min_height;
    lp.time = min_time;
    lp.max_input_block = tip.GetAncestor(max_input_height);
    return lp;
}

bool CheckSequenceLocksAtTip(const BlockIndex& tip, const LockPoints& lp)
{
    return EvaluateSequenceLocks(NextBlock(tip), {lp.height, lp.time});
}

} // namespace cairn
