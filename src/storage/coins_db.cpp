#include "storage/coins_db.h"

#include "storage/compress.h"
#include "util/serialize.h"
#include "util/varint.h"

#include <stdexcept>

namespace cairn {

namespace {

const uint8_t KEY_BEST_BLOCK[1] = {DB_BEST_BLOCK};
const uint8_t KEY_HEAD_BLOCKS[1] = {DB_HEAD_BLOCKS};
const uint8_t KEY_COIN_PREFIX[1] = {DB_COIN};

const std::string REINDEX_HINT = "Restart with -reindex-chainstate to rebuild the chainstate from the block files";

[[noreturn]] void ThrowCorrupt(const Database& db, const std::string& what)
{
    throw DatabaseError("Corrupt chainstate database " + db.Path().string() + ": " + what + ". " + REINDEX_HINT);
}

/** Decodes a coin record that must fill `value` exactly. */
Coin DecodeCoinValue(ByteSpan value)
{
    Reader r(value);
    Coin coin = DeserializeCoin(r);
    if (!r.empty()) throw DeserializeError("trailing bytes after coin");
    return coin;
}

/** Decodes 'C' txid VARINT(n); nullopt if `key` is not exactly that. */
std::optional<OutPoint> DecodeCoinKey(ByteSpan key)
{
    if (key.size() < 1 + 32 + 1 || key[0] != DB_COIN) return std::nullopt;
    try {
        Reader r(key.subspan(1));
        OutPoint out;
        out.hash = uint256(r.ReadBytes(32));
        out.n = ReadVarInt<uint32_t>(r);
        if (!r.empty()) return std::nullopt;
        return out;
    } catch (const DeserializeError&) {
        return std::nullopt;
    }
}

} // namespace

Bytes CoinKey(const OutPoint& outpoint)
{
    Bytes key;
    key.reserve(1 + 32 + MAX_VARINT_LEN<uint32_t>);
    VectorWriter w(key);
    WriteU8(w, DB_COIN);
    w.Write(outpoint.hash.span());
    WriteVarInt(w, outpoint.n);
    return key;
}

CoinsDB::CoinsDB(const DatabaseOptions& options) : m_db(options)
{
    const uint8_t data_prefixes[] = {DB_COIN, DB_BEST_BLOCK, DB_HEAD_BLOCKS};
    CheckFormatVersion(m_db, COINS_DB_VERSION, "chainstate", data_prefixes);
}

std::optional<Coin> CoinsDB::GetCoin(const OutPoint& outpoint) const
{
    Bytes value;
    if (!m_db.Read(CoinKey(outpoint), value)) return std::nullopt;
    try {
        return DecodeCoinValue(value);
    } catch (const DeserializeError& e) {
        ThrowCorrupt(m_db, "coin " + outpoint.ToString() + ": " + e.what());
    }
}

bool CoinsDB::HaveCoin(const OutPoint& outpoint) const { return m_db.Exists(CoinKey(outpoint)); }

uint256 CoinsDB::GetBestBlock() const
{
    Bytes value;
    if (!m_db.Read(KEY_BEST_BLOCK, value)) return uint256{};
    if (value.size() != 32) ThrowCorrupt(m_db, "best block record has " + std::to_string(value.size()) + " bytes");
    return uint256(value);
}

std::vector<uint256> CoinsDB::GetHeadBlocks() const
{
    Bytes value;
    if (!m_db.Read(KEY_HEAD_BLOCKS, value)) return {};
    try {
        Reader r(value);
        uint64_t n = r.CompactSize();
        if (n != 2) throw DeserializeError("expected 2 hashes, found " + std::to_string(n));
        std::vector<uint256> heads;
        for (uint64_t i = 0; i < n; ++i) heads.emplace_back(r.ReadBytes(32));
        if (!r.empty()) throw DeserializeError("trailing bytes");
        return heads;
    } catch (const DeserializeError& e) {
        ThrowCorrupt(m_db, std::string("head blocks record: ") + e.what());
    }
}

void CoinsDB::BatchWrite(const ChangeSource& next, const uint256& best_block, size_t batch_bytes)
{
    if (best_block.IsNull()) throw std::invalid_argument("CoinsDB::BatchWrite: null best block");

    uint256 old_tip = GetBestBlock();
    if (old_tip.IsNull()) {
        // Either the first flush, or a flush was interrupted and the engine
        // has replayed the blocks up to that flush's target since.
        std::vector<uint256> heads = GetHeadBlocks();
        if (heads.size() == 2) {
            if (heads[0] != best_block) {
                throw DatabaseError("The chainstate database " + m_db.Path().string() +
                                    " was left mid-flush towards block " + heads[0].GetHex() +
                                    ", but is now being flushed at block " + best_block.GetHex() +
                                    ": its coins are in an inconsistent state. " + REINDEX_HINT);
            }
            old_tip = heads[1];
        }
    }

    Database::Batch batch(m_db);
    // The markers travel in the first batch: no coin of the new state can
    // reach the disk without them.
    batch.Erase(KEY_BEST_BLOCK);
    {
        Bytes heads;
        VectorWriter w(heads);
        WriteCompactSize(w, 2);
        w.Write(best_block.span());
        w.Write(old_tip.span());
        batch.Write(KEY_HEAD_BLOCKS, heads);
    }

    size_t batches_written = 0;
    Bytes value;
    CoinChange change;
    while (next(change)) {
        if (!change.dirty) continue;
        const Bytes key = CoinKey(*change.outpoint);
        if (change.coin->IsSpent()) {
            batch.Erase(key);
        } else {
            value.clear();
            VectorWriter w(value);
            SerializeCoin(w, *change.coin);
            batch.Write(key, value);
        }
        if (batch.ApproximateSize() > batch_bytes) {
            // Unsynced: LevelDB's log is replayed in order after a crash, so
            // the synced final batch makes all earlier ones durable as well.
            m_db.WriteBatch(batch);
            batch.Clear();
            ++batches_written;
            if (m_after_partial_batch) m_after_partial_batch(batches_written);
        }
    }

    batch.Erase(KEY_HEAD_BLOCKS);
    batch.Write(KEY_BEST_BLOCK, best_block.span());
    m_db.WriteBatch(batch, /*sync=*/true);
}

void CoinsDB::BatchWrite(std::span<const CoinEntry> changes, const uint256& best_block, size_t batch_bytes)
{
    size_t i = 0;
    BatchWrite(
        [&](CoinChange& c) {
            if (i == changes.size()) return false;
            const CoinEntry& e = changes[i++];
            c = CoinChange{&e.outpoint, &e.coin, e.dirty, e.fresh};
            return true;
        },
        best_block, batch_bytes);
}

// ---- Cursor ----

CoinsDB::Cursor::Cursor(std::unique_ptr<Database::Iterator> it, const std::string& path)
    : m_it(std::move(it)), m_path(path)
{
    m_it->Seek(KEY_COIN_PREFIX);
    Load();
}

void CoinsDB::Cursor::Load()
{
    m_valid = m_it->KeyStartsWith(KEY_COIN_PREFIX);
    if (!m_valid) return;
    const std::string hint = ". " + REINDEX_HINT;
    std::optional<OutPoint> key = DecodeCoinKey(m_it->Key());
    if (!key) throw DatabaseError("Corrupt chainstate database " + m_path + ": malformed coin key" + hint);
    m_outpoint = *key;
    try {
        m_coin = DecodeCoinValue(m_it->Value());
    } catch (const DeserializeError& e) {
        throw DatabaseError("Corrupt chainstate database " + m_path + ": coin " + m_outpoint.ToString() + ": " +
                            e.what() + hint);
    }
}

void CoinsDB::Cursor::Next()
{
    m_it->Next();
    Load();
}

std::unique_ptr<CoinsDB::Cursor> CoinsDB::NewCursor() const
{
    return std::unique_ptr<Cursor>(new Cursor(m_db.NewIterator(), m_db.Path().string()));
}

uint64_t CoinsDB::EstimateSize() const
{
    const uint8_t end[1] = {DB_COIN + 1};
    return m_db.EstimateSize(KEY_COIN_PREFIX, end);
}

} // namespace cairn
