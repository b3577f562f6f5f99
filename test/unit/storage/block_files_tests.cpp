// blk and rev files with real mainnet blocks 1-255: written and read back byte
// for byte across file rollovers; undo records with their checksum; clear
// errors for damaged and truncated files; pruning.
#include "crypto/hash.h"
#include "primitives/block.h"
#include "storage/block_files.h"
#include "util/hex.h"
#include "test/util/blkfile.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>

using namespace cairn;

namespace {

struct Fixture {
    test::TempDir dir;
    std::vector<Bytes> raws;
    std::vector<Block> blocks;

    Fixture()
    {
        raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2"), test::MAINNET_MAGIC);
        BOOST_REQUIRE_EQUAL(raws.size(), 255U);
        for (const Bytes& raw : raws) {
            Reader r(raw);
            blocks.push_back(DeserializeBlock(r));
        }
    }

    BlockFileStoreOptions Options(uint32_t max_file_size = MAX_BLOCKFILE_SIZE)
    {
        BlockFileStoreOptions o;
        o.blocks_dir = dir / "blocks";
        o.magic = test::MAINNET_MAGIC;
        o.max_file_size = max_file_size;
        o.blk_chunk_size = 4096;
        o.rev_chunk_size = 1024;
        // Plain files (the zero key): these tests check the format byte for
        // byte; the blocksxor tests below use keys.
        o.use_xor = false;
        return o;
    }
};

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

/** Undo data shaped like a block's: one coin per input of each non-coinbase
 *  transaction (taken from the coinbase outputs of earlier blocks). */
BlockUndo MakeUndo(const std::vector<Block>& blocks, size_t i)
{
    BlockUndo undo;
    for (size_t t = 0; t < 1 + i % 3; ++t) {
        TxUndo tx;
        for (size_t k = 0; k <= t; ++k) {
            const Block& src = blocks[(i + k) % blocks.size()];
            tx.prevout.emplace_back(src.vtx[0]->vout[0], uint32_t(i + k + 1), true);
        }
        undo.txundo.push_back(tx);
    }
    return undo;
}

Bytes ReadAll(const std::filesystem::path& file)
{
    std::ifstream f(file, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void WriteAll(const std::filesystem::path& file, ByteSpan data)
{
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
}

/** magic | size | payload, as a record is before the key is applied. */
Bytes PlainRecord(ByteSpan payload)
{
    Bytes rec(test::MAINNET_MAGIC.begin(), test::MAINNET_MAGIC.end());
    VectorWriter w(rec);
    WriteU32LE(w, uint32_t(payload.size()));
    w.Write(payload);
    return rec;
}

void FlipByte(const std::filesystem::path& file, uint64_t offset)
{
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(offset));
    char c = char(f.get());
    f.seekp(std::streamoff(offset));
    f.put(char(c ^ 0x01));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(block_files_tests, Fixture)

BOOST_AUTO_TEST_CASE(file_names)
{
    FlatFileSeq seq(dir / "blocks", "blk", 1024);
    BOOST_CHECK_EQUAL(seq.FileName(FlatFilePos(0, 0)).filename().string(), "blk00000.dat");
    BOOST_CHECK_EQUAL(seq.FileName(FlatFilePos(123, 7)).filename().string(), "blk00123.dat");
    FlatFileSeq rev(dir / "blocks", "rev", 1024);
    BOOST_CHECK_EQUAL(rev.FileName(FlatFilePos(99999, 0)).filename().string(), "rev99999.dat");
}

BOOST_AUTO_TEST_CASE(write_and_read_blocks_one_file)
{
    BlockFileStore store(Options());
    std::vector<FlatFilePos> pos;
    for (size_t i = 0; i < blocks.size(); ++i) {
        std::optional<FlatFilePos> p = store.WriteBlock(blocks[i], int(i + 1));
        BOOST_REQUIRE(p);
        pos.push_back(*p);
    }
    BOOST_CHECK_EQUAL(pos[0].file, 0);
    BOOST_CHECK_EQUAL(pos[0].pos, STORAGE_HEADER_BYTES);
    for (size_t i = 0; i < blocks.size(); ++i) {
        BOOST_REQUIRE(store.ReadRawBlock(pos[i]) == raws[i]);
        BOOST_CHECK(store.ReadBlock(pos[i]).GetHash() == blocks[i].GetHash());
    }
    const BlockFileInfo* info = store.GetFileInfo(0);
    BOOST_REQUIRE(info);
    BOOST_CHECK_EQUAL(info->blocks, 255U);
    BOOST_CHECK_EQUAL(info->height_first, 1U);
    BOOST_CHECK_EQUAL(info->height_last, 255U);
    BOOST_CHECK_EQUAL(info->time_first, blocks.front().time);
    BOOST_CHECK_EQUAL(info->time_last, blocks.back().time);
    uint64_t total = 0;
    for (const Bytes& raw : raws) total += raw.size() + 8;
    BOOST_CHECK_EQUAL(info->size, total);

    // The file is exactly the blk format the test vectors use (the tail is
    // pre-allocated zeros until the file is finalized).
    store.Flush();
    std::ifstream f(store.BlockSeq().FileName(FlatFilePos(0, 0)), std::ios::binary);
    Bytes file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    BOOST_REQUIRE_GE(file.size(), total);
    BOOST_CHECK_EQUAL(file.size() % 4096, 0U);
    file.resize(total);
    BOOST_CHECK(test::SplitBlkFile(file, test::MAINNET_MAGIC) == raws);
}

BOOST_AUTO_TEST_CASE(rollover)
{
    const uint32_t max_size = 5000; // early blocks are ~215 bytes: ~23 per file
    BlockFileStore store(Options(max_size));
    std::vector<FlatFilePos> pos;
    for (size_t i = 0; i < blocks.size(); ++i) pos.push_back(*store.WriteBlock(blocks[i], int(i + 1)));
    BOOST_CHECK_GT(store.LastFile(), 5);
    BOOST_CHECK_EQUAL(store.FileCount(), size_t(store.LastFile()) + 1);
    for (size_t i = 1; i < pos.size(); ++i) {
        BOOST_CHECK(pos[i].file == pos[i - 1].file || pos[i].file == pos[i - 1].file + 1);
    }
    unsigned total_blocks = 0;
    for (int file = 0; file <= store.LastFile(); ++file) {
        const BlockFileInfo* info = store.GetFileInfo(file);
        BOOST_REQUIRE(info);
        BOOST_CHECK_LE(info->size, max_size);
        BOOST_CHECK_GT(info->blocks, 0U);
        total_blocks += info->blocks;
        if (file < store.LastFile()) {
            // Finalized: truncated to exactly its data.
            BOOST_CHECK_EQUAL(std::filesystem::file_size(store.BlockSeq().FileName(FlatFilePos(file, 0))), info->size);
        }
    }
    BOOST_CHECK_EQUAL(total_blocks, 255U);
    for (size_t i = 0; i < blocks.size(); ++i) BOOST_REQUIRE(store.ReadRawBlock(pos[i]) == raws[i]);

    // Every file's record is dirty once; then none.
    auto dirty = store.TakeDirtyFileInfos();
    BOOST_CHECK_EQUAL(dirty.size(), store.FileCount());
    BOOST_CHECK(store.TakeDirtyFileInfos().empty());

    // A new store over the same directory, given the records back, appends
    // where the old one stopped.
    std::vector<BlockFileInfo> infos;
    for (const auto& [file, info] : dirty) infos.push_back(info);
    BlockFileStore again(Options(max_size));
    again.LoadFileInfo(infos, store.LastFile());
    FlatFilePos p = *again.WriteBlock(blocks[0], 1);
    BOOST_CHECK(p.file >= store.LastFile());
    BOOST_CHECK(again.ReadRawBlock(p) == raws[0]);
    BOOST_CHECK(again.ReadRawBlock(pos.back()) == raws.back());

    // A block larger than the limit still gets a file of its own.
    BlockFileStore tiny(Options(100));
    FlatFilePos a = *tiny.WriteBlock(blocks[0], 1);
    FlatFilePos b = *tiny.WriteBlock(blocks[1], 2);
    BOOST_CHECK_EQUAL(a.file, 0);
    BOOST_CHECK_EQUAL(b.file, 1);
    BOOST_CHECK(tiny.ReadRawBlock(b) == raws[1]);
}

BOOST_AUTO_TEST_CASE(note_existing_blocks)
{
    // Blocks written across several files, then noted by a store that has
    // lost its records (as -reindex does), in a scrambled order: the records
    // come out as the writer's, and new blocks go after the last one found.
    const uint32_t max_size = 5000;
    std::vector<FlatFilePos> pos;
    std::vector<std::pair<int, BlockFileInfo>> written;
    int last_file;
    {
        BlockFileStore store(Options(max_size));
        for (size_t i = 0; i < blocks.size(); ++i) pos.push_back(*store.WriteBlock(blocks[i], int(i + 1)));
        written = store.TakeDirtyFileInfos();
        last_file = store.LastFile();
        BOOST_REQUIRE_GT(last_file, 3);
    }
    std::vector<size_t> order(blocks.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = (i * 97) % order.size(); // 97 is prime to 255
    BlockFileStore noted(Options(max_size));
    for (size_t i : order) noted.NoteExistingBlock(pos[i], raws[i].size(), int(i + 1), blocks[i].time);
    BOOST_CHECK_EQUAL(noted.LastFile(), last_file);
    BOOST_CHECK_EQUAL(noted.FileCount(), size_t(last_file) + 1);
    auto dirty = noted.TakeDirtyFileInfos();
    BOOST_REQUIRE_EQUAL(dirty.size(), written.size());
    for (size_t f = 0; f < dirty.size(); ++f) {
        BOOST_CHECK_EQUAL(dirty[f].first, written[f].first);
        BOOST_CHECK(dirty[f].second == written[f].second);
    }
    for (size_t i = 0; i < blocks.size(); i += 17) BOOST_CHECK(noted.ReadRawBlock(pos[i]) == raws[i]);

    // The next block is appended after the last block of the last file.
    const FlatFilePos next = *noted.WriteBlock(blocks[0], 256);
    const BlockFileInfo* last = noted.GetFileInfo(last_file);
    BOOST_REQUIRE(last);
    if (next.file == last_file) {
        BOOST_CHECK_EQUAL(next.pos, pos.back().pos + raws.back().size() + STORAGE_HEADER_BYTES);
    } else {
        BOOST_CHECK_EQUAL(next.file, last_file + 1);
    }
    BOOST_CHECK(noted.ReadRawBlock(pos.back()) == raws.back());
    BOOST_CHECK(noted.ReadRawBlock(next) == raws[0]);

    // Undo data of noted blocks goes to their rev files, starting empty.
    const FlatFilePos u = *noted.WriteUndo(MakeUndo(blocks, 3), pos[3], 4, blocks[2].GetHash());
    BOOST_CHECK_EQUAL(u.file, pos[3].file);
    BOOST_CHECK_EQUAL(u.pos, STORAGE_HEADER_BYTES);

    BOOST_CHECK_THROW(noted.NoteExistingBlock(FlatFilePos(), 100, 1, 0), std::invalid_argument);
    BOOST_CHECK_THROW(noted.NoteExistingBlock(FlatFilePos(0, 4), 100, 1, 0), std::invalid_argument);
    BOOST_CHECK_THROW(noted.NoteExistingBlock(FlatFilePos(0, 8), 100, -1, 0), std::invalid_argument);
    BOOST_CHECK_THROW(noted.NoteExistingBlock(FlatFilePos(0, 0xfffffff0), 100, 1, 0), BlockFileError);
}

BOOST_AUTO_TEST_CASE(undo_round_trip)
{
    BlockFileStore store(Options(5000));
    std::vector<FlatFilePos> undo_pos;
    std::vector<BlockUndo> undos;
    for (size_t i = 0; i < blocks.size(); ++i) {
        FlatFilePos bp = *store.WriteBlock(blocks[i], int(i + 1));
        undos.push_back(MakeUndo(blocks, i));
        std::optional<FlatFilePos> up = store.WriteUndo(undos.back(), bp, int(i + 1), blocks[i].prev_block);
        BOOST_REQUIRE(up);
        BOOST_CHECK_EQUAL(up->file, bp.file);
        undo_pos.push_back(*up);
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
        BOOST_REQUIRE(store.ReadUndo(undo_pos[i], blocks[i].prev_block) == undos[i]);
    }
    // The checksum binds the record to its block's parent.
    BOOST_CHECK_EXCEPTION(store.ReadUndo(undo_pos[5], blocks[6].prev_block), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "Checksum mismatch"); });
    // Undo sizes add up: header, data and checksum of each record.
    uint64_t undo_bytes = 0;
    for (int f = 0; f <= store.LastFile(); ++f) undo_bytes += store.GetFileInfo(f)->undo_size;
    uint64_t expect = 0;
    for (const BlockUndo& u : undos) expect += 8 + SerializeBlockUndoBytes(u).size() + 32;
    BOOST_CHECK_EQUAL(undo_bytes, expect);

    // The record layout: magic, size, data, Hash256(prev || data).
    const BlockUndo& u = undos[0];
    Bytes data = SerializeBlockUndoBytes(u);
    std::ifstream f(store.UndoSeq().FileName(undo_pos[0]), std::ios::binary);
    Bytes file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    BOOST_REQUIRE_GE(file.size(), 8 + data.size() + 32);
    BOOST_CHECK(std::equal(test::MAINNET_MAGIC.begin(), test::MAINNET_MAGIC.end(), file.begin()));
    BOOST_CHECK_EQUAL(Reader(ByteSpan(file).subspan(4, 4)).U32LE(), data.size());
    BOOST_CHECK(std::equal(data.begin(), data.end(), file.begin() + 8));
    Bytes pre(blocks[0].prev_block.begin(), blocks[0].prev_block.end());
    pre.insert(pre.end(), data.begin(), data.end());
    uint256 sum = Hash256(pre);
    BOOST_CHECK(std::equal(sum.begin(), sum.end(), file.begin() + 8 + data.size()));
}

BOOST_AUTO_TEST_CASE(undo_empty_block)
{
    // A block with only a coinbase has an empty BlockUndo: still a record.
    BlockFileStore store(Options());
    FlatFilePos bp = *store.WriteBlock(blocks[0], 1);
    FlatFilePos up = *store.WriteUndo(BlockUndo{}, bp, 1, blocks[0].prev_block);
    BOOST_CHECK(store.ReadUndo(up, blocks[0].prev_block).txundo.empty());
}

BOOST_AUTO_TEST_CASE(damaged_rev_record)
{
    BlockFileStore store(Options());
    FlatFilePos bp = *store.WriteBlock(blocks[10], 11);
    BlockUndo undo = MakeUndo(blocks, 10);
    FlatFilePos up = *store.WriteUndo(undo, bp, 11, blocks[10].prev_block);
    const auto rev = store.UndoSeq().FileName(up);
    const size_t data_size = SerializeBlockUndoBytes(undo).size();

    // Every byte of the data and of the checksum is covered.
    for (uint64_t off : {uint64_t{up.pos}, uint64_t{up.pos} + data_size / 2, uint64_t{up.pos} + data_size,
                         uint64_t{up.pos} + data_size + 31}) {
        FlipByte(rev, off);
        BOOST_CHECK_EXCEPTION(store.ReadUndo(up, blocks[10].prev_block), BlockFileError, [](const BlockFileError& e) {
            return Contains(e.what(), "Checksum mismatch") && Contains(e.what(), "rev00000.dat");
        });
        FlipByte(rev, off);
        BOOST_CHECK(store.ReadUndo(up, blocks[10].prev_block) == undo);
    }
    // The magic.
    FlipByte(rev, up.pos - 8);
    BOOST_CHECK_EXCEPTION(store.ReadUndo(up, blocks[10].prev_block), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "Wrong magic"); });
    FlipByte(rev, up.pos - 8);
    // The size: larger than the file.
    FlipByte(rev, up.pos - 1); // top byte of the size
    BOOST_CHECK_EXCEPTION(store.ReadUndo(up, blocks[10].prev_block), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "Truncated"); });
}

