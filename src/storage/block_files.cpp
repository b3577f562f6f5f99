#include "storage/block_files.h"

#include "crypto/hash.h"
#include "crypto/random.h"
#include "util/hex.h"
#include "util/log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cairn {

namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

/** fsyncs a directory so that the names of files created in it survive a crash. */
void SyncDirectory(const std::filesystem::path& dir)
{
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) throw BlockFileError("Cannot open directory " + dir.string() + ": " + ErrnoText(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    // Some file systems do not support fsync on directories; that is no error.
    if (rc != 0 && err != EINVAL && err != ENOTSUP) {
        throw BlockFileError("Cannot sync directory " + dir.string() + ": " + ErrnoText(err));
    }
}

const std::string REINDEX_HINT = "; restart with -reindex to rebuild the block files' index from scratch";

} // namespace

std::string FlatFilePos::ToString() const
{
    return "FlatFilePos(file=" + std::to_string(file) + ", pos=" + std::to_string(pos) + ")";
}

void CloseChecked(FilePtr& file, const std::filesystem::path& name)
{
    std::FILE* f = file.release();
    if (f && std::fclose(f) != 0) {
        throw BlockFileError("Error writing " + name.string() + ": " + ErrnoText(errno));
    }
}

// ---- the blocks directory's XOR key ----

void XorAtOffset(MutableByteSpan data, uint64_t offset, const BlocksXorKey& key)
{
    if (std::all_of(key.begin(), key.end(), [](uint8_t b) { return b == 0; })) return;
    // The key turned to line up with data[0], so that the loop is plain.
    BlocksXorKey turned;
    for (size_t k = 0; k < BLOCKS_XOR_KEY_SIZE; ++k) turned[k] = key[(offset + k) % BLOCKS_XOR_KEY_SIZE];
    for (size_t i = 0; i < data.size(); ++i) data[i] ^= turned[i % BLOCKS_XOR_KEY_SIZE];
}

BlocksXorKey InitBlocksXorKey(const std::filesystem::path& blocks_dir, bool use_xor)
{
    BlocksXorKey key{};

    // A new directory holds nothing but hidden files (a lock file may be
    // there already); anything else means blocks were stored before.
    bool first_run = true;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(blocks_dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec) || !it->path().filename().string().starts_with('.')) {
            first_run = false;
            break;
        }
    }
    if (ec) throw BlockFileError("Cannot list " + blocks_dir.string() + ": " + ec.message());
    if (use_xor && first_run) GetRandBytes(key);

    const std::filesystem::path path = blocks_dir / BLOCKS_XOR_KEY_FILE;
    const bool stored = std::filesystem::exists(path, ec);
    if (ec) throw BlockFileError("Cannot access " + path.string() + ": " + ec.message());
    if (stored) {
        // A stored key always wins, whatever the directory holds.
        FilePtr file{std::fopen(path.c_str(), "rb")};
        if (!file) throw BlockFileError("Cannot open the XOR key file " + path.string() + ": " + ErrnoText(errno));
        if (std::fread(key.data(), 1, key.size(), file.get()) != key.size()) {
            throw BlockFileError("Cannot read the XOR key file " + path.string() + ": it must hold " +
                                 std::to_string(BLOCKS_XOR_KEY_SIZE) + " bytes");
        }
    } else {
        // Exclusive create: never overwrite a key that appeared meanwhile.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) throw BlockFileError("Cannot create the XOR key file " + path.string() + ": " + ErrnoText(errno));
        const bool written = ::write(fd, key.data(), key.size()) == ssize_t(key.size()) && ::fsync(fd) == 0;
        const int err = errno;
        const bool closed = ::close(fd) == 0;
        if (!written || !closed) {
            const int close_err = errno;
            // A partial key file would stop every later start: leave none.
            std::error_code rm_ec;
            std::filesystem::remove(path, rm_ec);
            throw BlockFileError(std::string(written ? "Error closing XOR key file " : "Error writing XOR key file ") +
                                 path.string() + ": " + ErrnoText(written ? close_err : err));
        }
        SyncDirectory(blocks_dir);
    }
    if (!use_xor && key != BlocksXorKey{}) {
        // Bitcoin Core's start-up error, word for word.
        throw BlockFileError("The blocksdir XOR-key can not be disabled when a random key was already stored! "
                             "Stored key: '" + HexStr(key) + "', stored path: '" + path.string() + "'.");
    }
    LogInfo("Using obfuscation key for blocksdir *.dat files ({}): '{}'", blocks_dir.string(), HexStr(key));
    return key;
}

