// The UTXO set on disk (<datadir>/<net>/chainstate/): one record per unspent
// output, the hash of the block the set corresponds to, and the markers of
// an unfinished flush. The engine's write-back cache sits over this class
// and hands it its changes in BatchWrite.
//
// Records (values obfuscated when the database has a key; see db.h):
//   'C' txid(32) VARINT(n)  -> coin: VARINT(height*2+coinbase) compressed-txout
//   'B'                     -> best block hash (32)
//   'H'                     -> CompactSize(2) new_best(32) old_best(32), only mid-flush
//   'V'                     -> format version, uint32 LE
// doc/design/storage.md describes them byte by byte.
#ifndef CAIRN_STORAGE_COINS_DB_H
#define CAIRN_STORAGE_COINS_DB_H

#include "primitives/coin.h"
#include "primitives/transaction.h"
#include "storage/db.h"
#include "util/uint256.h"

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace cairn {

inline constexpr uint8_t DB_COIN = 'C';
inline constexpr uint8_t DB_BEST_BLOCK = 'B';
inline constexpr uint8_t DB_HEAD_BLOCKS = 'H';

/** Format of the chainstate this build writes and the newest it reads. */
inline constexpr uint32_t COINS_DB_VERSION = 1;
/** Size of each partial batch of a flush (-dbbatchsize). Smaller than Bitcoin
 *  Core's 16 MiB on purpose: LevelDB copies each batch whole into its
 *  memtable (the write buffer does not split a write), and while one
 *  memtable is being written out as a table the next batch fills another,
 *  so a flush holds about three times the batch size on top of the coins
 *  cache it writes. The flush at the end of the benchmark import (40 MiB of
 *  coins) took the node's peak RSS to 115 MB with 16 MiB batches, to 87 MB
 *  with 4 MiB, and took no longer (contrib/bench/README.md, "Import figures
 *  (issue 3)"). */
inline constexpr size_t DEFAULT_DB_BATCH_BYTES = size_t(4) << 20;

/** One entry of the cache's changes handed to BatchWrite. Pointers, so the
 *  cache need not copy its entries. */
struct CoinChange {
    const OutPoint* outpoint{nullptr};
    /** A spent coin (coin->IsSpent()) means "erase the record". */
    const Coin* coin{nullptr};
    /** Changed since it was loaded: only dirty entries are written. */
    bool dirty{false};
    /** Not in the database (created since the last flush). The database
     *  does not need it; it is carried so the cache can pass entries through
     *  unchanged. */
    bool fresh{false};
};

/** An owned change, for callers with few entries (tests, tools). */
struct CoinEntry {
    OutPoint outpoint;
    Coin coin;
    bool dirty{true};
    bool fresh{false};
};

class CoinsDB
{
public:
    /** Opens the chainstate at options.path. Throws DatabaseError if it cannot
     *  be opened, is corrupt, or has a newer format version (left unchanged).
     *  The node opens it with options.obfuscate set, as Core does. */
    explicit CoinsDB(const DatabaseOptions& options);

    /** The unspent coin at `outpoint`, or nullopt. Throws DatabaseError if the
     *  record cannot be decoded. */
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const;
    bool HaveCoin(const OutPoint& outpoint) const;

    /** The block the coins correspond to; null before the first flush and
     *  while a flush is unfinished (then see GetHeadBlocks). */
    uint256 GetBestBlock() const;
    /** Empty normally. After an interrupted flush: {new_best, old_best}
     *  (old_best null if the set was empty). The records are then a mix of
     *  the two states; the engine repairs them as Core's ReplayBlocks does:
     *  undo old_best's blocks down to the fork point with new_best (putting
     *  back spent coins, erasing created ones, tolerating either being
     *  already done), re-apply the blocks up to new_best, then flush with
     *  best_block = new_best. */
    std::vector<uint256> GetHeadBlocks() const;

    /** Pulls the next change into `change`; false when there are no more.
     *  The pointers in a change need stay valid only until the next call, so
     *  a cache may erase each entry once the following one is requested. */
    using ChangeSource = std::function<bool(CoinChange& change)>;

    /** Writes the dirty changes and makes `best_block` the best block, in
     *  pieces of about `batch_bytes` so that memory stays bounded:
     *    1st batch:  erase 'B', write 'H' = [best_block, old best], coins...
     *    ...         coins (not synced: LevelDB's log keeps batches in order)
     *    last batch: coins, erase 'H', write 'B' = best_block (synced)
     *  A crash in between leaves 'H' and no 'B', never a state that claims
     *  to be one block while holding another's coins.
     *  If a previous flush was interrupted, `best_block` must be its
     *  new_best (the engine replayed up to it); anything else throws
     *  DatabaseError. best_block must not be null. */
    void BatchWrite(const ChangeSource& next, const uint256& best_block,
                    size_t batch_bytes = DEFAULT_DB_BATCH_BYTES);
    void BatchWrite(std::span<const CoinEntry> changes, const uint256& best_block,
                    size_t batch_bytes = DEFAULT_DB_BATCH_BYTES);

    /** Walks all coins in key order: by txid bytes, then by the bytes of
     *  VARINT(n). This is the order of Core's chainstate, which its UTXO-set
     *  hash follows; it equals numeric order of n below 16512. */
    class Cursor
    {
    public:
        bool Valid() const { return m_valid; }
        void Next();
        const OutPoint& Key() const { return m_outpoint; }
        const Coin& Value() const { return m_coin; }

    private:
        friend class CoinsDB;
        explicit Cursor(std::unique_ptr<Database::Iterator> it, const std::string& path);
        void Load();
        std::unique_ptr<Database::Iterator> m_it;
        std::string m_path;
        bool m_valid{false};
        OutPoint m_outpoint;
        Coin m_coin;
    };
    std::unique_ptr<Cursor> NewCursor() const;

    /** Approximate bytes on disk of the coin records. */
    uint64_t EstimateSize() const;

    Database& GetDatabase() { return m_db; }

    /** Test hook: called after each partial (non-final) batch is written,
     *  with the number written so far. Tests throw from it to leave the
     *  database as a crash at that point would. Unset in the node. */
    std::function<void(size_t batches_written)> m_after_partial_batch;

private:
    Database m_db;
};

/** Key of the coin record for `outpoint`: 'C' txid VARINT(n). */
Bytes CoinKey(const OutPoint& outpoint);

} // namespace cairn

#endif
