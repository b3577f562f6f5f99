// The block tree on disk (<datadir>/<net>/blocks/index/): one record per
// known block header with its status and where its data is stored, one per
// blk file, and a few flags. Loaded once at startup to rebuild the in-memory
// tree; written by the engine at every flush.
//
// Records (doc/design/storage.md has them byte by byte):
//   'b' hash(32)          -> DiskBlockIndex (VARINTs, then the 80-byte header)
//   'f' int32 LE          -> BlockFileInfo (7 VARINTs)
//   'l'                   -> last block file, int32 LE
//   'R'                   -> '1' while a reindex is in progress (absent otherwise)
//   'F' CompactSize name  -> '1' or '0'  (e.g. "prunedblockfiles", "txindex")
//   'V'                   -> format version, uint32 LE
#ifndef CAIRN_STORAGE_BLOCK_TREE_DB_H
#define CAIRN_STORAGE_BLOCK_TREE_DB_H

#include "consensus/block_index.h"
#include "primitives/block.h"
#include "storage/block_files.h"
#include "storage/db.h"
#include "util/serialize.h"
#include "util/uint256.h"

#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn {

inline constexpr uint8_t DB_BLOCK_INDEX = 'b';
inline constexpr uint8_t DB_BLOCK_FILES = 'f';
inline constexpr uint8_t DB_LAST_BLOCK = 'l';
inline constexpr uint8_t DB_REINDEX_FLAG = 'R';
inline constexpr uint8_t DB_FLAG = 'F';

/** Format of the block index this build writes and the newest it reads. */
inline constexpr uint32_t BLOCK_TREE_DB_VERSION = 1;

/** A block-tree entry as stored: what the in-memory BlockIndex needs that
 *  cannot be recomputed (chain work, links and sequence ids are rebuilt when
 *  the tree is loaded). */
struct DiskBlockIndex {
    uint256 hash; // the record's key; equal to header.GetHash()
    BlockHeader header;
    int height{0};
    uint32_t status{0}; // BlockStatus bits
    unsigned tx_count{0};
    int file{-1};         // stored when status has BLOCK_HAVE_DATA or BLOCK_HAVE_UNDO
    unsigned data_pos{0}; // stored when status has BLOCK_HAVE_DATA
    unsigned undo_pos{0}; // stored when status has BLOCK_HAVE_UNDO

    /** The stored fields of `index` (its hash and parent must be set). */
    static DiskBlockIndex FromBlockIndex(const BlockIndex& index);
    /** Copies the stored fields into `index`; hash, prev, skip and chain work
     *  are the caller's to set. */
    void CopyTo(BlockIndex& index) const;

    friend bool operator==(const DiskBlockIndex&, const DiskBlockIndex&) = default;
};

/** The value of a 'b' record: VARINT(version), VARINT(height), VARINT(status),
 *  VARINT(tx_count), [VARINT(file)], [VARINT(data_pos)], [VARINT(undo_pos)],
 *  header(80). The hash is the key, not part of the value. */
Bytes SerializeDiskBlockIndex(const DiskBlockIndex& entry);
/** Decodes a 'b' value (the whole of it); `hash` is taken from the key.
 *  Throws DeserializeError if malformed. */
DiskBlockIndex DeserializeDiskBlockIndex(ByteSpan value, const uint256& hash);

class BlockTreeDB
{
public:
    /** Opens the block index at options.path. Throws DatabaseError if it
     *  cannot be opened, or has a newer format version (left unchanged). */
    explicit BlockTreeDB(const DatabaseOptions& options);

    /** Writes file records, the last file number and block entries in one
     *  synced batch: after a crash either all of them are on disk or none. */
    void WriteBatchSync(std::span<const std::pair<int, BlockFileInfo>> files, int last_file,
                        std::span<const DiskBlockIndex> blocks);

    std::optional<BlockFileInfo> ReadBlockFileInfo(int file) const;
    /** The records of files 0..last_file (a missing one reads as empty),
     *  ready for BlockFileStore::LoadFileInfo. */
    std::vector<BlockFileInfo> ReadAllBlockFileInfo(int last_file) const;
    std::optional<int> ReadLastBlockFile() const;

    void WriteReindexing(bool reindexing);
    bool ReadReindexing() const;

    void WriteFlag(std::string_view name, bool value);
    /** nullopt if the flag was never written. */
    std::optional<bool> ReadFlag(std::string_view name) const;

    /** Hands every block entry, in key (hash) order, to `fn`. Stops early and
     *  returns false if `fn` returns false (e.g. on a shutdown request).
     *  Throws DatabaseError on an undecodable record or one whose header does
     *  not hash to its key. */
    bool LoadBlockIndex(const std::function<bool(const DiskBlockIndex&)>& fn) const;

    Database& GetDatabase() { return m_db; }

private:
    Database m_db;
};

} // namespace cairn

#endif