// ---- FlatFileSeq ----

FlatFileSeq::FlatFileSeq(std::filesystem::path dir, std::string prefix, uint32_t chunk_size)
    : m_dir(std::move(dir)), m_prefix(std::move(prefix)), m_chunk_size(chunk_size)
{
    if (chunk_size == 0) throw std::invalid_argument("FlatFileSeq: chunk size must be positive");
}

std::filesystem::path FlatFileSeq::FileName(const FlatFilePos& pos) const
{
    char name[32];
    std::snprintf(name, sizeof(name), "%05d.dat", pos.file);
    return m_dir / (m_prefix + name);
}

FilePtr FlatFileSeq::Open(const FlatFilePos& pos, bool read_only) const
{
    if (pos.IsNull() || pos.file < 0) throw BlockFileError("Cannot open a file at null position " + pos.ToString());
    const std::filesystem::path name = FileName(pos);
    FilePtr file{std::fopen(name.c_str(), read_only ? "rb" : "rb+")};
    // "rb+" does not create; a file written for the first time is created here.
    if (!file && !read_only && errno == ENOENT) file.reset(std::fopen(name.c_str(), "wb+"));
    if (!file) throw BlockFileError("Cannot open " + name.string() + ": " + ErrnoText(errno));
    if (pos.pos && ::fseeko(file.get(), off_t(pos.pos), SEEK_SET) != 0) {
        throw BlockFileError("Cannot seek to offset " + std::to_string(pos.pos) + " in " + name.string() + ": " +
                             ErrnoText(errno));
    }
    return file;
}

uint64_t FlatFileSeq::Allocate(const FlatFilePos& pos, uint64_t add_size, bool& out_of_space) const
{
    out_of_space = false;
    const uint64_t old_chunks = (uint64_t{pos.pos} + m_chunk_size - 1) / m_chunk_size;
    const uint64_t new_chunks = (uint64_t{pos.pos} + add_size + m_chunk_size - 1) / m_chunk_size;
    if (new_chunks <= old_chunks) return 0;

    const uint64_t new_size = new_chunks * m_chunk_size;
    const uint64_t inc = new_size - pos.pos;
    std::error_code ec;
    std::filesystem::space_info space = std::filesystem::space(m_dir, ec);
    if (!ec && space.available < inc + MIN_DISK_SPACE_RESERVE) {
        out_of_space = true;
        return 0;
    }
    FilePtr file = Open(pos);
    // Reserves the blocks without writing them where the file system allows
    // (glibc falls back to writing zeros where it does not).
    int err = ::posix_fallocate(::fileno(file.get()), off_t(pos.pos), off_t(inc));
    if (err == ENOSPC) {
        out_of_space = true;
        return 0;
    }
    if (err != 0) throw BlockFileError("Cannot pre-allocate " + FileName(pos).string() + ": " + ErrnoText(err));
    CloseChecked(file, FileName(pos));
    return inc;
}

void FlatFileSeq::Flush(const FlatFilePos& pos, bool finalize) const
{
    const std::filesystem::path name = FileName(pos);
    int fd = ::open(name.c_str(), O_RDWR);
    if (fd < 0) {
        if (errno == ENOENT) return; // nothing written to it yet
        throw BlockFileError("Cannot open " + name.string() + " to flush it: " + ErrnoText(errno));
    }
    auto fail = [&](const char* what) {
        int err = errno;
        ::close(fd);
        throw BlockFileError(std::string("Cannot ") + what + " " + name.string() + ": " + ErrnoText(err));
    };
    if (finalize && ::ftruncate(fd, off_t(pos.pos)) != 0) fail("truncate");
    if (::fsync(fd) != 0) fail("sync");
    if (::close(fd) != 0) throw BlockFileError("Cannot close " + name.string() + ": " + ErrnoText(errno));
    SyncDirectory(m_dir);
}

