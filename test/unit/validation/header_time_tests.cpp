// The two-hour future limit (time-too-new), against the engine's clock
// (ChainstateOptions::clock, which -mocktime/setmocktime drive): a header
// more than MAX_FUTURE_BLOCK_TIME ahead is refused without being marked
// invalid, so the same header is accepted once the clock catches up.
#include "consensus/block_check.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

struct ClockEnv {
    TempDir dir{"cairn_header_time"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    int64_t now{int64_t(params->genesis.time) + 1000};
    std::unique_ptr<ChainstateManager> chainman;

    ClockEnv()
    {
        Logger::Instance().SetQuiet(true);
        ChainstateOptions o;
        o.datadir = dir.path();
        o.params = params.get();
        o.db_cache_bytes = size_t(8) << 20;
        o.clock = [this] { return now; };
        chainman = std::make_unique<ChainstateManager>(o);
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman->Load(error), error);
    }
    ~ClockEnv()
    {
        chainman.reset();
        Logger::Instance().SetQuiet(false);
    }

    Block At(int64_t time)
    {
        BlockOptions o;
        o.time = uint32_t(time);
        return builder.CreateBlock(params->consensus.genesis_hash, {}, o);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(header_time_tests)

BOOST_AUTO_TEST_CASE(header_two_hours_ahead)
{
    ClockEnv env;
    // Exactly at the limit: accepted.
    const Block at_limit = env.At(env.now + MAX_FUTURE_BLOCK_TIME);
    BlockValidationState state;
    BOOST_CHECK(env.chainman->ProcessNewBlockHeaders({at_limit.header()}, state));
    BOOST_CHECK(env.chainman->Lookup(at_limit.GetHash()));

    // One second past it: refused, reason time-too-new, and not stored.
    const Block too_new = env.At(env.now + MAX_FUTURE_BLOCK_TIME + 1);
    state = BlockValidationState();
    BOOST_CHECK(!env.chainman->ProcessNewBlockHeaders({too_new.header()}, state));
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "time-too-new");
    BOOST_CHECK(state.GetResult() == BlockResult::TIME_FUTURE);
    BOOST_CHECK(!env.chainman->Lookup(too_new.GetHash()));

    // The full block is refused the same way (ProcessNewBlock).
    bool is_new = false;
    state = BlockValidationState();
    BOOST_CHECK(!env.chainman->ProcessNewBlock(std::make_shared<const Block>(too_new), true, true, &is_new, &state));
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "time-too-new");
    BOOST_CHECK(!env.chainman->Lookup(too_new.GetHash()));
    BOOST_CHECK_EQUAL(env.chainman->Height(), 0);

    // Not marked invalid: a second later on the clock the same block is fine.
    env.now += 1;
    state = BlockValidationState();
    BOOST_CHECK_MESSAGE(
        env.chainman->ProcessNewBlock(std::make_shared<const Block>(too_new), true, true, &is_new, &state),
        state.ToString());
    BOOST_CHECK(is_new);
    const BlockIndex* index = env.chainman->Lookup(too_new.GetHash());
    BOOST_REQUIRE(index);
    BOOST_CHECK(!(index->status & BLOCK_FAILED_MASK));
    BOOST_CHECK_EQUAL(env.chainman->Height(), 1);
}

BOOST_AUTO_TEST_SUITE_END()