BOOST_AUTO_TEST_CASE(damaged_and_truncated_blk)
{
    BlockFileStore store(Options());
    std::vector<FlatFilePos> pos;
    for (size_t i = 0; i < 10; ++i) pos.push_back(*store.WriteBlock(blocks[i], int(i + 1)));
    store.Flush();
    const auto blk = store.BlockSeq().FileName(pos[0]);

    // Wrong magic.
    FlipByte(blk, pos[3].pos - 8);
    BOOST_CHECK_EXCEPTION(store.ReadBlock(pos[3]), BlockFileError, [](const BlockFileError& e) {
        return Contains(e.what(), "Wrong magic") && Contains(e.what(), "blk00000.dat") && Contains(e.what(), "-reindex");
    });
    FlipByte(blk, pos[3].pos - 8);
    // A size one byte short: the block does not decode.
    FlipByte(blk, pos[3].pos - 4); // low bit of the size: raw.size() is odd or even, either way it changes
    BOOST_CHECK_EXCEPTION(store.ReadBlock(pos[3]), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "blk00000.dat"); });
    FlipByte(blk, pos[3].pos - 4);
    BOOST_CHECK(store.ReadRawBlock(pos[3]) == raws[3]);
    // A position that is not at a record.
    BOOST_CHECK_THROW(store.ReadBlock(FlatFilePos(0, pos[3].pos + 1)), BlockFileError);
    BOOST_CHECK_THROW(store.ReadBlock(FlatFilePos(0, 3)), BlockFileError);
    BOOST_CHECK_THROW(store.ReadBlock(FlatFilePos()), BlockFileError);
    // A file that does not exist.
    BOOST_CHECK_EXCEPTION(store.ReadBlock(FlatFilePos(7, 8)), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "blk00007.dat"); });

    // Truncated in the middle of the last block, and in its header.
    std::filesystem::resize_file(blk, pos[9].pos + 10);
    BOOST_CHECK_EXCEPTION(store.ReadBlock(pos[9]), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "Truncated"); });
    std::filesystem::resize_file(blk, pos[9].pos - 5);
    BOOST_CHECK_EXCEPTION(store.ReadRawBlock(pos[9]), BlockFileError,
                          [](const BlockFileError& e) { return Contains(e.what(), "Truncated record header"); });
    // The blocks before it are untouched.
    BOOST_CHECK(store.ReadRawBlock(pos[8]) == raws[8]);
}

