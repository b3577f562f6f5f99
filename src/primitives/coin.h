// A coin: one unspent transaction output together with where it was created
// (the height of its block, and whether by a coinbase, whose outputs mature
// only after 100 blocks). The UTXO set is a map OutPoint -> Coin.
#ifndef CAIRN_PRIMITIVES_COIN_H
#define CAIRN_PRIMITIVES_COIN_H

#include "primitives/transaction.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

struct Coin {
    /** The output; a null TxOut (value -1) marks a spent coin. */
    TxOut out;
    /** Height of the block that created it. 31 bits, so that height and the
     *  coinbase flag pack into one word, as they are packed on disk. */
    uint32_t height : 31 {0};
    uint32_t coinbase : 1 {0};

    Coin() = default;
    Coin(TxOut o, uint32_t h, bool cb) : out(std::move(o)), height(h & 0x7fffffff), coinbase(cb) {}

    bool IsSpent() const { return out.IsNull(); }
    bool IsCoinBase() const { return coinbase; }
    /** Marks the coin spent and forgets where it came from. */
    void Clear();
    /** Heap bytes owned by the coin (its script), for the cache's memory budget. */
    size_t DynamicMemoryUsage() const;

    friend bool operator==(const Coin& a, const Coin& b)
    {
        return a.height == b.height && a.coinbase == b.coinbase && a.out == b.out;
    }
};

} // namespace cairn

#endif
