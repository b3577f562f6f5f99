#include "validation/coins_db_view.h"

namespace cairn {

void CoinsDBView::BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase)
{
    // The database reads the entries in place; `erase` needs no work here
    // because the cache clears its map once the write has succeeded.
    (void)erase;
    auto it = changes.begin();
    m_db.BatchWrite(
        [&](CoinChange& change) {
            while (it != changes.end() && !(it->second.flags & CoinsCacheEntry::DIRTY)) ++it;
            if (it == changes.end()) return false;
            change.outpoint = &it->first;
            change.coin = &it->second.coin;
            change.dirty = true;
            change.fresh = it->second.flags & CoinsCacheEntry::FRESH;
            ++it;
            return true;
        },
        best_block, m_batch_bytes);
}

} // namespace cairn