BOOST_AUTO_TEST_CASE(prune_files)
{
    BlockFileStore store(Options(5000));
    std::vector<FlatFilePos> pos;
    for (size_t i = 0; i < blocks.size(); ++i) {
        FlatFilePos bp = *store.WriteBlock(blocks[i], int(i + 1));
        store.WriteUndo(MakeUndo(blocks, i), bp, int(i + 1), blocks[i].prev_block);
        pos.push_back(bp);
    }
    const uint64_t before = store.CalculateCurrentUsage();
    const BlockFileInfo info0 = *store.GetFileInfo(0);
    BOOST_CHECK_GT(before, uint64_t{info0.size} + info0.undo_size);
    store.TakeDirtyFileInfos();

    store.RemoveFiles(0);
    BOOST_CHECK(!std::filesystem::exists(store.BlockSeq().FileName(FlatFilePos(0, 0))));
    BOOST_CHECK(!std::filesystem::exists(store.UndoSeq().FileName(FlatFilePos(0, 0))));
    BOOST_CHECK_EQUAL(store.CalculateCurrentUsage(), before - info0.size - info0.undo_size);
    BOOST_CHECK(*store.GetFileInfo(0) == BlockFileInfo{});
    auto dirty = store.TakeDirtyFileInfos();
    BOOST_REQUIRE_EQUAL(dirty.size(), 1U);
    BOOST_CHECK_EQUAL(dirty[0].first, 0);
    BOOST_CHECK_THROW(store.ReadBlock(pos[0]), BlockFileError);
    BOOST_CHECK(store.ReadRawBlock(pos.back()) == raws.back());
    store.RemoveFiles(0); // already gone: fine
}

