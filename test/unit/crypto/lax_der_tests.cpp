// Tests for crypto/lax_der.h: what the permissive signature reading
// accepts, what it refuses, and that no input makes it misbehave.
#include "crypto/lax_der.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

using namespace cairn;

namespace {

const std::string R = "8f3b8f8f0537c420654d2283673a761b7ee2ea3c130753103e08ce79201cf32a";
const std::string S = "79e7ab904a1980ef1c5890b648c8783f4d10103dd62f740d13daa79e298d50c2";

/** Parses hex; returns "fail" or the 64-byte R||S in hex. */
std::string Parse(const std::string& hex)
{
    uint8_t rs[64];
    if (!ParseDerLax(ParseHex(hex), rs)) return "fail";
    return HexStr(rs);
}

} // namespace

BOOST_AUTO_TEST_SUITE(lax_der_tests)

BOOST_AUTO_TEST_CASE(strict_der_parses)
{
    // R's top bit is set, so strict DER pads it with one zero byte.
    BOOST_TEST(Parse("3045022100" + R + "0220" + S) == R + S);
}

BOOST_AUTO_TEST_CASE(lax_forms_accepted)
{
    const std::string rs = R + S;
    // Extra leading zeros in an integer.
    BOOST_TEST(Parse("304602220000" + R + "0220" + S) == rs);
    // Long-form integer lengths, with zero bytes inside the length.
    BOOST_TEST(Parse("3046" "028121" "00" + R + "0220" + S) == rs);
    BOOST_TEST(Parse("304b" "028400000021" "00" + R + "028120" + S) == rs);
    // Up to seven significant length bytes (here one, after seven zeros).
    BOOST_TEST(Parse("3044" "0287" "00000000000001" "ff" "0220" + S) == std::string(62, '0') + "ff" + S);
    // Long-form sequence length, whose value is not checked.
    BOOST_TEST(Parse("3081ff022100" + R + "0220" + S) == rs);
    BOOST_TEST(Parse("3084ffffffff022100" + R + "0220" + S) == rs);
    // Wrong short sequence length, trailing bytes after S.
    BOOST_TEST(Parse("3000022100" + R + "0220" + S + "0102030405") == rs);
    // Integers read as unsigned even without the sign padding; short ones
    // right-aligned; empty ones are zero.
    BOOST_TEST(Parse("30440220" + R + "0220" + S) == rs);
    BOOST_TEST(Parse("3008020201020202ffee") == std::string(60, '0') + "0102" + std::string(60, '0') + "ffee");
    BOOST_TEST(Parse("300402000200") == std::string(128, '0'));
    // Indefinite-looking lengths (0x80) read as zero bytes long.
    BOOST_TEST(Parse("3080028002020001") == std::string(124, '0') + "0001");
}

BOOST_AUTO_TEST_CASE(overlong_integers_parse_to_zero)
{
    // 33 significant bytes: parses, but yields the all-zero signature.
    BOOST_TEST(Parse("30460221ff" + R + "0220" + S) == std::string(128, '0'));
    BOOST_TEST(Parse("30460220" + R + "0221ff" + S) == std::string(128, '0'));
}

BOOST_AUTO_TEST_CASE(structure_errors_rejected)
{
    BOOST_TEST(Parse("") == "fail");
    BOOST_TEST(Parse("30") == "fail");
    BOOST_TEST(Parse("3144022000" + R.substr(2) + "0220" + S) == "fail");            // not a sequence
    BOOST_TEST(Parse("3044032100" + R + "0220" + S) == "fail");                      // R not an integer
    BOOST_TEST(Parse("3045022100" + R + "0320" + S) == "fail");                      // S not an integer
    BOOST_TEST(Parse("3045022100" + R + "0220" + S.substr(0, 62)) == "fail");        // S runs past the end
    BOOST_TEST(Parse("3045022100" + R) == "fail");                                   // no S
    BOOST_TEST(Parse("3085ffffffff") == "fail");                                     // sequence length bytes missing
    BOOST_TEST(Parse("3044" "02880100000000000000" "0220" + S) == "fail");           // eight significant length bytes
    BOOST_TEST(Parse("3044" "028800000000") == "fail");                              // length bytes run past the end
    BOOST_TEST(Parse("3044028120") == "fail");                                       // integer runs past the end
}

BOOST_AUTO_TEST_CASE(random_inputs_never_misbehave)
{
    // Under ASan this catches any read past the input.
    std::mt19937_64 rng(6);
    const Bytes valid = ParseHex("3045022100" + R + "0220" + S);
    size_t parsed = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes b = valid;
        b.resize(rng() % (valid.size() + 8));
        for (int flips = rng() % 4; flips >= 0; --flips) {
            if (!b.empty()) b[rng() % b.size()] = uint8_t(rng());
        }
        uint8_t rs[64];
        parsed += ParseDerLax(b, rs);
    }
    BOOST_TEST_MESSAGE("lax DER: " << parsed << " of 20000 mutated inputs parsed");
    BOOST_TEST(parsed > 0u); // some mutations only touch bytes the lax reading ignores
}

BOOST_AUTO_TEST_SUITE_END()
