#include "consensus/versionbits.h"

#include "consensus/chain_params.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <random>

using namespace cairn;

namespace {

constexpr int32_t SIGNAL = VERSIONBITS_TOP_BITS | (1 << 28); // testdummy's bit
constexpr int32_t NO_SIGNAL = VERSIONBITS_TOP_BITS;
constexpr uint32_t T0 = 1600000000;

/** A block tree (forks allowed) of BlockIndex entries with stable addresses. */
struct Tree {
    std::deque<uint256> hashes;
    std::deque<BlockIndex> blocks;

    BlockIndex* Add(BlockIndex* parent, uint32_t time, int32_t version)
    {
        uint256 h;
        const uint64_t n = blocks.size() + 1;
        std::memcpy(h.data(), &n, sizeof(n));
        hashes.push_back(h);
        BlockIndex& b = blocks.emplace_back();
        b.hash = &hashes.back();
        b.prev = parent;
        b.height = parent ? parent->height + 1 : 0;
        b.time = time;
        b.version = version;
        b.bits = 0x207fffff;
        b.BuildSkip();
        return &b;
    }
    /** Extends `tip` by `n` blocks, ten minutes apart, with the given version. */
    BlockIndex* Extend(BlockIndex* tip, int n, int32_t version)
    {
        for (int i = 0; i < n; ++i) {
            const uint32_t t = tip ? tip->time + 600 : T0;
            tip = Add(tip, t, version);
        }
        return tip;
    }
    /** Extends by one period-sized run with `signalling` of `n` blocks signalling (first ones). */
    BlockIndex* ExtendSignalling(BlockIndex* tip, int n, int signalling)
    {
        for (int i = 0; i < n; ++i) tip = Extend(tip, 1, i < signalling ? SIGNAL : NO_SIGNAL);
        return tip;
    }
};

/** Params with a small testdummy period so the chains stay short. */
ConsensusParams SmallParams(int64_t start, int64_t timeout, int min_height = 0, int period = 10, int threshold = 8)
{
    ConsensusParams c;
    c.miner_confirmation_window = period;
    c.rule_change_activation_threshold = threshold;
    BIP9Deployment& d = c.deployments[DEPLOYMENT_TESTDUMMY];
    d.bit = 28;
    d.start_time = start;
    d.timeout = timeout;
    d.min_activation_height = min_height;
    d.period = period;
    d.threshold = threshold;
    BIP9Deployment& t = c.deployments[DEPLOYMENT_TAPROOT];
    t.bit = 2;
    t.start_time = BIP9Deployment::NEVER_ACTIVE;
    t.period = period;
    t.threshold = threshold;
    return c;
}

/** BIP 9 as specified, computed from scratch for the block at `height` on
 *  the chain ending at `tip`, with no cache and no shortcuts. */
ThresholdState ReferenceState(const BlockIndex* tip, int height, const BIP9Deployment& d)
{
    if (d.start_time == BIP9Deployment::ALWAYS_ACTIVE) return ThresholdState::ACTIVE;
    if (d.start_time == BIP9Deployment::NEVER_ACTIVE) return ThresholdState::FAILED;
    ThresholdState state = ThresholdState::DEFINED;
    for (int start = d.period; start <= height; start += d.period) {
        const BlockIndex* end = tip->GetAncestor(start - 1);
        const int64_t mtp = end->GetMedianTimePast();
        switch (state) {
        case ThresholdState::DEFINED:
            if (mtp >= d.start_time) state = ThresholdState::STARTED;
            break;
        case ThresholdState::STARTED: {
            int count = 0;
            for (int h = start - d.period; h < start; ++h) {
                count += VersionSignals(tip->GetAncestor(h)->version, d.bit) ? 1 : 0;
            }
            if (count >= d.threshold) state = ThresholdState::LOCKED_IN;
            else if (mtp >= d.timeout) state = ThresholdState::FAILED;
            break;
        }
        case ThresholdState::LOCKED_IN:
            if (start >= d.min_activation_height) state = ThresholdState::ACTIVE;
            break;
        default:
            break;
        }
    }
    return state;
}

} // namespace

BOOST_AUTO_TEST_SUITE(versionbits_tests)

