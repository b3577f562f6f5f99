// When the coins cache must be written: its size against its budget, which
// may borrow what the mempool leaves unused (Bitcoin Core's
// GetCoinsCacheSizeState). Pure functions of plain numbers, so the engine
// never needs the mempool itself: node/ hands the mempool's figures in.
#ifndef CAIRN_VALIDATION_COINS_CACHE_SIZE_H
#define CAIRN_VALIDATION_COINS_CACHE_SIZE_H

#include <cstddef>
#include <cstdint>

namespace cairn {

enum class CoinsCacheSizeState {
    OK,       // well within the budget
    LARGE,    // within 10% and 10 MiB of it: worth writing when there is time
    CRITICAL, // over it: must be written now
};

/** About what one block can add to the cache: "large" starts this far below
 *  the limit at the latest (Core's MAX_BLOCK_COINSDB_USAGE_BYTES). */
inline constexpr size_t MAX_BLOCK_COINSDB_USAGE_BYTES = size_t{10} << 20;

/** The mempool's memory, in bytes: its limit (-maxmempool) and its use now. */
struct MempoolMemory {
    size_t max_bytes{0};
    size_t usage{0};
};

/** The space the cache may fill: its own budget (-dbcache less the
 *  databases' caches) plus the mempool's unused bytes, max(0, limit - use). */
size_t CoinsCacheSpace(size_t cache_budget, const MempoolMemory& mempool);

/** CRITICAL above CoinsCacheSpace; LARGE above the larger of 90% of it and
 *  it less MAX_BLOCK_COINSDB_USAGE_BYTES; else OK. */
CoinsCacheSizeState GetCoinsCacheSizeState(size_t cache_usage, size_t cache_budget, const MempoolMemory& mempool = {});

} // namespace cairn

#endif
