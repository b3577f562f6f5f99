// Tests for crypto/sha1.h: FIPS 180-4 examples.
#include "crypto/sha1.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace cairn;

namespace {

std::string HexSha1(std::string_view s)
{
    uint8_t out[Sha1::OUTPUT_SIZE];
    Sha1().Write(AsBytes(s)).Finalize(out);
    return HexStr(out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sha1_tests)

BOOST_AUTO_TEST_CASE(fips_180_examples)
{
    BOOST_TEST(HexSha1("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    BOOST_TEST(HexSha1("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    BOOST_TEST(HexSha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    BOOST_TEST(HexSha1("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                       "mnopqrstnopqrstu") == "a49b2446a02c645bf419f995b67091253a04a259");
    BOOST_TEST(HexSha1(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

BOOST_AUTO_TEST_CASE(writes_split_at_every_offset)
{
    std::string data;
    for (int i = 0; i < 200; ++i) data.push_back(char(i * 11 + 5));
    for (size_t len = 0; len <= data.size(); ++len) {
        const std::string_view m = std::string_view(data).substr(0, len);
        const std::string whole = HexSha1(m);
        for (size_t split = 0; split <= len; split += 9) {
            uint8_t out[20];
            Sha1().Write(AsBytes(m.substr(0, split))).Write(AsBytes(m.substr(split))).Finalize(out);
            BOOST_TEST(HexStr(out) == whole, "length " << len << " split " << split);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
