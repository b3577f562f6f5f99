// Blocks and their undo data in flat files (<datadir>/<net>/blocks/):
// blkNNNNN.dat holds blocks as they arrived, revNNNNN.dat the undo data of
// the blocks of blkNNNNN.dat as they were connected. Both are append-only
// sequences of records; a record is found through the position kept in the
// block index. Formats (doc/design/storage.md has them byte by byte):
//   blk record:  magic(4) | size(4, LE) | block (network serialization, with witnesses)
//   rev record:  magic(4) | size(4, LE) | block undo | Hash256(prev block hash || block undo)
// A position points at the record's payload, just after the 8-byte header.
//
// Every byte of both files is XORed with the 8-byte key of blocks/xor.dat by
// its offset in the file (byte i with key[i % 8]), as Bitcoin Core 28+ does,
// so that other programs (virus scanners) never see block data as sent by
// peers. The key is random for a new blocks directory, all zeros (the files
// as plain records) for one created before xor.dat existed or with
// -blocksxor=0. Every read and write of blk/rev data goes through this file
// (and XorAtOffset for the readers that scan whole files, -reindex).
#ifndef CAIRN_STORAGE_BLOCK_FILES_H
#define CAIRN_STORAGE_BLOCK_FILES_H

#include "primitives/block.h"
#include "storage/undo.h"
#include "util/serialize.h"
#include "util/span.h"
#include "util/uint256.h"
#include "util/varint.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

/** Largest blk file: a new file is started rather than grow one past this. */
inline constexpr uint32_t MAX_BLOCKFILE_SIZE = 0x8000000; // 128 MiB
/** -fastprune (tests): tiny files so that pruning can be exercised with a few blocks. */
inline constexpr uint32_t FAST_PRUNE_MAX_BLOCKFILE_SIZE = 0x10000; // 64 KiB
inline constexpr uint32_t FAST_PRUNE_BLOCKFILE_CHUNK_SIZE = 0x4000; // 16 KiB
/** Pre-allocation steps: files grow in chunks to limit fragmentation. */
inline constexpr uint32_t BLOCKFILE_CHUNK_SIZE = 0x1000000; // 16 MiB
inline constexpr uint32_t UNDOFILE_CHUNK_SIZE = 0x100000;   // 1 MiB
/** Bytes before a record's payload: magic and size. */
inline constexpr uint32_t STORAGE_HEADER_BYTES = 8;
/** Bytes after an undo record's payload: its checksum. */
inline constexpr uint32_t UNDO_CHECKSUM_BYTES = 32;
/** Free disk space kept in reserve when pre-allocating (as Core does). */
inline constexpr uint64_t MIN_DISK_SPACE_RESERVE = 50 << 20;

/** -blocksxor default: a new blocks directory gets a random key. */
inline constexpr bool DEFAULT_BLOCKS_XOR = true;
/** blocks/xor.dat holds exactly the key's bytes. */
inline constexpr size_t BLOCKS_XOR_KEY_SIZE = 8;
using BlocksXorKey = std::array<uint8_t, BLOCKS_XOR_KEY_SIZE>;
inline constexpr const char* BLOCKS_XOR_KEY_FILE = "xor.dat";

/** XORs `data`, which sits at byte `offset` of its blk/rev file, with the
 *  key: file byte i with key[i % 8]. Its own inverse; a no-op for a zero key. */
void XorAtOffset(MutableByteSpan data, uint64_t offset, const BlocksXorKey& key);

/** A failure reading or writing a blk/rev file: an I/O error, a missing
 *  file, or a record that is truncated, has the wrong magic or size, fails
 *  its checksum or does not decode. The message names file and offset. */
class BlockFileError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** Position of a record's payload: file number and byte offset. */
struct FlatFilePos {
    int file{-1};
    unsigned pos{0};

    FlatFilePos() = default;
    FlatFilePos(int f, unsigned p) : file(f), pos(p) {}
    bool IsNull() const { return file == -1; }
    std::string ToString() const;
    friend bool operator==(const FlatFilePos&, const FlatFilePos&) = default;
};

struct FileCloser {
    void operator()(std::FILE* f) const
    {
        if (f) std::fclose(f);
    }
};
/** An open stdio file, closed (without error check) when dropped. Files
 *  written to are closed with CloseChecked() instead, so that a failed
 *  write-back is reported. */
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

/** A numbered sequence of flat files: <dir>/<prefix>NNNNN.dat. */
class FlatFileSeq
{
public:
    FlatFileSeq(std::filesystem::path dir, std::string prefix, uint32_t chunk_size);

