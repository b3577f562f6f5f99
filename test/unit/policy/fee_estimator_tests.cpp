#include "policy/fee_estimator.h"
#include "policy/fee_modes.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <unistd.h>

using namespace cairn;

namespace {

uint32_t ReadLE32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }

uint256 TxidFromCounter(uint64_t n)
{
    uint8_t bytes[32] = {};
    std::memcpy(bytes, &n, sizeof(n));
    bytes[31] = 0xfe; // never the null hash
    return uint256(ByteSpan(bytes, 32));
}

/**
 * A toy chain and mempool feeding an estimator. Ten fee levels: level j pays
 * (j + 1) * 10000 sat/kvB and is mined exactly `delay(j)` blocks after it
 * enters, so the right answers are known in advance.
 */
class Simulation
{
public:
    explicit Simulation(FeeEstimator& est) : m_est(est) {}

    static constexpr int LEVELS = 10;
    static Amount LevelFeerate(int j) { return (j + 1) * 10000; }

    /** The default market: level 9 in 1 block, level 0 in 10 blocks. */
    static int SlowDelay(int j) { return 10 - j; }
    /** Everything in the next block. */
    static int FastDelay(int) { return 1; }

    /** Mines `blocks` blocks; after each, `per_level` transactions of every
     *  level enter the mempool and are scheduled with `delay`. */
    template <typename Delay>
    void Run(int blocks, int per_level, Delay delay)
    {
        for (int i = 0; i < blocks; ++i) {
            const unsigned height = ++m_height;
            std::vector<uint256> mined;
            for (auto it = m_pending.begin(); it != m_pending.end();) {
                if (it->second == height) {
                    mined.push_back(it->first);
                    it = m_pending.erase(it);
                } else {
                    ++it;
                }
            }
            m_est.ProcessBlock(height, mined);
            for (int j = 0; j < LEVELS; ++j) {
                for (int k = 0; k < per_level; ++k) {
                    const uint256 txid = TxidFromCounter(++m_counter);
                    // vsize 1000: the fee is the feerate.
                    m_est.ProcessTransaction(txid, 1000, LevelFeerate(j), height, true);
                    m_pending[txid] = height + unsigned(delay(j));
                }
            }
        }
    }

    unsigned Height() const { return m_height; }
    size_t Pending() const { return m_pending.size(); }

private:
    FeeEstimator& m_est;
    unsigned m_height{0};
    uint64_t m_counter{0};
    std::map<uint256, unsigned> m_pending; // txid -> height of the block that mines it
};

Amount Raw(const FeeEstimator& est, int target, double threshold, FeeEstimateHorizon h)
{
    return est.EstimateRawFee(target, threshold, h).GetFeePerK();
}

Amount Smart(const FeeEstimator& est, int target, bool conservative, FeeCalculation* calc = nullptr)
{
    return est.EstimateSmartFee(target, calc, conservative).GetFeePerK();
}

