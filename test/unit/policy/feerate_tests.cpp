#include "policy/feerate.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(feerate_tests)

BOOST_AUTO_TEST_CASE(fee_rounds_up)
{
    const FeeRate rate{1000};
    BOOST_CHECK_EQUAL(rate.GetFee(0), 0);
    BOOST_CHECK_EQUAL(rate.GetFee(250), 250);
    BOOST_CHECK_EQUAL(FeeRate{100}.GetFee(141), 15); // 14.1 rounds up
    BOOST_CHECK_EQUAL(FeeRate{1}.GetFee(1), 1);      // never 0 for a positive rate
    BOOST_CHECK_EQUAL(FeeRate{-1}.GetFee(1), -1);
    BOOST_CHECK_EQUAL(FeeRate{0}.GetFee(1000), 0);
}

BOOST_AUTO_TEST_CASE(rate_from_fee_rounds_down)
{
    BOOST_CHECK_EQUAL(FeeRate(1000, 250).GetFeePerK(), 4000);
    BOOST_CHECK_EQUAL(FeeRate(1, 3).GetFeePerK(), 333);
    BOOST_CHECK_EQUAL(FeeRate(5, 0).GetFeePerK(), 0);
}

BOOST_AUTO_TEST_CASE(printing)
{
    BOOST_CHECK_EQUAL(FeeRate{1000}.ToString(), "0.00001000 BTC/kvB");
    BOOST_CHECK_EQUAL(FeeRate{1000}.ToString(FeeRateFormat::SAT_VB), "1.000 sat/vB");
    BOOST_CHECK_EQUAL(FeeRate{123456789}.ToString(), "1.23456789 BTC/kvB");
    BOOST_CHECK_EQUAL(FeeRate{100}.ToString(FeeRateFormat::SAT_VB), "0.100 sat/vB");
}

BOOST_AUTO_TEST_SUITE_END()
