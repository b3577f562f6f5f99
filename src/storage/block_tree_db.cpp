#include "storage/block_tree_db.h"

#include "util/varint.h"

#include <climits>
#include <stdexcept>

namespace cairn {

namespace {

const uint8_t KEY_LAST_BLOCK[1] = {DB_LAST_BLOCK};
const uint8_t KEY_REINDEX[1] = {DB_REINDEX_FLAG};
const uint8_t KEY_BLOCK_PREFIX[1] = {DB_BLOCK_INDEX};

const std::string REINDEX_HINT = ". Restart with -reindex to rebuild the block index from the block files";

Bytes BlockKey(const uint256& hash)
{
    Bytes key{DB_BLOCK_INDEX};
    key.insert(key.end(), hash.begin(), hash.end());
    return key;
}

Bytes FileInfoKey(int file)
{
    Bytes key;
    VectorWriter w(key);
    WriteU8(w, DB_BLOCK_FILES);
    WriteU32LE(w, uint32_t(file));
    return key;
}

Bytes FlagKey(std::string_view name)
{
    Bytes key;
    VectorWriter w(key);
    WriteU8(w, DB_FLAG);
    WriteVarBytes(w, AsBytes(name));
    return key;
}

/** Reads a VARINT that must fit a non-negative int (heights, file numbers). */
int ReadNonNegativeInt(Reader& r)
{
    uint32_t v = ReadVarInt<uint32_t>(r);
    if (v > uint32_t(INT_MAX)) throw DeserializeError("ReadVarInt(): size too large");
    return int(v);
}

} // namespace

// ---- DiskBlockIndex ----

DiskBlockIndex DiskBlockIndex::FromBlockIndex(const BlockIndex& index)
{
    DiskBlockIndex d;
    d.hash = index.GetBlockHash();
    d.header = index.GetBlockHeader();
    d.height = index.height;
    d.status = index.status;
    d.tx_count = index.tx_count;
    d.file = index.file;
    d.data_pos = index.data_pos;
    d.undo_pos = index.undo_pos;
    return d;
}

void DiskBlockIndex::CopyTo(BlockIndex& index) const
{
    index.height = height;
    index.version = header.version;
    index.merkle_root = header.merkle_root;
    index.time = header.time;
    index.bits = header.bits;
    index.nonce = header.nonce;
    index.status = status;
    index.tx_count = tx_count;
    index.file = file;
    index.data_pos = data_pos;
    index.undo_pos = undo_pos;
}

Bytes SerializeDiskBlockIndex(const DiskBlockIndex& e)
{
    if (e.height < 0) throw std::invalid_argument("SerializeDiskBlockIndex: negative height");
    const bool has_data = e.status & BLOCK_HAVE_DATA;
    const bool has_undo = e.status & BLOCK_HAVE_UNDO;
    if ((has_data || has_undo) && e.file < 0) {
        throw std::invalid_argument("SerializeDiskBlockIndex: block data or undo without a file");
    }
    Bytes out;
    VectorWriter w(out);
    WriteVarInt(w, BLOCK_TREE_DB_VERSION);
    WriteVarInt(w, uint32_t(e.height));
    WriteVarInt(w, e.status);
    WriteVarInt(w, e.tx_count);
    if (has_data || has_undo) WriteVarInt(w, uint32_t(e.file));
    if (has_data) WriteVarInt(w, e.data_pos);
    if (has_undo) WriteVarInt(w, e.undo_pos);
    SerializeBlockHeader(w, e.header);
    return out;
}

DiskBlockIndex DeserializeDiskBlockIndex(ByteSpan value, const uint256& hash)
{
    Reader r(value);
    DiskBlockIndex e;
    e.hash = hash;
    (void)ReadVarInt<uint32_t>(r); // the writer's version: informational (the 'V' record governs the format)
    e.height = ReadNonNegativeInt(r);
    e.status = ReadVarInt<uint32_t>(r);
    e.tx_count = ReadVarInt<unsigned>(r);
    const bool has_data = e.status & BLOCK_HAVE_DATA;
    const bool has_undo = e.status & BLOCK_HAVE_UNDO;
    if (has_data || has_undo) e.file = ReadNonNegativeInt(r);
    if (has_data) e.data_pos = ReadVarInt<unsigned>(r);
    if (has_undo) e.undo_pos = ReadVarInt<unsigned>(r);
    e.header = DeserializeBlockHeader(r);
    if (!r.empty()) throw DeserializeError(std::to_string(r.remaining()) + " bytes left over");
    return e;
}

// ---- BlockTreeDB ----

BlockTreeDB::BlockTreeDB(const DatabaseOptions& options) : m_db(options)
{
    const uint8_t data_prefixes[] = {DB_BLOCK_INDEX, DB_BLOCK_FILES, DB_LAST_BLOCK, DB_REINDEX_FLAG, DB_FLAG};
    CheckFormatVersion(m_db, BLOCK_TREE_DB_VERSION, "block index", data_prefixes);
}

void BlockTreeDB::WriteBatchSync(std::span<const std::pair<int, BlockFileInfo>> files, int last_file,
                                 std::span<const DiskBlockIndex> blocks)
{
    Database::Batch batch(m_db);
    Bytes value;
    for (const auto& [file, info] : files) {
        value.clear();
        VectorWriter w(value);
        SerializeBlockFileInfo(w, info);
        batch.Write(FileInfoKey(file), value);
    }
    value.clear();
    VectorWriter w(value);
    WriteU32LE(w, uint32_t(last_file));
    batch.Write(KEY_LAST_BLOCK, value);
    for (const DiskBlockIndex& entry : blocks) batch.Write(BlockKey(entry.hash), SerializeDiskBlockIndex(entry));
    m_db.WriteBatch(batch, /*sync=*/true);
}

std::optional<BlockFileInfo> BlockTreeDB::ReadBlockFileInfo(int file) const
{
    Bytes value;
    if (!m_db.Read(FileInfoKey(file), value)) return std::nullopt;
    try {
        Reader r(value);
        BlockFileInfo info = DeserializeBlockFileInfo(r);
        if (!r.empty()) throw DeserializeError("trailing bytes");
        return info;
    } catch (const DeserializeError& e) {
        throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": record of block file " +
                            std::to_string(file) + ": " + e.what() + REINDEX_HINT);
    }
}

