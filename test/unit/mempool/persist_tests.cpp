// mempool.dat: round trips in both versions (entry times, fee deltas of
// pool and non-pool transactions, the unbroadcast set), the byte layout of
// the header and of the obfuscation, expired entries skipped, the load
// counters, and damaged files refused cleanly.
#include "mempool/persist.h"
#include "mempool/tx_mempool.h"
#include "test/unit/mempool/mempool_test_util.h"
#include "test/util/tmpdir.h"
#include "util/serialize.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>

using namespace cairn;
using namespace cairn::test;

namespace {

Bytes ReadFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const std::filesystem::path& path, const Bytes& data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
}

/** A source pool and the fees of its transactions, so that a loading
 *  "acceptance" can rebuild entries the way the node's would. */
struct Source {
    const int64_t now = 1'700'000'000;
    TxMemPool pool{MempoolOptions{}};
    std::map<uint256, Amount> fees;
    TransactionRef a, b, c;
    uint256 absent;

    Source()
    {
        SetMockTime(now);
        a = MakeTx({ConfirmedCoin(100)}, 1, /*witness=*/true);
        b = MakeTx({OutPoint(a->GetTxid(), 0)});
        c = MakeTx({ConfirmedCoin(101)});
        absent = MakeTx({ConfirmedCoin(102)})->GetTxid();
        std::lock_guard lock(pool.GetMutex());
        // Added child-last but with times out of order: the file keeps times.
        Add(a, 1000, now - 300);
        Add(b, 2000, now - 500);
        Add(c, 3000, now - 100);
        pool.PrioritiseTransaction(b->GetTxid(), 500);
        pool.PrioritiseTransaction(absent, 700);
        pool.AddUnbroadcastTx(a->GetTxid());
    }
    ~Source() { SetMockTime(0); }

    void Add(const TransactionRef& tx, Amount fee, int64_t time)
    {
        fees[tx->GetTxid()] = fee;
        pool.AddUnchecked(MakeEntry(tx, fee, 100, time));
    }

    /** What the node's AcceptToMemoryPool lambda does, minus the rules. */
    auto Acceptor(TxMemPool& target, std::vector<uint256>* order = nullptr)
    {
        return [this, &target, order](const TransactionRef& tx, int64_t time) {
            if (order) order->push_back(tx->GetTxid());
            std::lock_guard lock(target.GetMutex());
            if (target.Exists(tx->GetTxid())) return false;
            target.AddUnchecked(MakeEntry(tx, fees.at(tx->GetTxid()), 100, time));
            return true;
        };
    }
};

void CheckRestored(Source& src, TxMemPool& pool)
{
    std::lock_guard lock(pool.GetMutex());
    pool.Check();
    BOOST_REQUIRE_EQUAL(pool.Size(), 3U);
    BOOST_CHECK_EQUAL(pool.Get(src.a->GetTxid())->GetTime(), src.now - 300);
    BOOST_CHECK_EQUAL(pool.Get(src.b->GetTxid())->GetTime(), src.now - 500);
    BOOST_CHECK_EQUAL(pool.Get(src.c->GetTxid())->GetTime(), src.now - 100);
    BOOST_CHECK(pool.Get(src.a->GetTxid())->GetTx().HasWitness());
    BOOST_CHECK(pool.GetByWtxid(src.a->GetWtxid()));
    BOOST_CHECK_EQUAL(pool.Get(src.b->GetTxid())->GetModifiedFee(), 2500);
    BOOST_CHECK_EQUAL(pool.GetFeeDelta(src.b->GetTxid()), 500);
    BOOST_CHECK_EQUAL(pool.GetFeeDelta(src.absent), 700);
    BOOST_CHECK_EQUAL(pool.GetDeltas().size(), 2U);
    BOOST_CHECK(pool.GetUnbroadcastTxs() == std::set<uint256>{src.a->GetTxid()});
}

} // namespace

BOOST_AUTO_TEST_SUITE(mempool_persist_tests)

