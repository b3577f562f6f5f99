// BIP 30's exceptions are identified by height and hash together: a block at
// another height with the same hash (impossible on mainnet, possible in a
// test) or another block at the same height is not an exception.
#include "consensus/bip30.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

bool Repeat(int height, const char* hex)
{
    const uint256 hash = *uint256::FromHex(hex);
    BlockIndex b;
    b.hash = &hash;
    b.height = height;
    return IsBIP30Repeat(b);
}

bool Unspendable(int height, const char* hex)
{
    const uint256 hash = *uint256::FromHex(hex);
    BlockIndex b;
    b.hash = &hash;
    b.height = height;
    return IsBIP30Unspendable(b);
}

constexpr const char* B91842 = "00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec";
constexpr const char* B91880 = "00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721";
constexpr const char* B91722 = "00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e";
constexpr const char* B91812 = "00000000000af0aed4792b1acee3d966af36cf5def14935db8de83d6f9306f2f";

} // namespace

BOOST_AUTO_TEST_SUITE(bip30_tests)

BOOST_AUTO_TEST_CASE(the_two_repeats)
{
    BOOST_CHECK(Repeat(91842, B91842));
    BOOST_CHECK(Repeat(91880, B91880));
    BOOST_CHECK(!Repeat(91843, B91842));
    BOOST_CHECK(!Repeat(91842, B91880));
    BOOST_CHECK(!Repeat(91722, B91722)); // the overwritten ones are not repeats
}

BOOST_AUTO_TEST_CASE(the_two_overwritten)
{
    BOOST_CHECK(Unspendable(91722, B91722));
    BOOST_CHECK(Unspendable(91812, B91812));
    BOOST_CHECK(!Unspendable(91812, B91722));
    BOOST_CHECK(!Unspendable(91842, B91842));
}

BOOST_AUTO_TEST_SUITE_END()
