// Tests for crypto/pubkey.h: key parsing, consensus ECDSA verification
// (lax DER, high S), x-only keys and BIP 341 tweaks (against the BIP's
// wallet vectors).
#include "crypto/key.h"
#include "crypto/lax_der.h"
#include "crypto/pubkey.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <random>
#include <string>

using namespace cairn;

namespace {

const std::string G_X = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const std::string G_Y = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
const std::string ORDER = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

PubKey Pub(const std::string& hex) { return PubKey(ParseHex(hex)); }

/** Strict DER of 32-byte big-endian R and S. */
Bytes ToDer(const uint8_t* r, const uint8_t* s)
{
    const auto integer = [](const uint8_t* v) {
        size_t skip = 0;
        while (skip < 31 && v[skip] == 0) ++skip;
        Bytes out{0x02, 0};
        if (v[skip] & 0x80) out.push_back(0);
        out.insert(out.end(), v + skip, v + 32);
        out[1] = uint8_t(out.size() - 2);
        return out;
    };
    const Bytes ri = integer(r), si = integer(s);
    Bytes der{0x30, uint8_t(ri.size() + si.size())};
    der.insert(der.end(), ri.begin(), ri.end());
    der.insert(der.end(), si.begin(), si.end());
    return der;
}

/** n - s, big-endian: the other valid S of the same signature. */
void NegateScalar(uint8_t* s)
{
    const Bytes n = ParseHex(ORDER);
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        const int d = int(n[i]) - int(s[i]) - borrow;
        s[i] = uint8_t(d & 0xff);
        borrow = d < 0;
    }
}

struct Signed {
    Key key;
    PubKey pub;
    uint256 hash;
    Bytes sig;
};

Signed SignSomething(uint8_t seed)
{
    Signed out;
    Bytes secret(32, seed);
    BOOST_REQUIRE(out.key.Set(secret, true));
    out.pub = out.key.GetPubKey();
    for (size_t i = 0; i < 32; ++i) out.hash.data()[i] = uint8_t(i * seed);
    BOOST_REQUIRE(out.key.SignEcdsa(out.hash, out.sig));
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pubkey_tests)

BOOST_AUTO_TEST_CASE(size_from_header)
{
    BOOST_TEST(PubKey::SizeFromHeader(2) == 33u);
    BOOST_TEST(PubKey::SizeFromHeader(3) == 33u);
    BOOST_TEST(PubKey::SizeFromHeader(4) == 65u);
    BOOST_TEST(PubKey::SizeFromHeader(6) == 65u);
    BOOST_TEST(PubKey::SizeFromHeader(7) == 65u);
    for (int h : {0, 1, 5, 8, 0x30, 0xff}) BOOST_TEST(PubKey::SizeFromHeader(uint8_t(h)) == 0u);

    BOOST_TEST(PubKey::IsValidSize(ParseHex("02" + G_X)));
    BOOST_TEST(!PubKey::IsValidSize(ParseHex("02" + G_X + "00")));
    BOOST_TEST(!PubKey::IsValidSize(ParseHex("04" + G_X)));
    BOOST_TEST(!PubKey::IsValidSize({}));
    BOOST_TEST(!PubKey().IsValid());
    BOOST_TEST(PubKey().size() == 0u);
    BOOST_TEST(!Pub("04" + G_X).IsValid()); // wrong length: stored as invalid
}

BOOST_AUTO_TEST_CASE(generator_point_forms)
{
    const PubKey compressed = Pub("02" + G_X);
    BOOST_TEST(compressed.IsFullyValid());
    BOOST_TEST(compressed.IsCompressed());
    BOOST_TEST(HexStr(compressed.GetID().span()) == "751e76e8199196d454941c45d1b3a323f1433bd6");

    PubKey decompressed = compressed;
    BOOST_TEST(decompressed.Decompress());
    BOOST_TEST(HexStr(decompressed.span()) == "04" + G_X + G_Y);
    BOOST_TEST(!decompressed.IsCompressed());
    BOOST_TEST(decompressed.IsFullyValid());
    BOOST_CHECK(decompressed != compressed);

    // Hybrid keys repeat Y's parity in the header; G's Y is even.
    BOOST_TEST(Pub("06" + G_X + G_Y).IsFullyValid());
    BOOST_TEST(!Pub("07" + G_X + G_Y).IsFullyValid());
    BOOST_TEST(Pub("03" + G_X).IsFullyValid()); // the odd-Y point exists too
}

