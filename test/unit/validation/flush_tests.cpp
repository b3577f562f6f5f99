// When the engine writes the block index and the coins (validation/flush.cpp):
// the cache's size state against its budget plus the mempool's unused bytes
// (Core's GetCoinsCacheSizeState), and the periodic write every 50-70
// minutes of the engine's clock (Core's DATABASE_WRITE_INTERVAL_MIN/MAX).
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/log.h"
#include "validation/coins_cache_size.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

constexpr size_t MiB = size_t{1} << 20;

/** An engine on a regtest datadir whose clock the test moves. */
struct FlushEnv {
    TempDir dir{"cairn_flush"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    int64_t now{int64_t(params->genesis.time) + 1000};
    std::unique_ptr<ChainstateManager> chainman;
    uint256 tip;

    explicit FlushEnv(size_t db_cache_bytes = 16 * MiB)
    {
        Logger::Instance().SetQuiet(true);
        ChainstateOptions o;
        o.datadir = dir.path();
        o.params = params.get();
        o.db_cache_bytes = db_cache_bytes;
        o.clock = [this] { return now; };
        chainman = std::make_unique<ChainstateManager>(o);
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman->Load(error), error);
        tip = params->consensus.genesis_hash;
    }
    ~FlushEnv()
    {
        chainman.reset();
        Logger::Instance().SetQuiet(false);
    }

    /** Connects one more block (which ends with a PERIODIC flush check). */
    void Mine()
    {
        const Block block = builder.CreateBlock(tip);
        bool is_new = false;
        BlockValidationState state;
        BOOST_REQUIRE(chainman->ProcessNewBlock(std::make_shared<const Block>(block), true, true, &is_new, &state));
        tip = block.GetHash();
        BOOST_REQUIRE(chainman->TipHash() == tip);
    }

    /** Whether the coins on disk are at the tip (the last write included it). */
    bool Written()
    {
        std::lock_guard lock(chainman->GetMutex());
        return chainman->CoinsDatabase().GetBestBlock() == tip;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(flush_tests)

BOOST_AUTO_TEST_CASE(coins_cache_size_state)
{
    // No mempool: CRITICAL over the budget, LARGE past 90% of a small one.
    BOOST_CHECK(GetCoinsCacheSizeState(0, 8 * MiB) == CoinsCacheSizeState::OK);
    const size_t ninety = 8 * MiB / 10 * 9 + 8 * MiB % 10 * 9 / 10; // floor(0.9 * 8 MiB)
    BOOST_CHECK(GetCoinsCacheSizeState(ninety, 8 * MiB) == CoinsCacheSizeState::OK);
    BOOST_CHECK(GetCoinsCacheSizeState(ninety + 1, 8 * MiB) == CoinsCacheSizeState::LARGE);
    BOOST_CHECK(GetCoinsCacheSizeState(8 * MiB, 8 * MiB) == CoinsCacheSizeState::LARGE);
    BOOST_CHECK(GetCoinsCacheSizeState(8 * MiB + 1, 8 * MiB) == CoinsCacheSizeState::CRITICAL);
    // A large budget: LARGE within MAX_BLOCK_COINSDB_USAGE_BYTES (10 MiB) of it.
    const size_t big = 450 * MiB;
    BOOST_CHECK(GetCoinsCacheSizeState(big - 10 * MiB, big) == CoinsCacheSizeState::OK);
    BOOST_CHECK(GetCoinsCacheSizeState(big - 10 * MiB + 1, big) == CoinsCacheSizeState::LARGE);

    // The mempool's unused bytes are lent to the cache.
    const MempoolMemory idle{4 * MiB, 0};
    BOOST_CHECK_EQUAL(CoinsCacheSpace(8 * MiB, idle), 12 * MiB);
    BOOST_CHECK(GetCoinsCacheSizeState(8 * MiB + 1, 8 * MiB, idle) == CoinsCacheSizeState::OK);
    BOOST_CHECK(GetCoinsCacheSizeState(12 * MiB, 8 * MiB, idle) == CoinsCacheSizeState::LARGE);
    BOOST_CHECK(GetCoinsCacheSizeState(12 * MiB + 1, 8 * MiB, idle) == CoinsCacheSizeState::CRITICAL);
    // Only what it does not use.
    const MempoolMemory half{4 * MiB, 3 * MiB};
    BOOST_CHECK_EQUAL(CoinsCacheSpace(8 * MiB, half), 9 * MiB);
    BOOST_CHECK(GetCoinsCacheSizeState(9 * MiB + 1, 8 * MiB, half) == CoinsCacheSizeState::CRITICAL);
    // A pool over its limit lends nothing and takes nothing away.
    const MempoolMemory over{4 * MiB, 6 * MiB};
    BOOST_CHECK_EQUAL(CoinsCacheSpace(8 * MiB, over), 8 * MiB);
    BOOST_CHECK(GetCoinsCacheSizeState(8 * MiB, 8 * MiB, over) == CoinsCacheSizeState::LARGE);
    // Absurd figures saturate instead of wrapping to a small space.
    BOOST_CHECK_EQUAL(CoinsCacheSpace(SIZE_MAX - 1, MempoolMemory{SIZE_MAX, 0}), SIZE_MAX);
    BOOST_CHECK(GetCoinsCacheSizeState(0, SIZE_MAX) == CoinsCacheSizeState::OK);
}

BOOST_AUTO_TEST_CASE(periodic_write_every_50_to_70_minutes)
{
    FlushEnv env;
    const int64_t start = env.now;
    // Blocks connected within 50 minutes stay in memory.
    env.Mine();
    BOOST_CHECK(!env.Written());
    env.now = start + 50 * 60 - 1;
    env.Mine();
    BOOST_CHECK(!env.Written());
    // By 70 minutes the block index and the coins have been written.
    env.now = start + 70 * 60;
    env.Mine();
    BOOST_CHECK(env.Written());
    // The next wait is drawn anew, from the write.
    const int64_t written = env.now;
    env.now = written + 50 * 60 - 1;
    env.Mine();
    BOOST_CHECK(!env.Written());
    env.now = written + 70 * 60;
    env.Mine();
    BOOST_CHECK(env.Written());
}

BOOST_AUTO_TEST_CASE(cache_borrows_unused_mempool_memory)
{
    // A budget of nothing: every block makes the cache CRITICAL, so each one is written.
    FlushEnv env(/*db_cache_bytes=*/0);
    env.Mine();
    BOOST_CHECK(env.Written());

    // An idle mempool with room to lend: the blocks stay in memory.
    MempoolMemory mempool{300 * MiB, 0};
    {
        std::lock_guard lock(env.chainman->GetMutex());
        env.chainman->SetMempoolMemorySource([&mempool] { return mempool; });
    }
    env.Mine();
    env.Mine();
    BOOST_CHECK(!env.Written());

    // A full mempool lends nothing: written again at the next block.
    mempool.usage = 300 * MiB;
    env.Mine();
    BOOST_CHECK(env.Written());

    std::lock_guard lock(env.chainman->GetMutex());
    env.chainman->SetMempoolMemorySource(nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
