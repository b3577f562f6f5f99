// Tests for crypto/random.h.
#include "crypto/random.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(random_tests)

BOOST_AUTO_TEST_CASE(fills_every_byte)
{
    // Each byte position of 64 draws is non-zero in at least one of them,
    // unless getrandom is broken (chance of failure ~ 64 * 256^-64).
    uint8_t seen[1000] = {};
    for (int draw = 0; draw < 64; ++draw) {
        uint8_t buf[1000] = {};
        GetRandBytes(buf);
        for (size_t i = 0; i < sizeof(buf); ++i) seen[i] |= buf[i];
    }
    BOOST_TEST(std::count(std::begin(seen), std::end(seen), 0) == 0);
}

BOOST_AUTO_TEST_CASE(large_and_empty_requests)
{
    Bytes big(1 << 20);
    GetRandBytes(big);
    BOOST_TEST(std::count(big.begin(), big.end(), 0) < 8192); // ~4096 expected
    GetRandBytes(MutableByteSpan{});
}

BOOST_AUTO_TEST_CASE(uint64_values_differ)
{
    std::set<uint64_t> values;
    for (int i = 0; i < 100; ++i) values.insert(GetRandUint64());
    BOOST_TEST(values.size() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
