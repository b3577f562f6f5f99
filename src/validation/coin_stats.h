// Statistics of the UTXO set as gettxoutsetinfo reports them, with the
// two set hashes defined as Bitcoin Core defines them, so that two nodes
// can show they hold the same set.
#ifndef CAIRN_VALIDATION_COIN_STATS_H
#define CAIRN_VALIDATION_COIN_STATS_H

#include "primitives/coin.h"
#include "storage/coins_db.h"
#include "util/uint256.h"

#include <functional>
#include <optional>

namespace cairn {

enum class CoinStatsHashType {
    HASH_SERIALIZED, // "hash_serialized_3": SHA-256d of the block hash and every coin in key order
    MUHASH,          // "muhash": MuHash3072 of every coin, independent of order
    NONE,
};

struct CoinsStats {
    uint256 best_block;
    uint64_t txouts{0};
    /** Transactions with at least one unspent output. */
    uint64_t transactions{0};
    uint64_t bogosize{0};
    Amount total_amount{0};
    std::optional<uint256> hash; // absent for NONE
};

/** The bytes one coin contributes to either hash: outpoint, height*2+coinbase (uint32), the output. */
Bytes SerializeCoinForHash(const OutPoint& outpoint, const Coin& coin);

/** The per-coin size estimate of gettxoutsetinfo's "bogosize". */
uint64_t GetBogoSize(const Script& script_pubkey);

/** Walks the (flushed) coins database. `interrupt` is polled and may end the
 *  walk early, which returns nullopt. */
std::optional<CoinsStats> ComputeCoinsStats(const CoinsDB& db, CoinStatsHashType type,
                                            const std::function<bool()>& interrupt = {});
/** The same over a cursor opened (under the engine's lock, together with
 *  reading `best_block`) before the walk: the cursor sees the database as it
 *  was then, so the walk itself needs no lock (gettxoutsetinfo). */
std::optional<CoinsStats> ComputeCoinsStats(CoinsDB::Cursor& cursor, const uint256& best_block,
                                            CoinStatsHashType type,
                                            const std::function<bool()>& interrupt = {});

} // namespace cairn

#endif
