// Tests for net/fee_filter.h: Core's feefilter buckets (from half the
// incremental relay fee, 10% apart, up to 10^7 sat/kvB), rounding down two
// times in three and up one time in three.
#include "net/fee_filter.h"

#include <boost/test/unit_test.hpp>

#include <iterator>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(fee_filter_tests)

BOOST_AUTO_TEST_CASE(buckets)
{
    FeeFilterRounder r(FeeRate(100));
    const auto& b = r.Buckets();
    BOOST_CHECK_EQUAL(*b.begin(), 0.0);
    BOOST_CHECK_EQUAL(*std::next(b.begin()), 50.0);
    BOOST_CHECK_CLOSE(*std::next(b.begin(), 2), 55.0, 1e-9);
    BOOST_CHECK_LE(*b.rbegin(), MAX_FILTER_FEERATE);
    BOOST_CHECK_GT(*b.rbegin() * FEE_FILTER_SPACING, MAX_FILTER_FEERATE);
}

BOOST_AUTO_TEST_CASE(rounding)
{
    // rand() % 3 != 0 rounds down: 1 down, 3 up.
    uint64_t next = 1;
    FeeFilterRounder r(FeeRate(1000), [&] { return next; });
    // Buckets 0, 500, 550, 605, 665.5, ...
    next = 1;
    BOOST_CHECK_EQUAL(r.Round(600), 550);
    BOOST_CHECK_EQUAL(r.Round(550), 500); // an exact boundary still steps down
    BOOST_CHECK_EQUAL(r.Round(0), 0);     // nothing below the bottom
    next = 3;
    BOOST_CHECK_EQUAL(r.Round(600), 605);
    BOOST_CHECK_EQUAL(r.Round(550), 550);
    // Above every bucket: the largest, whatever the draw.
    const Amount top = Amount(*r.Buckets().rbegin());
    BOOST_CHECK_EQUAL(r.Round(MAX_MONEY), top);
    next = 1;
    BOOST_CHECK_EQUAL(r.Round(MAX_MONEY), top);

    // With real randomness the result is one of the two neighbours.
    FeeFilterRounder random(FeeRate(100));
    const auto up = random.Buckets().lower_bound(1234);
    const Amount above = Amount(*up), below = Amount(*std::prev(up));
    int ups = 0;
    for (int i = 0; i < 300; ++i) {
        const Amount a = random.Round(1234);
        BOOST_CHECK(a == below || a == above);
        ups += a == above;
    }
    BOOST_CHECK(ups > 50 && ups < 150); // about one in three
}

BOOST_AUTO_TEST_SUITE_END()