BOOST_AUTO_TEST_CASE(file_info_serialization)
{
    BlockFileInfo info;
    info.AddBlock(500, 1600000000);
    info.AddBlock(400, 1500000000);
    info.AddBlock(450, 1700000000);
    info.size = 134217000;
    info.undo_size = 12345;
    BOOST_CHECK_EQUAL(info.blocks, 3U);
    BOOST_CHECK_EQUAL(info.height_first, 400U);
    BOOST_CHECK_EQUAL(info.height_last, 500U);
    BOOST_CHECK_EQUAL(info.time_first, 1500000000U);
    BOOST_CHECK_EQUAL(info.time_last, 1700000000U);
    Bytes enc;
    VectorWriter w(enc);
    SerializeBlockFileInfo(w, info);
    Reader r(enc);
    BOOST_CHECK(DeserializeBlockFileInfo(r) == info);
    BOOST_CHECK(r.empty());
}

// ---- blocks/xor.dat (-blocksxor) ----

BOOST_AUTO_TEST_CASE(xor_at_offset)
{
    const BlocksXorKey key{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80};
    Bytes data(37, 0);
    XorAtOffset(data, 0, key);
    for (size_t i = 0; i < data.size(); ++i) BOOST_CHECK_EQUAL(data[i], key[i % 8]);
    // A slice at offset 13 gets the same bytes as in the whole file.
    Bytes slice(11, 0);
    XorAtOffset(slice, 13, key);
    BOOST_CHECK(std::equal(slice.begin(), slice.end(), data.begin() + 13));
    // Its own inverse; the zero key changes nothing.
    XorAtOffset(data, 0, key);
    BOOST_CHECK(data == Bytes(37, 0));
    XorAtOffset(data, 5, BlocksXorKey{});
    BOOST_CHECK(data == Bytes(37, 0));
}

