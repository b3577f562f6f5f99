// Tests for util/bech32.h, with the test strings of BIP 173 and BIP 350.
#include "util/bech32.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace cairn;
using namespace std::string_literals;

namespace {

std::string Lower(std::string s)
{
    for (char& c : s) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

/** BIP 350's segwit address decoding, as a test-only consumer of the API:
 *  returns the scriptPubKey hex, or nullopt. */
std::optional<std::string> DecodeSegwit(const std::string& addr)
{
    const Bech32Decoded d = Bech32Decode(addr);
    if (d.encoding == Bech32Encoding::INVALID) return std::nullopt;
    if (d.hrp != "bc" && d.hrp != "tb") return std::nullopt;
    if (d.data.empty()) return std::nullopt;
    const uint8_t version = d.data[0];
    if (version > 16) return std::nullopt;
    Bytes program;
    if (!ConvertBits<5, 8, false>(program, ByteSpan(d.data).subspan(1))) return std::nullopt;
    if (program.size() < 2 || program.size() > 40) return std::nullopt;
    if (version == 0 && program.size() != 20 && program.size() != 32) return std::nullopt;
    if ((version == 0) != (d.encoding == Bech32Encoding::BECH32)) return std::nullopt;
    Bytes spk{static_cast<uint8_t>(version == 0 ? 0 : 0x50 + version), static_cast<uint8_t>(program.size())};
    spk.insert(spk.end(), program.begin(), program.end());
    return HexStr(spk);
}

/** Encodes a segwit output the other way, to check Bech32Encode with ConvertBits. */
std::string EncodeSegwit(const std::string& hrp, const std::string& spk_hex)
{
    const Bytes spk = ParseHex(spk_hex);
    const uint8_t version = spk[0] == 0 ? 0 : spk[0] - 0x50;
    Bytes values{version};
    BOOST_REQUIRE((ConvertBits<8, 5, true>(values, ByteSpan(spk).subspan(2))));
    return Bech32Encode(version == 0 ? Bech32Encoding::BECH32 : Bech32Encoding::BECH32M, hrp, values);
}

void CheckValid(const std::string& str, Bech32Encoding expected)
{
    const Bech32Decoded d = Bech32Decode(str);
    BOOST_CHECK_MESSAGE(d.encoding == expected, "wrong encoding for " << str);
    if (d.encoding != expected) return;
    // Re-encoding gives the lower-case form back.
    BOOST_CHECK_EQUAL(Bech32Encode(expected, d.hrp, d.data), Lower(str));
    // The other variant's checksum over the same content is different.
    const Bech32Encoding other = expected == Bech32Encoding::BECH32 ? Bech32Encoding::BECH32M : Bech32Encoding::BECH32;
    const Bech32Decoded o = Bech32Decode(Bech32Encode(other, d.hrp, d.data));
    BOOST_CHECK(o.encoding == other);
    BOOST_CHECK(o.data == d.data);
}

void CheckInvalid(const std::string& str)
{
    const Bech32Decoded d = Bech32Decode(str);
    BOOST_CHECK_MESSAGE(d.encoding == Bech32Encoding::INVALID, "accepted " << str);
    BOOST_CHECK(d.hrp.empty());
    BOOST_CHECK(d.data.empty());
}

} // namespace

BOOST_AUTO_TEST_SUITE(bech32_tests)

BOOST_AUTO_TEST_CASE(bip173_valid_checksums)
{
    const std::vector<std::string> cases{
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };
    for (const auto& s : cases) CheckValid(s, Bech32Encoding::BECH32);

    const Bech32Decoded d = Bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    BOOST_CHECK_EQUAL(d.hrp, "abcdef");
    BOOST_REQUIRE_EQUAL(d.data.size(), 32U);
    for (size_t i = 0; i < 32; ++i) BOOST_CHECK_EQUAL(d.data[i], i);
    BOOST_CHECK_EQUAL(Bech32Decode("A12UEL5L").hrp, "a");
    BOOST_CHECK(Bech32Decode("A12UEL5L").data.empty());
}

BOOST_AUTO_TEST_CASE(bip350_valid_checksums)
{
    const std::vector<std::string> cases{
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    };
    for (const auto& s : cases) CheckValid(s, Bech32Encoding::BECH32M);
}

BOOST_AUTO_TEST_CASE(bip173_invalid_checksums)
{
    const std::vector<std::string> cases{
        " 1nwldj5",
        "\x7f" "1axkwrx",
        "\x80" "1eym55h",
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
        "pzry9x0s0muk",
        "1pzry9x0s0muk",
        "x1b4n0q5v",
        "li1dgmt3",
        "de1lg7wt\xff",
        "A1G7SGD8",
        "10a06t8",
        "1qzzfhee",
    };
    for (const auto& s : cases) CheckInvalid(s);
}

BOOST_AUTO_TEST_CASE(bip350_invalid_checksums)
{
    const std::vector<std::string> cases{
        " 1xj0phk",
        "\x7f" "1g6xzxy",
        "\x80" "1vctc34",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
        "qyrz8wqd2c9m",
        "1qyrz8wqd2c9m",
        "y1b0jsk6g",
        "lt1igcx5c0",
        "in1muywd",
        "mm1crxm3i",
        "au1s5cgom",
        "M1VUXWEZ",
        "16plkw9",
        "1p2gdwpf",
    };
    for (const auto& s : cases) CheckInvalid(s);
}

BOOST_AUTO_TEST_CASE(other_invalid)
{
    CheckInvalid("");
    CheckInvalid("a12UEL5L");                 // mixed case
    CheckInvalid("A12uel5l");                 // mixed case
    CheckInvalid("a12uel5l "s);               // trailing space
    CheckInvalid("a12uel5l\0"s);              // trailing NUL
    CheckInvalid("a1\0" "2uel5l"s);           // embedded NUL
    CheckInvalid("a12uel5m");                 // checksum
    CheckInvalid("split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w");
    CheckInvalid("split1cheo2y9e2w");         // 'o' in the data part
    CheckInvalid("split1a2y9w");              // data part shorter than a checksum
}

BOOST_AUTO_TEST_CASE(segwit_addresses)
{
    // BIP 350's valid addresses (BIP 173's v0 ones are among them).
    const std::vector<std::pair<std::string, std::string>> valid{
        {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
        {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
        {"BC1SW50QGDZ25J", "6002751e"},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
        {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
        {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
    };
    for (const auto& [addr, spk] : valid) {
        const auto got = DecodeSegwit(addr);
        BOOST_CHECK_MESSAGE(got && *got == spk, "address " << addr);
        BOOST_CHECK_EQUAL(EncodeSegwit(Lower(addr).substr(0, 2), spk), Lower(addr));
    }

    // BIP 173's v1+ addresses: good Bech32 checksums, but BIP 350 wants Bech32m.
    for (const std::string addr : {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
                                   "BC1SW50QA3JX3S", "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj"}) {
        BOOST_CHECK(Bech32Decode(addr).encoding == Bech32Encoding::BECH32);
        BOOST_CHECK_MESSAGE(!DecodeSegwit(addr), "address " << addr);
    }

    // Invalid addresses of both BIPs. Many have good checksums and fail only
    // the segwit rules, which exercises ConvertBits' padding checks.
    const std::vector<std::string> invalid{
        // BIP 173
        "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
        "bc1rw5uspcuh",
        "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
        "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
        "bc1gmk9yu",
        // BIP 350
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
        "bc1pw5dgrnzv",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
        "bc1gmk9yu",
    };
    for (const auto& addr : invalid) BOOST_CHECK_MESSAGE(!DecodeSegwit(addr), "address " << addr);

    // The padding cases fail in ConvertBits, not in the checksum.
    for (const std::string addr : {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
                                   "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
                                   "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
                                   "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j"}) {
        const Bech32Decoded d = Bech32Decode(addr);
        BOOST_REQUIRE(d.encoding != Bech32Encoding::INVALID);
        Bytes out;
        BOOST_CHECK((!ConvertBits<5, 8, false>(out, ByteSpan(d.data).subspan(1))));
    }
}

BOOST_AUTO_TEST_CASE(encode_arguments)
{
    const Bytes values{0, 1, 31};
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::INVALID, "bc", values), "");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, "", values), "");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, "b c", values), "");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, "b\x7f", values), "");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, "bc", Bytes{0, 32}), "");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, std::string(84, 'a'), values), "");
    BOOST_CHECK_NE(Bech32Encode(Bech32Encoding::BECH32, std::string(83, 'a'), values), "");
    // An upper-case HRP is lowered, so the result is the lower-case form.
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32, "A", {}), "a12uel5l");
    BOOST_CHECK_EQUAL(Bech32Encode(Bech32Encoding::BECH32M, "A", {}), "a1lqfn3a");
}

