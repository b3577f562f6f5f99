#include "primitives/coin.h"

namespace cairn {

void Coin::Clear()
{
    out = TxOut{};
    out.script_pubkey.bytes().shrink_to_fit(); // a spent coin in the cache should not hold memory
    height = 0;
    coinbase = 0;
}

size_t Coin::DynamicMemoryUsage() const
{
    // The script is the only heap allocation. glibc's malloc hands out chunks
    // of at least 32 bytes, in steps of 16, with 8 bytes of bookkeeping; the
    // estimate follows it so that a cache of millions of coins is budgeted
    // by what it really costs rather than by the bytes of the scripts.
    size_t cap = out.script_pubkey.bytes().capacity();
    if (cap == 0) return 0;
    size_t chunk = (cap + 8 + 15) & ~size_t{15};
    return chunk < 32 ? 32 : chunk;
}

} // namespace cairn
