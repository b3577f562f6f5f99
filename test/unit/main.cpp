// Entry point of the Boost.Test unit-test binary.
#define BOOST_TEST_MODULE Cairn unit tests
#include <boost/test/unit_test.hpp>