BOOST_AUTO_TEST_CASE(xor_random_key_for_new_dir)
{
    BlockFileStoreOptions o = Options();
    o.use_xor = true;
    // A lock file (hidden) may be there before: still a new directory.
    std::filesystem::create_directories(o.blocks_dir);
    WriteAll(o.blocks_dir / ".lock", {});
    std::vector<FlatFilePos> pos, undo_pos;
    std::vector<BlockUndo> undos;
    BlocksXorKey key;
    {
        BlockFileStore store(o);
        key = store.XorKey();
        BOOST_CHECK(key != BlocksXorKey{});
        const Bytes stored = ReadAll(o.blocks_dir / "xor.dat");
        BOOST_REQUIRE_EQUAL(stored.size(), 8U);
        BOOST_CHECK(std::equal(key.begin(), key.end(), stored.begin()));
        for (size_t i = 0; i < 20; ++i) {
            pos.push_back(*store.WriteBlock(blocks[i], int(i + 1)));
            undos.push_back(MakeUndo(blocks, i));
            undo_pos.push_back(*store.WriteUndo(undos.back(), pos.back(), int(i + 1), blocks[i].prev_block));
        }
        store.Flush();
        // On disk the records are not the plain data: the file is the plain
        // blk format XORed with the key by file offset.
        Bytes file = ReadAll(store.BlockSeq().FileName(pos[0]));
        Bytes plain;
        for (size_t i = 0; i < 20; ++i) {
            const Bytes rec = PlainRecord(raws[i]);
            plain.insert(plain.end(), rec.begin(), rec.end());
        }
        BOOST_REQUIRE_GE(file.size(), plain.size());
        file.resize(plain.size());
        BOOST_CHECK(file != plain);
        BOOST_CHECK(std::search(file.begin(), file.end(), raws[3].begin(), raws[3].end()) == file.end());
        XorAtOffset(file, 0, key);
        BOOST_CHECK(file == plain);
        // The rev file too.
        const Bytes rev = ReadAll(store.UndoSeq().FileName(undo_pos[0]));
        const Bytes undo0 = SerializeBlockUndoBytes(undos[0]);
        BOOST_REQUIRE_GE(rev.size(), 8 + undo0.size());
        BOOST_CHECK(!std::equal(undo0.begin(), undo0.end(), rev.begin() + 8));
        for (size_t i = 0; i < 20; ++i) {
            BOOST_CHECK(store.ReadRawBlock(pos[i]) == raws[i]);
            BOOST_CHECK(store.ReadUndo(undo_pos[i], blocks[i].prev_block) == undos[i]);
        }
    }
    // A restart reads the stored key, whatever -blocksxor says now for new directories.
    BlockFileStore again(o);
    BOOST_CHECK(again.XorKey() == key);
    for (size_t i = 0; i < 20; ++i) {
        BOOST_CHECK(again.ReadBlock(pos[i]).GetHash() == blocks[i].GetHash());
        BOOST_CHECK(again.ReadUndo(undo_pos[i], blocks[i].prev_block) == undos[i]);
    }
    // Pruning deletes the files as before; xor.dat stays.
    again.RemoveFiles(0);
    BOOST_CHECK(!std::filesystem::exists(again.BlockSeq().FileName(FlatFilePos(0, 0))));
    BOOST_CHECK(std::filesystem::exists(o.blocks_dir / "xor.dat"));
}

