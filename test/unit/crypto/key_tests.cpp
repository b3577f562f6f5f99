// Tests for crypto/key.h: secret-key validation, ECDSA signing (RFC 6979,
// low S, low R) and BIP 340/341 Schnorr signing.
#include "crypto/hash.h"
#include "crypto/key.h"
#include "crypto/lax_der.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <set>
#include <string>

using namespace cairn;

namespace {

const std::string ORDER = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
const std::string ORDER_MINUS_1 = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
const std::string ONE = "0000000000000000000000000000000000000000000000000000000000000001";

Key KeyFromHex(const std::string& hex, bool compressed = true)
{
    Key k;
    BOOST_REQUIRE(k.Set(ParseHex(hex), compressed));
    return k;
}

uint256 HashOf(std::string_view s) { return Sha256Single(AsBytes(s)); }

} // namespace

BOOST_AUTO_TEST_SUITE(key_tests)

BOOST_AUTO_TEST_CASE(secret_range)
{
    Key k;
    BOOST_TEST(!k.IsValid());
    BOOST_TEST(!k.Set(ParseHex(std::string(64, '0')), true));
    BOOST_TEST(!k.Set(ParseHex(ORDER), true));
    BOOST_TEST(!k.Set(ParseHex(std::string(64, 'f')), true));
    BOOST_TEST(!k.Set(ParseHex(ONE.substr(2)), true)); // 31 bytes
    BOOST_TEST(!k.IsValid());
    BOOST_TEST(k.Set(ParseHex(ONE), true));
    BOOST_TEST(k.Set(ParseHex(ORDER_MINUS_1), false));
    BOOST_TEST(k.IsValid());
    BOOST_TEST(!k.IsCompressed());
    BOOST_TEST(HexStr(k.span()) == ORDER_MINUS_1);
}

