// The coins a new transaction may spend: the chain's UTXO set plus the
// outputs of the pool's transactions (Bitcoin Core's CCoinsViewMemPool).
//
// Outputs of in-pool transactions appear as coins at MEMPOOL_HEIGHT, which
// BIP 68 and maturity checks read as "the next block". While a package is
// checked, the outputs of its earlier transactions are added temporarily
// (PackageAddTransaction) so that later ones can spend them.
//
// Also the tip-relative finality checks that read coin heights: nLockTime
// and BIP 68 relative locks, evaluated for the next block (tip + 1).
//
// Not thread-safe: use it under the chain's lock and the pool's lock.
#ifndef CAIRN_MEMPOOL_COINS_VIEW_H
#define CAIRN_MEMPOOL_COINS_VIEW_H

#include "consensus/block_index.h"
#include "mempool/mempool_entry.h"
#include "primitives/coin.h"
#include "primitives/transaction.h"
#include "validation/coins_view.h"

#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>

namespace cairn {

class TxMemPool;

/** The height given to coins created by unconfirmed transactions (31 bits, as Coin::height). */
inline constexpr uint32_t MEMPOOL_HEIGHT{0x7FFFFFFF};

class CoinsViewMemPool : public CoinsView
{
public:
    /** `base` is the chain's coins (normally the chainstate's cache). Both must outlive the view. */
    CoinsViewMemPool(const CoinsView& base, const TxMemPool& pool) : m_base(base), m_pool(pool) {}

    /** A temporary package coin, else an output of an in-pool transaction,
     *  else the base's coin. An output spent by another pool transaction is
     *  still returned: conflicts are the caller's business. */
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override;
    uint256 GetBestBlock() const override { return m_base.GetBestBlock(); }
    /** A read-only view: throws std::logic_error. */
    void BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase) override;

    /** Makes the outputs of `tx` (a package transaction not in the pool)
     *  spendable as unconfirmed coins until Reset. */
    void PackageAddTransaction(const TransactionRef& tx);
    /** Outpoints returned so far that did not come from the base. */
    const std::set<OutPoint>& GetNonBaseCoins() const { return m_non_base_coins; }
    /** Forgets the temporary coins and the record of non-base coins. */
    void Reset();

private:
    const CoinsView& m_base;
    const TxMemPool& m_pool;
    std::unordered_map<OutPoint, Coin, SaltedOutpointHasher> m_temp_added;
    mutable std::set<OutPoint> m_non_base_coins;
};

// ---- finality for the next block ----

/** nLockTime allows `tx` in the block after `tip` (height tip+1, BIP 113
 *  median time past of the tip). */
bool CheckFinalTxAtTip(const BlockIndex& tip, const Transaction& tx);

/** The BIP 68 lock points of `tx` for the block after `tip`, its inputs'
 *  heights read from `view` (MEMPOOL_HEIGHT counts as tip+1); nullopt if an
 *  input is missing. max_input_block is the highest confirmed block holding
 *  a spent coin: the points stay valid while it is in the active chain. */
std::optional<LockPoints> CalculateLockPointsAtTip(const BlockIndex& tip, const CoinsView& view,
                                                  const Transaction& tx);

/** The lock points allow inclusion in the block after `tip`. */
bool CheckSequenceLocksAtTip(const BlockIndex& tip, const LockPoints& lp);

} // namespace cairn

#endif
