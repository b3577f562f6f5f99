// Tests for crypto/ripemd160.h: the examples from the RIPEMD-160 paper.
#include "crypto/ripemd160.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace cairn;

namespace {

std::string HexRipemd160(std::string_view s)
{
    uint8_t out[Ripemd160::OUTPUT_SIZE];
    Ripemd160().Write(AsBytes(s)).Finalize(out);
    return HexStr(out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ripemd160_tests)

BOOST_AUTO_TEST_CASE(reference_vectors)
{
    BOOST_TEST(HexRipemd160("") == "9c1185a5c5e9fc54612808977ee8f548b2258d31");
    BOOST_TEST(HexRipemd160("a") == "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe");
    BOOST_TEST(HexRipemd160("abc") == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
    BOOST_TEST(HexRipemd160("message digest") == "5d0689ef49d2fae572b881b123a85ffa21595f36");
    BOOST_TEST(HexRipemd160("abcdefghijklmnopqrstuvwxyz") == "f71c27109c692c1b56bbdceb5b9d2865b3708dbc");
    BOOST_TEST(HexRipemd160("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "12a053384a9c0c88e405a06c27dcf49ada62eb2b");
    BOOST_TEST(HexRipemd160("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
               "b0e20b6e3116640286ed3a87a5713079b21f5189");
    std::string digits;
    for (int i = 0; i < 8; ++i) digits += "1234567890";
    BOOST_TEST(HexRipemd160(digits) == "9b752e45573d4b39f4dbd3323cab82bf63326bfb");
    BOOST_TEST(HexRipemd160(std::string(1000000, 'a')) == "52783243c1697bdbe16d37f97f68f08325dc1528");
}

BOOST_AUTO_TEST_CASE(writes_split_at_every_offset)
{
    std::string data;
    for (int i = 0; i < 200; ++i) data.push_back(char(i * 13 + 1));
    for (size_t len = 0; len <= data.size(); ++len) {
        const std::string_view m = std::string_view(data).substr(0, len);
        const std::string whole = HexRipemd160(m);
        for (size_t split = 0; split <= len; split += 9) {
            uint8_t out[20];
            Ripemd160().Write(AsBytes(m.substr(0, split))).Write(AsBytes(m.substr(split))).Finalize(out);
            BOOST_TEST(HexStr(out) == whole, "length " << len << " split " << split);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
