#include "util/arith_uint256.h"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <random>

using namespace cairn;

namespace {

// A slow reference: 32 bytes, least significant first, every operation done
// byte by byte or bit by bit (a different shape from the limb code tested).
using Ref = std::array<uint8_t, 32>;

Ref ToRef(const arith_uint256& a)
{
    Ref r;
    for (int i = 0; i < 32; ++i) r[i] = uint8_t(a.GetLimb(i / 4) >> (8 * (i % 4)));
    return r;
}

arith_uint256 FromRef(const Ref& r)
{
    arith_uint256 a;
    for (int i = 31; i >= 0; --i) {
        a <<= 8;
        a |= arith_uint256(r[i]);
    }
    return a;
}

Ref RefAdd(const Ref& a, const Ref& b)
{
    Ref r{};
    unsigned carry = 0;
    for (int i = 0; i < 32; ++i) {
        unsigned s = a[i] + b[i] + carry;
        r[i] = uint8_t(s);
        carry = s >> 8;
    }
    return r;
}

Ref RefNot(const Ref& a)
{
    Ref r;
    for (int i = 0; i < 32; ++i) r[i] = uint8_t(~a[i]);
    return r;
}

Ref RefSub(const Ref& a, const Ref& b)
{
    Ref one{};
    one[0] = 1;
    return RefAdd(a, RefAdd(RefNot(b), one)); // two's complement
}

Ref RefMul(const Ref& a, const Ref& b)
{
    std::array<unsigned, 32> acc{};
    for (int i = 0; i < 32; ++i) {
        for (int j = 0; i + j < 32; ++j) acc[i + j] += unsigned(a[i]) * b[j];
        // Keep the accumulators small enough not to overflow.
        for (int k = 0; k < 31; ++k) {
            acc[k + 1] += acc[k] >> 8;
            acc[k] &= 0xff;
        }
        acc[31] &= 0xff;
    }
    Ref r;
    for (int i = 0; i < 32; ++i) r[i] = uint8_t(acc[i]);
    return r;
}

bool RefBit(const Ref& a, int n) { return (a[n / 8] >> (n % 8)) & 1; }

Ref RefShl(const Ref& a, unsigned n)
{
    Ref r{};
    for (int i = 255; i >= 0; --i) {
        if (i - int(n) >= 0 && n < 256 && RefBit(a, i - int(n))) r[i / 8] |= uint8_t(1 << (i % 8));
    }
    return r;
}

Ref RefShr(const Ref& a, unsigned n)
{
    Ref r{};
    for (int i = 0; i < 256; ++i) {
        if (n < 256 && i + int(n) < 256 && RefBit(a, i + int(n))) r[i / 8] |= uint8_t(1 << (i % 8));
    }
    return r;
}

int RefCmp(const Ref& a, const Ref& b)
{
    for (int i = 31; i >= 0; --i) {
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

/** Restoring division, one bit at a time from the top. */
std::pair<Ref, Ref> RefDivMod(const Ref& a, const Ref& b)
{
    Ref q{}, r{};
    for (int i = 255; i >= 0; --i) {
        r = RefShl(r, 1);
        if (RefBit(a, i)) r[0] |= 1;
        if (RefCmp(r, b) >= 0) {
            r = RefSub(r, b);
            q[i / 8] |= uint8_t(1 << (i % 8));
        }
    }
    return {q, r};
}

/** Random values of random bit lengths, so that small and large both occur. */
arith_uint256 RandomValue(std::mt19937_64& rng)
{
    arith_uint256 v;
    for (int i = 0; i < 4; ++i) {
        v <<= 64;
        v |= arith_uint256(rng());
    }
    return v >> unsigned(rng() % 256);
}

} // namespace

BOOST_AUTO_TEST_SUITE(arith_uint256_tests)

BOOST_AUTO_TEST_CASE(basics)
{
    arith_uint256 zero;
    BOOST_CHECK(zero == 0);
    BOOST_CHECK_EQUAL(zero.bits(), 0u);
    BOOST_CHECK_EQUAL(arith_uint256(1).bits(), 1u);
    BOOST_CHECK_EQUAL((arith_uint256(1) << 255).bits(), 256u);
    BOOST_CHECK_EQUAL(arith_uint256(0x123456789abcdef0ULL).GetLow64(), 0x123456789abcdef0ULL);
    BOOST_CHECK((arith_uint256(1) << 256) == 0);
    BOOST_CHECK((arith_uint256(1) << 1000) == 0);
    BOOST_CHECK((~arith_uint256(0) >> 255) == 1);
    BOOST_CHECK(~arith_uint256(0) + 1 == 0);       // wraps
    BOOST_CHECK(arith_uint256(0) - 1 == ~arith_uint256(0));
    BOOST_CHECK(-arith_uint256(1) == ~arith_uint256(0));
    BOOST_CHECK(arith_uint256(5) > arith_uint256(4));
    BOOST_CHECK(arith_uint256(1) << 64 > arith_uint256(~uint64_t(0)));

    arith_uint256 x = 7;
    BOOST_CHECK(x++ == 7 && x == 8);
    BOOST_CHECK(x-- == 8 && x == 7);
    arith_uint256 m = arith_uint256(1) << 64;
    --m;
    BOOST_CHECK(m == arith_uint256(~uint64_t(0)));
    ++m;
    BOOST_CHECK(m == arith_uint256(1) << 64);

    BOOST_CHECK_THROW(arith_uint256(1) / arith_uint256(0), uint_error);

    // Only a real uint32_t takes the one-word multiply; a wider integer is
    // never cut to 32 bits.
    BOOST_CHECK(arith_uint256(3) * int64_t(1) << 40 == arith_uint256(3) << 40);
    BOOST_CHECK(arith_uint256(3) * int64_t(int64_t(1) << 40) == arith_uint256(3) << 40);
    arith_uint256 y = 5;
    y *= uint64_t(1) << 33;
    BOOST_CHECK(y == arith_uint256(5) << 33);
    y *= uint32_t(2);
    BOOST_CHECK(y == arith_uint256(5) << 34);
    BOOST_CHECK(arith_uint256(7) / 2 == 3);

    BOOST_CHECK_EQUAL(arith_uint256(0).getdouble(), 0.0);
    BOOST_CHECK_EQUAL((arith_uint256(1) << 255).getdouble(), std::ldexp(1.0, 255));
    BOOST_CHECK_EQUAL(arith_uint256(123456789012345ULL).getdouble(), 123456789012345.0);
    BOOST_CHECK_EQUAL((arith_uint256(3) << 100).getdouble(), std::ldexp(3.0, 100));
}

BOOST_AUTO_TEST_CASE(uint256_conversion_and_hex)
{
    const auto h = uint256::FromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    BOOST_REQUIRE(h);
    const arith_uint256 a = UintToArith256(*h);
    BOOST_CHECK(ArithToUint256(a) == *h);
    BOOST_CHECK_EQUAL(a.GetHex(), h->GetHex());
    // The hex form is the number: its low 64 bits are the last 16 digits.
    BOOST_CHECK_EQUAL(a.GetLow64(), 0x72b3f1b60a8ce26fULL);
    BOOST_CHECK_EQUAL(a.bits(), 256u - 43u); // ten zero hex digits, then 0x1 = 0001
    BOOST_CHECK_EQUAL(arith_uint256(0x1234).GetHex(),
                      "0000000000000000000000000000000000000000000000000000000000001234");
}

BOOST_AUTO_TEST_CASE(random_against_reference)
{
    std::mt19937_64 rng(20240901);
    for (int iter = 0; iter < 400; ++iter) {
        const arith_uint256 a = RandomValue(rng);
        arith_uint256 b = RandomValue(rng);
        const Ref ra = ToRef(a);
        const Ref rb = ToRef(b);
        BOOST_CHECK(FromRef(ra) == a);

        BOOST_CHECK(ToRef(a + b) == RefAdd(ra, rb));
        BOOST_CHECK(ToRef(a - b) == RefSub(ra, rb));
        BOOST_CHECK(ToRef(a * b) == RefMul(ra, rb));
        BOOST_CHECK(ToRef(~a) == RefNot(ra));
        BOOST_CHECK_EQUAL(a.Compare(b), RefCmp(ra, rb));
        BOOST_CHECK_EQUAL(a == b, RefCmp(ra, rb) == 0);
        BOOST_CHECK_EQUAL(a < b, RefCmp(ra, rb) < 0);

        const uint32_t small = uint32_t(rng());
        Ref rsmall{};
        for (int i = 0; i < 4; ++i) rsmall[i] = uint8_t(small >> (8 * i));
        BOOST_CHECK(ToRef(a * small) == RefMul(ra, rsmall));

        const unsigned shift = unsigned(rng() % 300);
        BOOST_CHECK(ToRef(a << shift) == RefShl(ra, shift));
        BOOST_CHECK(ToRef(a >> shift) == RefShr(ra, shift));

        if (b == 0) b = 1;
        const auto [q, r] = RefDivMod(ra, ToRef(b));
        const arith_uint256 quot = a / b;
        BOOST_CHECK(ToRef(quot) == q);
        // And the defining identity, independently of the reference.
        const arith_uint256 rem = a - quot * b;
        BOOST_CHECK(ToRef(rem) == r);
        BOOST_CHECK(rem < b);

        // Bitwise operators, limb by limb.
        for (int i = 0; i < arith_uint256::LIMBS; ++i) {
            BOOST_CHECK_EQUAL((a & b).GetLimb(i), a.GetLimb(i) & b.GetLimb(i));
            BOOST_CHECK_EQUAL((a | b).GetLimb(i), a.GetLimb(i) | b.GetLimb(i));
            BOOST_CHECK_EQUAL((a ^ b).GetLimb(i), a.GetLimb(i) ^ b.GetLimb(i));
        }
    }
}

BOOST_AUTO_TEST_CASE(small_values_against_int128)
{
    std::mt19937_64 rng(7);
    for (int iter = 0; iter < 2000; ++iter) {
        // One draw per statement, so that the sequence does not depend on the
        // compiler's choice of evaluation order.
        auto draw = [&rng](unsigned max_shift) {
            const uint64_t v = rng();
            return v >> (rng() % max_shift);
        };
        const uint64_t x_hi = draw(64);
        const uint64_t x_lo = rng();
        const unsigned __int128 x = (unsigned __int128)x_hi << 64 | x_lo;
        const uint64_t y_hi = draw(64);
        const unsigned y_shift = unsigned(rng() % 64);
        const uint64_t y_lo = draw(64);
        unsigned __int128 y = (unsigned __int128)y_hi << y_shift | y_lo;
        if (y == 0) y = 3;
        auto make = [](unsigned __int128 v) { return (arith_uint256(uint64_t(v >> 64)) << 64) | arith_uint256(uint64_t(v)); };
        auto low128 = [](const arith_uint256& v) {
            return (unsigned __int128)(v >> 64).GetLow64() << 64 | v.GetLow64();
        };
        const arith_uint256 ax = make(x), ay = make(y);
        BOOST_CHECK(low128(ax / ay) == x / y);
        BOOST_CHECK(low128(ax - (ax / ay) * ay) == x % y);
        BOOST_CHECK(low128(ax + ay) == x + y); // both wrap the same way mod 2^128
        if (x >= y) BOOST_CHECK(low128(ax - ay) == x - y);
        const uint64_t lo = uint64_t(x);
        const uint64_t lo2 = uint64_t(y);
        BOOST_CHECK(low128(arith_uint256(lo) * arith_uint256(lo2)) == (unsigned __int128)lo * lo2);
    }
}

BOOST_AUTO_TEST_CASE(compact_decoding)
{
    struct Case {
        uint32_t compact;
        uint64_t value;
        bool negative;
        bool overflow;
        uint32_t reencoded; // GetCompact(negative)
    };
    const Case cases[] = {
        {0x00000000, 0, false, false, 0},
        {0x00123456, 0, false, false, 0},      // size 0: all digits shifted out
        {0x01003456, 0, false, false, 0},
        {0x02000056, 0, false, false, 0},
        {0x03000000, 0, false, false, 0},
        {0x04000000, 0, false, false, 0},
        {0x00923456, 0, false, false, 0},      // sign bit on a zero value: not negative
        {0x01803456, 0, false, false, 0},
        {0x02800056, 0, false, false, 0},
        {0x03800000, 0, false, false, 0},
        {0x04800000, 0, false, false, 0},
        {0x01123456, 0x12, false, false, 0x01120000},
        {0x01fedcba, 0x7e, true, false, 0x01fe0000},
        {0x02123456, 0x1234, false, false, 0x02123400},
        {0x03123456, 0x123456, false, false, 0x03123456},
        {0x04123456, 0x12345600, false, false, 0x04123456},
        {0x04923456, 0x12345600, true, false, 0x04923456},
        {0x05009234, 0x92340000, false, false, 0x05009234}, // mantissa moves right to avoid the sign bit
        {0x1d00ffff, 0, false, false, 0x1d00ffff},           // value checked below
    };
    for (const Case& c : cases) {
        bool neg = false, ovf = false;
        arith_uint256 v;
        v.SetCompact(c.compact, &neg, &ovf);
        BOOST_CHECK_EQUAL(neg, c.negative);
        BOOST_CHECK_EQUAL(ovf, c.overflow);
        if (c.compact != 0x1d00ffff) BOOST_CHECK(v == c.value);
        BOOST_CHECK_EQUAL(v.GetCompact(neg), c.reencoded);
    }

    arith_uint256 genesis_target;
    genesis_target.SetCompact(0x1d00ffff);
    BOOST_CHECK_EQUAL(genesis_target.GetHex(), "00000000ffff0000000000000000000000000000000000000000000000000000");

    arith_uint256 big;
    big.SetCompact(0x20123456);
    BOOST_CHECK(big == arith_uint256(0x123456) << (8 * 29));
    BOOST_CHECK_EQUAL(big.GetCompact(), 0x20123456u);
}

BOOST_AUTO_TEST_CASE(compact_overflow_edges)
{
    auto overflows = [](uint32_t compact) {
        bool neg = false, ovf = false;
        arith_uint256 v;
        v.SetCompact(compact, &neg, &ovf);
        return ovf;
    };
    BOOST_CHECK(overflows(0xff123456));
    BOOST_CHECK(overflows(0x23000001));  // size 35, any digit
    BOOST_CHECK(!overflows(0x22000000)); // a zero mantissa never overflows
    BOOST_CHECK(!overflows(0xff000000));
    BOOST_CHECK(!overflows(0x220000ff)); // size 34: one byte fits at the top
    BOOST_CHECK(overflows(0x22000100));
    BOOST_CHECK(!overflows(0x2100ffff)); // size 33: two bytes fit
    BOOST_CHECK(overflows(0x21010000));
    BOOST_CHECK(!overflows(0x207fffff)); // size 32: three bytes fit (regtest's limit)
    BOOST_CHECK(overflows(0x23800001)); // negative and overflowing at once

    arith_uint256 v;
    v.SetCompact(0x220000ff);
    BOOST_CHECK(v == arith_uint256(0xff) << 248);
    BOOST_CHECK_EQUAL(v.GetCompact(), 0x2100ff00u); // re-encoded canonically
    v.SetCompact(0x2100ffff);
    BOOST_CHECK(v == arith_uint256(0xffff) << 240);
    BOOST_CHECK_EQUAL(v.GetCompact(), 0x2100ffffu);

    // The largest value encodes as 0x2100ffff: rounding keeps two bytes at size 33.
    BOOST_CHECK_EQUAL((~arith_uint256(0)).GetCompact(), 0x2100ffffu);
    // Null pointers are fine.
    v.SetCompact(0xff123456, nullptr, nullptr);
}

BOOST_AUTO_TEST_CASE(compact_round_trips)
{
    std::mt19937_64 rng(42);
    for (int iter = 0; iter < 2000; ++iter) {
        const arith_uint256 x = RandomValue(rng);
        const uint32_t c = x.GetCompact();
        BOOST_CHECK_EQUAL(c & 0x00800000, 0u); // never negative when not asked
        bool neg = true, ovf = true;
        arith_uint256 y;
        y.SetCompact(c, &neg, &ovf);
        BOOST_CHECK(!neg);
        BOOST_CHECK(!ovf);
        // Decoding keeps the top (up to) 24 significant bits and rounds down.
        BOOST_CHECK(y <= x);
        const unsigned size = c >> 24;
        if (size > 3) {
            BOOST_CHECK(y == (x >> (8 * (size - 3))) << (8 * (size - 3)));
        } else {
            BOOST_CHECK(y == x);
        }
        // Re-encoding is stable.
        BOOST_CHECK_EQUAL(y.GetCompact(), c);
        // With the sign.
        if (x != 0) {
            const uint32_t cn = x.GetCompact(true);
            BOOST_CHECK_EQUAL(cn, c | 0x00800000);
            arith_uint256 z;
            z.SetCompact(cn, &neg, &ovf);
            BOOST_CHECK(neg);
            BOOST_CHECK(z == y);
        } else {
            BOOST_CHECK_EQUAL(x.GetCompact(true), 0u);
        }
    }
    // Random compact values: decoding then encoding gives the canonical form,
    // which decodes to the same number.
    for (int iter = 0; iter < 2000; ++iter) {
        const uint32_t c = uint32_t(rng());
        bool neg = false, ovf = false;
        arith_uint256 v;
        v.SetCompact(c, &neg, &ovf);
        if (ovf) continue;
        const uint32_t canon = v.GetCompact(neg);
        arith_uint256 w;
        bool neg2 = false, ovf2 = false;
        w.SetCompact(canon, &neg2, &ovf2);
        BOOST_CHECK(w == v);
        BOOST_CHECK_EQUAL(neg2, neg);
        BOOST_CHECK(!ovf2);
    }
}

BOOST_AUTO_TEST_SUITE_END()
