// Tests for net/rolling_filter.h: the last max_elements insertions are
// always found, old ones are forgotten, false positives stay near the rate.
#include "net/rolling_filter.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

uint256 H(uint32_t i, uint8_t salt = 0)
{
    uint256 h;
    for (int b = 0; b < 4; ++b) h.data()[b] = uint8_t(i >> (8 * b));
    h.data()[31] = salt;
    return h;
}

} // namespace

BOOST_AUTO_TEST_SUITE(rolling_filter_tests)

BOOST_AUTO_TEST_CASE(recent_entries_found_old_forgotten)
{
    RollingBloomFilter f(100, 0.001);
    for (uint32_t i = 0; i < 1000; ++i) {
        f.Insert(H(i));
        // Every one of the last 100 insertions is there.
        for (uint32_t j = i >= 99 ? i - 99 : 0; j <= i; ++j) BOOST_REQUIRE(f.Contains(H(j)));
    }
    // Far older entries are gone (three generations of 50 are kept at most).
    int old_found = 0;
    for (uint32_t i = 0; i < 700; ++i) old_found += f.Contains(H(i));
    BOOST_CHECK_LT(old_found, 10);

    // Never-inserted hashes: false positives near the rate.
    int fp = 0;
    for (uint32_t i = 0; i < 20000; ++i) fp += f.Contains(H(i, 1));
    BOOST_CHECK_LT(fp, 100); // 0.5%, rate 0.1%

    f.Reset();
    for (uint32_t i = 900; i < 1000; ++i) BOOST_CHECK(!f.Contains(H(i)));
}

BOOST_AUTO_TEST_CASE(sizes)
{
    // Core's known-inventory filter size: about half a megabyte.
    RollingBloomFilter big(50000, 0.000001);
    BOOST_CHECK_GT(big.MemoryUsage(), 400'000u);
    BOOST_CHECK_LT(big.MemoryUsage(), 700'000u);
    RollingBloomFilter tiny(1, 0.5);
    tiny.Insert(H(1));
    BOOST_CHECK(tiny.Contains(H(1)));
}

BOOST_AUTO_TEST_SUITE_END()