BOOST_AUTO_TEST_CASE(round_trip_v2)
{
    TempDir dir("cairn_mempool_persist");
    Source src;
    const auto path = dir / "mempool.dat";
    BOOST_REQUIRE(DumpMempool(src.pool, path, /*v1=*/false));
    BOOST_CHECK(!std::filesystem::exists(dir / "mempool.dat.new"));

    const Bytes data = ReadFile(path);
    BOOST_REQUIRE(data.size() > 17);
    BOOST_CHECK(Bytes(data.begin(), data.begin() + 8) == (Bytes{2, 0, 0, 0, 0, 0, 0, 0}));
    BOOST_CHECK_EQUAL(data[8], 8); // CompactSize of the key

    TxMemPool pool{MempoolOptions{}};
    LoadStats stats;
    std::vector<uint256> order;
    BOOST_REQUIRE(LoadMempool(pool, path, src.Acceptor(pool, &order), stats, {}));
    BOOST_CHECK_EQUAL(stats.count, 3);
    BOOST_CHECK_EQUAL(stats.failed, 0);
    BOOST_CHECK_EQUAL(stats.expired, 0);
    BOOST_CHECK_EQUAL(stats.already_there, 0);
    BOOST_CHECK_EQUAL(stats.unbroadcast, 1);
    // Parents before children.
    BOOST_REQUIRE_EQUAL(order.size(), 3U);
    BOOST_CHECK(std::find(order.begin(), order.end(), src.a->GetTxid()) <
                std::find(order.begin(), order.end(), src.b->GetTxid()));
    CheckRestored(src, pool);

    // Loading again: everything is already there.
    LoadStats again;
    BOOST_REQUIRE(LoadMempool(pool, path, src.Acceptor(pool), again, {}));
    BOOST_CHECK_EQUAL(again.count, 0);
    BOOST_CHECK_EQUAL(again.already_there, 3);
}

BOOST_AUTO_TEST_CASE(round_trip_v1_and_obfuscation_layout)
{
    TempDir dir("cairn_mempool_persist");
    Source src;
    BOOST_REQUIRE(DumpMempool(src.pool, dir / "v1.dat", /*v1=*/true));
    BOOST_REQUIRE(DumpMempool(src.pool, dir / "v2.dat", /*v1=*/false));
    const Bytes v1 = ReadFile(dir / "v1.dat");
    const Bytes v2 = ReadFile(dir / "v2.dat");
    BOOST_CHECK(Bytes(v1.begin(), v1.begin() + 8) == (Bytes{1, 0, 0, 0, 0, 0, 0, 0}));
    // The count follows the version directly in version 1.
    BOOST_CHECK(Bytes(v1.begin() + 8, v1.begin() + 16) == (Bytes{3, 0, 0, 0, 0, 0, 0, 0}));

    // Version 2 is version 1's body after a 9-byte key record, each byte
    // XORed with key[file offset % 8].
    BOOST_REQUIRE_EQUAL(v2.size(), v1.size() + 9);
    const Bytes key(v2.begin() + 9, v2.begin() + 17);
    bool same = true;
    for (size_t i = 17; i < v2.size(); ++i) same &= uint8_t(v2[i] ^ key[i % 8]) == v1[i - 9];
    BOOST_CHECK(same);

    TxMemPool pool{MempoolOptions{}};
    LoadStats stats;
    BOOST_REQUIRE(LoadMempool(pool, dir / "v1.dat", src.Acceptor(pool), stats, {}));
    BOOST_CHECK_EQUAL(stats.count, 3);
    CheckRestored(src, pool);
}

