// The block index database on real LevelDB: block entries with every
// combination of stored positions, file records, the last file, flags and
// the reindex marker, loading in key order, and refusal of damaged records
// and newer formats.
#include "storage/block_tree_db.h"
#include "test/util/blkfile.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace cairn;

namespace {

DatabaseOptions Opts(const std::filesystem::path& path)
{
    DatabaseOptions o;
    o.path = path;
    o.cache_bytes = 1 << 20;
    return o;
}

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::vector<BlockHeader> MainnetHeaders()
{
    std::vector<BlockHeader> headers;
    for (const Bytes& raw :
         test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2"), test::MAINNET_MAGIC)) {
        Reader r(raw);
        headers.push_back(DeserializeBlockHeader(r));
    }
    return headers;
}

/** Entries for the mainnet headers, cycling through the status combinations
 *  that change the record's shape. */
std::vector<DiskBlockIndex> MakeEntries(const std::vector<BlockHeader>& headers)
{
    const uint32_t statuses[] = {
        BLOCK_VALID_TREE,
        BLOCK_VALID_TRANSACTIONS | BLOCK_HAVE_DATA,
        BLOCK_VALID_SCRIPTS | BLOCK_HAVE_DATA | BLOCK_HAVE_UNDO | BLOCK_OPT_WITNESS,
        BLOCK_VALID_CHAIN | BLOCK_HAVE_UNDO, // data pruned, undo kept: unusual but representable
        BLOCK_VALID_TRANSACTIONS | BLOCK_HAVE_DATA | BLOCK_FAILED_VALID,
    };
    std::vector<DiskBlockIndex> entries;
    for (size_t i = 0; i < headers.size(); ++i) {
        DiskBlockIndex e;
        e.header = headers[i];
        e.hash = headers[i].GetHash();
        e.height = int(i + 1);
        e.status = statuses[i % 5];
        e.tx_count = unsigned(1 + i % 4);
        if (e.status & (BLOCK_HAVE_DATA | BLOCK_HAVE_UNDO)) e.file = int(i / 40);
        if (e.status & BLOCK_HAVE_DATA) e.data_pos = unsigned(8 + 223 * i);
        if (e.status & BLOCK_HAVE_UNDO) e.undo_pos = unsigned(8 + 50 * i);
        entries.push_back(e);
    }
    return entries;
}

} // namespace

BOOST_AUTO_TEST_SUITE(block_tree_db_tests)

BOOST_AUTO_TEST_CASE(record_format)
{
    // Height 1, status HAVE_DATA|VALID_TRANSACTIONS (0x0b), 1 tx, file 0, data
    // at 8: VARINTs 01 01 0b 01 00 08, then the 80-byte header.
    DiskBlockIndex e;
    e.header = MainnetHeaders()[0];
    e.hash = e.header.GetHash();
    e.height = 1;
    e.status = BLOCK_VALID_TRANSACTIONS | BLOCK_HAVE_DATA;
    e.tx_count = 1;
    e.file = 0;
    e.data_pos = 8;
    Bytes enc = SerializeDiskBlockIndex(e);
    Bytes header;
    VectorWriter w(header);
    SerializeBlockHeader(w, e.header);
    BOOST_CHECK_EQUAL(HexStr(enc), "01010b010008" + HexStr(header));
    BOOST_CHECK(DeserializeDiskBlockIndex(enc, e.hash) == e);

    // No data, no undo: no file or positions at all.
    e.status = BLOCK_VALID_TREE;
    e.file = -1;
    e.data_pos = 0;
    BOOST_CHECK_EQUAL(HexStr(SerializeDiskBlockIndex(e)), "01010201" + HexStr(header));

    // Truncations and trailing bytes are errors.
    for (size_t len = 0; len < enc.size(); ++len) {
        BOOST_CHECK_THROW(DeserializeDiskBlockIndex(ByteSpan(enc).first(len), e.hash), DeserializeError);
    }
    enc.push_back(0);
    BOOST_CHECK_THROW(DeserializeDiskBlockIndex(enc, e.hash), DeserializeError);
}

BOOST_AUTO_TEST_CASE(round_trip)
{
    test::TempDir dir;
    const auto path = dir / "index";
    const auto entries = MakeEntries(MainnetHeaders());
    std::vector<std::pair<int, BlockFileInfo>> files;
    for (int f = 0; f < 7; ++f) {
        BlockFileInfo info;
        for (int h = f * 40; h < f * 40 + 40; ++h) info.AddBlock(unsigned(h), 1231006505 + unsigned(h) * 600);
        info.size = 1000000u * unsigned(f + 1);
        info.undo_size = 1000u * unsigned(f);
        files.emplace_back(f, info);
    }
    {
        BlockTreeDB db(Opts(path));
        BOOST_CHECK(!db.ReadLastBlockFile());
        BOOST_CHECK(!db.ReadBlockFileInfo(0));
        BOOST_CHECK(!db.ReadReindexing());
        BOOST_CHECK(!db.ReadFlag("txindex"));
        db.WriteBatchSync(files, 6, entries);
        db.WriteFlag("prunedblockfiles", true);
        db.WriteFlag("txindex", false);
        db.WriteReindexing(true);
    }
    BlockTreeDB db(Opts(path));
    BOOST_CHECK_EQUAL(*db.ReadLastBlockFile(), 6);
    for (const auto& [f, info] : files) BOOST_CHECK(*db.ReadBlockFileInfo(f) == info);
    BOOST_CHECK(!db.ReadBlockFileInfo(7));
    std::vector<BlockFileInfo> all = db.ReadAllBlockFileInfo(8);
    BOOST_REQUIRE_EQUAL(all.size(), 9U);
    BOOST_CHECK(all[3] == files[3].second);
    BOOST_CHECK(all[8] == BlockFileInfo{});
    BOOST_CHECK(*db.ReadFlag("prunedblockfiles"));
    BOOST_CHECK(!*db.ReadFlag("txindex"));
    BOOST_CHECK(!db.ReadFlag("other"));
    BOOST_CHECK(db.ReadReindexing());
    db.WriteReindexing(false);
    BOOST_CHECK(!db.ReadReindexing());

    // Loading hands back every entry, in hash-byte order.
    std::map<uint256, DiskBlockIndex> expect;
    for (const DiskBlockIndex& e : entries) expect[e.hash] = e;
    auto next = expect.begin();
    size_t n = 0;
    BOOST_CHECK(db.LoadBlockIndex([&](const DiskBlockIndex& e) {
        BOOST_REQUIRE(next != expect.end());
        BOOST_CHECK(e == next->second);
        ++next;
        ++n;
        return true;
    }));
    BOOST_CHECK_EQUAL(n, entries.size());

    // Stopping early.
    n = 0;
    BOOST_CHECK(!db.LoadBlockIndex([&](const DiskBlockIndex&) { return ++n < 10; }));
    BOOST_CHECK_EQUAL(n, 10U);

    // Rewriting an entry replaces it.
    DiskBlockIndex changed = entries[0];
    changed.status |= BLOCK_FAILED_CHILD;
    std::vector<DiskBlockIndex> one{changed};
    db.WriteBatchSync({}, 6, one);
    bool found = false;
    db.LoadBlockIndex([&](const DiskBlockIndex& e) {
        if (e.hash == changed.hash) found = e == changed;
        return true;
    });
    BOOST_CHECK(found);
}