// ---- BlockFileInfo ----

void BlockFileInfo::AddBlock(unsigned height, uint64_t time)
{
    if (blocks == 0 || height < height_first) height_first = height;
    if (blocks == 0 || time < time_first) time_first = time;
    ++blocks;
    height_last = std::max(height_last, height);
    time_last = std::max(time_last, time);
}

BlockFileInfo DeserializeBlockFileInfo(Reader& r)
{
    BlockFileInfo info;
    info.blocks = ReadVarInt<unsigned>(r);
    info.size = ReadVarInt<unsigned>(r);
    info.undo_size = ReadVarInt<unsigned>(r);
    info.height_first = ReadVarInt<unsigned>(r);
    info.height_last = ReadVarInt<unsigned>(r);
    info.time_first = ReadVarInt<uint64_t>(r);
    info.time_last = ReadVarInt<uint64_t>(r);
    return info;
}

// ---- BlockFileStore ----

BlockFileStore::BlockFileStore(BlockFileStoreOptions options)
    : m_opts(std::move(options)),
      m_blk_seq(m_opts.blocks_dir, "blk", m_opts.blk_chunk_size),
      m_rev_seq(m_opts.blocks_dir, "rev", m_opts.rev_chunk_size),
      m_infos(1)
{
    std::error_code ec;
    std::filesystem::create_directories(m_opts.blocks_dir, ec);
    if (ec) throw BlockFileError("Cannot create blocks directory " + m_opts.blocks_dir.string() + ": " + ec.message());
    m_xor_key = InitBlocksXorKey(m_opts.blocks_dir, m_opts.use_xor);
}

void BlockFileStore::LoadFileInfo(std::vector<BlockFileInfo> infos, int last_file)
{
    if (last_file < 0) throw std::invalid_argument("BlockFileStore::LoadFileInfo: negative last file");
    m_infos = std::move(infos);
    if (m_infos.size() <= size_t(last_file)) m_infos.resize(size_t(last_file) + 1);
    m_last_file = last_file;
    m_dirty.clear();
}

void BlockFileStore::WriteRecord(const FlatFileSeq& seq, const FlatFilePos& pos, ByteSpan payload, ByteSpan trailer)
{
    Bytes buf;
    buf.reserve(STORAGE_HEADER_BYTES + payload.size() + trailer.size());
    VectorWriter w(buf);
    w.Write(m_opts.magic);
    WriteU32LE(w, uint32_t(payload.size()));
    w.Write(payload);
    w.Write(trailer);
    XorAtOffset(buf, pos.pos, m_xor_key);

    const std::filesystem::path name = seq.FileName(pos);
    FilePtr file = seq.Open(pos);
    if (std::fwrite(buf.data(), 1, buf.size(), file.get()) != buf.size()) {
        throw BlockFileError("Error writing " + std::to_string(buf.size()) + " bytes at offset " +
                             std::to_string(pos.pos) + " of " + name.string() + ": " + ErrnoText(errno));
    }
    CloseChecked(file, name);
}