    std::filesystem::path FileName(const FlatFilePos& pos) const;
    /** Opens the file of `pos` positioned at pos.pos. For writing, creates
     *  it if missing. Throws BlockFileError on failure (for reading, also if
     *  the file does not exist). */
    FilePtr Open(const FlatFilePos& pos, bool read_only = false) const;
    /** Makes sure that [pos.pos, pos.pos + add_size) can be written, growing
     *  the file by whole chunks. Returns the bytes added (0 if none were
     *  needed). If the disk lacks room (keeping MIN_DISK_SPACE_RESERVE free)
     *  sets out_of_space and returns 0. Throws BlockFileError on I/O errors. */
    uint64_t Allocate(const FlatFilePos& pos, uint64_t add_size, bool& out_of_space) const;
    /** fsyncs the file of `pos` (and the directory, so a new file's name is
     *  durable too). With `finalize`, first truncates it to pos.pos, dropping
     *  the unused pre-allocated tail. A file not yet created is skipped. */
    void Flush(const FlatFilePos& pos, bool finalize = false) const;

    const std::filesystem::path& Dir() const { return m_dir; }
    uint32_t ChunkSize() const { return m_chunk_size; }

private:
    std::filesystem::path m_dir;
    std::string m_prefix;
    uint32_t m_chunk_size;
};

/** Closes a file that was written to; throws BlockFileError if the final
 *  write-back fails. */
void CloseChecked(FilePtr& file, const std::filesystem::path& name);

/** The blocks directory's XOR key (Core's InitBlocksdirXorKey): read from
 *  <blocks_dir>/xor.dat if it exists; otherwise created there, random if
 *  `use_xor` and the directory is new (holds nothing but hidden files such
 *  as a lock), else all zeros (a directory written before keys existed).
 *  Throws BlockFileError if the file cannot be read or written, or with
 *  Core's message if `use_xor` is false but the stored key is not zero. */
BlocksXorKey InitBlocksXorKey(const std::filesystem::path& blocks_dir, bool use_xor);

/** What one blk file (and its rev file) holds, kept in the block tree DB so
 *  that no file has to be scanned at startup. */
struct BlockFileInfo {
    unsigned blocks{0};       // blocks stored in the blk file
    unsigned size{0};         // bytes used in the blk file
    unsigned undo_size{0};    // bytes used in the rev file
    unsigned height_first{0}; // lowest block height in the file
    unsigned height_last{0};  // highest block height in the file
    uint64_t time_first{0};   // earliest block time in the file
    uint64_t time_last{0};    // latest block time in the file

    /** Records one more block (heights and times need not come in order). */
    void AddBlock(unsigned height, uint64_t time);
    friend bool operator==(const BlockFileInfo&, const BlockFileInfo&) = default;
};

/** Seven VARINTs, in the order of the fields above. */
template <typename W> void SerializeBlockFileInfo(W& w, const BlockFileInfo& info)
{
    WriteVarInt(w, info.blocks);
    WriteVarInt(w, info.size);
    WriteVarInt(w, info.undo_size);
    WriteVarInt(w, info.height_first);
    WriteVarInt(w, info.height_last);
    WriteVarInt(w, info.time_first);
    WriteVarInt(w, info.time_last);
}
BlockFileInfo DeserializeBlockFileInfo(Reader& r);

struct BlockFileStoreOptions {
    /** The blocks directory; created if missing. */
    std::filesystem::path blocks_dir;
    /** The network's message start, written before every record. */
    std::array<uint8_t, 4> magic{};
    /** Tests lower these to exercise file rollover with small blocks. */
    uint32_t max_file_size{MAX_BLOCKFILE_SIZE};
    uint32_t blk_chunk_size{BLOCKFILE_CHUNK_SIZE};
    uint32_t rev_chunk_size{UNDOFILE_CHUNK_SIZE};
    /** -blocksxor: whether a new blocks directory gets a random XOR key
     *  (see InitBlocksXorKey). */
    bool use_xor{DEFAULT_BLOCKS_XOR};
};

/** The blk and rev files of one node, with the per-file bookkeeping.
 *
 *  Thread safety: the Read* methods use only the configuration fixed at
 *  construction and may run on any thread at any time (net and RPC serve
 *  blocks while the engine writes). Every other method changes or reads the
 *  per-file records and must be serialised by the caller (the engine calls
 *  them under its lock). */
class BlockFileStore
{
public:
    /** Creates the blocks directory if missing and sets up its XOR key
     *  (InitBlocksXorKey: call before anything else, such as the block
     *  index database, puts files there). Throws BlockFileError. */
    explicit BlockFileStore(BlockFileStoreOptions options);

    /** Installs the per-file records read from the block tree DB at startup.
     *  `infos` is indexed by file number; last_file is the file being filled. */
    void LoadFileInfo(std::vector<BlockFileInfo> infos, int last_file);