BOOST_AUTO_TEST_CASE(block_index_conversion)
{
    const auto headers = MainnetHeaders();
    uint256 h0 = headers[0].GetHash(), h1 = headers[1].GetHash();
    BlockIndex parent;
    parent.hash = &h0;
    BlockIndex index;
    index.hash = &h1;
    index.prev = &parent;
    DiskBlockIndex d;
    d.header = headers[1];
    d.hash = h1;
    d.height = 2;
    d.status = BLOCK_VALID_SCRIPTS | BLOCK_HAVE_DATA | BLOCK_HAVE_UNDO;
    d.tx_count = 1;
    d.file = 3;
    d.data_pos = 100;
    d.undo_pos = 200;
    d.CopyTo(index);
    BOOST_CHECK(index.GetBlockHeader() == headers[1]);
    BOOST_CHECK(DiskBlockIndex::FromBlockIndex(index) == d);
}

BOOST_AUTO_TEST_CASE(damaged_records)
{
    test::TempDir dir;
    const auto headers = MainnetHeaders();
    auto entries = MakeEntries(headers);
    BlockTreeDB db(Opts(dir / "index"));
    db.WriteBatchSync({}, 0, std::span(entries).first(3));

    // A record under the wrong key: the header does not hash to it.
    DiskBlockIndex wrong = entries[3];
    wrong.hash = entries[4].hash;
    std::vector<DiskBlockIndex> w1{wrong};
    db.WriteBatchSync({}, 0, w1);
    BOOST_CHECK_EXCEPTION(db.LoadBlockIndex([](const DiskBlockIndex&) { return true; }), DatabaseError,
                          [](const DatabaseError& e) { return Contains(e.what(), "hashes to") && Contains(e.what(), "-reindex"); });

    // A record cut short.
    Bytes key{DB_BLOCK_INDEX};
    key.insert(key.end(), wrong.hash.begin(), wrong.hash.end());
    Bytes value = SerializeDiskBlockIndex(entries[4]);
    value.resize(value.size() - 1);
    db.GetDatabase().Write(key, value);
    BOOST_CHECK_EXCEPTION(db.LoadBlockIndex([](const DiskBlockIndex&) { return true; }), DatabaseError,
                          [](const DatabaseError& e) { return Contains(e.what(), "Corrupt block index"); });

    // Bad file record, last-file record and flag.
    const Bytes fkey{DB_BLOCK_FILES, 0, 0, 0, 0};
    db.GetDatabase().Write(fkey, Bytes{0x80});
    BOOST_CHECK_THROW(db.ReadBlockFileInfo(0), DatabaseError);
    const Bytes lkey{DB_LAST_BLOCK};
    db.GetDatabase().Write(lkey, Bytes{1, 2});
    BOOST_CHECK_THROW(db.ReadLastBlockFile(), DatabaseError);
    db.WriteFlag("x", true);
    Bytes flag_key{DB_FLAG, 1, 'x'};
    db.GetDatabase().Write(flag_key, Bytes{'2'});
    BOOST_CHECK_THROW(db.ReadFlag("x"), DatabaseError);
}

BOOST_AUTO_TEST_CASE(newer_version_refused)
{
    test::TempDir dir;
    const auto path = dir / "index";
    {
        BlockTreeDB db(Opts(path));
        db.WriteFlag("txindex", true);
        const uint8_t key[1] = {DB_FORMAT_VERSION_KEY};
        const uint8_t v[4] = {BLOCK_TREE_DB_VERSION + 1, 0, 0, 0};
        db.GetDatabase().Write(key, v, true);
    }
    BOOST_CHECK_EXCEPTION(BlockTreeDB(Opts(path)), DatabaseError, [](const DatabaseError& e) {
        return Contains(e.what(), "block index") && Contains(e.what(), "newer");
    });
    Database raw(Opts(path));
    const uint8_t key[1] = {DB_FORMAT_VERSION_KEY};
    Bytes v;
    BOOST_REQUIRE(raw.Read(key, v));
    BOOST_CHECK_EQUAL(v[0], BLOCK_TREE_DB_VERSION + 1);
}

BOOST_AUTO_TEST_SUITE_END()
