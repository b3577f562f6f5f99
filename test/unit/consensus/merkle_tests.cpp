// Merkle roots: a straightforward reference computation, odd levels, and mutation.
#include "consensus/merkle.h"
#include "crypto/hash.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

uint256 ReferenceRoot(std::vector<uint256> level)
{
    if (level.empty()) return {};
    while (level.size() > 1) {
        std::vector<uint256> next;
        for (size_t i = 0; i < level.size(); i += 2) {
            const uint256& a = level[i];
            const uint256& b = i + 1 < level.size() ? level[i + 1] : level[i];
            Bytes both(a.begin(), a.end());
            both.insert(both.end(), b.begin(), b.end());
            next.push_back(Hash256(both));
        }
        level = std::move(next);
    }
    return level[0];
}

} // namespace

BOOST_AUTO_TEST_SUITE(merkle_tests)

BOOST_AUTO_TEST_CASE(matches_reference_for_all_small_sizes)
{
    for (size_t n = 0; n <= 70; ++n) {
        std::vector<uint256> leaves;
        for (size_t i = 0; i < n; ++i) {
            uint8_t seed[2] = {uint8_t(i), uint8_t(n)};
            leaves.push_back(Hash256(seed));
        }
        bool mutated = true;
        BOOST_CHECK(ComputeMerkleRoot(leaves, &mutated) == ReferenceRoot(leaves));
        BOOST_CHECK(!mutated);
    }
}

BOOST_AUTO_TEST_CASE(duplicated_pair_is_flagged)
{
    std::vector<uint256> leaves;
    for (uint8_t i = 0; i < 6; ++i) leaves.push_back(Hash256(ByteSpan(&i, 1)));
    leaves[3] = leaves[2];
    bool mutated = false;
    ComputeMerkleRoot(leaves, &mutated);
    BOOST_CHECK(mutated);
}

BOOST_AUTO_TEST_SUITE_END()
