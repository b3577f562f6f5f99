#include "util/arith_uint256.h"

namespace cairn {

arith_uint256 arith_uint256::operator~() const
{
    arith_uint256 r;
    for (int i = 0; i < LIMBS; ++i) r.m_limb[i] = ~m_limb[i];
    return r;
}

arith_uint256& arith_uint256::operator^=(const arith_uint256& b)
{
    for (int i = 0; i < LIMBS; ++i) m_limb[i] ^= b.m_limb[i];
    return *this;
}

arith_uint256& arith_uint256::operator&=(const arith_uint256& b)
{
    for (int i = 0; i < LIMBS; ++i) m_limb[i] &= b.m_limb[i];
    return *this;
}

arith_uint256& arith_uint256::operator|=(const arith_uint256& b)
{
    for (int i = 0; i < LIMBS; ++i) m_limb[i] |= b.m_limb[i];
    return *this;
}

arith_uint256& arith_uint256::operator<<=(unsigned int shift)
{
    if (shift >= 256) return *this = arith_uint256{};
    const int words = int(shift / 32);
    const unsigned int rest = shift % 32;
    uint32_t out[LIMBS] = {};
    for (int i = LIMBS - 1; i >= words; --i) {
        uint32_t v = m_limb[i - words] << rest;
        if (rest && i - words - 1 >= 0) v |= m_limb[i - words - 1] >> (32 - rest);
        out[i] = v;
    }
    for (int i = 0; i < LIMBS; ++i) m_limb[i] = out[i];
    return *this;
}

arith_uint256& arith_uint256::operator>>=(unsigned int shift)
{
    if (shift >= 256) return *this = arith_uint256{};
    const int words = int(shift / 32);
    const unsigned int rest = shift % 32;
    uint32_t out[LIMBS] = {};
    for (int i = 0; i + words < LIMBS; ++i) {
        uint32_t v = m_limb[i + words] >> rest;
        if (rest && i + words + 1 < LIMBS) v |= m_limb[i + words + 1] << (32 - rest);
        out[i] = v;
    }
    for (int i = 0; i < LIMBS; ++i) m_limb[i] = out[i];
    return *this;
}

arith_uint256 arith_uint256::operator-() const
{
    arith_uint256 r = ~*this;
    return ++r;
}

arith_uint256& arith_uint256::operator+=(const arith_uint256& b)
{
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; ++i) {
        uint64_t sum = carry + m_limb[i] + b.m_limb[i];
        m_limb[i] = uint32_t(sum);
        carry = sum >> 32;
    }
    return *this;
}

arith_uint256& arith_uint256::operator-=(const arith_uint256& b)
{
    uint64_t borrow = 0;
    for (int i = 0; i < LIMBS; ++i) {
        uint64_t diff = uint64_t(m_limb[i]) - b.m_limb[i] - borrow;
        m_limb[i] = uint32_t(diff);
        borrow = (diff >> 32) ? 1 : 0; // wrapped below zero
    }
    return *this;
}

arith_uint256& arith_uint256::MulWord(uint32_t b)
{
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; ++i) {
        uint64_t prod = uint64_t(m_limb[i]) * b + carry;
        m_limb[i] = uint32_t(prod);
        carry = prod >> 32;
    }
    return *this;
}

arith_uint256& arith_uint256::operator*=(const arith_uint256& b)
{
    uint32_t out[LIMBS] = {};
    for (int i = 0; i < LIMBS; ++i) {
        uint64_t carry = 0;
        for (int j = 0; i + j < LIMBS; ++j) {
            uint64_t cur = uint64_t(m_limb[i]) * b.m_limb[j] + out[i + j] + carry;
            out[i + j] = uint32_t(cur);
            carry = cur >> 32;
        }
    }
    for (int i = 0; i < LIMBS; ++i) m_limb[i] = out[i];
    return *this;
}