/** A private temporary directory, removed at the end of the test. */
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        path = std::filesystem::temp_directory_path() /
               ("cairn_feeest_" + std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

/** Every answer the estimator gives, to compare two estimators. */
std::vector<Amount> AllAnswers(const FeeEstimator& est)
{
    std::vector<Amount> out;
    for (int t : {1, 2, 3, 5, 8, 12, 13, 20, 47, 48, 49, 100, 500, 1008}) {
        out.push_back(Smart(est, t, false));
        out.push_back(Smart(est, t, true));
        for (FeeEstimateHorizon h : ALL_FEE_ESTIMATE_HORIZONS) out.push_back(Raw(est, t, 0.85, h));
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fee_estimator_tests)

BOOST_AUTO_TEST_CASE(horizons_and_names)
{
    FeeEstimator est;
    BOOST_CHECK_EQUAL(est.HighestTargetTracked(FeeEstimateHorizon::SHORT_HALFLIFE), 12U);
    BOOST_CHECK_EQUAL(est.HighestTargetTracked(FeeEstimateHorizon::MED_HALFLIFE), 48U);
    BOOST_CHECK_EQUAL(est.HighestTargetTracked(FeeEstimateHorizon::LONG_HALFLIFE), 1008U);
    BOOST_CHECK_EQUAL(StringForFeeEstimateHorizon(FeeEstimateHorizon::SHORT_HALFLIFE), "short");
    BOOST_CHECK_EQUAL(StringForFeeEstimateHorizon(FeeEstimateHorizon::MED_HALFLIFE), "medium");
    BOOST_CHECK_EQUAL(StringForFeeEstimateHorizon(FeeEstimateHorizon::LONG_HALFLIFE), "long");
    BOOST_CHECK_EQUAL(StringForFeeReason(FeeReason::FULL_ESTIMATE), "Target 85% Threshold");

    FeeEstimateMode mode{};
    BOOST_CHECK(FeeModeFromString("CONSERVATIVE", mode) && mode == FeeEstimateMode::CONSERVATIVE);
    BOOST_CHECK(FeeModeFromString("economical", mode) && mode == FeeEstimateMode::ECONOMICAL);
    BOOST_CHECK(FeeModeFromString("UnSet", mode) && mode == FeeEstimateMode::UNSET);
    BOOST_CHECK(!FeeModeFromString("sat/b", mode));
    BOOST_CHECK(!FeeModeFromString("", mode));
    BOOST_CHECK_EQUAL(InvalidEstimateModeErrorMessage(),
                      "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", \"conservative\"");
}

BOOST_AUTO_TEST_CASE(no_data_no_answer)
{
    FeeEstimator est;
    FeeCalculation calc;
    BOOST_CHECK_EQUAL(Smart(est, 6, false, &calc), 0);
    BOOST_CHECK_EQUAL(calc.desiredTarget, 6);
    BOOST_CHECK_EQUAL(calc.returnedTarget, 0); // nothing usable yet
    // Out of range targets: the target is reported back unchanged.
    BOOST_CHECK_EQUAL(Smart(est, 0, false, &calc), 0);
    BOOST_CHECK_EQUAL(calc.returnedTarget, 0);
    BOOST_CHECK_EQUAL(Smart(est, 1009, false, &calc), 0);
    BOOST_CHECK_EQUAL(calc.returnedTarget, 1009);

    // estimaterawfee with no data reports the whole range as failing.
    EstimationResult r;
    BOOST_CHECK_EQUAL(est.EstimateRawFee(1, 0.95, FeeEstimateHorizon::SHORT_HALFLIFE, &r).GetFeePerK(), 0);
    BOOST_CHECK_EQUAL(r.decay, FeeEstimator::SHORT_DECAY);
    BOOST_CHECK_EQUAL(r.scale, 1U);
    BOOST_CHECK_EQUAL(r.pass.start, -1);
    BOOST_CHECK_EQUAL(r.fail.start, 0);
    BOOST_CHECK_EQUAL(r.fail.end, FeeEstimator::INF_FEERATE);
    BOOST_CHECK_EQUAL(r.fail.totalConfirmed, 0);
    // Beyond a horizon, and thresholds above 1.
    BOOST_CHECK_EQUAL(Raw(est, 13, 0.5, FeeEstimateHorizon::SHORT_HALFLIFE), 0);
    BOOST_CHECK_EQUAL(Raw(est, 2, 1.5, FeeEstimateHorizon::MED_HALFLIFE), 0);
}

BOOST_AUTO_TEST_CASE(tracking_rules)
{
    FeeEstimator est;
    const uint256 a = TxidFromCounter(1), b = TxidFromCounter(2), c = TxidFromCounter(3);
    est.ProcessBlock(100, {});
    BOOST_CHECK_EQUAL(est.BestSeenHeight(), 100U);

    est.ProcessTransaction(a, 200, 5000, 100, true);
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 1U);
    est.ProcessTransaction(a, 200, 5000, 100, true); // already tracked
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 1U);
    est.ProcessTransaction(b, 200, 5000, 99, true); // not at the height seen
    est.ProcessTransaction(c, 200, 5000, 100, false); // not valid for estimation
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 1U);

    BOOST_CHECK(!est.RemoveTx(b));
    BOOST_CHECK(est.RemoveTx(a));
    BOOST_CHECK(!est.RemoveTx(a));
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 0U);

    // Blocks at or below the best height are ignored, and so are their txids.
    est.ProcessTransaction(a, 200, 5000, 100, true);
    const std::vector<uint256> block{a};
    est.ProcessBlock(100, block);
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 1U);
    est.ProcessBlock(101, block);
    BOOST_CHECK_EQUAL(est.BestSeenHeight(), 101U);
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 0U);
    est.ProcessBlock(50, {});
    BOOST_CHECK_EQUAL(est.BestSeenHeight(), 101U);

    // Zero-size transactions do not divide by zero.
    est.ProcessTransaction(b, 0, 5000, 101, true);
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 1U);
}

