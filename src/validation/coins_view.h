// The UTXO set as seen by the validation engine: an interface with a
// LevelDB-backed implementation at the bottom and write-back caches on top.
//
// Layering the cache over a small interface keeps the cache testable
// without a database and lets a block be connected in a scratch cache that
// is thrown away if the block turns out to be invalid.
#ifndef CAIRN_VALIDATION_COINS_VIEW_H
#define CAIRN_VALIDATION_COINS_VIEW_H

#include "primitives/coin.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cairn {

/** Hashes outpoints with a per-process random key, so that a peer cannot
 *  craft transactions whose outpoints collide in the cache's buckets. */
class SaltedOutpointHasher
{
public:
    SaltedOutpointHasher();
    size_t operator()(const OutPoint& o) const noexcept;

private:
    uint64_t m_k0, m_k1;
};

struct CoinsCacheEntry {
    enum Flags : uint8_t {
        DIRTY = 1, // differs from the parent view
        FRESH = 2, // the parent does not have it (unspent): spending it can just drop it
    };
    Coin coin;
    uint8_t flags{0};
};

using CoinsMap = std::unordered_map<OutPoint, CoinsCacheEntry, SaltedOutpointHasher>;

/** Read and write access to a set of unspent outputs. */
class CoinsView
{
public:
    virtual ~CoinsView() = default;
    /** The unspent coin at `outpoint`, if any. */
    virtual std::optional<Coin> GetCoin(const OutPoint& outpoint) const = 0;
    virtual bool HaveCoin(const OutPoint& outpoint) const { return GetCoin(outpoint).has_value(); }
    /** The block whose state this view describes (null for an empty set). */
    virtual uint256 GetBestBlock() const = 0;
    /** After an interrupted flush: {new tip, old tip}, else empty. */
    virtual std::vector<uint256> GetHeadBlocks() const { return {}; }
    /** Applies the DIRTY entries of `changes` and moves the best block.
     *  With erase, the entries are consumed as they are written. Throws on I/O failure. */
    virtual void BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase) = 0;
    virtual size_t EstimateSize() const { return 0; }
};

} // namespace cairn

#endif