BOOST_AUTO_TEST_CASE(points_off_the_curve)
{
    BOOST_TEST(!Pub("02" + std::string(64, 'f')).IsFullyValid()); // X above the field size
    std::string bad_y = G_Y;
    bad_y.back() = '9';
    BOOST_TEST(!Pub("04" + G_X + bad_y).IsFullyValid());
    PubKey p = Pub("02" + std::string(64, 'f'));
    BOOST_TEST(!p.Decompress());
    BOOST_TEST(!PubKey().IsFullyValid());
}

BOOST_AUTO_TEST_CASE(ecdsa_verify_basic)
{
    const Signed s = SignSomething(7);
    BOOST_TEST(s.pub.VerifyEcdsa(s.hash, s.sig));
    BOOST_TEST(PubKey::CheckLowS(s.sig));

    uint256 other = s.hash;
    other.data()[0] ^= 1;
    BOOST_TEST(!s.pub.VerifyEcdsa(other, s.sig));
    BOOST_TEST(!SignSomething(8).pub.VerifyEcdsa(s.hash, s.sig));
    BOOST_TEST(!PubKey().VerifyEcdsa(s.hash, s.sig));

    // The uncompressed form of the same key verifies the same signature.
    PubKey full = s.pub;
    BOOST_REQUIRE(full.Decompress());
    BOOST_TEST(full.VerifyEcdsa(s.hash, s.sig));
}

BOOST_AUTO_TEST_CASE(ecdsa_high_s_accepted_but_not_low)
{
    const Signed s = SignSomething(9);
    uint8_t rs[64];
    BOOST_REQUIRE(ParseDerLax(s.sig, rs));
    NegateScalar(rs + 32);
    const Bytes high = ToDer(rs, rs + 32);
    BOOST_TEST(s.pub.VerifyEcdsa(s.hash, high));
    BOOST_TEST(!PubKey::CheckLowS(high));
}

BOOST_AUTO_TEST_CASE(ecdsa_lax_encodings_verify)
{
    const Signed s = SignSomething(10);
    uint8_t rs[64];
    BOOST_REQUIRE(ParseDerLax(s.sig, rs));
    const std::string r = HexStr({rs, 32}), sv = HexStr({rs + 32, 32});
    for (const std::string& lax : {
             "3048" "02220000" + r + "0222" "0000" + sv,      // extra leading zeros
             "3081ff" "028120" + r + "02840000" "0020" + sv,  // long-form lengths
             "3000" "0220" + r + "0220" + sv + "deadbeef",    // wrong sequence length, trailing bytes
         }) {
        BOOST_TEST(s.pub.VerifyEcdsa(s.hash, ParseHex(lax)), lax);
        BOOST_TEST(PubKey::CheckLowS(ParseHex(lax)));
    }
}

BOOST_AUTO_TEST_CASE(ecdsa_out_of_range_scalars)
{
    const Signed s = SignSomething(11);
    uint8_t rs[64];
    BOOST_REQUIRE(ParseDerLax(s.sig, rs));
    // S >= n and a 33-byte R become the zero signature: no error, no match,
    // and (as always in consensus) not reported as high-S.
    uint8_t big_s[64];
    std::copy(rs, rs + 64, big_s);
    const Bytes n = ParseHex(ORDER);
    std::copy(n.begin(), n.end(), big_s + 32);
    const Bytes s_is_n = ToDer(big_s, big_s + 32);
    BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, s_is_n));
    BOOST_TEST(PubKey::CheckLowS(s_is_n));
    const Bytes long_r = ParseHex("30460221ff" + HexStr({rs, 32}) + "0220" + HexStr({rs + 32, 32}));
    BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, long_r));
    BOOST_TEST(PubKey::CheckLowS(long_r));
}