BOOST_AUTO_TEST_CASE(public_keys_of_one)
{
    const std::string gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    BOOST_TEST(HexStr(KeyFromHex(ONE).GetPubKey().span()) == "02" + gx);
    BOOST_TEST(HexStr(KeyFromHex(ONE, false).GetPubKey().span()) ==
               "04" + gx + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
    BOOST_TEST(HexStr(KeyFromHex(ONE).GetXOnlyPubKey().span()) == gx);
    // n-1 is -1: the same X, odd Y; the x-only key drops the sign.
    BOOST_TEST(HexStr(KeyFromHex(ORDER_MINUS_1).GetPubKey().span()) == "03" + gx);
    BOOST_TEST(HexStr(KeyFromHex(ORDER_MINUS_1).GetXOnlyPubKey().span()) == gx);
    BOOST_TEST(!Key().GetPubKey().IsValid());
}

BOOST_AUTO_TEST_CASE(make_new_key)
{
    std::set<std::string> seen;
    for (int i = 0; i < 10; ++i) {
        Key k;
        k.MakeNewKey(i % 2 == 0);
        BOOST_TEST(k.IsValid());
        BOOST_TEST(k.IsCompressed() == (i % 2 == 0));
        BOOST_TEST(k.GetPubKey().IsFullyValid());
        seen.insert(HexStr(k.span()));
    }
    BOOST_TEST(seen.size() == 10u);
}

BOOST_AUTO_TEST_CASE(ecdsa_rfc6979_vector)
{
    // Private key 1, message SHA-256("Satoshi Nakamoto"): a widely published
    // secp256k1 RFC 6979 example. Its R has the top bit set, so grinding
    // must move away from it.
    const Key k = KeyFromHex(ONE);
    const uint256 hash = HashOf("Satoshi Nakamoto");
    Bytes sig;
    BOOST_REQUIRE(k.SignEcdsa(hash, sig, /*grind_low_r=*/false));
    uint8_t rs[64];
    BOOST_REQUIRE(ParseDerLax(sig, rs));
    BOOST_TEST(HexStr(rs) == "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                             "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
    BOOST_TEST(sig.size() == 71u);

    Bytes ground;
    BOOST_REQUIRE(k.SignEcdsa(hash, ground));
    BOOST_TEST(ground != sig);
    BOOST_REQUIRE(ParseDerLax(ground, rs));
    BOOST_TEST(rs[0] < 0x80);
    BOOST_TEST(k.GetPubKey().VerifyEcdsa(hash, ground));
}

BOOST_AUTO_TEST_CASE(ecdsa_round_trips)
{
    for (int i = 0; i < 50; ++i) {
        Key k;
        k.MakeNewKey(i % 2 == 0);
        const uint256 hash = HashOf("message " + std::to_string(i));
        for (bool grind : {true, false}) {
            Bytes sig, again;
            BOOST_REQUIRE(k.SignEcdsa(hash, sig, grind));
            BOOST_TEST(k.GetPubKey().VerifyEcdsa(hash, sig));
            BOOST_TEST(PubKey::CheckLowS(sig));
            BOOST_TEST(sig.size() <= (grind ? 71u : 72u));
            BOOST_REQUIRE(k.SignEcdsa(hash, again, grind));
            BOOST_TEST(sig == again); // deterministic
        }
    }
    Bytes sig;
    BOOST_TEST(!Key().SignEcdsa(uint256(), sig));
}

BOOST_AUTO_TEST_CASE(schnorr_round_trip)
{
    const Key k = KeyFromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
    const XOnlyPubKey pub = k.GetXOnlyPubKey();
    const uint256 msg = HashOf("schnorr");
    const uint256 aux = HashOf("aux");
    uint8_t sig[64], sig2[64];
    BOOST_REQUIRE(k.SignSchnorr(msg, sig, &aux));
    BOOST_TEST(pub.VerifySchnorr(msg, sig));
    BOOST_REQUIRE(k.SignSchnorr(msg, sig2, &aux));
    BOOST_TEST(HexStr(sig) == HexStr(sig2)); // same aux, same signature
    BOOST_REQUIRE(k.SignSchnorr(msg, sig2, nullptr));
    BOOST_TEST(HexStr(sig) != HexStr(sig2)); // fresh randomness
    BOOST_TEST(pub.VerifySchnorr(msg, sig2));

    sig[10] ^= 1;
    BOOST_TEST(!pub.VerifySchnorr(msg, sig));
    BOOST_TEST(!pub.VerifySchnorr(HashOf("other"), sig2));
    BOOST_TEST(!Key().SignSchnorr(msg, sig, &aux));
}

BOOST_AUTO_TEST_CASE(taproot_sign_round_trip)
{
    for (int i = 0; i < 10; ++i) {
        Key k;
        k.MakeNewKey(true);
        const XOnlyPubKey internal = k.GetXOnlyPubKey();
        const uint256 msg = HashOf("taproot " + std::to_string(i));
        const uint256 root = HashOf("tree " + std::to_string(i));
        for (const uint256* merkle_root : {static_cast<const uint256*>(nullptr), &root}) {
            const auto output = internal.CreateTapTweak(merkle_root);
            BOOST_REQUIRE(output.has_value());
            uint8_t sig[64];
            BOOST_REQUIRE(k.SignSchnorrTaproot(msg, sig, merkle_root, nullptr));
            BOOST_TEST(output->first.VerifySchnorr(msg, sig));
            BOOST_TEST(!internal.VerifySchnorr(msg, sig));
            if (merkle_root) BOOST_TEST(output->first.CheckTapTweak(internal, root, output->second));
        }
    }
}

BOOST_AUTO_TEST_CASE(bip341_wallet_vectors_key_path_signatures)
{
    // The BIP's key-path signatures were made with all-zero aux randomness.
    const std::string file = "core/bip341_wallet_vectors.json";
    UniValue root;
    BOOST_REQUIRE(root.read(test::ReadVectorFile(file)));
    const UniValue& inputs = root["keyPathSpending"][0]["inputSpending"];
    const uint256 zero_aux;
    size_t n = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const UniValue& c = inputs[i];
        const Key k = KeyFromHex(c["given"]["internalPrivkey"].get_str());
        BOOST_TEST(HexStr(k.GetXOnlyPubKey().span()) == c["intermediary"]["internalPubkey"].get_str());
        std::optional<uint256> merkle_root;
        if (!c["given"]["merkleRoot"].isNull()) merkle_root = uint256(ParseHex(c["given"]["merkleRoot"].get_str()));
        const uint256 sighash(ParseHex(c["intermediary"]["sigHash"].get_str()));

        uint8_t sig[64];
        BOOST_REQUIRE(k.SignSchnorrTaproot(sighash, sig, merkle_root ? &*merkle_root : nullptr, &zero_aux));
        // The witness is the signature plus the hash type byte unless it is SIGHASH_DEFAULT.
        const std::string witness = c["expected"]["witness"][0].get_str();
        BOOST_TEST(HexStr(sig) == witness.substr(0, 128), "input " << i);
        ++n;
    }
    test::ReportCases(file + " (keyPathSpending)", n);
    BOOST_TEST(n > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
