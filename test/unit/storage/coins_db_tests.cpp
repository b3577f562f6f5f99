// The chainstate database on real LevelDB: coins in and out, the best block,
// cursor order, the crash-safety markers of an interrupted flush, reopening,
// format versions and obfuscation.
#include "storage/coins_db.h"
#include "storage/compress.h"
#include "test/util/tmpdir.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>

using namespace cairn;

namespace {

DatabaseOptions Opts(const std::filesystem::path& path, bool obfuscate = true)
{
    DatabaseOptions o;
    o.path = path;
    o.cache_bytes = 1 << 20;
    o.obfuscate = obfuscate;
    return o;
}

uint256 H(uint8_t b)
{
    uint256 h;
    std::fill(h.begin(), h.end(), b);
    return h;
}

Coin MakeCoin(uint32_t i)
{
    Script s;
    s << OP_DUP << OP_HASH160 << Bytes(20, uint8_t(i)) << OP_EQUALVERIFY << OP_CHECKSIG;
    return Coin(TxOut(Amount(i) * 1000 + 1, s), i, i % 7 == 0);
}

std::vector<CoinEntry> MakeEntries(int n, uint8_t txid_seed)
{
    std::vector<CoinEntry> v;
    for (int i = 0; i < n; ++i) {
        uint256 txid = H(txid_seed);
        txid.data()[0] = uint8_t(i);
        txid.data()[1] = uint8_t(i >> 8);
        v.push_back({OutPoint(txid, uint32_t(i % 3)), MakeCoin(uint32_t(i)), true, true});
    }
    return v;
}

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

/** Thrown by the crash hook. */
struct SimulatedCrash {};

} // namespace

BOOST_AUTO_TEST_SUITE(coins_db_tests)

