// Tests for crypto/hash.h: Bitcoin's double SHA-256, Hash160, the hashing
// writer and BIP 340 tagged hashes.
#include "crypto/hash.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(hash_tests)

BOOST_AUTO_TEST_CASE(hash256_and_sha256)
{
    BOOST_TEST(HexStr(Hash256({}).span()) == "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456");
    BOOST_TEST(HexStr(Hash256(AsBytes("hello")).span()) ==
               "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
    BOOST_TEST(HexStr(Sha256Single(AsBytes("abc")).span()) ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(genesis_block_hash)
{
    const Bytes header = ParseHex(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f61"
        "7fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    // Block hashes are shown byte-reversed.
    BOOST_TEST(Hash256(header).GetHex() == "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
}

BOOST_AUTO_TEST_CASE(hash160_of_generator)
{
    // The key of BIP 173's first example address, bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.
    const Bytes g = ParseHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    BOOST_TEST(HexStr(Hash160(g).span()) == "751e76e8199196d454941c45d1b3a323f1433bd6");
}

BOOST_AUTO_TEST_CASE(hash_writer)
{
    HashWriter w;
    w.Write(AsBytes("hel")).Write(AsBytes("lo"));
    BOOST_TEST(w.GetHash() == Hash256(AsBytes("hello")));
    BOOST_TEST(w.GetSha256() == Sha256Single(AsBytes("hello")));
    // Asking does not end the message.
    w.Write(AsBytes(" world"));
    BOOST_TEST(w.GetHash() == Hash256(AsBytes("hello world")));
}

BOOST_AUTO_TEST_CASE(tagged_hash)
{
    // Values from an independent SHA-256 (Python's hashlib).
    BOOST_TEST(HexStr(TaggedHash("BIP0340/challenge", {}).span()) ==
               "c216d352f5818b7b4beacd4ae0a26fe888080823d2a598856661bcd54f1b3713");
    BOOST_TEST(HexStr(TaggedHash("TapLeaf", AsBytes("abc")).span()) ==
               "83a56308a9c56f467e8df293da5ae5fdbc85b871952a83c4bf0575ee948ec230");

    // The definition, spelled out.
    const uint256 tag = Sha256Single(AsBytes("TapLeaf"));
    Sha256 sha;
    sha.Write(tag.span()).Write(tag.span()).Write(AsBytes("abc"));
    uint256 expected;
    sha.Finalize(expected.data());
    BOOST_TEST(TaggedHash("TapLeaf", AsBytes("abc")) == expected);

    // A kept writer is reusable through copies.
    const Sha256 writer = TaggedHashWriter("TapLeaf");
    for (int i = 0; i < 2; ++i) {
        uint256 out;
        Sha256(writer).Write(AsBytes("abc")).Finalize(out.data());
        BOOST_TEST(out == expected);
    }
}

BOOST_AUTO_TEST_SUITE_END()
