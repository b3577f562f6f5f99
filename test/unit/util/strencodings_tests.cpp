// Tests for util/strencodings.h and util/hex.h.
#include "util/hex.h"
#include "util/strencodings.h"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

using namespace cairn;
using namespace std::string_literals;

BOOST_AUTO_TEST_SUITE(strencodings_tests)

BOOST_AUTO_TEST_CASE(hex)
{
    BOOST_CHECK(IsHex("00"));
    BOOST_CHECK(IsHex("0123456789abcdefABCDEF"));
    BOOST_CHECK(!IsHex(""));      // empty is not hex (as in Bitcoin Core)
    BOOST_CHECK(!IsHex("0"));     // odd length
    BOOST_CHECK(!IsHex("abc"));   // odd length
    BOOST_CHECK(!IsHex("0g"));
    BOOST_CHECK(!IsHex(" 00"));
    BOOST_CHECK(!IsHex("00 "));
    BOOST_CHECK(!IsHex("0x00"));
    BOOST_CHECK(!IsHex("\0\0"s));

    BOOST_CHECK(TryParseHex("") == Bytes{});
    BOOST_CHECK(TryParseHex("00ff7F80") == (Bytes{0x00, 0xff, 0x7f, 0x80}));
    BOOST_CHECK(!TryParseHex("0"));
    BOOST_CHECK(!TryParseHex("fff"));
    BOOST_CHECK(!TryParseHex("zz"));
    BOOST_CHECK(!TryParseHex("0 "));
    BOOST_CHECK(!TryParseHex(" 00"));
    BOOST_CHECK(!TryParseHex("00\0"s + "0"));
    BOOST_CHECK(!TryParseHex("-1"));
    BOOST_CHECK_THROW(ParseHex("x"), std::invalid_argument);
    BOOST_CHECK_EQUAL(HexStr(ParseHex("DEADbeef")), "deadbeef");
    BOOST_CHECK_EQUAL(HexStr(Bytes{}), "");
}

BOOST_AUTO_TEST_CASE(case_conversion)
{
    BOOST_CHECK_EQUAL(ToLower("Hello World 123 @[`{"), "hello world 123 @[`{");
    BOOST_CHECK_EQUAL(ToUpper("Hello World 123 @[`{"), "HELLO WORLD 123 @[`{");
    BOOST_CHECK_EQUAL(ToLower(""), "");
    // Bytes outside ASCII are left alone.
    BOOST_CHECK_EQUAL(ToUpper("\xc3\xa9t\xc3\xa9"), "\xc3\xa9T\xc3\xa9");
    BOOST_CHECK_EQUAL(ToLower("A\0B"s), "a\0b"s);
}

BOOST_AUTO_TEST_CASE(parse_int64)
{
    int64_t v = 0;
    BOOST_CHECK(ParseInt64("1234", &v) && v == 1234);
    BOOST_CHECK(ParseInt64("0", &v) && v == 0);
    BOOST_CHECK(ParseInt64("-0", &v) && v == 0);
    BOOST_CHECK(ParseInt64("+5", &v) && v == 5);
    BOOST_CHECK(ParseInt64("-5", &v) && v == -5);
    BOOST_CHECK(ParseInt64("007", &v) && v == 7);
    BOOST_CHECK(ParseInt64("9223372036854775807", &v) && v == std::numeric_limits<int64_t>::max());
    BOOST_CHECK(ParseInt64("-9223372036854775808", &v) && v == std::numeric_limits<int64_t>::min());
    BOOST_CHECK(ParseInt64("1", nullptr));

    v = 42;
    for (const std::string s : {"", "-", "+", "+-1", "-+1", "--1", "++1", " 1", "1 ", "1a", "a1", "0x10", "1.0", "1e3",
                                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "\t1", "1\n"}) {
        BOOST_CHECK_MESSAGE(!ParseInt64(s, &v), "accepted '" << s << "'");
    }
    BOOST_CHECK(!ParseInt64("1\0"s, &v));
    BOOST_CHECK_EQUAL(v, 42); // untouched on failure
}