BOOST_AUTO_TEST_CASE(write_read_erase)
{
    test::TempDir dir;
    CoinsDB db(Opts(dir / "chainstate"));
    BOOST_CHECK(db.GetBestBlock().IsNull());
    BOOST_CHECK(db.GetHeadBlocks().empty());

    auto entries = MakeEntries(50, 0xaa);
    db.BatchWrite(entries, H(1));
    BOOST_CHECK(db.GetBestBlock() == H(1));
    BOOST_CHECK(db.GetHeadBlocks().empty());
    for (const CoinEntry& e : entries) {
        std::optional<Coin> c = db.GetCoin(e.outpoint);
        BOOST_REQUIRE(c);
        BOOST_CHECK(*c == e.coin);
        BOOST_CHECK(db.HaveCoin(e.outpoint));
    }
    BOOST_CHECK(!db.GetCoin(OutPoint(H(0xbb), 0)));
    BOOST_CHECK(!db.HaveCoin(OutPoint(entries[0].outpoint.hash, 99)));

    // Spent coins are erased; entries that are not dirty are not written.
    std::vector<CoinEntry> changes;
    changes.push_back({entries[0].outpoint, Coin{}, true, false});
    changes.push_back({entries[1].outpoint, MakeCoin(999), false, false});
    changes.push_back({OutPoint(H(0xcc), 5), MakeCoin(5), false, true});
    db.BatchWrite(changes, H(2));
    BOOST_CHECK(db.GetBestBlock() == H(2));
    BOOST_CHECK(!db.HaveCoin(entries[0].outpoint));
    BOOST_CHECK(*db.GetCoin(entries[1].outpoint) == entries[1].coin);
    BOOST_CHECK(!db.HaveCoin(OutPoint(H(0xcc), 5)));

    BOOST_CHECK_THROW(db.BatchWrite(changes, uint256{}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(cursor_order)
{
    test::TempDir dir;
    CoinsDB db(Opts(dir / "chainstate"));
    // Output indexes across VARINT length boundaries, and several txids.
    const uint32_t ns[] = {0, 1, 127, 128, 300, 16511, 16512, 70000};
    std::vector<CoinEntry> entries;
    for (uint8_t t : {0x30, 0x10, 0x20}) {
        for (uint32_t n : ns) entries.push_back({OutPoint(H(t), n), MakeCoin(n), true, true});
    }
    db.BatchWrite(entries, H(1));

    // Expected: the order of the keys' bytes.
    std::map<Bytes, const CoinEntry*> by_key;
    for (const CoinEntry& e : entries) by_key[CoinKey(e.outpoint)] = &e;
    auto cursor = db.NewCursor();
    size_t count = 0;
    for (const auto& [key, e] : by_key) {
        BOOST_REQUIRE(cursor->Valid());
        BOOST_CHECK(cursor->Key() == e->outpoint);
        BOOST_CHECK(cursor->Value() == e->coin);
        cursor->Next();
        ++count;
    }
    BOOST_CHECK(!cursor->Valid()); // the 'V' and other records are not coins
    BOOST_CHECK_EQUAL(count, entries.size());

    // As documented: by txid bytes, then by the bytes of VARINT(n), which
    // is not numeric order across encoding lengths: 128 = 80 00,
    // 16512 = 80 80 00, 300 = 81 2c, 70000 = 83 a1 70, 16511 = ff 7f.
    cursor = db.NewCursor();
    std::vector<uint32_t> first_tx;
    for (; cursor->Valid() && cursor->Key().hash == H(0x10); cursor->Next()) first_tx.push_back(cursor->Key().n);
    const std::vector<uint32_t> expect{0, 1, 127, 128, 16512, 300, 70000, 16511};
    BOOST_CHECK_EQUAL_COLLECTIONS(first_tx.begin(), first_tx.end(), expect.begin(), expect.end());
}

BOOST_AUTO_TEST_CASE(coin_key_format)
{
    BOOST_CHECK_EQUAL(HexStr(CoinKey(OutPoint(H(0x11), 0))), "43" + std::string(64, '1') + "00");
    BOOST_CHECK_EQUAL(HexStr(CoinKey(OutPoint(H(0x11), 128))), "43" + std::string(64, '1') + "8000");
}

BOOST_AUTO_TEST_CASE(interrupted_flush)
{
    test::TempDir dir;
    const auto path = dir / "chainstate";
    auto first = MakeEntries(100, 0x01);
    auto second = MakeEntries(3000, 0x02);
    {
        CoinsDB db(Opts(path));
        db.BatchWrite(first, H(1));

        // Small batches; "crash" right after the first partial batch.
        size_t calls = 0;
        db.m_after_partial_batch = [&](size_t written) {
            ++calls;
            BOOST_CHECK_EQUAL(written, 1U);
            throw SimulatedCrash{};
        };
        BOOST_CHECK_THROW(db.BatchWrite(second, H(2), /*batch_bytes=*/4096), SimulatedCrash);
        BOOST_CHECK_EQUAL(calls, 1U);
    }
    {
        // After "restart": no best block, heads = {new, old}, part of the coins.
        CoinsDB db(Opts(path));
        BOOST_CHECK(db.GetBestBlock().IsNull());
        std::vector<uint256> heads = db.GetHeadBlocks();
        BOOST_REQUIRE_EQUAL(heads.size(), 2U);
        BOOST_CHECK(heads[0] == H(2));
        BOOST_CHECK(heads[1] == H(1));
        size_t present = 0;
        for (const CoinEntry& e : second) present += db.HaveCoin(e.outpoint);
        BOOST_CHECK_GT(present, 0U);
        BOOST_CHECK_LT(present, second.size());

        // Finishing towards any other block is refused: the coins would lie.
        BOOST_CHECK_EXCEPTION(db.BatchWrite(second, H(3)), DatabaseError, [](const DatabaseError& e) {
            return Contains(e.what(), "-reindex-chainstate");
        });

        // The engine replays up to H(2) and flushes again, again interrupted:
        // the markers must still name the original old tip.
        db.m_after_partial_batch = [](size_t) { throw SimulatedCrash{}; };
        BOOST_CHECK_THROW(db.BatchWrite(second, H(2), 4096), SimulatedCrash);
        heads = db.GetHeadBlocks();
        BOOST_REQUIRE_EQUAL(heads.size(), 2U);
        BOOST_CHECK(heads[0] == H(2) && heads[1] == H(1));

        // A complete flush clears the markers.
        db.m_after_partial_batch = nullptr;
        db.BatchWrite(second, H(2), 4096);
        BOOST_CHECK(db.GetBestBlock() == H(2));
        BOOST_CHECK(db.GetHeadBlocks().empty());
    }
    {
        CoinsDB db(Opts(path));
        BOOST_CHECK(db.GetBestBlock() == H(2));
        for (const CoinEntry& e : first) BOOST_CHECK(db.HaveCoin(e.outpoint));
        for (const CoinEntry& e : second) BOOST_REQUIRE(*db.GetCoin(e.outpoint) == e.coin);
    }
}

BOOST_AUTO_TEST_CASE(first_flush_interrupted)
{
    // Crash during the very first flush: old best is null.
    test::TempDir dir;
    CoinsDB db(Opts(dir / "chainstate"));
    auto entries = MakeEntries(2000, 0x05);
    db.m_after_partial_batch = [](size_t) { throw SimulatedCrash{}; };
    BOOST_CHECK_THROW(db.BatchWrite(entries, H(7), 1024), SimulatedCrash);
    std::vector<uint256> heads = db.GetHeadBlocks();
    BOOST_REQUIRE_EQUAL(heads.size(), 2U);
    BOOST_CHECK(heads[0] == H(7));
    BOOST_CHECK(heads[1].IsNull());
    db.m_after_partial_batch = nullptr;
    db.BatchWrite(entries, H(7), 1024);
    BOOST_CHECK(db.GetBestBlock() == H(7));
}

BOOST_AUTO_TEST_CASE(newer_version_refused)
{
    test::TempDir dir;
    const auto path = dir / "chainstate";
    const OutPoint op(H(0x42), 1);
    {
        CoinsDB db(Opts(path));
        std::vector<CoinEntry> e{{op, MakeCoin(1), true, true}};
        db.BatchWrite(e, H(1));
        const uint8_t key[1] = {DB_FORMAT_VERSION_KEY};
        const uint8_t v2[4] = {COINS_DB_VERSION + 1, 0, 0, 0};
        db.GetDatabase().Write(key, v2, true);
    }
    BOOST_CHECK_EXCEPTION(CoinsDB(Opts(path)), DatabaseError, [](const DatabaseError& e) {
        return Contains(e.what(), "newer") && Contains(e.what(), "chainstate");
    });
    // Left unchanged: the version and the data are still there.
    {
        Database raw(Opts(path, false));
        const uint8_t key[1] = {DB_FORMAT_VERSION_KEY};
        Bytes v;
        BOOST_REQUIRE(raw.Read(key, v));
        BOOST_CHECK_EQUAL(v[0], COINS_DB_VERSION + 1);
        BOOST_CHECK(raw.Exists(CoinKey(op)));
        // And a chainstate with coins but no version at all is refused too.
        raw.Erase(key, true);
    }
    BOOST_CHECK_EXCEPTION(CoinsDB(Opts(path)), DatabaseError, [](const DatabaseError& e) {
        return Contains(e.what(), "no format version");
    });
}

BOOST_AUTO_TEST_CASE(obfuscated_on_disk)
{
    test::TempDir dir;
    const OutPoint op(H(0x42), 3);
    const Coin coin = MakeCoin(77);
    Bytes plain;
    VectorWriter w(plain);
    SerializeCoin(w, coin);

    CoinsDB db(Opts(dir / "chainstate", /*obfuscate=*/true));
    std::vector<CoinEntry> e{{op, coin, true, true}};
    db.BatchWrite(e, H(1));
    BOOST_CHECK(*db.GetCoin(op) == coin);

    // The bytes LevelDB holds are the record XOR the key, not the record.
    Database& raw = db.GetDatabase();
    ByteSpan key = raw.ObfuscateKey();
    BOOST_REQUIRE(!std::all_of(key.begin(), key.end(), [](uint8_t b) { return b == 0; }));
    auto it = raw.NewIterator();
    it->Seek(CoinKey(op));
    BOOST_REQUIRE(it->Valid());
    BOOST_CHECK(it->Value() == plain); // de-obfuscated through the wrapper

    // An unobfuscated chainstate stores the record as it is.
    CoinsDB plain_db(Opts(dir / "plain", /*obfuscate=*/false));
    plain_db.BatchWrite(e, H(1));
    Bytes stored;
    BOOST_REQUIRE(plain_db.GetDatabase().Read(CoinKey(op), stored));
    BOOST_CHECK(stored == plain);
}

BOOST_AUTO_TEST_CASE(corrupt_record)
{
    test::TempDir dir;
    CoinsDB db(Opts(dir / "chainstate"));
    const OutPoint op(H(0x42), 0);
    const Bytes garbage{0x80}; // a VARINT cut short
    db.GetDatabase().Write(CoinKey(op), garbage);
    BOOST_CHECK_EXCEPTION(db.GetCoin(op), DatabaseError, [](const DatabaseError& e) {
        return Contains(e.what(), "Corrupt chainstate") && Contains(e.what(), "-reindex-chainstate");
    });
    BOOST_CHECK_THROW(db.NewCursor(), DatabaseError);
    // A coin followed by extra bytes is corrupt too.
    Bytes extra;
    VectorWriter w(extra);
    SerializeCoin(w, MakeCoin(1));
    extra.push_back(0);
    db.GetDatabase().Write(CoinKey(op), extra);
    BOOST_CHECK_THROW(db.GetCoin(op), DatabaseError);
    const uint8_t best[1] = {DB_BEST_BLOCK};
    db.GetDatabase().Write(best, Bytes(31, 1));
    BOOST_CHECK_THROW(db.GetBestBlock(), DatabaseError);
}

BOOST_AUTO_TEST_CASE(estimate_size)
{
    test::TempDir dir;
    CoinsDB db(Opts(dir / "chainstate"));
    db.BatchWrite(MakeEntries(5000, 0x09), H(1));
    const uint8_t b[1] = {DB_COIN}, e[1] = {DB_COIN + 1};
    db.GetDatabase().Compact(b, e);
    BOOST_CHECK_GT(db.EstimateSize(), 5000U * 30);
}

BOOST_AUTO_TEST_SUITE_END()