BOOST_AUTO_TEST_CASE(estimates_converge_to_the_right_bucket)
{
    FeeEstimator est;
    Simulation sim(est);
    sim.Run(200, 4, Simulation::SlowDelay);

    // Level j is mined after 10 - j blocks: the lowest level confirming
    // within t blocks is 10 - t.
    for (int t = 1; t <= 12; ++t) {
        const int level = std::max(0, 10 - t);
        BOOST_CHECK_MESSAGE(Raw(est, t, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE) == Simulation::LevelFeerate(level),
                            "short target " << t);
    }
    for (int t = 1; t <= 48; ++t) {
        // Medium counts in periods of 2 blocks: target t means ceil(t/2) * 2 blocks.
        const int level = std::max(0, 10 - ((t + 1) / 2) * 2);
        BOOST_CHECK_MESSAGE(Raw(est, t, 0.85, FeeEstimateHorizon::MED_HALFLIFE) == Simulation::LevelFeerate(level),
                            "medium target " << t);
    }
    // Long periods are 24 blocks: everything confirms within one.
    BOOST_CHECK_EQUAL(Raw(est, 1, 0.85, FeeEstimateHorizon::LONG_HALFLIFE), Simulation::LevelFeerate(0));

    EstimationResult r;
    est.EstimateRawFee(5, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE, &r);
    BOOST_CHECK_LE(r.pass.start, 60000);
    BOOST_CHECK_GE(r.pass.end, 60000);
    BOOST_CHECK_LE(r.fail.start, 50000); // level 4 (50000) is the first to fail
    BOOST_CHECK_GE(r.fail.end, 50000);
    BOOST_CHECK_EQUAL(r.fail.withinTarget, 0);
    BOOST_CHECK_GT(r.fail.inMempool, 0); // level 4 txs waiting 5+ blocks

    // Smart fee: the max of 60% within t/2, 85% within t, 95% within 2t;
    // here the half-target estimate decides.
    for (int t = 2; t <= 12; ++t) {
        FeeCalculation calc;
        const int level = std::max(0, 10 - t / 2);
        BOOST_CHECK_MESSAGE(Smart(est, t, false, &calc) == Simulation::LevelFeerate(level), "smart target " << t);
        BOOST_CHECK_EQUAL(calc.returnedTarget, t);
        BOOST_CHECK_EQUAL(calc.best_height, sim.Height());
    }
    // Target 1 is answered as 2.
    FeeCalculation calc;
    BOOST_CHECK_EQUAL(Smart(est, 1, false, &calc), Simulation::LevelFeerate(9));
    BOOST_CHECK_EQUAL(calc.returnedTarget, 2);
    // Targets beyond half the blocks seen are clamped.
    BOOST_CHECK_GT(Smart(est, 1008, false, &calc), 0);
    // (the first confirmation was recorded at height 2)
    BOOST_CHECK_EQUAL(calc.returnedTarget, int(sim.Height() - 2) / 2);
    // Estimates never rise with the target.
    Amount prev = Smart(est, 2, false);
    for (int t = 3; t <= 100; ++t) {
        const Amount cur = Smart(est, t, false);
        BOOST_CHECK_LE(cur, prev);
        prev = cur;
    }
}

