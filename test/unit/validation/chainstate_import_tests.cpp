// The engine on real mainnet blocks with mainnet rules: import, restart,
// and the UTXO statistics, compared with values computed independently
// (a separate Python walk over the same files).
#include "consensus/chain_params.h"
#include "test/util/blkfile.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/coin_stats.h"

#include <boost/test/unit_test.hpp>
#include <fmt/ranges.h>

using namespace cairn;

namespace {

struct Quiet {
    Quiet() { Logger::Instance().SetQuiet(true); }
    ~Quiet() { Logger::Instance().SetQuiet(false); }
};

std::unique_ptr<ChainstateManager> Open(const std::filesystem::path& dir, const ChainParams& params, int threads = 0)
{
    ChainstateOptions opts;
    opts.datadir = dir;
    opts.params = &params;
    opts.script_threads = threads;
    opts.db_cache_bytes = size_t(16) << 20;
    auto chainman = std::make_unique<ChainstateManager>(opts);
    std::string error;
    BOOST_REQUIRE_MESSAGE(chainman->Load(error), error);
    return chainman;
}

void Import(ChainstateManager& chainman, const std::string& file)
{
    for (const Bytes& raw : test::SplitBlkFile(test::ReadBzip2VectorFile(file), test::MAINNET_MAGIC)) {
        Reader r(raw);
        auto block = std::make_shared<const Block>(DeserializeBlock(r));
        BlockValidationState state;
        bool is_new = false;
        BOOST_REQUIRE_MESSAGE(chainman.ProcessNewBlock(block, true, true, &is_new, &state), state.ToString());
    }
}

CoinsStats Stats(ChainstateManager& chainman, CoinStatsHashType type)
{
    BlockValidationState state;
    BOOST_REQUIRE(chainman.FlushStateToDisk(FlushMode::ALWAYS, state));
    std::lock_guard lock(chainman.GetMutex());
    return *ComputeCoinsStats(chainman.CoinsDatabase(), type);
}

} // namespace

BOOST_AUTO_TEST_SUITE(chainstate_import_tests)

BOOST_AUTO_TEST_CASE(mainnet_1_to_255)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    auto chainman = Open(dir.path(), *params, 2);
    BOOST_CHECK_EQUAL(chainman->Height(), 0); // the genesis block is stored and connected at first start
    Import(*chainman, "blocks/mainnet-1-255.blk.bz2");
    BOOST_CHECK_EQUAL(chainman->Height(), 255);
    BOOST_CHECK_EQUAL(chainman->TipHash().GetHex(), "00000000d0a75c861fabf9ff7b92022f60e4afeed9331fe5aa073d8e4706fe3c");

    CoinsStats stats = Stats(*chainman, CoinStatsHashType::HASH_SERIALIZED);
    BOOST_CHECK_EQUAL(stats.txouts, 260U);
    BOOST_CHECK_EQUAL(stats.total_amount, 1275000000000);
    BOOST_CHECK_EQUAL(stats.bogosize, 30420U);
    BOOST_CHECK_EQUAL(stats.hash->GetHex(), "197bb41ba05f50473d030f9980198a4220c43e6a7741ea8557e4f79a502ed89a");
    const uint256 muhash = *Stats(*chainman, CoinStatsHashType::MUHASH).hash;

    // A restart finds the same chain and the same set.
    chainman.reset();
    chainman = Open(dir.path(), *params);
    BOOST_CHECK_EQUAL(chainman->Height(), 255);
    BOOST_CHECK(*Stats(*chainman, CoinStatsHashType::HASH_SERIALIZED).hash == *stats.hash);
    BOOST_CHECK(*Stats(*chainman, CoinStatsHashType::MUHASH).hash == muhash);
    test::ReportCases("blocks/mainnet-1-255.blk.bz2 (imported)", 255);
}

BOOST_AUTO_TEST_CASE(mainnet_0_to_4_side_chain)
{
    // btcd's test chain off the genesis block: block 2 spends block 1's
    // coinbase at depth 1, breaking coinbase maturity, so only block 1 can be
    // connected; block 3 is refused as the child of an invalid block (and,
    // as in Bitcoin Core, not added to the tree), so block 4 has no known parent.
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    auto chainman = Open(dir.path(), *params);
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-0-4.blk.bz2"), test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raws.size(), 5U);
    std::vector<std::string> results;
    for (const Bytes& raw : raws) {
        Reader r(raw);
        auto block = std::make_shared<const Block>(DeserializeBlock(r));
        BlockValidationState state;
        bool is_new = false;
        const bool ok = chainman->ProcessNewBlock(block, true, true, &is_new, &state);
        results.push_back(ok ? "ok" : state.GetRejectReason());
    }
    BOOST_CHECK_EQUAL(fmt::format("{}", fmt::join(results, ",")), "ok,ok,ok,bad-prevblk,prev-blk-not-found");
    BOOST_CHECK_EQUAL(chainman->Height(), 1);
    BOOST_CHECK_EQUAL(chainman->TipHash().GetHex(), "00000000ebe5ec3e94d8dfe18100e5c0f3b1955bc6107fbe24d95732b814551b");
    {
        std::lock_guard lock(chainman->GetMutex());
        const BlockIndex* bad = chainman->Tree().Lookup(
            *uint256::FromHex("00000000952ccb1bf9b799fcd0cc654dd48363f76781f8b1c61dbf1696c39f97"));
        BOOST_REQUIRE(bad);
        BOOST_CHECK(bad->status & BLOCK_FAILED_VALID);
    }
    CoinsStats stats = Stats(*chainman, CoinStatsHashType::HASH_SERIALIZED);
    BOOST_CHECK_EQUAL(stats.txouts, 1U);
    BOOST_CHECK_EQUAL(stats.total_amount, 5000000000);
    BOOST_CHECK_EQUAL(stats.bogosize, 117U);
    BOOST_CHECK_EQUAL(stats.hash->GetHex(), "198cdb7933c370e8cbd47a3171f2262818aac58c9f0b55aaaa8ccfcd6b138d1b");

    // The real chain has more work: importing it reorganises away from the side chain.
    Import(*chainman, "blocks/mainnet-1-255.blk.bz2");
    BOOST_CHECK_EQUAL(chainman->Height(), 255);
    BOOST_CHECK_EQUAL(Stats(*chainman, CoinStatsHashType::HASH_SERIALIZED).hash->GetHex(),
                      "197bb41ba05f50473d030f9980198a4220c43e6a7741ea8557e4f79a502ed89a");
    test::ReportCases("blocks/mainnet-0-4.blk.bz2 (imported)", 5);
}

BOOST_AUTO_TEST_SUITE_END()