    /** Appends a block to the current blk file, or to a new one when the
     *  current file would grow past max_file_size (the old file is then
     *  finalized: flushed and truncated). Returns the payload position, or
     *  nullopt if the disk is full. Throws BlockFileError on I/O errors. */
    std::optional<FlatFilePos> WriteBlock(const Block& block, int height);
    /** -reindex: records a block that is already stored, `size` bytes of
     *  payload at `pos` (the payload position, as WriteBlock returns it),
     *  without writing anything. The file's record grows to cover the
     *  block (size = max(size, end of its record)), counts it and its height
     *  and time; the highest file noted becomes the one being filled, so that
     *  blocks stored after the reindex are appended after the last block
     *  found. Blocks may be noted in any order. Nothing else may write blocks
     *  while a reindex notes them (WriteBlock appends at the recorded size). */
    void NoteExistingBlock(const FlatFilePos& pos, size_t size, int height, uint64_t time);
    /** The serialized block at `pos` (as stored: with witnesses), after
     *  checking the record's magic and size. Throws BlockFileError. */
    Bytes ReadRawBlock(const FlatFilePos& pos) const;
    /** ReadRawBlock, decoded; the record must hold exactly one block. */
    Block ReadBlock(const FlatFilePos& pos) const;

    /** Appends the undo data of the block at `block_pos` (of height `height`,
     *  whose parent is `prev_block_hash`) to the rev file with the same
     *  number. Returns its position, or nullopt if the disk is full. When
     *  this is the undo data of the last block of an older file, that rev
     *  file is finalized. Throws BlockFileError on I/O errors. */
    std::optional<FlatFilePos> WriteUndo(const BlockUndo& undo, const FlatFilePos& block_pos, int height,
                                         const uint256& prev_block_hash);
    /** Reads and checks (magic, size, checksum) the undo data at `pos`; the
     *  checksum binds it to `prev_block_hash`. Throws BlockFileError. */
    BlockUndo ReadUndo(const FlatFilePos& pos, const uint256& prev_block_hash) const;

    /** fsyncs the blk and rev file being filled (before the block index and
     *  chainstate that point into them are written). */
    void Flush();

    /** Pruning, step one: forgets what `file` holds (its record becomes
     *  empty and dirty, so the next block index write records that). */
    void ClearFileInfo(int file);
    /** Pruning, step two (once the cleared record is on disk): deletes
     *  blkNNNNN.dat and revNNNNN.dat of `file`. Missing files are not an
     *  error; other failures throw BlockFileError. */
    void UnlinkFiles(int file) const;
    /** Both steps at once (tests, tools). */
    void RemoveFiles(int file);
    /** -reindex: the blk files are read from blk00000.dat up to the first
     *  missing one; files after a gap (left by pruning) can never be
     *  indexed, so they and every rev file (rewritten as blocks are
     *  connected again) are deleted, as Bitcoin Core does. Returns the
     *  deleted paths. Throws BlockFileError if one cannot be deleted. */
    std::vector<std::filesystem::path> CleanupForReindex() const;
    /** Bytes used by all blk and rev files (from the records, as Core counts). */
    uint64_t CalculateCurrentUsage() const;

    int LastFile() const { return m_last_file; }
    /** The record of `file`, or nullptr if there is no such file. */
    const BlockFileInfo* GetFileInfo(int file) const;
    size_t FileCount() const { return m_infos.size(); }
    /** The records changed since the last call, for BlockTreeDB::WriteBatchSync. */
    std::vector<std::pair<int, BlockFileInfo>> TakeDirtyFileInfos();

    const FlatFileSeq& BlockSeq() const { return m_blk_seq; }
    const FlatFileSeq& UndoSeq() const { return m_rev_seq; }
    /** The key every blk/rev byte is XORed with (fixed at construction, so
     *  readable from any thread). */
    const BlocksXorKey& XorKey() const { return m_xor_key; }

private:
    /** Reads the header at pos - 8 and the `size` bytes after it (plus
     *  `trailer` more); checks magic and bounds. */
    Bytes ReadRecord(const FlatFileSeq& seq, const FlatFilePos& pos, uint32_t trailer) const;
    /** Writes header + payload (+ trailer) at `pos` (the header's position). */
    void WriteRecord(const FlatFileSeq& seq, const FlatFilePos& pos, ByteSpan payload, ByteSpan trailer);

    BlockFileStoreOptions m_opts;
    BlocksXorKey m_xor_key{};
    FlatFileSeq m_blk_seq;
    FlatFileSeq m_rev_seq;
    std::vector<BlockFileInfo> m_infos;
    int m_last_file{0};
    std::set<int> m_dirty;
};

} // namespace cairn

#endif