BOOST_AUTO_TEST_CASE(length_limit)
{
    // 90 characters pass by default, 91 do not; max_len can change the limit.
    const std::string at90 = Bech32Encode(Bech32Encoding::BECH32M, "bc", Bytes(81, 3));
    BOOST_REQUIRE_EQUAL(at90.size(), 90U);
    BOOST_CHECK(Bech32Decode(at90).encoding == Bech32Encoding::BECH32M);
    BOOST_CHECK(Bech32Decode(at90, 89).encoding == Bech32Encoding::INVALID);
    const std::string at91 = Bech32Encode(Bech32Encoding::BECH32, "bc", Bytes(82, 3));
    BOOST_REQUIRE_EQUAL(at91.size(), 91U);
    BOOST_CHECK(Bech32Decode(at91).encoding == Bech32Encoding::INVALID);
    BOOST_CHECK(Bech32Decode(at91, 1000).encoding == Bech32Encoding::BECH32);
    // The HRP stays limited to 83 characters whatever max_len is.
    const std::string long_hrp = std::string(84, 'a') + "1" + "qqqqqq";
    BOOST_CHECK(Bech32Decode(long_hrp, 1000).encoding == Bech32Encoding::INVALID);
}

BOOST_AUTO_TEST_CASE(convert_bits)
{
    std::mt19937 rng(32);
    for (size_t len = 0; len <= 64; ++len) {
        Bytes bytes(len);
        for (auto& b : bytes) b = static_cast<uint8_t>(rng());
        Bytes five;
        BOOST_REQUIRE((ConvertBits<8, 5, true>(five, bytes)));
        BOOST_CHECK_EQUAL(five.size(), (len * 8 + 4) / 5);
        for (uint8_t v : five) BOOST_CHECK_LT(v, 32);
        Bytes back;
        BOOST_REQUIRE((ConvertBits<5, 8, false>(back, five)));
        BOOST_CHECK(back == bytes);
    }
    Bytes out;
    BOOST_CHECK((!ConvertBits<5, 8, false>(out, Bytes{32})));     // value out of range
    out.clear();
    BOOST_CHECK((!ConvertBits<5, 8, false>(out, Bytes{0})));      // 5 leftover bits
    out.clear();
    BOOST_CHECK((!ConvertBits<5, 8, false>(out, Bytes{0, 1})));   // non-zero padding
    out.clear();
    BOOST_CHECK((ConvertBits<5, 8, false>(out, Bytes{31, 28})));  // 11111 111|00
    BOOST_CHECK(out == Bytes{0xff});
    out.clear();
    BOOST_CHECK((ConvertBits<8, 5, true>(out, Bytes{0xff})));
    BOOST_CHECK(out == (Bytes{31, 28}));
    out.clear();
    BOOST_CHECK((!ConvertBits<8, 5, false>(out, Bytes{0xff})));   // 3 non-zero leftover bits
}

BOOST_AUTO_TEST_SUITE_END()