BOOST_AUTO_TEST_CASE(threshold_reached)
{
    const ConsensusParams c = SmallParams(0, BIP9Deployment::NO_TIMEOUT);
    Tree tree;
    VersionBitsCache cache;
    BOOST_CHECK(cache.State(nullptr, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::DEFINED); // genesis

    BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL); // heights 0..9: DEFINED
    for (const BlockIndex& b : tree.blocks) {
        BOOST_CHECK(cache.State(b.prev, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::DEFINED);
    }
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip->prev, c), VERSIONBITS_TOP_BITS);
    // The start time has passed at the end of period 0: heights 10..19 are STARTED.
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), SIGNAL);

    tip = tree.ExtendSignalling(tip, 10, 7); // 7 of 10: not enough
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 10);
    tip = tree.ExtendSignalling(tip, 10, 8); // heights 20..29, 8 of 10: locks in
    BOOST_CHECK(cache.State(tip->prev, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 30);
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), SIGNAL); // still signalled while locked in
    BOOST_CHECK(!DeploymentActiveAfter(tip, c, DEPLOYMENT_TESTDUMMY, cache));

    tip = tree.ExtendSignalling(tip, 10, 0); // heights 30..39: LOCKED_IN whatever they signal
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 40);
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), VERSIONBITS_TOP_BITS);
    BOOST_CHECK(DeploymentActiveAfter(tip, c, DEPLOYMENT_TESTDUMMY, cache));
    BOOST_CHECK(!DeploymentActiveAt(*tip, c, DEPLOYMENT_TESTDUMMY, cache)); // height 39 is the last locked-in block

    tip = tree.ExtendSignalling(tip, 25, 0);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE); // terminal
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 40);
    BOOST_CHECK(DeploymentActiveAt(*tip, c, DEPLOYMENT_TESTDUMMY, cache));

    // A fresh cache agrees, whichever block it is first asked about.
    VersionBitsCache fresh;
    BOOST_CHECK(fresh.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    for (const BlockIndex& b : tree.blocks) {
        BOOST_CHECK(fresh.State(b.prev, c, DEPLOYMENT_TESTDUMMY) == cache.State(b.prev, c, DEPLOYMENT_TESTDUMMY));
    }
}

BOOST_AUTO_TEST_CASE(signal_needs_top_bits)
{
    const ConsensusParams c = SmallParams(0, BIP9Deployment::NO_TIMEOUT);
    BOOST_CHECK(VersionSignals(0x30000000, 28));
    BOOST_CHECK(VersionSignals(0x3fffffff, 0));
    BOOST_CHECK(!VersionSignals(0x10000000, 28));     // top bits 000
    BOOST_CHECK(!VersionSignals(0x50000000, 28));     // top bits 010
    BOOST_CHECK(!VersionSignals(int32_t(0xf0000000), 28)); // top bits 111
    BOOST_CHECK(!VersionSignals(0x20000000, 28));
    BOOST_CHECK_EQUAL(VersionBitsMask(c, DEPLOYMENT_TESTDUMMY), 1u << 28);

    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
    tip = tree.Extend(tip, 10, 0x50000000 | (1 << 28)); // the bit, but under other top bits
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
}