arith_uint256& arith_uint256::operator/=(const arith_uint256& b)
{
    if (b == 0) throw uint_error("division by zero");
    // Shift-and-subtract long division: align the divisor's top bit with the
    // dividend's, then walk it back down one bit at a time.
    arith_uint256 rem = *this;
    arith_uint256 quot;
    const unsigned int rem_bits = rem.bits();
    const unsigned int div_bits = b.bits();
    if (rem_bits >= div_bits) {
        unsigned int shift = rem_bits - div_bits;
        arith_uint256 d = b << shift;
        while (true) {
            if (rem >= d) {
                rem -= d;
                quot.m_limb[shift / 32] |= uint32_t(1) << (shift % 32);
            }
            if (shift == 0) break;
            d >>= 1;
            --shift;
        }
    }
    return *this = quot;
}

arith_uint256& arith_uint256::operator++()
{
    for (int i = 0; i < LIMBS; ++i) {
        if (++m_limb[i] != 0) break;
    }
    return *this;
}

arith_uint256 arith_uint256::operator++(int)
{
    arith_uint256 old = *this;
    ++*this;
    return old;
}

arith_uint256& arith_uint256::operator--()
{
    for (int i = 0; i < LIMBS; ++i) {
        if (m_limb[i]-- != 0) break;
    }
    return *this;
}

arith_uint256 arith_uint256::operator--(int)
{
    arith_uint256 old = *this;
    --*this;
    return old;
}

int arith_uint256::Compare(const arith_uint256& b) const
{
    for (int i = LIMBS - 1; i >= 0; --i) {
        if (m_limb[i] < b.m_limb[i]) return -1;
        if (m_limb[i] > b.m_limb[i]) return 1;
    }
    return 0;
}

unsigned int arith_uint256::bits() const
{
    for (int i = LIMBS - 1; i >= 0; --i) {
        if (m_limb[i] == 0) continue;
        unsigned int n = 32;
        while (!(m_limb[i] >> (n - 1))) --n;
        return 32 * unsigned(i) + n;
    }
    return 0;
}

double arith_uint256::getdouble() const
{
    double result = 0.0;
    double scale = 1.0;
    for (int i = 0; i < LIMBS; ++i) {
        result += scale * m_limb[i];
        scale *= 4294967296.0;
    }
    return result;
}

arith_uint256& arith_uint256::SetCompact(uint32_t compact, bool* negative, bool* overflow)
{
    const unsigned int size = compact >> 24;
    uint32_t mantissa = compact & 0x007fffff;
    if (size <= 3) {
        mantissa >>= 8 * (3 - size);
        *this = mantissa;
    } else {
        *this = mantissa;
        *this <<= 8 * (size - 3);
    }
    if (negative) *negative = mantissa != 0 && (compact & 0x00800000) != 0;
    if (overflow) {
        // The mantissa's top non-zero byte must land within the 32 bytes.
        *overflow = mantissa != 0 &&
                    (size > 34 || (mantissa > 0xff && size > 33) || (mantissa > 0xffff && size > 32));
    }
    return *this;
}

uint32_t arith_uint256::GetCompact(bool negative) const
{
    unsigned int size = (bits() + 7) / 8;
    uint32_t mantissa;
    if (size <= 3) {
        mantissa = uint32_t(GetLow64() << (8 * (3 - size)));
    } else {
        mantissa = uint32_t((*this >> (8 * (size - 3))).GetLow64());
    }
    // Bit 23 is the sign: a mantissa reaching it moves one byte to the right.
    if (mantissa & 0x00800000) {
        mantissa >>= 8;
        ++size;
    }
    uint32_t compact = mantissa | uint32_t(size) << 24;
    if (negative && (compact & 0x007fffff) != 0) compact |= 0x00800000;
    return compact;
}

std::string arith_uint256::GetHex() const { return ArithToUint256(*this).GetHex(); }

uint256 ArithToUint256(const arith_uint256& a)
{
    uint256 out;
    for (int i = 0; i < arith_uint256::LIMBS; ++i) {
        for (int j = 0; j < 4; ++j) out.data()[4 * i + j] = uint8_t(a.m_limb[i] >> (8 * j));
    }
    return out;
}

arith_uint256 UintToArith256(const uint256& a)
{
    arith_uint256 out;
    for (int i = 0; i < arith_uint256::LIMBS; ++i) {
        const uint8_t* p = a.data() + 4 * i;
        out.m_limb[i] = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    }
    return out;
}

} // namespace cairn