BOOST_AUTO_TEST_CASE(short_horizon_forgets_faster)
{
    FeeEstimator est;
    Simulation sim(est);
    sim.Run(200, 4, Simulation::SlowDelay);
    BOOST_CHECK_EQUAL(Raw(est, 2, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE), Simulation::LevelFeerate(8));
    BOOST_CHECK_EQUAL(Raw(est, 2, 0.85, FeeEstimateHorizon::MED_HALFLIFE), Simulation::LevelFeerate(8));

    // Fees drop: everything confirms in the next block.
    sim.Run(100, 4, Simulation::FastDelay);
    // Short (half-life 18 blocks) has moved; medium (144 blocks) has not yet.
    BOOST_CHECK_EQUAL(Raw(est, 2, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE), Simulation::LevelFeerate(0));
    BOOST_CHECK_EQUAL(Raw(est, 2, 0.85, FeeEstimateHorizon::MED_HALFLIFE), Simulation::LevelFeerate(8));

    // Economical follows the short horizon; conservative also wants the
    // medium horizon's 95% at twice the target.
    FeeCalculation calc;
    BOOST_CHECK_EQUAL(Smart(est, 2, false, &calc), Simulation::LevelFeerate(0));
    BOOST_CHECK_EQUAL(Smart(est, 2, true, &calc), Simulation::LevelFeerate(6));
    BOOST_CHECK(calc.reason == FeeReason::CONSERVATIVE);
    BOOST_CHECK_EQUAL(calc.est.decay, FeeEstimator::MED_DECAY);

    // With no transactions at all, the data decays until no range has enough
    // of them: the short horizon first, the long one much later.
    sim.Run(150, 0, Simulation::FastDelay);
    BOOST_CHECK_EQUAL(Raw(est, 2, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE), 0);
    BOOST_CHECK_GT(Raw(est, 2, 0.85, FeeEstimateHorizon::LONG_HALFLIFE), 0);
}

BOOST_AUTO_TEST_CASE(flush_unconfirmed_records_failures)
{
    FeeEstimator est;
    Simulation sim(est);
    sim.Run(60, 4, Simulation::SlowDelay);
    EstimationResult before;
    est.EstimateRawFee(2, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE, &before);
    BOOST_CHECK_GT(est.TrackedTxCount(), 0U);
    est.FlushUnconfirmed();
    BOOST_CHECK_EQUAL(est.TrackedTxCount(), 0U);
    EstimationResult after;
    est.EstimateRawFee(2, 0.85, FeeEstimateHorizon::SHORT_HALFLIFE, &after);
    // The waiting transactions moved from "in mempool" to "left mempool".
    BOOST_CHECK_EQUAL(after.fail.inMempool, 0);
    BOOST_CHECK_GT(after.fail.leftMempool, before.fail.leftMempool);
}