BOOST_AUTO_TEST_CASE(timeout)
{
    // The timeout passes (median time past of a period's last block) during
    // period 3 (heights 30..39), whose last block's MTP is T0 + 34*600.
    const int64_t deadline = T0 + 34 * 600;
    const ConsensusParams c = SmallParams(0, deadline);
    {
        Tree tree;
        VersionBitsCache cache;
        BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
        tip = tree.ExtendSignalling(tip, 20, 0);
        BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
        tip = tree.ExtendSignalling(tip, 10, 7);
        BOOST_CHECK_EQUAL(tip->GetMedianTimePast(), deadline);
        BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::FAILED);
        BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 40);
        tip = tree.ExtendSignalling(tip, 30, 10); // too late: terminal
        BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::FAILED);
        BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), VERSIONBITS_TOP_BITS);
    }
    {
        // Reaching the threshold in the period the timeout passes still locks in.
        Tree tree;
        VersionBitsCache cache;
        BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
        tip = tree.ExtendSignalling(tip, 20, 0);
        tip = tree.ExtendSignalling(tip, 10, 8);
        BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
        tip = tree.ExtendSignalling(tip, 10, 0);
        BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    }
    {
        // A timeout already past when the start time arrives: STARTED for one
        // period (DEFINED does not look at the timeout), then FAILED.
        const ConsensusParams late = SmallParams(T0 + 10 * 600, T0);
        Tree tree;
        VersionBitsCache cache;
        BlockIndex* tip = tree.Extend(nullptr, 20, NO_SIGNAL);
        BOOST_CHECK(cache.State(tip->GetAncestor(9), late, DEPLOYMENT_TESTDUMMY) == ThresholdState::DEFINED);
        BOOST_CHECK(cache.State(tip, late, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
        tip = tree.Extend(tip, 10, NO_SIGNAL);
        BOOST_CHECK(cache.State(tip, late, DEPLOYMENT_TESTDUMMY) == ThresholdState::FAILED);
    }
}

BOOST_AUTO_TEST_CASE(start_time_in_the_future)
{
    // MTP of the last block of period k is T0 + (10k + 4) * 600.
    const ConsensusParams c = SmallParams(T0 + 24 * 600, BIP9Deployment::NO_TIMEOUT);
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Extend(nullptr, 20, SIGNAL); // signalling before the start counts for nothing
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::DEFINED);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 0);
    tip = tree.Extend(tip, 10, SIGNAL);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 30);
    tip = tree.Extend(tip, 10, SIGNAL);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
}

