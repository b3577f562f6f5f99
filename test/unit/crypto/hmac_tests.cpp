// Tests for crypto/hmac.h: the RFC 4231 test cases for HMAC-SHA256/512.
#include "crypto/hmac.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace cairn;

namespace {

struct Rfc4231Case {
    Bytes key;
    Bytes data;
    std::string sha256;
    std::string sha512;
    size_t truncate; // bytes compared (case 5 truncates to 128 bits)
};

Bytes Repeat(uint8_t b, size_t n) { return Bytes(n, b); }
Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::vector<Rfc4231Case> Cases()
{
    Bytes key4;
    for (int i = 1; i <= 25; ++i) key4.push_back(uint8_t(i));
    return {
        {Repeat(0x0b, 20), Str("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
         "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854", 64},
        {Str("Jefe"), Str("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", 64},
        {Repeat(0xaa, 20), Repeat(0xdd, 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
         "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb", 64},
        {key4, Repeat(0xcd, 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
         "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd", 64},
        {Repeat(0x0c, 20), Str("Test With Truncation"),
         "a3b6167473100ee06e0c796c2955552b", "415fad6271580a531d4179bc891d87a6", 16},
        {Repeat(0xaa, 131), Str("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
         "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598", 64},
        {Repeat(0xaa, 131),
         Str("This is a test using a larger than block-size key and a larger than block-size data. "
             "The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
         "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58", 64},
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(hmac_tests)

BOOST_AUTO_TEST_CASE(rfc4231)
{
    const auto cases = Cases();
    for (size_t i = 0; i < cases.size(); ++i) {
        const Rfc4231Case& c = cases[i];
        uint8_t out256[32];
        HmacSha256(c.key).Write(c.data).Finalize(out256);
        BOOST_TEST(HexStr({out256, std::min<size_t>(32, c.truncate)}) == c.sha256, "test case " << i + 1);
        uint8_t out512[64];
        HmacSha512(c.key).Write(c.data).Finalize(out512);
        BOOST_TEST(HexStr({out512, c.truncate}) == c.sha512, "test case " << i + 1);
    }
}

BOOST_AUTO_TEST_CASE(key_length_around_one_block)
{
    // A key longer than the block is replaced by its hash; one of exactly a
    // block is used as is. Split writes never matter.
    const Bytes msg = Str("split across several writes");
    for (size_t key_len : {63, 64, 65, 200}) {
        const Bytes key(key_len, 0x42);
        uint8_t whole[32], parts[32], via_hash[32], hashed_key[32];
        HmacSha256(key).Write(msg).Finalize(whole);
        HmacSha256(key).Write({msg.data(), 5}).Write({msg.data() + 5, msg.size() - 5}).Finalize(parts);
        BOOST_TEST(HexStr(whole) == HexStr(parts));
        Sha256().Write(key).Finalize(hashed_key);
        HmacSha256(hashed_key).Write(msg).Finalize(via_hash);
        BOOST_TEST((HexStr(whole) == HexStr(via_hash)) == (key_len > 64), "key length " << key_len);
    }
}

BOOST_AUTO_TEST_SUITE_END()
