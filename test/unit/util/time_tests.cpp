#include "util/time.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(time_tests)

BOOST_AUTO_TEST_CASE(iso8601)
{
    BOOST_CHECK_EQUAL(FormatISO8601DateTime(0), "1970-01-01T00:00:00Z");
    BOOST_CHECK_EQUAL(FormatISO8601DateTime(1296688602), "2011-02-02T23:16:42Z"); // regtest genesis
    BOOST_CHECK_EQUAL(FormatISO8601DateTime(1231006505), "2009-01-03T18:15:05Z"); // mainnet genesis
}

BOOST_AUTO_TEST_CASE(mock_time)
{
    SetMockTime(1234567890);
    BOOST_CHECK_EQUAL(GetTime(), 1234567890);
    BOOST_CHECK_EQUAL(GetTimeMicros(), 1234567890LL * 1000000);
    BOOST_CHECK_GT(GetSystemTime(), 1234567890);
    SetMockTime(0);
    BOOST_CHECK_GT(GetTime(), 1234567890);
}

BOOST_AUTO_TEST_SUITE_END()
