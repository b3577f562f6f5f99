// Entry point of the Boost.Test unit-test binary.
#define BOOST_TEST_MODULE Cairn unit tests
#include <boost/test/unit_test.hpp>

#include "crypto/sha256.h"

#include <iostream>

/** Selects the fastest SHA-256 for this CPU, as the node does at start-up. */
struct Sha256Setup {
    Sha256Setup() { std::cout << "SHA-256 implementation: " << cairn::Sha256AutoDetect() << std::endl; }
};
BOOST_TEST_GLOBAL_FIXTURE(Sha256Setup);