BOOST_AUTO_TEST_CASE(ecdsa_garbage_is_false_never_a_crash)
{
    const Signed s = SignSomething(12);
    BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, {}));
    BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, ParseHex("00")));
    BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, ParseHex("3006020100020100")));
    BOOST_TEST(!PubKey::CheckLowS({}));

    std::mt19937_64 rng(13);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        Bytes b = s.sig;
        b.resize(1 + rng() % (b.size() + 4));
        b[rng() % b.size()] ^= uint8_t(1 + rng() % 255);
        accepted += s.pub.VerifyEcdsa(s.hash, b);
        PubKey::CheckLowS(b);
    }
    // Only changes the lax reading ignores (the sequence length byte,
    // trailing bytes) can leave a valid signature.
    BOOST_TEST_MESSAGE("mutated signatures still valid: " << accepted);
    for (int i = 0; i < 1000; ++i) {
        Bytes junk(rng() % 80);
        for (uint8_t& x : junk) x = uint8_t(rng());
        BOOST_TEST(!s.pub.VerifyEcdsa(s.hash, junk));
    }
}

BOOST_AUTO_TEST_CASE(xonly_validity)
{
    BOOST_TEST(XOnlyPubKey(ParseHex(G_X)).IsFullyValid());
    BOOST_TEST(!XOnlyPubKey(ParseHex(std::string(64, 'f'))).IsFullyValid());
    BOOST_CHECK(XOnlyPubKey(Pub("03" + G_X)) == XOnlyPubKey(ParseHex(G_X)));
    BOOST_CHECK_THROW(XOnlyPubKey{ParseHex("00")}, std::invalid_argument);
    BOOST_CHECK_THROW(XOnlyPubKey{PubKey()}, std::invalid_argument);
    BOOST_TEST(!XOnlyPubKey(ParseHex(G_X)).VerifySchnorr(uint256(), Bytes(63, 0)));
}

BOOST_AUTO_TEST_CASE(bip341_wallet_vectors_tweaks)
{
    const std::string file = "core/bip341_wallet_vectors.json";
    UniValue root;
    BOOST_REQUIRE(root.read(test::ReadVectorFile(file)));
    const UniValue& cases = root["scriptPubKey"];
    size_t n = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
        const UniValue& c = cases[i];
        const XOnlyPubKey internal(ParseHex(c["given"]["internalPubkey"].get_str()));
        const UniValue& root_hex = c["intermediary"]["merkleRoot"];
        std::optional<uint256> merkle_root;
        if (!root_hex.isNull()) merkle_root = uint256(ParseHex(root_hex.get_str()));
        const uint256* root_ptr = merkle_root ? &*merkle_root : nullptr;

        BOOST_TEST(HexStr(internal.ComputeTapTweakHash(root_ptr).span()) == c["intermediary"]["tweak"].get_str());
        const auto tweaked = internal.CreateTapTweak(root_ptr);
        BOOST_REQUIRE(tweaked.has_value());
        BOOST_TEST(HexStr(tweaked->first.span()) == c["intermediary"]["tweakedPubkey"].get_str());

        // Script-path spends check the commitment; the control block's first
        // byte carries the output key's parity.
        if (merkle_root) {
            const UniValue& blocks = c["expected"]["scriptPathControlBlocks"];
            for (size_t b = 0; b < blocks.size(); ++b) {
                const bool parity = ParseHex(blocks[b].get_str())[0] & 1;
                BOOST_TEST(parity == tweaked->second);
                BOOST_TEST(tweaked->first.CheckTapTweak(internal, *merkle_root, parity));
                BOOST_TEST(!tweaked->first.CheckTapTweak(internal, *merkle_root, !parity));
                BOOST_TEST(!tweaked->first.CheckTapTweak(internal, uint256(), parity));
            }
        }
        ++n;
    }
    test::ReportCases(file + " (scriptPubKey)", n);
    BOOST_TEST(n > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
