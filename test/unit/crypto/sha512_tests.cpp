// Tests for crypto/sha512.h: FIPS 180-4 examples.
#include "crypto/sha512.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace cairn;

namespace {

std::string HexSha512(std::string_view s)
{
    uint8_t out[Sha512::OUTPUT_SIZE];
    Sha512().Write(AsBytes(s)).Finalize(out);
    return HexStr(out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sha512_tests)

BOOST_AUTO_TEST_CASE(fips_180_examples)
{
    BOOST_TEST(HexSha512("") ==
               "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
               "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    BOOST_TEST(HexSha512("abc") ==
               "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
               "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    BOOST_TEST(HexSha512("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
               "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
    BOOST_TEST(HexSha512("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqr"
                         "smnopqrstnopqrstu") ==
               "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
               "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
    BOOST_TEST(HexSha512(std::string(1000000, 'a')) ==
               "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
               "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

BOOST_AUTO_TEST_CASE(writes_split_at_every_offset)
{
    std::string data;
    for (int i = 0; i < 300; ++i) data.push_back(char(i * 7 + 3));
    for (size_t len = 0; len <= data.size(); len += 1) {
        const std::string_view m = std::string_view(data).substr(0, len);
        const std::string whole = HexSha512(m);
        for (size_t split = 0; split <= len; split += 13) {
            uint8_t out[64];
            Sha512().Write(AsBytes(m.substr(0, split))).Write(AsBytes(m.substr(split))).Finalize(out);
            BOOST_TEST(HexStr(out) == whole, "length " << len << " split " << split);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
