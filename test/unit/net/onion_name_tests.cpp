// Tests for net/onion_name.h: SHA3-256 against FIPS 202 values, and Tor v3 onion
// names (encoding, decoding, checksum and version checks), plus how NetAddr
// parses and prints them.
#include "net/netaddress.h"
#include "net/onion_name.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

std::string Sha3Hex(const Bytes& b)
{
    const auto h = Sha3_256(b);
    return HexStr(h);
}

// A real v3 name (Bitcoin Core's tests use it) and its key.
const std::string NAME = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion";
const std::string KEY = "79bcc625184b05194975c28b66b66b0469f7f6556fb1ac3189a79b40dda32f1f";

} // namespace

BOOST_AUTO_TEST_SUITE(onion_name_tests)

BOOST_AUTO_TEST_CASE(sha3_256_vectors)
{
    BOOST_CHECK_EQUAL(Sha3Hex({}), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    BOOST_CHECK_EQUAL(Sha3Hex({'a', 'b', 'c'}), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    // Several blocks, and lengths at the rate's edge (136 bytes).
    BOOST_CHECK_EQUAL(Sha3Hex(Bytes(200, 0xa3)), "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
    BOOST_CHECK_EQUAL(Sha3Hex(Bytes(136, 0x01)), "b36dc2167c4d9dda1a58b87046c8d76a6359afe3612c4de8a38857e09117b2db");
    BOOST_CHECK_EQUAL(Sha3Hex(Bytes(135, 0x01)), "7a2dee0ec28bf949ef9024fcecc0f444a38f906060941c20e89c75e199fec311");
}

BOOST_AUTO_TEST_CASE(onion_names)
{
    const auto key = DecodeOnionName(NAME);
    BOOST_REQUIRE(key);
    BOOST_CHECK_EQUAL(HexStr(*key), KEY);
    BOOST_CHECK_EQUAL(EncodeOnionName(*key), NAME);
    // Upper-case base32 is read too; the suffix must be ".onion".
    std::string upper = NAME.substr(0, 56);
    for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
    BOOST_CHECK(DecodeOnionName(upper + ".onion"));
    BOOST_CHECK(!DecodeOnionName(NAME.substr(0, 56) + ".onio"));
    // A changed character breaks the checksum; wrong lengths, characters and v2 names are refused.
    std::string bad = NAME;
    bad[0] = bad[0] == 'a' ? 'b' : 'a';
    BOOST_CHECK(!DecodeOnionName(bad));
    BOOST_CHECK(!DecodeOnionName("a" + NAME));
    BOOST_CHECK(!DecodeOnionName("expyuzz4wqqyqhjn.onion"));
    std::string digit = NAME;
    digit[3] = '1';
    BOOST_CHECK(!DecodeOnionName(digit));
    BOOST_CHECK(EncodeOnionName(Bytes(31, 0)).empty());
}

BOOST_AUTO_TEST_CASE(netaddr_onion)
{
    const auto a = NetAddr::Parse(NAME);
    BOOST_REQUIRE(a);
    BOOST_CHECK(a->GetNetwork() == Network::ONION);
    BOOST_CHECK_EQUAL(a->ToString(), NAME);
    BOOST_CHECK_EQUAL(a->NetworkName(), "onion");
    const auto s = ParseService(NAME + ":8333", 1);
    BOOST_REQUIRE(s);
    BOOST_CHECK_EQUAL(s->ToStringAddrPort(), NAME + ":8333");
    BOOST_CHECK(!NetAddr::Parse("node.onion"));
}

BOOST_AUTO_TEST_CASE(i2p_names)
{
    // 52 base32 digits for 32 bytes; the last digit's spare bits are zero.
    const std::string NAME = "c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vyq.b32.i2p";
    const auto hash = DecodeI2pName(NAME);
    BOOST_REQUIRE(hash);
    BOOST_CHECK_EQUAL(EncodeI2pName(*hash), NAME);
    const auto upper = DecodeI2pName("C4GFNTTSUWQOMIYGUPDQQQYY5Y5EMNK5C73HRFVATRI67PRD7VYQ.B32.I2P");
    BOOST_REQUIRE(upper);
    BOOST_CHECK(*upper == *hash);
    BOOST_CHECK(!DecodeI2pName("c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vyr.b32.i2p")); // spare bits set
    BOOST_CHECK(!DecodeI2pName("c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vy.b32.i2p"));  // 51 digits
    BOOST_CHECK(!DecodeI2pName("c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vy1.b32.i2p")); // not base32
    BOOST_CHECK(!DecodeI2pName("c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vyq.i2p.b32"));
    const auto a = NetAddr::Parse(NAME);
    BOOST_REQUIRE(a);
    BOOST_CHECK(a->GetNetwork() == Network::I2P);
    BOOST_CHECK_EQUAL(a->ToString(), NAME);
    BOOST_CHECK(!NetAddr::Parse("node.i2p"));
}

BOOST_AUTO_TEST_SUITE_END()
