// 256-bit unsigned integers with arithmetic, for proof-of-work targets and
// chain work, and the "compact" nBits encoding of targets.
//
// uint256 (util/uint256.h) is an opaque blob of hash bytes; arith_uint256 is
// a number. UintToArith256 / ArithToUint256 convert between the two, reading
// the blob's bytes as a little-endian number (so a block hash, printed
// reversed as usual, reads as the number one compares with the target).
//
// All arithmetic is modulo 2^256, like the unsigned built-in types; division
// by zero throws uint_error.
#ifndef CAIRN_UTIL_ARITH_UINT256_H
#define CAIRN_UTIL_ARITH_UINT256_H

#include "util/uint256.h"

#include <compare>
#include <concepts>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace cairn {

class uint_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class arith_uint256
{
public:
    /** Number of 32-bit limbs, least significant first. */
    static constexpr int LIMBS = 8;

    constexpr arith_uint256() : m_limb{} {}
    /** Implicit, so that `x == 0` and `return 0;` read naturally. */
    constexpr arith_uint256(uint64_t v) : m_limb{}
    {
        m_limb[0] = uint32_t(v);
        m_limb[1] = uint32_t(v >> 32);
    }

    // Bitwise
    arith_uint256 operator~() const;
    arith_uint256& operator^=(const arith_uint256& b);
    arith_uint256& operator&=(const arith_uint256& b);
    arith_uint256& operator|=(const arith_uint256& b);
    /** Shifts by any amount; by 256 or more the result is zero. */
    arith_uint256& operator<<=(unsigned int shift);
    arith_uint256& operator>>=(unsigned int shift);

    // Arithmetic (modulo 2^256)
    arith_uint256 operator-() const;
    arith_uint256& operator+=(const arith_uint256& b);
    arith_uint256& operator-=(const arith_uint256& b);
    /** Multiplication by a 32-bit word (faster). Only an actual uint32_t picks
     *  it: other integers convert to arith_uint256, so an int64_t factor is
     *  never silently truncated to 32 bits. */
    template <std::same_as<uint32_t> U>
    arith_uint256& operator*=(U b)
    {
        return MulWord(b);
    }
    arith_uint256& operator*=(const arith_uint256& b);
    /** Truncating division; throws uint_error when b is zero. */
    arith_uint256& operator/=(const arith_uint256& b);
    arith_uint256& operator++();
    arith_uint256 operator++(int);
    arith_uint256& operator--();
    arith_uint256 operator--(int);

    friend arith_uint256 operator+(arith_uint256 a, const arith_uint256& b) { return a += b; }
    friend arith_uint256 operator-(arith_uint256 a, const arith_uint256& b) { return a -= b; }
    friend arith_uint256 operator*(arith_uint256 a, const arith_uint256& b) { return a *= b; }
    template <std::same_as<uint32_t> U>
    friend arith_uint256 operator*(arith_uint256 a, U b)
    {
        return a.MulWord(b);
    }
    friend arith_uint256 operator/(arith_uint256 a, const arith_uint256& b) { return a /= b; }
    friend arith_uint256 operator^(arith_uint256 a, const arith_uint256& b) { return a ^= b; }
    friend arith_uint256 operator&(arith_uint256 a, const arith_uint256& b) { return a &= b; }
    friend arith_uint256 operator|(arith_uint256 a, const arith_uint256& b) { return a |= b; }
    friend arith_uint256 operator<<(arith_uint256 a, unsigned int shift) { return a <<= shift; }
    friend arith_uint256 operator>>(arith_uint256 a, unsigned int shift) { return a >>= shift; }

    friend bool operator==(const arith_uint256& a, const arith_uint256& b) { return a.Compare(b) == 0; }
    friend std::strong_ordering operator<=>(const arith_uint256& a, const arith_uint256& b)
    {
        return a.Compare(b) <=> 0;
    }

    /** -1, 0 or 1. */
    int Compare(const arith_uint256& b) const;

    /** Position of the highest set bit plus one; 0 for zero. */
    unsigned int bits() const;
    /** The low 64 bits. */
    uint64_t GetLow64() const { return m_limb[0] | uint64_t(m_limb[1]) << 32; }
    /** The nearest double (exact up to 2^53, then rounded limb by limb). */
    double getdouble() const;
    /** Limb i (0 = least significant). */
    uint32_t GetLimb(int i) const { return m_limb[i]; }
    static constexpr unsigned int size() { return 32; }

    /**
     * Decodes the compact form used for nBits: the top byte is a length in
     * bytes, the low 23 bits the most significant digits, bit 23 a sign.
     * Sets *negative when the sign bit is set on a non-zero mantissa and
     * *overflow when the value does not fit 256 bits (the value is then
     * truncated and must not be used). Either pointer may be null.
     */
    arith_uint256& SetCompact(uint32_t compact, bool* negative = nullptr, bool* overflow = nullptr);
    /** The compact form of this value (rounding toward zero to 3 significant
     *  bytes), with the sign bit set when `negative` and the value is non-zero. */
    uint32_t GetCompact(bool negative = false) const;

    /** Hex of the number, most significant digit first, 64 digits. */
    std::string GetHex() const;
    std::string ToString() const { return GetHex(); }

    friend uint256 ArithToUint256(const arith_uint256& a);
    friend arith_uint256 UintToArith256(const uint256& a);

private:
    arith_uint256& MulWord(uint32_t b);

    uint32_t m_limb[LIMBS];
};

uint256 ArithToUint256(const arith_uint256& a);
arith_uint256 UintToArith256(const uint256& a);

} // namespace cairn

#endif
