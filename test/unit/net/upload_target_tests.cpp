// Tests for net/upload_target.h: -maxuploadtarget's 24-hour cycles and Core's byte units.
#include "net/upload_target.h"

#include "consensus/consensus.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(upload_target_tests)

BOOST_AUTO_TEST_CASE(no_target_means_no_limit)
{
    UploadTarget t(0);
    t.RecordBytesSent(uint64_t(1) << 40, 1000);
    BOOST_CHECK(!t.TargetReached(false, 1000));
    BOOST_CHECK(!t.TargetReached(true, 1000));
    BOOST_CHECK_EQUAL(t.BytesLeftInCycle(), 0U);
    BOOST_CHECK_EQUAL(t.TimeLeftInCycle(1000), 0);
    BOOST_CHECK_EQUAL(UploadTarget::Timeframe(), 86400);
}

BOOST_AUTO_TEST_CASE(cycle_counts_and_resets)
{
    const uint64_t target = 800ULL << 20;
    UploadTarget t(target);
    // Before the first byte: a whole cycle ahead, the whole target left.
    BOOST_CHECK_EQUAL(t.TimeLeftInCycle(5000), 86400);
    BOOST_CHECK_EQUAL(t.BytesLeftInCycle(), target);

    const int64_t start = 1'000'000;
    t.RecordBytesSent(100, start);
    BOOST_CHECK_EQUAL(t.BytesLeftInCycle(), target - 100);
    BOOST_CHECK_EQUAL(t.TimeLeftInCycle(start + 600), 86400 - 600);
    t.RecordBytesSent(target, start + 3600);
    BOOST_CHECK(t.TargetReached(false, start + 3600));
    BOOST_CHECK_EQUAL(t.BytesLeftInCycle(), 0U);
    // Past the cycle the time left is 0, but the counters stay until bytes flow again.
    BOOST_CHECK_EQUAL(t.TimeLeftInCycle(start + 86401), 0);
    BOOST_CHECK(t.TargetReached(false, start + 86401));
    // A cycle ends only when it is over: the very last second still counts.
    t.RecordBytesSent(1, start + 86400);
    BOOST_CHECK(t.TargetReached(false, start + 86400));
    t.RecordBytesSent(7, start + 86401);
    BOOST_CHECK(!t.TargetReached(false, start + 86401));
    BOOST_CHECK_EQUAL(t.BytesLeftInCycle(), target - 7);
    BOOST_CHECK_EQUAL(t.TimeLeftInCycle(start + 86401), 86400);
}

BOOST_AUTO_TEST_CASE(historical_blocks_keep_a_buffer)
{
    // 800 MiB: a full day keeps 144 maximum-size blocks (576 MB) for new blocks.
    const uint64_t target = 800ULL << 20;
    const uint64_t day_buffer = 144ULL * MAX_BLOCK_SERIALIZED_SIZE;
    UploadTarget t(target);
    const int64_t start = 2'000'000;
    t.RecordBytesSent(target - day_buffer - 1, start);
    BOOST_CHECK(!t.TargetReached(true, start));
    t.RecordBytesSent(1, start);
    BOOST_CHECK(t.TargetReached(true, start));
    BOOST_CHECK(!t.TargetReached(false, start));
    // As the cycle runs out, so does the buffer: ten minutes later one block's worth is free again.
    BOOST_CHECK(!t.TargetReached(true, start + 600));

    // A target below one day's buffer never serves historical blocks at the start of a cycle
    // (Core's feature_maxuploadtarget: -maxuploadtarget=1 gives serve_historical_blocks false) ...
    UploadTarget small(1ULL << 20);
    BOOST_CHECK(small.TargetReached(true, start));
    small.RecordBytesSent(1000, start);
    BOOST_CHECK(small.TargetReached(true, start + 3600));
    // ... until less than ten minutes are left, when the buffer is empty.
    BOOST_CHECK(!small.TargetReached(true, start + 86400 - 599));
    small.RecordBytesSent(1ULL << 20, start + 86400 - 300);
    BOOST_CHECK(small.TargetReached(true, start + 86400 - 299));
}

BOOST_AUTO_TEST_CASE(byte_units)
{
    const uint64_t M = 1ULL << 20;
    BOOST_CHECK_EQUAL(*ParseByteUnits("0", M), 0U);
    BOOST_CHECK_EQUAL(*ParseByteUnits("5", M), 5 * M);
    BOOST_CHECK_EQUAL(*ParseByteUnits("800M", M), 800 * M);
    BOOST_CHECK_EQUAL(*ParseByteUnits("2m", M), 2'000'000U);
    BOOST_CHECK_EQUAL(*ParseByteUnits("3k", M), 3000U);
    BOOST_CHECK_EQUAL(*ParseByteUnits("3K", M), 3072U);
    BOOST_CHECK_EQUAL(*ParseByteUnits("1g", M), 1'000'000'000U);
    BOOST_CHECK_EQUAL(*ParseByteUnits("1G", M), 1ULL << 30);
    BOOST_CHECK_EQUAL(*ParseByteUnits("2t", M), 2'000'000'000'000ULL);
    BOOST_CHECK_EQUAL(*ParseByteUnits("2T", M), 2ULL << 40);
    BOOST_CHECK_EQUAL(*ParseByteUnits("7", 1), 7U);
    for (const char* bad : {"", "abc", "M", "-1", "+1", " 1", "1 ", "1.5G", "1MB", "1x", "0x10",
                            "18446744073709551616", "20000000T"}) {
        BOOST_CHECK_MESSAGE(!ParseByteUnits(bad, M), bad);
    }
    BOOST_CHECK_EQUAL(*ParseByteUnits("18446744073709551615", 1), UINT64_MAX);
}

BOOST_AUTO_TEST_SUITE_END()
