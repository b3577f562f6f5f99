#include "consensus/subsidy.h"

#include "consensus/chain_params.h"

#include <boost/test/unit_test.hpp>

#include <limits>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(subsidy_tests)

BOOST_AUTO_TEST_CASE(every_halving)
{
    const auto p = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& c = p->consensus;
    BOOST_CHECK_EQUAL(GetBlockSubsidy(0, c), 50 * COIN);
    Amount previous = 100 * COIN;
    for (int halvings = 0; halvings < 64; ++halvings) {
        const int height = halvings * c.subsidy_halving_interval;
        const Amount first = GetBlockSubsidy(height, c);
        BOOST_CHECK_EQUAL(first, (50 * COIN) >> halvings);
        BOOST_CHECK(first <= 50 * COIN);
        BOOST_CHECK_EQUAL(first, previous / 2); // halves each time (rounding down)
        BOOST_CHECK_EQUAL(GetBlockSubsidy(height + c.subsidy_halving_interval - 1, c), first);
        if (height > 0) BOOST_CHECK_EQUAL(GetBlockSubsidy(height - 1, c), previous);
        previous = first;
    }
    BOOST_CHECK_EQUAL(GetBlockSubsidy(210000, c), 25 * COIN);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(420000, c), 1250000000);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(630000, c), 625000000);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(840000, c), 312500000);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(32 * 210000, c), 1);      // the last satoshi
    BOOST_CHECK_EQUAL(GetBlockSubsidy(33 * 210000, c), 0);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(64 * 210000, c), 0);      // the shift would be undefined from here
    BOOST_CHECK_EQUAL(GetBlockSubsidy(std::numeric_limits<int>::max(), c), 0);
}

BOOST_AUTO_TEST_CASE(total_supply)
{
    const auto p = CreateChainParams(ChainType::MAIN);
    Amount sum = 0;
    for (int height = 0; height < 56000000; height += 1000) {
        const Amount s = GetBlockSubsidy(height, p->consensus);
        BOOST_CHECK(s <= 5000000000);
        sum += s * 1000;
        BOOST_CHECK(MoneyRange(sum));
    }
    BOOST_CHECK_EQUAL(sum, 2099999997690000);
}

BOOST_AUTO_TEST_CASE(regtest_halves_every_150)
{
    const auto p = CreateChainParams(ChainType::REGTEST);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(149, p->consensus), 50 * COIN);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(150, p->consensus), 25 * COIN);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(300, p->consensus), 1250000000);
    BOOST_CHECK_EQUAL(GetBlockSubsidy(150 * 64, p->consensus), 0);
}

BOOST_AUTO_TEST_SUITE_END()