BOOST_AUTO_TEST_CASE(file_round_trip)
{
    FeeEstimator est;
    Simulation sim(est);
    sim.Run(150, 3, Simulation::SlowDelay);
    est.FlushUnconfirmed();
    const Bytes data = est.Serialize();

    // Core's layout: version 149900, a zero, heights, 190 buckets, three horizons.
    constexpr size_t B = 190;
    const size_t vec = 1 + 8 * B;
    const auto stats_size = [&](size_t periods) { return 8 + 4 + 2 * vec + 2 * (1 + periods * vec); };
    BOOST_CHECK_EQUAL(data.size(), 20 + vec + stats_size(24) + stats_size(12) + stats_size(42));
    const uint8_t header[8] = {0x8c, 0x49, 0x02, 0x00, 0, 0, 0, 0};
    BOOST_CHECK(std::equal(header, header + 8, data.begin()));
    BOOST_CHECK_EQUAL(size_t(data[20]), B); // the bucket count
    double first_bucket;
    std::memcpy(&first_bucket, &data[21], 8);
    BOOST_CHECK_EQUAL(first_bucket, 1000.0);

    FeeEstimator copy;
    std::string error;
    BOOST_CHECK(copy.Deserialize(data, &error));
    BOOST_CHECK_EQUAL(copy.BestSeenHeight(), sim.Height());
    BOOST_CHECK(copy.Serialize() == data);
    // Loaded history counts as blocks seen: estimates come back identical.
    const std::vector<Amount> expected = AllAnswers(est);
    BOOST_CHECK(AllAnswers(copy) == expected);
    BOOST_CHECK_GT(Smart(copy, 6, false), 0);

    // Through a file.
    TempDir dir;
    const auto path = dir.path / FEE_ESTIMATES_FILENAME;
    BOOST_CHECK(est.Write(path));
    BOOST_CHECK(!std::filesystem::exists(dir.path / "fee_estimates.dat.new"));
    FeeEstimator from_file;
    BOOST_CHECK(LoadFeeEstimates(from_file, path, false) == FeeEstimatesLoad::LOADED);
    BOOST_CHECK(AllAnswers(from_file) == expected);

    // The loaded estimator keeps learning from the file's height on.
    const std::vector<uint256> none;
    from_file.ProcessBlock(sim.Height() + 1, none);
    BOOST_CHECK_EQUAL(from_file.BestSeenHeight(), sim.Height() + 1);
}

BOOST_AUTO_TEST_CASE(stale_and_missing_files)
{
    FeeEstimator est;
    Simulation sim(est);
    sim.Run(100, 3, Simulation::SlowDelay);
    TempDir dir;
    const auto path = dir.path / FEE_ESTIMATES_FILENAME;

    FeeEstimator fresh;
    BOOST_CHECK(LoadFeeEstimates(fresh, path, false) == FeeEstimatesLoad::NOT_FOUND);

    BOOST_REQUIRE(est.Write(path));
    BOOST_CHECK(FeeEstimatesFileAge(path) < std::chrono::hours{1});
    // 61 hours old: refused, unless stale files are accepted.
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours{61});
    BOOST_CHECK_EQUAL(FeeEstimatesFileAge(path).count(), 61);
    BOOST_CHECK(LoadFeeEstimates(fresh, path, false) == FeeEstimatesLoad::STALE);
    BOOST_CHECK_EQUAL(fresh.BestSeenHeight(), 0U);
    BOOST_CHECK_EQUAL(Smart(fresh, 4, false), 0);
    BOOST_CHECK(LoadFeeEstimates(fresh, path, true) == FeeEstimatesLoad::LOADED);
    BOOST_CHECK_EQUAL(fresh.BestSeenHeight(), sim.Height());
    BOOST_CHECK_GT(Smart(fresh, 4, false), 0);

    // 59 hours is still fine.
    FeeEstimator recent;
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours{59});
    BOOST_CHECK(LoadFeeEstimates(recent, path, false) == FeeEstimatesLoad::LOADED);
}

