// Bitcoin Core's VARINT: known encodings from its definition, round trips at
// every length boundary, and rejection of values that overflow the type.
#include "util/hex.h"
#include "util/varint.h"

#include <boost/test/unit_test.hpp>

#include <limits>

using namespace cairn;

namespace {

template <typename I> Bytes Encode(I n)
{
    Bytes out;
    VectorWriter w(out);
    WriteVarInt(w, n);
    return out;
}

template <typename I> I DecodeAll(const Bytes& b)
{
    Reader r(b);
    I n = ReadVarInt<I>(r);
    BOOST_REQUIRE(r.empty());
    return n;
}

} // namespace

BOOST_AUTO_TEST_SUITE(varint_tests)

BOOST_AUTO_TEST_CASE(known_encodings)
{
    const std::pair<uint64_t, const char*> cases[] = {
        {0, "00"},         {1, "01"},         {127, "7f"},         {128, "8000"},
        {255, "807f"},     {256, "8100"},     {16383, "fe7f"},     {16384, "ff00"},
        {16511, "ff7f"},   {16512, "808000"}, {65535, "82fe7f"},   {0xffffffffULL, "8efefefe7f"},
        {std::numeric_limits<uint64_t>::max(), "80fefefefefefefefe7f"},
    };
    for (const auto& [value, hex] : cases) {
        BOOST_CHECK_EQUAL(HexStr(Encode(value)), hex);
        BOOST_CHECK_EQUAL(DecodeAll<uint64_t>(ParseHex(hex)), value);
        BOOST_CHECK_EQUAL(VarIntLen(value), std::string(hex).size() / 2);
    }
    // The width of the type does not change the encoding.
    BOOST_CHECK_EQUAL(HexStr(Encode(uint32_t{0xffffffff})), "8efefefe7f");
    BOOST_CHECK_EQUAL(HexStr(Encode(uint8_t{200})), "8048");
}

BOOST_AUTO_TEST_CASE(round_trips_and_uniqueness)
{
    // Every value from 0 to 2^17 and around each power of two: round trip,
    // and the encodings are all different (each value has one encoding).
    Bytes prev;
    for (uint64_t v = 0; v < (1 << 17); ++v) {
        Bytes e = Encode(v);
        BOOST_REQUIRE_EQUAL(DecodeAll<uint64_t>(e), v);
        BOOST_REQUIRE(e != prev);
        prev = e;
    }
    for (int bit = 0; bit < 64; ++bit) {
        for (int64_t d = -2; d <= 2; ++d) {
            uint64_t v = (uint64_t{1} << bit) + uint64_t(d);
            BOOST_REQUIRE_EQUAL(DecodeAll<uint64_t>(Encode(v)), v);
        }
    }
    // Several values back to back in one stream.
    Bytes stream;
    VectorWriter w(stream);
    for (uint32_t v : {0u, 300u, 70000u, 0xffffffffu}) WriteVarInt(w, v);
    Reader r(stream);
    for (uint32_t v : {0u, 300u, 70000u, 0xffffffffu}) BOOST_CHECK_EQUAL(ReadVarInt<uint32_t>(r), v);
    BOOST_CHECK(r.empty());
}

BOOST_AUTO_TEST_CASE(overflow_is_rejected)
{
    // 2^32 does not fit a uint32_t.
    Bytes big = Encode(uint64_t{0x100000000});
    Reader r1(big);
    BOOST_CHECK_EXCEPTION(ReadVarInt<uint32_t>(r1), DeserializeError, [](const DeserializeError& e) {
        return std::string(e.what()) == "ReadVarInt(): size too large";
    });
    // Max fits, max + 1 does not.
    BOOST_CHECK_EQUAL(DecodeAll<uint16_t>(Encode(uint64_t{0xffff})), 0xffff);
    Bytes over16 = Encode(uint64_t{0x10000});
    Reader r2(over16);
    BOOST_CHECK_THROW(ReadVarInt<uint16_t>(r2), DeserializeError);
    // An endless run of continuation bytes overflows instead of looping.
    Bytes endless(20, 0xff);
    Reader r3(endless);
    BOOST_CHECK_THROW(ReadVarInt<uint64_t>(r3), DeserializeError);
    // uint64 max + 1 in the +1 scheme: 80 fe .. fe ff 00 would need 65 bits.
    Bytes over64 = ParseHex("80fefefefefefefeff00");
    Reader r4(over64);
    BOOST_CHECK_THROW(ReadVarInt<uint64_t>(r4), DeserializeError);
    // Truncated: a continuation byte with nothing after it.
    Bytes cut = ParseHex("80");
    Reader r5(cut);
    BOOST_CHECK_THROW(ReadVarInt<uint64_t>(r5), DeserializeError);
}

BOOST_AUTO_TEST_SUITE_END()