BOOST_AUTO_TEST_CASE(parse_int32)
{
    int32_t v = 0;
    BOOST_CHECK(ParseInt32("2147483647", &v) && v == 2147483647);
    BOOST_CHECK(ParseInt32("-2147483648", &v) && v == std::numeric_limits<int32_t>::min());
    BOOST_CHECK(ParseInt32("+0", &v) && v == 0);
    BOOST_CHECK(!ParseInt32("2147483648", &v));
    BOOST_CHECK(!ParseInt32("-2147483649", &v));
    BOOST_CHECK(!ParseInt32(" 1", &v));
    BOOST_CHECK(!ParseInt32("1 ", &v));
    BOOST_CHECK(!ParseInt32("", &v));
    BOOST_CHECK(!ParseInt32("1,000", &v));
    BOOST_CHECK_EQUAL(v, 0);
}

BOOST_AUTO_TEST_CASE(parse_uint32)
{
    uint32_t v = 0;
    BOOST_CHECK(ParseUInt32("4294967295", &v) && v == 4294967295U);
    BOOST_CHECK(ParseUInt32("0", &v) && v == 0);
    BOOST_CHECK(ParseUInt32("+7", &v) && v == 7);
    BOOST_CHECK(!ParseUInt32("4294967296", &v));
    BOOST_CHECK(!ParseUInt32("-1", &v));
    BOOST_CHECK(!ParseUInt32("-0", &v));
    BOOST_CHECK(!ParseUInt32("+-1", &v));
    BOOST_CHECK(!ParseUInt32("1 ", &v));
    BOOST_CHECK(!ParseUInt32("", &v));
    BOOST_CHECK_EQUAL(v, 7U); // untouched by the failures
}

BOOST_AUTO_TEST_CASE(split_and_trim)
{
    using V = std::vector<std::string>;
    BOOST_CHECK(SplitString("", ',') == V{""});
    BOOST_CHECK(SplitString("a", ',') == V{"a"});
    BOOST_CHECK(SplitString("a,b,c", ',') == (V{"a", "b", "c"}));
    BOOST_CHECK(SplitString(",a,,b,", ',') == (V{"", "a", "", "b", ""}));
    BOOST_CHECK(SplitString("a b", ',') == V{"a b"});
    BOOST_CHECK(SplitString("host:8333", ':') == (V{"host", "8333"}));

    BOOST_CHECK_EQUAL(TrimString(""), "");
    BOOST_CHECK_EQUAL(TrimString(" \t\n\v\f\r"), "");
    BOOST_CHECK_EQUAL(TrimString(" \t a b \r\n"), "a b");
    BOOST_CHECK_EQUAL(TrimString("x"), "x");
    BOOST_CHECK_EQUAL(TrimString("\0x\0"s), "\0x\0"s); // NUL is not whitespace
}