BOOST_AUTO_TEST_CASE(xor_zero_key_with_blocksxor_0)
{
    BlockFileStoreOptions o = Options();
    o.use_xor = false;
    BlockFileStore store(o);
    BOOST_CHECK(store.XorKey() == BlocksXorKey{});
    BOOST_CHECK(ReadAll(o.blocks_dir / "xor.dat") == Bytes(8, 0));
    const FlatFilePos p = *store.WriteBlock(blocks[0], 1);
    store.Flush();
    // The zero key leaves the plain format on disk.
    const Bytes file = ReadAll(store.BlockSeq().FileName(p));
    const Bytes plain = PlainRecord(raws[0]);
    BOOST_REQUIRE_GE(file.size(), plain.size());
    BOOST_CHECK(std::equal(plain.begin(), plain.end(), file.begin()));
    BOOST_CHECK(store.ReadRawBlock(p) == raws[0]);
}

BOOST_AUTO_TEST_CASE(xor_zero_key_for_existing_dir)
{
    // A blocks directory from before xor.dat (plain files, no key file)
    // keeps the zero key even with -blocksxor=1, and gets a zero xor.dat.
    BlockFileStoreOptions o = Options();
    FlatFilePos p;
    {
        BlockFileStore plain_store(o);
        p = *plain_store.WriteBlock(blocks[0], 1);
    }
    std::filesystem::remove(o.blocks_dir / "xor.dat");
    o.use_xor = true;
    BlockFileStore store(o);
    BOOST_CHECK(store.XorKey() == BlocksXorKey{});
    BOOST_CHECK(ReadAll(o.blocks_dir / "xor.dat") == Bytes(8, 0));
    BOOST_CHECK(store.ReadRawBlock(p) == raws[0]);

    // Any entry that is not a hidden file makes a directory "existing" (the
    // block index directory, say).
    test::TempDir other;
    std::filesystem::create_directories(other / "blocks" / "index");
    o.blocks_dir = other / "blocks";
    BOOST_CHECK(BlockFileStore(o).XorKey() == BlocksXorKey{});
}