std::optional<FlatFilePos> BlockFileStore::WriteBlock(const Block& block, int height)
{
    if (height < 0) throw std::invalid_argument("BlockFileStore::WriteBlock: negative height");
    const Bytes data = SerializeBlockBytes(block, /*with_witness=*/true);
    const uint64_t add = STORAGE_HEADER_BYTES + uint64_t{data.size()};

    // Start a new file when this one would grow too large; never leave a
    // file empty, so a block larger than the limit still gets a file.
    int file = m_last_file;
    while (m_infos[file].size > 0 && m_infos[file].size + add > m_opts.max_file_size) {
        m_blk_seq.Flush(FlatFilePos(file, m_infos[file].size), /*finalize=*/true);
        // Its rev file may still receive undo data (blocks stored here but
        // connected later); a finalized file just grows again if so.
        m_rev_seq.Flush(FlatFilePos(file, m_infos[file].undo_size), /*finalize=*/true);
        ++file;
        if (m_infos.size() <= size_t(file)) m_infos.resize(size_t(file) + 1);
        m_last_file = file;
    }
    BlockFileInfo& info = m_infos[file];
    if (add > std::numeric_limits<unsigned>::max() - info.size) {
        throw BlockFileError("Block of " + std::to_string(data.size()) + " bytes does not fit in a block file");
    }

    const FlatFilePos rec(file, info.size);
    bool out_of_space = false;
    m_blk_seq.Allocate(rec, add, out_of_space);
    if (out_of_space) return std::nullopt;
    WriteRecord(m_blk_seq, rec, data, {});

    info.size += unsigned(add);
    info.AddBlock(unsigned(height), block.time);
    m_dirty.insert(file);
    return FlatFilePos(file, rec.pos + STORAGE_HEADER_BYTES);
}

void BlockFileStore::NoteExistingBlock(const FlatFilePos& pos, size_t size, int height, uint64_t time)
{
    if (pos.IsNull() || pos.file < 0 || pos.pos < STORAGE_HEADER_BYTES) {
        throw std::invalid_argument("BlockFileStore::NoteExistingBlock: invalid position " + pos.ToString());
    }
    if (height < 0) throw std::invalid_argument("BlockFileStore::NoteExistingBlock: negative height");
    const uint64_t end = uint64_t{pos.pos} + size;
    if (end > std::numeric_limits<unsigned>::max()) {
        throw BlockFileError("Block of " + std::to_string(size) + " bytes at " + pos.ToString() +
                             " does not fit in a block file");
    }
    if (m_infos.size() <= size_t(pos.file)) m_infos.resize(size_t(pos.file) + 1);
    BlockFileInfo& info = m_infos[pos.file];
    info.size = std::max(info.size, unsigned(end));
    info.AddBlock(unsigned(height), time);
    m_dirty.insert(pos.file);
    m_last_file = std::max(m_last_file, pos.file);
}

std::optional<FlatFilePos> BlockFileStore::WriteUndo(const BlockUndo& undo, const FlatFilePos& block_pos, int height,
                                                     const uint256& prev_block_hash)
{
    if (block_pos.file < 0 || size_t(block_pos.file) >= m_infos.size()) {
        throw std::invalid_argument("BlockFileStore::WriteUndo: no block file " + std::to_string(block_pos.file));
    }
    const int file = block_pos.file;
    const Bytes data = SerializeBlockUndoBytes(undo);
    HashWriter hasher;
    hasher.Write(prev_block_hash.span());
    hasher.Write(data);
    const uint256 checksum = hasher.GetHash();
    const uint64_t add = STORAGE_HEADER_BYTES + uint64_t{data.size()} + UNDO_CHECKSUM_BYTES;

    BlockFileInfo& info = m_infos[file];
    if (add > std::numeric_limits<unsigned>::max() - info.undo_size) {
        throw BlockFileError("Undo data of " + std::to_string(data.size()) + " bytes does not fit in a rev file");
    }
    const FlatFilePos rec(file, info.undo_size);
    bool out_of_space = false;
    m_rev_seq.Allocate(rec, add, out_of_space);
    if (out_of_space) return std::nullopt;
    WriteRecord(m_rev_seq, rec, data, checksum.span());

    info.undo_size += unsigned(add);
    m_dirty.insert(file);
    // The last undo record of a file that is no longer being filled: the rev
    // file is complete, so drop its pre-allocated tail.
    if (file < m_last_file && unsigned(height) == info.height_last) {
        m_rev_seq.Flush(FlatFilePos(file, info.undo_size), /*finalize=*/true);
    }
    return FlatFilePos(file, rec.pos + STORAGE_HEADER_BYTES);
}