BOOST_AUTO_TEST_CASE(parse_fixed_point)
{
    auto P = [](const std::string& s, int dec = 8) { return ParseFixedPoint(s, dec); };
    auto ok = [&](const std::string& s, int64_t want, int dec = 8) {
        auto r = P(s, dec);
        BOOST_CHECK_MESSAGE(r && *r == want, "'" << s << "' gave " << (r ? std::to_string(*r) : "nullopt"));
    };
    auto bad = [&](const std::string& s, int dec = 8) {
        auto r = P(s, dec);
        BOOST_CHECK_MESSAGE(!r, "'" << s << "' accepted as " << (r ? *r : 0));
    };

    ok("0", 0);
    ok("-0", 0);
    ok("0.00000000", 0);
    ok("0.00000001", 1);
    ok("-0.00000001", -1);
    ok("0.17622195", 17622195);
    ok("0.5", 50000000);
    ok("0.50000000", 50000000);
    ok("1", 100000000);
    ok("1.00000000", 100000000);
    ok("1.23456789", 123456789);
    ok("20999999.9999999", 2099999999999990);
    ok("20999999.99999999", 2099999999999999);
    ok("21000000", 2100000000000000);
    ok("1e-8", 1);
    ok("1E-8", 1);
    ok("0.1e-7", 1);
    ok("0.01e-6", 1);
    ok("0.19e-6", 19);
    ok("1e+8", 10000000000000000);
    ok("1e8", 10000000000000000);
    ok("0.00000001000000", 1); // trailing zeros past the precision are fine
    ok("1.000000000000000000000000000000", 100000000);
    ok("0.0000000000000000000000000000000000000000000000000000000000000000000000000001e+68", 1);
    ok("10000000000000000000000000000000000000000000000000000000000000000e-64", 100000000);
    ok("0.000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000e64", 100000000);
    ok("0e999999999999999999999", 0);
    ok("0.000e-99999999999999", 0);
    ok("92233720368.54775807", std::numeric_limits<int64_t>::max());
    ok("-92233720368.54775807", -std::numeric_limits<int64_t>::max());
    ok("9223372036854775807", std::numeric_limits<int64_t>::max(), 0);
    ok("123", 123, 0);
    ok("1.5", 15, 1);
    ok("1230e-1", 123, 0);

    // Excess precision.
    bad("1e-9");
    bad("0.000000019");
    bad("19e-9");
    bad("0.000000001");
    bad("1.000000001");
    bad("1.5", 0);
    bad("1e-99999999999999999999");
    // Overflow.
    bad("92233720368.54775808");
    bad("-92233720368.54775808");
    bad("1e+11");
    bad("1e11");
    bad("93e+9");
    bad("100000000000");
    bad("9223372036854775808", 0);
    bad("1e999999999999999999999");
    bad("12345678901234567890123");
    // Not a JSON number.
    for (const std::string s : {"", "-", "+1", "+0", ".19e-6", "1.", "1..0", ".", "01", "00", "-01", "0x1", "1e", "1e+",
                                "1e-", "e8", "1 ", " 1", "1,5", "1.5.", "--1", "- 1", "1ee8", "1e8.5", "inf", "nan",
                                "0.0.", "1_000", "1e+-8", "1\n"}) {
        bad(s);
    }
    bad("1\0"s);
}

BOOST_AUTO_TEST_CASE(format_money)
{
    BOOST_CHECK_EQUAL(FormatAmount(0), "0.00000000");
    BOOST_CHECK_EQUAL(FormatAmount(1), "0.00000001");
    BOOST_CHECK_EQUAL(FormatAmount(-1), "-0.00000001");
    BOOST_CHECK_EQUAL(FormatAmount(100000000), "1.00000000");
    BOOST_CHECK_EQUAL(FormatAmount(-100000000), "-1.00000000");
    BOOST_CHECK_EQUAL(FormatAmount(123456789), "1.23456789");
    BOOST_CHECK_EQUAL(FormatAmount(10000000), "0.10000000");
    BOOST_CHECK_EQUAL(FormatAmount(2100000000000000), "21000000.00000000");
    // The trimmed form Bitcoin Core uses in messages.
    BOOST_CHECK_EQUAL(FormatMoney(0), "0.00");
    BOOST_CHECK_EQUAL(FormatMoney(100000000), "1.00");
    BOOST_CHECK_EQUAL(FormatMoney(10000), "0.0001");
    BOOST_CHECK_EQUAL(FormatMoney(-1), "-0.00000001");
    BOOST_CHECK_EQUAL(FormatMoney(123456780), "1.2345678");
    BOOST_CHECK_EQUAL(FormatAmount(std::numeric_limits<int64_t>::max()), "92233720368.54775807");
    BOOST_CHECK_EQUAL(FormatAmount(std::numeric_limits<int64_t>::min()), "-92233720368.54775808");
    // FormatMoney and ParseFixedPoint agree.
    for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{99999999}, int64_t{2100000000000000},
                      std::numeric_limits<int64_t>::max(), -std::numeric_limits<int64_t>::max()}) {
        auto r = ParseFixedPoint(FormatAmount(v), 8);
        BOOST_CHECK(r && *r == v);
    }
}

BOOST_AUTO_TEST_SUITE_END()
