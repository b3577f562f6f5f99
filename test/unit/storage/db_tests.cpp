// The LevelDB wrapper on a real database in a temporary directory: reads,
// writes, batches, ordered iteration, obfuscation, and the errors reported
// for unopenable and corrupt databases.
#include "storage/db.h"
#include "test/util/tmpdir.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

using namespace cairn;

namespace {

Bytes B(const std::string& s) { return Bytes(s.begin(), s.end()); }

DatabaseOptions Opts(const std::filesystem::path& path, bool obfuscate = false)
{
    DatabaseOptions o;
    o.path = path;
    o.cache_bytes = 1 << 20;
    o.obfuscate = obfuscate;
    return o;
}

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(db_tests)

BOOST_AUTO_TEST_CASE(read_write_erase)
{
    test::TempDir dir;
    Database db(Opts(dir / "db"));
    BOOST_CHECK(db.IsEmpty());
    Bytes v;
    BOOST_CHECK(!db.Read(B("k"), v));
    db.Write(B("k"), B("value"));
    BOOST_CHECK(db.Read(B("k"), v));
    BOOST_CHECK(v == B("value"));
    BOOST_CHECK(db.Exists(B("k")));
    db.Write(B("k"), B(""), /*sync=*/true); // empty values are values
    BOOST_CHECK(db.Read(B("k"), v));
    BOOST_CHECK(v.empty());
    db.Erase(B("k"));
    BOOST_CHECK(!db.Exists(B("k")));
    db.Erase(B("never-there")); // not an error
    // Keys with zero bytes in them are fine.
    const Bytes zkey{0, 1, 0};
    db.Write(zkey, B("z"));
    BOOST_CHECK(db.Read(zkey, v) && v == B("z"));
}

BOOST_AUTO_TEST_CASE(batches_and_iteration)
{
    test::TempDir dir;
    Database db(Opts(dir / "db"));
    db.Write(B("a0"), B("old"));
    Database::Batch batch(db);
    for (int i = 9; i >= 0; --i) batch.Write(B("b" + std::to_string(i)), B("v" + std::to_string(i)));
    batch.Erase(B("a0"));
    batch.Write(B("c"), B("last"));
    BOOST_CHECK_GT(batch.ApproximateSize(), 10 * 4U);
    // Nothing is visible before the batch is written.
    BOOST_CHECK(!db.Exists(B("b5")));
    db.WriteBatch(batch, /*sync=*/true);
    BOOST_CHECK(!db.Exists(B("a0")));

    // Ordered iteration from a prefix, stopping at its end.
    auto it = db.NewIterator();
    int n = 0;
    for (it->Seek(B("b")); it->KeyStartsWith(B("b")); it->Next(), ++n) {
        BOOST_CHECK(Bytes(it->Key().begin(), it->Key().end()) == B("b" + std::to_string(n)));
        BOOST_CHECK(it->Value() == B("v" + std::to_string(n)));
    }
    BOOST_CHECK_EQUAL(n, 10);
    BOOST_REQUIRE(it->Valid());
    BOOST_CHECK(Bytes(it->Key().begin(), it->Key().end()) == B("c"));
    it->Next();
    BOOST_CHECK(!it->Valid());
    BOOST_CHECK(!it->KeyStartsWith(B("c")));

    batch.Clear();
    BOOST_CHECK_LT(batch.ApproximateSize(), 20U);
}

BOOST_AUTO_TEST_CASE(reopen_wipe_and_memory)
{
    test::TempDir dir;
    {
        Database db(Opts(dir / "db"));
        db.Write(B("kept"), B("1"), true);
    }
    {
        Database db(Opts(dir / "db"));
        BOOST_CHECK(db.Exists(B("kept")));
    }
    {
        DatabaseOptions o = Opts(dir / "db");
        o.wipe = true;
        Database db(o);
        BOOST_CHECK(db.IsEmpty());
    }
    {
        DatabaseOptions o = Opts(dir / "mem");
        o.memory_only = true;
        Database db(o);
        db.Write(B("x"), B("y"));
        BOOST_CHECK(db.Exists(B("x")));
    }
    BOOST_CHECK(!std::filesystem::exists(dir / "mem"));
}

BOOST_AUTO_TEST_CASE(obfuscation)
{
    test::TempDir dir;
    const Bytes value = B("a value long enough to wrap the 8-byte key twice");
    Bytes key_used;
    {
        Database db(Opts(dir / "db", /*obfuscate=*/true));
        key_used.assign(db.ObfuscateKey().begin(), db.ObfuscateKey().end());
        BOOST_CHECK(key_used != Bytes(OBFUSCATE_KEY_SIZE, 0));
        db.Write(B("k"), value);
        Bytes back;
        BOOST_CHECK(db.Read(B("k"), back) && back == value);
        auto it = db.NewIterator();
        it->Seek(B("k"));
        BOOST_CHECK(it->Value() == value);
    }
    {
        // Reopened without asking for obfuscation: the stored key still applies.
        Database db(Opts(dir / "db"));
        BOOST_CHECK(Bytes(db.ObfuscateKey().begin(), db.ObfuscateKey().end()) == key_used);
        Bytes back;
        BOOST_CHECK(db.Read(B("k"), back) && back == value);
        // Drop the key record: what is left on disk is the XORed value.
        db.Erase(AsBytes(Database::OBFUSCATE_KEY_KEY), true);
    }
    {
        Database db(Opts(dir / "db"));
        BOOST_CHECK(db.ObfuscateKey()[0] == 0 && db.ObfuscateKey()[7] == 0);
        Bytes raw;
        BOOST_REQUIRE(db.Read(B("k"), raw));
        BOOST_REQUIRE_EQUAL(raw.size(), value.size());
        BOOST_CHECK(raw != value);
        for (size_t i = 0; i < raw.size(); ++i) BOOST_CHECK_EQUAL(raw[i] ^ key_used[i % 8], value[i]);
    }
    {
        // An existing database without a key is not given one (its values
        // are plain); only a new one is.
        Database db(Opts(dir / "db", /*obfuscate=*/true));
        BOOST_CHECK(!db.Exists(AsBytes(Database::OBFUSCATE_KEY_KEY)));
    }
}

BOOST_AUTO_TEST_CASE(open_failure_names_the_path)
{
    test::TempDir dir;
    // A regular file where the database directory should be.
    { std::ofstream(dir / "file") << "x"; }
    try {
        Database db(Opts(dir / "file"));
        BOOST_ERROR("opening a database on a file should throw");
    } catch (const DatabaseError& e) {
        BOOST_CHECK(Contains(e.what(), (dir / "file").string()));
    }
    // A second handle on an open database (the LOCK file).
    Database first(Opts(dir / "db"));
    BOOST_CHECK_EXCEPTION(Database(Opts(dir / "db")), DatabaseError, [&](const DatabaseError& e) {
        return Contains(e.what(), "Error opening database " + (dir / "db").string());
    });
}

BOOST_AUTO_TEST_CASE(corruption_is_reported)
{
    test::TempDir dir;
    const std::filesystem::path path = dir / "db";
    {
        Database db(Opts(path));
        for (int i = 0; i < 2000; ++i) db.Write(B("key" + std::to_string(i)), Bytes(100, uint8_t(i)));
        db.Compact(B("key"), B("kez")); // into table files
    }
    // Damage the middle of every table file.
    int damaged = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() != ".ldb") continue;
        std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
        const auto size = std::filesystem::file_size(entry.path());
        for (uint64_t off = 100; off + 100 < size; off += 997) {
            f.seekp(std::streamoff(off));
            f.put('\xa5');
        }
        ++damaged;
    }
    BOOST_REQUIRE_GT(damaged, 0);

    auto is_corruption = [](const DatabaseError& e) {
        return Contains(e.what(), "Corruption") && Contains(e.what(), "-reindex");
    };
    bool reported = false;
    try {
        Database db(Opts(path));
        // Point reads: some key must hit a damaged block.
        Bytes v;
        for (int i = 0; i < 2000; ++i) db.Read(B("key" + std::to_string(i)), v);
    } catch (const DatabaseError& e) {
        BOOST_CHECK_MESSAGE(is_corruption(e), e.what());
        reported = true;
    }
    BOOST_CHECK(reported);

    // A scan does not end early in silence either.
    reported = false;
    try {
        Database db(Opts(path));
        auto it = db.NewIterator();
        for (it->SeekToFirst(); it->Valid(); it->Next()) {}
    } catch (const DatabaseError& e) {
        BOOST_CHECK_MESSAGE(is_corruption(e), e.what());
        reported = true;
    }
    BOOST_CHECK(reported);
}

BOOST_AUTO_TEST_CASE(format_version)
{
    test::TempDir dir;
    const uint8_t prefixes[] = {'x'};
    {
        Database db(Opts(dir / "db"));
        BOOST_CHECK_EQUAL(CheckFormatVersion(db, 3, "test", prefixes), 3U);
        BOOST_CHECK_EQUAL(CheckFormatVersion(db, 3, "test", prefixes), 3U);
        BOOST_CHECK_EQUAL(CheckFormatVersion(db, 4, "test", prefixes), 3U); // older is readable
        BOOST_CHECK_EXCEPTION(CheckFormatVersion(db, 2, "test", prefixes), DatabaseError, [](const DatabaseError& e) {
            return Contains(e.what(), "newer") && Contains(e.what(), "version 3");
        });
    }
    {
        Database db(Opts(dir / "other"));
        db.Write(B("x1"), B("data"));
        BOOST_CHECK_THROW(CheckFormatVersion(db, 1, "test", prefixes), DatabaseError);
        const uint8_t v[1] = {DB_FORMAT_VERSION_KEY};
        BOOST_CHECK(!db.Exists(v)); // refused, and left as it was
    }
}

BOOST_AUTO_TEST_SUITE_END()