BOOST_AUTO_TEST_CASE(expired_failed_and_interrupted)
{
    TempDir dir("cairn_mempool_persist");
    Source src;
    const auto path = dir / "mempool.dat";
    BOOST_REQUIRE(DumpMempool(src.pool, path, false));

    // Two weeks later, less 400 seconds: a (-300) and c (-100) are still
    // young enough, b (-500) has expired.
    MempoolOptions opts;
    SetMockTime(src.now + opts.expiry_seconds - 400);
    {
        TxMemPool pool{opts};
        LoadStats stats;
        BOOST_REQUIRE(LoadMempool(pool, path, src.Acceptor(pool), stats, {}));
        BOOST_CHECK_EQUAL(stats.count, 2);
        BOOST_CHECK_EQUAL(stats.expired, 1);
        std::lock_guard lock(pool.GetMutex());
        BOOST_CHECK(!pool.Exists(src.b->GetTxid()));
        // Its delta was still applied (it may come back).
        BOOST_CHECK_EQUAL(pool.GetFeeDelta(src.b->GetTxid()), 500);
    }
    SetMockTime(src.now);
    {
        TxMemPool pool{opts};
        LoadStats stats;
        // Refuses everything: failed, and nothing waits for broadcast.
        BOOST_REQUIRE(LoadMempool(pool, path, [](const TransactionRef&, int64_t) { return false; }, stats, {}));
        BOOST_CHECK_EQUAL(stats.failed, 3);
        std::lock_guard lock(pool.GetMutex());
        BOOST_CHECK(pool.GetUnbroadcastTxs().empty());
        BOOST_CHECK_EQUAL(pool.GetFeeDelta(src.absent), 700);
    }
    {
        TxMemPool pool{opts};
        LoadStats stats;
        int asked = 0;
        BOOST_CHECK(!LoadMempool(pool, path, src.Acceptor(pool), stats, [&] { return ++asked == 2; }));
        BOOST_CHECK_EQUAL(stats.count, 2);
    }
}

BOOST_AUTO_TEST_CASE(damaged_files_refused)
{
    TempDir dir("cairn_mempool_persist");
    Source src;
    const auto path = dir / "mempool.dat";
    const auto bad = dir / "bad.dat";
    LoadStats stats;

    {
        TxMemPool pool{MempoolOptions{}};
        BOOST_CHECK(!LoadMempool(pool, dir / "missing.dat", src.Acceptor(pool), stats, {}));
        BOOST_CHECK(!LoadMempool(pool, {}, src.Acceptor(pool), stats, {}));
    }
    for (bool v1 : {true, false}) {
        BOOST_REQUIRE(DumpMempool(src.pool, path, v1));
        const Bytes good = ReadFile(path);
        // Every truncation fails without throwing.
        for (size_t len = 0; len < good.size(); ++len) {
            WriteFile(bad, Bytes(good.begin(), good.begin() + len));
            TxMemPool pool{MempoolOptions{}};
            bool loaded = true;
            BOOST_CHECK_NO_THROW(loaded = LoadMempool(pool, bad, src.Acceptor(pool), stats, {}));
            BOOST_CHECK(!loaded);
            std::lock_guard lock(pool.GetMutex());
            pool.Check();
        }
    }
    // Unknown version, a key of the wrong size, plain garbage.
    const std::vector<Bytes> garbage{
        {3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {2, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xde, 0xad},
        {0xde, 0xad, 0xbe, 0xef},
    };
    for (const Bytes& g : garbage) {
        WriteFile(bad, g);
        TxMemPool pool{MempoolOptions{}};
        BOOST_CHECK(!LoadMempool(pool, bad, src.Acceptor(pool), stats, {}));
    }
    // Random bytes after a valid header.
    Bytes noise{2, 0, 0, 0, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    uint32_t x = 12345;
    for (int i = 0; i < 5000; ++i) {
        x = x * 1103515245 + 12345;
        noise.push_back(uint8_t(x >> 16));
    }
    WriteFile(bad, noise);
    TxMemPool pool{MempoolOptions{}};
    BOOST_CHECK(!LoadMempool(pool, bad, src.Acceptor(pool), stats, {}));

    // A directory that does not exist: the dump fails cleanly.
    BOOST_CHECK(!DumpMempool(src.pool, dir / "no" / "such" / "mempool.dat", false));
}

BOOST_AUTO_TEST_SUITE_END()