std::vector<BlockFileInfo> BlockTreeDB::ReadAllBlockFileInfo(int last_file) const
{
    std::vector<BlockFileInfo> infos;
    for (int file = 0; file <= last_file; ++file) infos.push_back(ReadBlockFileInfo(file).value_or(BlockFileInfo{}));
    return infos;
}

std::optional<int> BlockTreeDB::ReadLastBlockFile() const
{
    Bytes value;
    if (!m_db.Read(KEY_LAST_BLOCK, value)) return std::nullopt;
    if (value.size() != 4 || Reader(value).U32LE() > uint32_t(INT_MAX)) {
        throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": last block file record" +
                            REINDEX_HINT);
    }
    return int(Reader(value).U32LE());
}

void BlockTreeDB::WriteReindexing(bool reindexing)
{
    if (reindexing) {
        const uint8_t one[1] = {'1'};
        m_db.Write(KEY_REINDEX, one, /*sync=*/true);
    } else {
        m_db.Erase(KEY_REINDEX, /*sync=*/true);
    }
}

bool BlockTreeDB::ReadReindexing() const { return m_db.Exists(KEY_REINDEX); }

void BlockTreeDB::WriteFlag(std::string_view name, bool value)
{
    const uint8_t v[1] = {uint8_t(value ? '1' : '0')};
    m_db.Write(FlagKey(name), v, /*sync=*/true);
}

std::optional<bool> BlockTreeDB::ReadFlag(std::string_view name) const
{
    Bytes value;
    if (!m_db.Read(FlagKey(name), value)) return std::nullopt;
    if (value.size() != 1 || (value[0] != '0' && value[0] != '1')) {
        throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": flag '" + std::string(name) +
                            "'" + REINDEX_HINT);
    }
    return value[0] == '1';
}

bool BlockTreeDB::LoadBlockIndex(const std::function<bool(const DiskBlockIndex&)>& fn) const
{
    auto it = m_db.NewIterator();
    for (it->Seek(KEY_BLOCK_PREFIX); it->KeyStartsWith(KEY_BLOCK_PREFIX); it->Next()) {
        const ByteSpan key = it->Key();
        if (key.size() != 1 + 32) {
            throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": malformed block key" +
                                REINDEX_HINT);
        }
        const uint256 hash(key.subspan(1));
        DiskBlockIndex entry;
        try {
            entry = DeserializeDiskBlockIndex(it->Value(), hash);
        } catch (const DeserializeError& e) {
            throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": block " + hash.GetHex() +
                                ": " + e.what() + REINDEX_HINT);
        }
        // A cheap guard against a record moved under the wrong key or with
        // damaged header bytes: the header must hash to the key.
        if (entry.header.GetHash() != hash) {
            throw DatabaseError("Corrupt block index database " + m_db.Path().string() + ": the header stored for " +
                                hash.GetHex() + " hashes to " + entry.header.GetHash().GetHex() + REINDEX_HINT);
        }
        if (!fn(entry)) return false;
    }
    return true;
}

} // namespace cairn
