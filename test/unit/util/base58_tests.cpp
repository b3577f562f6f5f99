// Tests for util/base58.h.
#include "util/base58.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

using namespace cairn;

namespace {

constexpr char ALPHABET[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Textbook base58, one digit at a time, to cross-check the limb arithmetic. */
std::string ReferenceEncode(const Bytes& in)
{
    std::string out;
    size_t zeros = 0;
    while (zeros < in.size() && in[zeros] == 0) ++zeros;
    Bytes num(in.begin() + zeros, in.end()); // big-endian
    std::string digits;
    while (std::any_of(num.begin(), num.end(), [](uint8_t b) { return b != 0; })) {
        unsigned rem = 0;
        for (uint8_t& b : num) {
            unsigned cur = rem * 256 + b;
            b = static_cast<uint8_t>(cur / 58);
            rem = cur % 58;
        }
        digits.push_back(ALPHABET[rem]);
    }
    std::reverse(digits.begin(), digits.end());
    return std::string(zeros, '1') + digits;
}

} // namespace

BOOST_AUTO_TEST_SUITE(base58_tests)

BOOST_AUTO_TEST_CASE(core_vectors)
{
    const std::string path = "core/base58_encode_decode.json";
    UniValue tests;
    BOOST_REQUIRE(tests.read(test::ReadVectorFile(path)));
    BOOST_REQUIRE(tests.isArray());
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        BOOST_REQUIRE(row.isArray());
        if (row.size() == 1) continue; // comment
        BOOST_REQUIRE_EQUAL(row.size(), 2U);
        const Bytes bytes = ParseHex(row[0].get_str());
        const std::string& b58 = row[1].get_str();

        BOOST_CHECK_EQUAL(EncodeBase58(bytes), b58);
        auto decoded = DecodeBase58(b58, 256);
        BOOST_REQUIRE_MESSAGE(decoded, "row " << i << ": " << b58);
        BOOST_CHECK_EQUAL(HexStr(*decoded), HexStr(bytes));
        // Exactly the decoded length is allowed, one less is not.
        BOOST_CHECK(DecodeBase58(b58, bytes.size()));
        if (!bytes.empty()) BOOST_CHECK(!DecodeBase58(b58, bytes.size() - 1));
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 21U); // every case of the file, so a truncated file fails
    test::ReportCases(path, cases);
}

BOOST_AUTO_TEST_CASE(whitespace)
{
    // Leading and trailing whitespace of all six kinds is skipped.
    auto r = DecodeBase58(" \t\n\v\f\r skip \r\f\v\n\t ", 3);
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(HexStr(*r), "971a55");
    BOOST_CHECK(DecodeBase58("   ", 0) == Bytes{});
    BOOST_CHECK(DecodeBase58("", 0) == Bytes{});
    r = DecodeBase58("\n1112\n", 4);
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(HexStr(*r), "00000001");

    // Inner whitespace, or anything after trailing whitespace, is not.
    BOOST_CHECK(!DecodeBase58(" \t\n\v\f\r skip \r\f\v\n\t a", 3));
    BOOST_CHECK(!DecodeBase58("3vQB7B6MrGQZaxCuFg4o h", 100));
    BOOST_CHECK(!DecodeBase58("3vQB7B6MrGQZaxCuFg4oh x", 100));
    BOOST_CHECK(!DecodeBase58("11 11", 100));
    BOOST_CHECK(DecodeBase58("3vQB7B6MrGQZaxCuFg4oh ", 100));
}

BOOST_AUTO_TEST_CASE(bad_characters)
{
    for (const char* s : {"0", "O", "I", "l", "3vQB7B6MrGQZaxCuFg4oi0", "#", "-1", "+1", "2g=", "a3gV\xff", "\xc3\xa9"}) {
        BOOST_CHECK_MESSAGE(!DecodeBase58(s, 100), s);
    }
    using namespace std::string_literals;
    BOOST_CHECK(!DecodeBase58("2g\0"s, 100));
    BOOST_CHECK(!DecodeBase58("\0002g"s, 100));
    BOOST_CHECK(!DecodeBase58("a3\0gV"s, 100));
    BOOST_CHECK(!DecodeBase58("2g \0"s, 100));
    BOOST_CHECK(DecodeBase58("2g"s, 100));
}

BOOST_AUTO_TEST_CASE(max_len)
{
    BOOST_CHECK(DecodeBase58("1111", 4) == Bytes(4, 0));
    BOOST_CHECK(!DecodeBase58("1111", 3));
    BOOST_CHECK(!DecodeBase58("11112", 4));
    BOOST_CHECK(DecodeBase58("11112", 5) == (Bytes{0, 0, 0, 0, 1}));
    // "zzzzz" is 0x271f359f (4 bytes); "211111" is 0x271f35a0.
    BOOST_CHECK(!DecodeBase58("zzzzz", 3));
    BOOST_CHECK(DecodeBase58("zzzzz", 4));
    BOOST_CHECK(!DecodeBase58("1zzzzz", 4));

    // Huge inputs are turned down early: this must not take quadratic time.
    const auto start = std::chrono::steady_clock::now();
    BOOST_CHECK(!DecodeBase58(std::string(2'000'000, 'z'), 32));
    BOOST_CHECK(!DecodeBase58(std::string(2'000'000, '1'), 32));
    BOOST_CHECK(!DecodeBase58(std::string(2'000'000, ' ') + "z" + std::string(2'000'000, ' ') + "z", 32));
    BOOST_CHECK(DecodeBase58(std::string(2'000'000, ' ') + "z" + std::string(2'000'000, ' '), 32));
    BOOST_CHECK_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

BOOST_AUTO_TEST_CASE(random_round_trip)
{
    std::mt19937 rng(58);
    for (int iter = 0; iter < 2000; ++iter) {
        const size_t zeros = rng() % 4 == 0 ? rng() % 5 : 0;
        const size_t len = zeros + rng() % 80;
        Bytes data(len, 0);
        for (size_t i = zeros; i < len; ++i) data[i] = static_cast<uint8_t>(rng());
        // Sometimes make a run of 0x00 or 0xff after the first byte.
        if (len > zeros + 2 && rng() % 3 == 0) {
            std::fill(data.begin() + zeros + 1, data.end(), rng() % 2 ? 0x00 : 0xff);
        }
        const std::string enc = EncodeBase58(data);
        BOOST_REQUIRE_EQUAL(enc, ReferenceEncode(data));
        auto dec = DecodeBase58(enc, len);
        BOOST_REQUIRE(dec);
        BOOST_REQUIRE(*dec == data);
    }
}

BOOST_AUTO_TEST_SUITE_END()