BOOST_AUTO_TEST_CASE(xor_key_cannot_be_disabled)
{
    BlockFileStoreOptions o = Options();
    o.use_xor = true;
    BlocksXorKey key;
    {
        BlockFileStore store(o);
        key = store.XorKey();
        store.WriteBlock(blocks[0], 1);
    }
    o.use_xor = false;
    const std::string expected = "The blocksdir XOR-key can not be disabled when a random key was already stored! "
                                 "Stored key: '" + HexStr(key) + "', stored path: '" +
                                 (o.blocks_dir / "xor.dat").string() + "'.";
    BOOST_CHECK_EXCEPTION(BlockFileStore{o}, BlockFileError,
                          [&](const BlockFileError& e) { return e.what() == expected; });
    // A stored zero key is fine with -blocksxor=0.
    WriteAll(o.blocks_dir / "xor.dat", Bytes(8, 0));
    BOOST_CHECK(BlockFileStore(o).XorKey() == BlocksXorKey{});
}

BOOST_AUTO_TEST_CASE(xor_key_file_damaged)
{
    BlockFileStoreOptions o = Options();
    std::filesystem::create_directories(o.blocks_dir);
    WriteAll(o.blocks_dir / "xor.dat", Bytes{1, 2, 3});
    BOOST_CHECK_EXCEPTION(BlockFileStore{o}, BlockFileError, [](const BlockFileError& e) {
        return Contains(e.what(), "xor.dat") && Contains(e.what(), "8 bytes");
    });
}

BOOST_AUTO_TEST_SUITE_END()
