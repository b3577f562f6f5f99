// Poly1305 (RFC 8439 section 2.5) in radix 2^64.
//
// The accumulator h = h0 + h1*2^64 + h2*2^128 is kept partially reduced
// modulo p = 2^130 - 5 (h2 stays below 8). Clamping clears the low two bits
// of r1, so r1 * 2^128 = (r1/4) * 2^130 = 5 * r1/4 = r1 + r1/4 (mod p), which
// is s1. Multiplying by r = r0 + r1*2^64 then gives
//   h*r = (h0*r0 + h1*s1) + (h0*r1 + h1*r0 + h2*s1)*2^64 + (h2*r0)*2^128
// with every product below 2^128 and every column sum below 2^127.
#include "crypto/poly1305.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string.h> // explicit_bzero

namespace cairn {
namespace {

using u128 = unsigned __int128;

inline uint64_t ReadLE64(const uint8_t* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

inline void WriteLE64(uint8_t* p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    std::memcpy(p, &v, 8);
}

} // namespace

Poly1305::Poly1305(ByteSpan key)
{
    if (key.size() != KEYLEN) throw std::invalid_argument("Poly1305: key must be 32 bytes");
    // Clamp r (RFC 8439 2.5.1): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff.
    m_r0 = ReadLE64(key.data()) & 0x0ffffffc0fffffffULL;
    m_r1 = ReadLE64(key.data() + 8) & 0x0ffffffc0ffffffcULL;
    m_s1 = m_r1 + (m_r1 >> 2);
    m_pad0 = ReadLE64(key.data() + 16);
    m_pad1 = ReadLE64(key.data() + 24);
    std::memset(m_buf, 0, sizeof(m_buf));
}

Poly1305::~Poly1305()
{
    explicit_bzero(&m_r0, sizeof(m_r0));
    explicit_bzero(&m_r1, sizeof(m_r1));
    explicit_bzero(&m_s1, sizeof(m_s1));
    explicit_bzero(&m_pad0, sizeof(m_pad0));
    explicit_bzero(&m_pad1, sizeof(m_pad1));
    explicit_bzero(m_buf, sizeof(m_buf));
}

void Poly1305::Blocks(const uint8_t* p, size_t blocks, uint64_t hibit)
{
    const uint64_t r0 = m_r0, r1 = m_r1, s1 = m_s1;
    uint64_t h0 = m_h0, h1 = m_h1, h2 = m_h2;
    for (; blocks > 0; --blocks, p += 16) {
        // h += block (with the 2^128 bit for full blocks)
        u128 t = u128(h0) + ReadLE64(p);
        h0 = uint64_t(t);
        t = u128(h1) + ReadLE64(p + 8) + uint64_t(t >> 64);
        h1 = uint64_t(t);
        h2 += uint64_t(t >> 64) + hibit;
        // h *= r (mod p), partially
        const u128 d0 = u128(h0) * r0 + u128(h1) * s1;
        u128 d1 = u128(h0) * r1 + u128(h1) * r0 + u128(h2) * s1;
        uint64_t d2 = h2 * r0;
        d1 += uint64_t(d0 >> 64);
        d2 += uint64_t(d1 >> 64);
        h0 = uint64_t(d0);
        h1 = uint64_t(d1);
        // fold bits 130 and up: 2^130 = 5
        const uint64_t c = (d2 >> 2) * 5;
        h2 = d2 & 3;
        t = u128(h0) + c;
        h0 = uint64_t(t);
        t = u128(h1) + uint64_t(t >> 64);
        h1 = uint64_t(t);
        h2 += uint64_t(t >> 64);
    }
    m_h0 = h0;
    m_h1 = h1;
    m_h2 = h2;
}

Poly1305& Poly1305::Update(ByteSpan msg)
{
    const uint8_t* p = msg.data();
    size_t n = msg.size();
    if (m_buflen) {
        const size_t take = std::min(n, 16 - m_buflen);
        std::memcpy(m_buf + m_buflen, p, take);
        m_buflen += take;
        p += take;
        n -= take;
        if (m_buflen < 16) return *this;
        Blocks(m_buf, 1, 1);
        m_buflen = 0;
    }
    if (n >= 16) {
        Blocks(p, n / 16, 1);
        p += n / 16 * 16;
        n %= 16;
    }
    if (n) {
        std::memcpy(m_buf, p, n);
        m_buflen = n;
    }
    return *this;
}

void Poly1305::Finalize(MutableByteSpan tag)
{
    if (tag.size() != TAGLEN) throw std::invalid_argument("Poly1305: tag must be 16 bytes");
    if (m_buflen) {
        // A short last block gets a 1 byte after it and no 2^128 bit.
        m_buf[m_buflen] = 1;
        std::memset(m_buf + m_buflen + 1, 0, 16 - m_buflen - 1);
        Blocks(m_buf, 1, 0);
        m_buflen = 0;
    }
    uint64_t h0 = m_h0, h1 = m_h1, h2 = m_h2;
    // Carry h2 down once more so that h < 2^130 + small, then reduce fully:
    // h mod p is h - p when h + 5 reaches 2^130, else h.
    uint64_t c = (h2 >> 2) * 5;
    h2 &= 3;
    u128 t = u128(h0) + c;
    h0 = uint64_t(t);
    t = u128(h1) + uint64_t(t >> 64);
    h1 = uint64_t(t);
    h2 += uint64_t(t >> 64);

    t = u128(h0) + 5;
    uint64_t g0 = uint64_t(t);
    t = u128(h1) + uint64_t(t >> 64);
    uint64_t g1 = uint64_t(t);
    uint64_t g2 = h2 + uint64_t(t >> 64);
    // mask = all ones when g >= 2^130 (use g), else zero (keep h)
    const uint64_t mask = 0 - (g2 >> 2);
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);

    // tag = (h + s) mod 2^128
    t = u128(h0) + m_pad0;
    h0 = uint64_t(t);
    h1 = h1 + m_pad1 + uint64_t(t >> 64);
    WriteLE64(tag.data(), h0);
    WriteLE64(tag.data() + 8, h1);
}

void Poly1305Auth(ByteSpan key, ByteSpan msg, MutableByteSpan tag)
{
    Poly1305 p{key};
    p.Update(msg).Finalize(tag);
}

} // namespace cairn