Bytes BlockFileStore::ReadRecord(const FlatFileSeq& seq, const FlatFilePos& pos, uint32_t trailer) const
{
    if (pos.IsNull() || pos.file < 0 || pos.pos < STORAGE_HEADER_BYTES) {
        throw BlockFileError("Invalid record position " + pos.ToString());
    }
    const FlatFilePos header_pos(pos.file, pos.pos - STORAGE_HEADER_BYTES);
    const std::string where = seq.FileName(pos).string() + " at offset " + std::to_string(header_pos.pos);
    FilePtr file = seq.Open(header_pos, /*read_only=*/true);

    uint8_t header[STORAGE_HEADER_BYTES];
    if (std::fread(header, 1, sizeof(header), file.get()) != sizeof(header)) {
        if (std::ferror(file.get())) throw BlockFileError("Error reading " + where + ": " + ErrnoText(errno));
        throw BlockFileError("Truncated record header in " + where + REINDEX_HINT);
    }
    XorAtOffset(header, header_pos.pos, m_xor_key);
    if (!std::equal(m_opts.magic.begin(), m_opts.magic.end(), header)) {
        throw BlockFileError("Wrong magic bytes in " + where + ": found " + HexStr(ByteSpan{header, 4}) +
                             ", expected " + HexStr(m_opts.magic) + REINDEX_HINT);
    }
    const uint32_t size = Reader(ByteSpan{header + 4, 4}).U32LE();

    // Check the claimed size against the file before allocating for it.
    struct stat st;
    if (::fstat(::fileno(file.get()), &st) != 0) {
        throw BlockFileError("Cannot stat " + seq.FileName(pos).string() + ": " + ErrnoText(errno));
    }
    const uint64_t need = uint64_t{pos.pos} + size + trailer;
    if (need > uint64_t(st.st_size)) {
        throw BlockFileError("Truncated record in " + where + ": it claims " + std::to_string(size) +
                             " bytes but the file ends at " + std::to_string(st.st_size) + REINDEX_HINT);
    }
    Bytes data(size_t(size) + trailer);
    if (std::fread(data.data(), 1, data.size(), file.get()) != data.size()) {
        if (std::ferror(file.get())) throw BlockFileError("Error reading " + where + ": " + ErrnoText(errno));
        throw BlockFileError("Truncated record in " + where + REINDEX_HINT);
    }
    XorAtOffset(data, pos.pos, m_xor_key);
    return data;
}

Bytes BlockFileStore::ReadRawBlock(const FlatFilePos& pos) const { return ReadRecord(m_blk_seq, pos, 0); }

Block BlockFileStore::ReadBlock(const FlatFilePos& pos) const
{
    const Bytes raw = ReadRawBlock(pos);
    try {
        Reader r(raw);
        Block block = DeserializeBlock(r);
        if (!r.empty()) throw DeserializeError(std::to_string(r.remaining()) + " bytes left over");
        return block;
    } catch (const DeserializeError& e) {
        throw BlockFileError("Corrupt block in " + m_blk_seq.FileName(pos).string() + " at offset " +
                             std::to_string(pos.pos) + ": " + e.what() + REINDEX_HINT);
    }
}

BlockUndo BlockFileStore::ReadUndo(const FlatFilePos& pos, const uint256& prev_block_hash) const
{
    const Bytes rec = ReadRecord(m_rev_seq, pos, UNDO_CHECKSUM_BYTES);
    const ByteSpan data = ByteSpan(rec).first(rec.size() - UNDO_CHECKSUM_BYTES);
    const ByteSpan stored = ByteSpan(rec).last(UNDO_CHECKSUM_BYTES);
    const std::string where = m_rev_seq.FileName(pos).string() + " at offset " + std::to_string(pos.pos);

    HashWriter hasher;
    hasher.Write(prev_block_hash.span());
    hasher.Write(data);
    const uint256 checksum = hasher.GetHash();
    if (!std::equal(stored.begin(), stored.end(), checksum.begin())) {
        throw BlockFileError("Checksum mismatch in undo data in " + where +
                             " (corrupt, or not the undo data of the block after " + prev_block_hash.GetHex() +
                             ")" + REINDEX_HINT);
    }
    try {
        Reader r(data);
        BlockUndo undo = DeserializeBlockUndo(r);
        if (!r.empty()) throw DeserializeError(std::to_string(r.remaining()) + " bytes left over");
        return undo;
    } catch (const DeserializeError& e) {
        throw BlockFileError("Corrupt undo data in " + where + ": " + e.what() + REINDEX_HINT);
    }
}

