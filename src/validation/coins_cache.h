// A write-back cache of coins over another CoinsView.
#ifndef CAIRN_VALIDATION_COINS_CACHE_H
#define CAIRN_VALIDATION_COINS_CACHE_H

#include "validation/coins_view.h"

namespace cairn {

/** Not thread-safe: the owner (the chainstate, under its lock) serialises access. */
class CoinsCache : public CoinsView
{
public:
    explicit CoinsCache(CoinsView* base) : m_base(base) {}
    CoinsCache(const CoinsCache&) = delete;
    CoinsCache& operator=(const CoinsCache&) = delete;

    // CoinsView
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override;
    bool HaveCoin(const OutPoint& outpoint) const override;
    uint256 GetBestBlock() const override;
    /** The base's markers of an interrupted flush (a cache never has its own). */
    std::vector<uint256> GetHeadBlocks() const override { return m_base->GetHeadBlocks(); }
    void BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase) override;

    /** The coin at `outpoint`, or a spent (empty) coin; the reference stays
     *  valid until the next modification of the cache. */
    const Coin& AccessCoin(const OutPoint& outpoint) const;
    /** True if the coin is in this cache already (no lookup in the base). */
    bool HaveCoinInCache(const OutPoint& outpoint) const;

    /** Adds an unspent coin. possible_overwrite is for the historical
     *  duplicate coinbases (BIP 30): otherwise overwriting an unspent coin
     *  is a logic error and throws. */
    void AddCoin(const OutPoint& outpoint, Coin&& coin, bool possible_overwrite);
    /** Adds all outputs of a transaction (skipping unspendable ones). */
    void AddCoins(const Transaction& tx, int height, bool check_for_overwrite);
    /** Spends a coin; the spent coin is moved into *moved_out when given
     *  (for undo data). Returns false if it was not unspent. */
    bool SpendCoin(const OutPoint& outpoint, Coin* moved_out = nullptr);

    void SetBestBlock(const uint256& hash) { m_best_block = hash; }

    /** Writes all changes to the base view and empties this cache. */
    void Flush();
    /** Writes all changes to the base view and keeps the (now clean) entries. */
    void Sync();
    /** Drops a clean entry (e.g. a coin only looked up for a rejected transaction). */
    void Uncache(const OutPoint& outpoint);

    size_t CacheSize() const { return m_cache.size(); }
    /** Approximate heap bytes used by the cache. */
    size_t DynamicMemoryUsage() const;
    /** Reserves room for n entries (avoids rehashing during IBD). */
    void Reserve(size_t n) { m_cache.reserve(n); }

private:
    /** Finds or fetches the entry; nullptr if neither the cache nor the base has it. */
    CoinsMap::iterator Fetch(const OutPoint& outpoint) const;

    CoinsView* m_base;
    mutable CoinsMap m_cache;
    mutable size_t m_script_bytes{0}; // heap bytes of cached scripts
    mutable uint256 m_best_block;
};

} // namespace cairn

#endif