BOOST_AUTO_TEST_CASE(min_activation_height)
{
    const ConsensusParams c = SmallParams(0, BIP9Deployment::NO_TIMEOUT, 45);
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
    tip = tree.ExtendSignalling(tip, 10, 10);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN); // from 20
    tip = tree.ExtendSignalling(tip, 10, 0);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN); // 30: below 45
    tip = tree.ExtendSignalling(tip, 10, 0);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN); // 40: below 45
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 20);
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), SIGNAL);
    tip = tree.ExtendSignalling(tip, 10, 0);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE); // 50: the first period start >= 45
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 50);

    // Exactly at a period start.
    const ConsensusParams at40 = SmallParams(0, BIP9Deployment::NO_TIMEOUT, 40);
    VersionBitsCache cache2;
    BOOST_CHECK(cache2.State(tip->GetAncestor(39), at40, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK(cache2.State(tip->GetAncestor(38), at40, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
}

BOOST_AUTO_TEST_CASE(always_and_never_active)
{
    ConsensusParams c = SmallParams(BIP9Deployment::ALWAYS_ACTIVE, BIP9Deployment::NO_TIMEOUT);
    Tree tree;
    BlockIndex* tip = tree.Extend(nullptr, 25, NO_SIGNAL);
    VersionBitsCache cache;
    BOOST_CHECK(cache.State(nullptr, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 0);
    BOOST_CHECK(DeploymentActiveAfter(nullptr, c, DEPLOYMENT_TESTDUMMY, cache));
    BOOST_CHECK(DeploymentEnabled(c, DEPLOYMENT_TESTDUMMY));

    c = SmallParams(BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT);
    tip = tree.ExtendSignalling(tip, 30, 30);
    cache.Clear();
    BOOST_CHECK(cache.State(nullptr, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::FAILED);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::FAILED);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 0);
    BOOST_CHECK(!DeploymentEnabled(c, DEPLOYMENT_TESTDUMMY));
    BOOST_CHECK_EQUAL(cache.ComputeBlockVersion(tip, c), VERSIONBITS_TOP_BITS);

    // Regtest: taproot is always active.
    const auto reg = CreateChainParams(ChainType::REGTEST);
    VersionBitsCache rc;
    BOOST_CHECK(DeploymentActiveAfter(nullptr, reg->consensus, DEPLOYMENT_TAPROOT, rc));
    BOOST_CHECK(DeploymentActiveAt(*tip, reg->consensus, DEPLOYMENT_TAPROOT, rc));
}

BOOST_AUTO_TEST_CASE(forks_share_one_cache)
{
    const ConsensusParams c = SmallParams(0, BIP9Deployment::NO_TIMEOUT);
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* base = tree.Extend(nullptr, 10, NO_SIGNAL);
    BlockIndex* a = tree.ExtendSignalling(base, 10, 10); // signals
    BlockIndex* b = tree.ExtendSignalling(base, 10, 0);  // does not
    BOOST_CHECK(cache.State(a, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
    BOOST_CHECK(cache.State(b, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    a = tree.ExtendSignalling(a, 10, 0);
    b = tree.ExtendSignalling(b, 10, 9);
    BOOST_CHECK(cache.State(a, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK(cache.State(b, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(b, c, DEPLOYMENT_TESTDUMMY), 30);
}

BOOST_AUTO_TEST_CASE(random_chains_match_the_specification)
{
    std::mt19937 rng(9);
    for (int trial = 0; trial < 40; ++trial) {
        const int period = 5 + int(rng() % 10);
        const int threshold = 1 + int(rng() % period);
        const int64_t start = T0 + int64_t(rng() % 100) * 600;
        const int64_t timeout = rng() % 4 == 0 ? BIP9Deployment::NO_TIMEOUT : start + int64_t(rng() % 150) * 600;
        const int min_height = rng() % 2 ? 0 : int(rng() % 150);
        const ConsensusParams c = SmallParams(start, timeout, min_height, period, threshold);
        const BIP9Deployment& d = c.deployments[DEPLOYMENT_TESTDUMMY];

        Tree tree;
        BlockIndex* tip = nullptr;
        const int n = 100 + int(rng() % 150);
        int p_signal = 0;
        for (int h = 0; h < n; ++h) {
            if (h % period == 0) p_signal = int(rng() % 101);
            const uint32_t t = tip ? tip->time + 1 + rng() % 1200 : T0;
            tip = tree.Add(tip, t, int(rng() % 100) < p_signal ? SIGNAL : NO_SIGNAL);
        }
        // One cache asked in a random order, one front to back.
        VersionBitsCache shuffled, ordered;
        std::vector<int> heights(n + 1);
        for (int h = 0; h <= n; ++h) heights[h] = h;
        std::shuffle(heights.begin(), heights.end(), rng);
        for (int h : heights) {
            const BlockIndex* prev = h == 0 ? nullptr : tip->GetAncestor(h - 1);
            BOOST_CHECK(shuffled.State(prev, c, DEPLOYMENT_TESTDUMMY) == ReferenceState(tip, h, d));
        }
        for (int h = 0; h <= n; ++h) {
            const BlockIndex* prev = h == 0 ? nullptr : tip->GetAncestor(h - 1);
            const ThresholdState s = ordered.State(prev, c, DEPLOYMENT_TESTDUMMY);
            BOOST_CHECK(s == ReferenceState(tip, h, d));
            // "since" is the first height of the run of periods with this state.
            const int since = ordered.StateSinceHeight(prev, c, DEPLOYMENT_TESTDUMMY);
            if (s == ThresholdState::DEFINED) {
                BOOST_CHECK_EQUAL(since, 0);
            } else {
                BOOST_CHECK_EQUAL(since % period, 0);
                BOOST_CHECK(since <= h);
                BOOST_CHECK(ReferenceState(tip, since, d) == s);
                if (since >= period) BOOST_CHECK(ReferenceState(tip, since - period, d) != s);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(statistics_and_info)
{
    const ConsensusParams c = SmallParams(0, BIP9Deployment::NO_TIMEOUT);
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
    // Period 1 (heights 10..19): pattern # - # # -
    tip = tree.Extend(tip, 1, SIGNAL);
    tip = tree.Extend(tip, 1, NO_SIGNAL);
    tip = tree.Extend(tip, 1, SIGNAL);
    tip = tree.Extend(tip, 1, SIGNAL);
    tip = tree.Extend(tip, 1, NO_SIGNAL); // height 14

    std::vector<bool> flags;
    const BIP9Stats s = VersionBitsStatistics(tip, c, DEPLOYMENT_TESTDUMMY, &flags);
    BOOST_CHECK_EQUAL(s.period, 10);
    BOOST_CHECK_EQUAL(s.threshold, 8);
    BOOST_CHECK_EQUAL(s.elapsed, 5);
    BOOST_CHECK_EQUAL(s.count, 3);
    BOOST_CHECK(s.possible); // 2 misses so far, 2 allowed
    BOOST_CHECK((flags == std::vector<bool>{true, false, true, true, false}));

    BIP9Info info = cache.Info(*tip, c, DEPLOYMENT_TESTDUMMY);
    BOOST_CHECK(info.current_state == ThresholdState::STARTED);
    BOOST_CHECK(info.next_state == ThresholdState::STARTED);
    BOOST_CHECK_EQUAL(info.since, 10);
    BOOST_REQUIRE(info.stats);
    BOOST_CHECK_EQUAL(info.stats->count, 3);
    BOOST_CHECK_EQUAL(info.signalling_blocks, "#-##-");
    BOOST_CHECK(!info.active_since);

    tip = tree.Extend(tip, 1, NO_SIGNAL); // a third miss: no longer possible
    BOOST_CHECK(!VersionBitsStatistics(tip, c, DEPLOYMENT_TESTDUMMY).possible);

    // The last block of a period is counted in its own period.
    const BIP9Stats first = VersionBitsStatistics(tip->GetAncestor(9), c, DEPLOYMENT_TESTDUMMY);
    BOOST_CHECK_EQUAL(first.elapsed, 10);
    BOOST_CHECK_EQUAL(first.count, 0);
    const BIP9Stats none = VersionBitsStatistics(nullptr, c, DEPLOYMENT_TESTDUMMY);
    BOOST_CHECK_EQUAL(none.period, 10);
    BOOST_CHECK_EQUAL(none.elapsed, 0);

    // Lock in at 20 (heights 15..19 all signal: 8 of 10), then check the view at
    // the period's last block, where next_state already differs.
    tip = tree.ExtendSignalling(tip->prev, 5, 5); // replace height 15 onward on a fork
    BOOST_REQUIRE_EQUAL(tip->height, 19);
    info = cache.Info(*tip, c, DEPLOYMENT_TESTDUMMY);
    BOOST_CHECK(info.current_state == ThresholdState::STARTED);
    BOOST_CHECK(info.next_state == ThresholdState::LOCKED_IN);
    BOOST_CHECK_EQUAL(info.signalling_blocks, "#-##-#####");
    tip = tree.ExtendSignalling(tip, 10, 0);
    info = cache.Info(*tip, c, DEPLOYMENT_TESTDUMMY); // height 29
    BOOST_CHECK(info.current_state == ThresholdState::LOCKED_IN);
    BOOST_CHECK(info.next_state == ThresholdState::ACTIVE);
    BOOST_CHECK_EQUAL(info.since, 20);
    BOOST_REQUIRE(info.active_since);
    BOOST_CHECK_EQUAL(*info.active_since, 30);
    tip = tree.Extend(tip, 1, NO_SIGNAL);
    info = cache.Info(*tip, c, DEPLOYMENT_TESTDUMMY); // height 30
    BOOST_CHECK(info.current_state == ThresholdState::ACTIVE);
    BOOST_CHECK(!info.stats);
    BOOST_CHECK_EQUAL(info.signalling_blocks, "");
    BOOST_REQUIRE(info.active_since);
    BOOST_CHECK_EQUAL(*info.active_since, 30);

    BOOST_CHECK_EQUAL(ThresholdStateName(ThresholdState::LOCKED_IN), "locked_in");
    BOOST_CHECK_EQUAL(ThresholdStateName(ThresholdState::DEFINED), "defined");
}

BOOST_AUTO_TEST_CASE(regtest_testdummy_activation)
{
    // The regtest schedule: STARTED from 144; a period with 107 of 144
    // signalling fails to lock in, one with 108 locks in (from 432), and the
    // rules are ACTIVE a period later (576). -vbparams moves it.
    const auto reg = CreateChainParams(ChainType::REGTEST);
    const ConsensusParams& c = reg->consensus;
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Add(nullptr, reg->genesis.time, reg->genesis.version);
    tip = tree.Extend(tip, 143, NO_SIGNAL);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    tip = tree.ExtendSignalling(tip, 144, 107);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::STARTED);
    tip = tree.ExtendSignalling(tip, 144, 108);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
    tip = tree.ExtendSignalling(tip, 144, 0);
    BOOST_CHECK(cache.State(tip, c, DEPLOYMENT_TESTDUMMY) == ThresholdState::ACTIVE);
    BOOST_CHECK_EQUAL(cache.StateSinceHeight(tip, c, DEPLOYMENT_TESTDUMMY), 576);

    ChainParamsOptions opts;
    opts.version_bits[DEPLOYMENT_TESTDUMMY] = VBitsParams{0, BIP9Deployment::NO_TIMEOUT, 1000};
    const auto delayed = CreateChainParams(ChainType::REGTEST, opts);
    VersionBitsCache cache2;
    BOOST_CHECK(cache2.State(tip, delayed->consensus, DEPLOYMENT_TESTDUMMY) == ThresholdState::LOCKED_IN);
}

BOOST_AUTO_TEST_CASE(unknown_bit_warnings)
{
    ConsensusParams c = SmallParams(BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT);
    const int32_t unknown = VERSIONBITS_TOP_BITS | (1 << 5);
    Tree tree;
    VersionBitsCache cache;
    BlockIndex* tip = tree.Extend(nullptr, 10, NO_SIGNAL);
    BOOST_CHECK(cache.CheckUnknownActivations(tip, c).empty());
    tip = tree.Extend(tip, 10, unknown); // 10 of 10 signal bit 5
    auto warnings = cache.CheckUnknownActivations(tip, c);
    BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
    BOOST_CHECK_EQUAL(warnings[0].first, 5);
    BOOST_CHECK(!warnings[0].second); // locked in
    tip = tree.Extend(tip, 10, NO_SIGNAL);
    warnings = cache.CheckUnknownActivations(tip, c);
    BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
    BOOST_CHECK(warnings[0].second); // active

    // A bit that a running deployment explains is not unknown...
    c = SmallParams(0, BIP9Deployment::NO_TIMEOUT);
    Tree tree2;
    VersionBitsCache cache2;
    BlockIndex* tip2 = tree2.Extend(nullptr, 10, NO_SIGNAL);
    tip2 = tree2.Extend(tip2, 10, SIGNAL);
    BOOST_CHECK(cache2.CheckUnknownActivations(tip2, c).empty());
    // ...but the same bit after the deployment is active is.
    tip2 = tree2.Extend(tip2, 10, SIGNAL); // LOCKED_IN period: still expected
    tip2 = tree2.Extend(tip2, 10, SIGNAL); // ACTIVE period: unexpected now
    warnings = cache2.CheckUnknownActivations(tip2, c);
    BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
    BOOST_CHECK_EQUAL(warnings[0].first, 28);

    // Nothing is counted below min_bip9_warning_height.
    ConsensusParams quiet = SmallParams(BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT);
    quiet.min_bip9_warning_height = 1000;
    VersionBitsCache cache3;
    BOOST_CHECK(cache3.CheckUnknownActivations(tip, quiet).empty());
}

BOOST_AUTO_TEST_CASE(buried_deployments)
{
    ConsensusParams c;
    c.segwit_height = 5;
    c.bip34_height = 0;
    c.csv_height = std::numeric_limits<int>::max();
    Tree tree;
    BlockIndex* tip = tree.Extend(nullptr, 6, NO_SIGNAL); // heights 0..5
    const BlockIndex* h3 = tip->GetAncestor(3);
    const BlockIndex* h4 = tip->GetAncestor(4);
    BOOST_CHECK(!DeploymentActiveAfter(h3, c, BuriedDeployment::SEGWIT)); // block 4
    BOOST_CHECK(DeploymentActiveAfter(h4, c, BuriedDeployment::SEGWIT));  // block 5
    BOOST_CHECK(!DeploymentActiveAt(*h4, c, BuriedDeployment::SEGWIT));
    BOOST_CHECK(DeploymentActiveAt(*tip, c, BuriedDeployment::SEGWIT));
    BOOST_CHECK(DeploymentActiveAfter(nullptr, c, BuriedDeployment::HEIGHTINCB)); // genesis at height 0
    BOOST_CHECK(!DeploymentActiveAfter(tip, c, BuriedDeployment::CSV));
    BOOST_CHECK(!DeploymentEnabled(c, BuriedDeployment::CSV));
    BOOST_CHECK(DeploymentEnabled(c, BuriedDeployment::SEGWIT));

    const auto main = CreateChainParams(ChainType::MAIN);
    BlockIndex at;
    at.height = 481823;
    BOOST_CHECK(DeploymentActiveAfter(&at, main->consensus, BuriedDeployment::SEGWIT));
    BOOST_CHECK(!DeploymentActiveAt(at, main->consensus, BuriedDeployment::SEGWIT));
    BOOST_CHECK(DeploymentActiveAt(at, main->consensus, BuriedDeployment::CSV));
}

BOOST_AUTO_TEST_SUITE_END()