void BlockFileStore::Flush()
{
    const BlockFileInfo& info = m_infos[m_last_file];
    m_blk_seq.Flush(FlatFilePos(m_last_file, info.size));
    m_rev_seq.Flush(FlatFilePos(m_last_file, info.undo_size));
}

void BlockFileStore::ClearFileInfo(int file)
{
    if (file < 0 || size_t(file) >= m_infos.size()) {
        throw std::invalid_argument("BlockFileStore::ClearFileInfo: no block file " + std::to_string(file));
    }
    m_infos[file] = BlockFileInfo{};
    m_dirty.insert(file);
}

void BlockFileStore::UnlinkFiles(int file) const
{
    if (file < 0) throw std::invalid_argument("BlockFileStore::UnlinkFiles: negative file number");
    for (const FlatFileSeq* seq : {&m_blk_seq, &m_rev_seq}) {
        const std::filesystem::path name = seq->FileName(FlatFilePos(file, 0));
        std::error_code ec;
        std::filesystem::remove(name, ec); // false without error if it did not exist
        if (ec) throw BlockFileError("Cannot delete " + name.string() + ": " + ec.message());
    }
}

void BlockFileStore::RemoveFiles(int file)
{
    ClearFileInfo(file);
    UnlinkFiles(file);
}

std::vector<std::filesystem::path> BlockFileStore::CleanupForReindex() const
{
    // Numbered blk/rev files present in the directory.
    std::set<int> blk;
    std::vector<std::pair<int, std::filesystem::path>> rev;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_opts.blocks_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() != 12 || name.substr(8) != ".dat") continue;
        const std::string digits = name.substr(3, 5);
        if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
        const int number = std::stoi(digits);
        if (name.starts_with("blk")) blk.insert(number);
        else if (name.starts_with("rev")) rev.emplace_back(number, entry.path());
    }
    if (ec) throw BlockFileError("Cannot list " + m_opts.blocks_dir.string() + ": " + ec.message());

    std::vector<std::filesystem::path> removed;
    auto remove = [&](const std::filesystem::path& path) {
        std::error_code rec;
        std::filesystem::remove(path, rec);
        if (rec) throw BlockFileError("Cannot delete " + path.string() + ": " + rec.message());
        removed.push_back(path);
    };
    for (const auto& [number, path] : rev) remove(path);
    int contiguous = 0;
    while (blk.count(contiguous)) ++contiguous;
    for (int number : blk) {
        if (number >= contiguous) remove(m_blk_seq.FileName(FlatFilePos(number, 0)));
    }
    std::sort(removed.begin(), removed.end());
    return removed;
}

uint64_t BlockFileStore::CalculateCurrentUsage() const
{
    uint64_t total = 0;
    for (const BlockFileInfo& info : m_infos) total += uint64_t{info.size} + info.undo_size;
    return total;
}

const BlockFileInfo* BlockFileStore::GetFileInfo(int file) const
{
    if (file < 0 || size_t(file) >= m_infos.size()) return nullptr;
    return &m_infos[file];
}

std::vector<std::pair<int, BlockFileInfo>> BlockFileStore::TakeDirtyFileInfos()
{
    std::vector<std::pair<int, BlockFileInfo>> out;
    out.reserve(m_dirty.size());
    for (int file : m_dirty) out.emplace_back(file, m_infos[file]);
    m_dirty.clear();
    return out;
}

} // namespace cairn