BOOST_AUTO_TEST_CASE(bad_files_are_errors_not_crashes)
{
    // Hundreds of warnings are expected here.
    struct Quiet {
        Quiet() { Logger::Instance().SetQuiet(true); }
        ~Quiet() { Logger::Instance().SetQuiet(false); }
    } quiet;
    FeeEstimator trained;
    Simulation sim(trained);
    sim.Run(100, 3, Simulation::SlowDelay);
    trained.FlushUnconfirmed();
    const Bytes good = trained.Serialize();

    // Every failure leaves the estimator as it was.
    const auto check_refused = [&](const Bytes& data, const std::string& expected_error) {
        FeeEstimator est;
        BOOST_REQUIRE(est.Deserialize(good));
        std::string error;
        BOOST_CHECK(!est.Deserialize(data, &error));
        if (!expected_error.empty()) BOOST_CHECK_EQUAL(error, expected_error);
        BOOST_CHECK(!error.empty());
        BOOST_CHECK(est.Serialize() == good);
    };

    check_refused({}, "");
    // Truncated anywhere.
    for (size_t len = 1; len < good.size(); len += (len < 64 ? 1 : 997)) {
        check_refused(Bytes(good.begin(), good.begin() + len), "");
    }
    check_refused(Bytes(good.begin(), good.end() - 1), "");

    Bytes bad = good;
    bad[0] = 0x8d; // version 149901
    check_refused(bad, "File version (149901) too high to be read.");

    bad = good;
    std::memset(&bad[12], 0xff, 4); // historical first > best
    check_refused(bad, "Corrupt estimates file. Historical block range for estimates is invalid");

    bad = good;
    bad[20] = 1; // one bucket
    check_refused(bad, "Corrupt estimates file. Must have between 2 and 1000 feerate buckets");

    bad = good;
    std::memcpy(&bad[21 + 8], &bad[21], 8); // two equal bucket bounds
    check_refused(bad, "Corrupt estimates file. Feerate buckets must be increasing");

    bad = good;
    const size_t med_decay = 20 + 1 + 8 * 190;
    const double one = 1.0;
    std::memcpy(&bad[med_decay], &one, 8);
    check_refused(bad, "Corrupt estimates file. Decay must be between 0 and 1 (non-inclusive)");

    bad = good;
    std::memset(&bad[med_decay + 8], 0, 4); // scale 0
    check_refused(bad, "Corrupt estimates file. Scale must be non-zero");

    bad = good;
    std::memset(&bad[med_decay + 8], 0xff, 4); // a huge scale: too many confirms
    check_refused(bad, "Corrupt estimates file.  Must maintain estimates for between 1 and 1008 (one week) confirms");

    // Random bytes, and random bytes behind a valid header. As in Core, a
    // version below the current one is skipped (true) without reading on.
    std::mt19937 rng(42);
    for (int i = 0; i < 200; ++i) {
        Bytes junk(rng() % 4000);
        for (auto& b : junk) b = uint8_t(rng());
        if (i % 2) std::copy(good.begin(), good.begin() + std::min<size_t>(20, junk.size()), junk.begin());
        const bool old_version = junk.size() >= 4 && int32_t(ReadLE32(junk.data())) < 149900;
        if (old_version) {
            FeeEstimator est;
            BOOST_REQUIRE(est.Deserialize(good));
            BOOST_CHECK(est.Deserialize(junk) == (junk.size() >= 12));
            BOOST_CHECK(est.Serialize() == good);
        } else {
            check_refused(junk, "");
        }
    }

    // An older version is skipped without error, and without changes.
    bad = good;
    bad[0] = 0x8b;
    FeeEstimator est;
    BOOST_CHECK(est.Deserialize(bad));
    BOOST_CHECK_EQUAL(est.BestSeenHeight(), 0U);

    // The same through files, including one that is not a file.
    TempDir dir;
    const auto path = dir.path / FEE_ESTIMATES_FILENAME;
    {
        std::ofstream f(path, std::ios::binary);
        f << "not a fee estimates file";
    }
    FeeEstimator from_file;
    BOOST_CHECK(LoadFeeEstimates(from_file, path, false) == FeeEstimatesLoad::FAILED);
    BOOST_CHECK(!from_file.Read(dir.path));
    BOOST_CHECK(!trained.Write(dir.path / "missing" / "dir" / FEE_ESTIMATES_FILENAME));
}

BOOST_AUTO_TEST_SUITE_END()
