#include "crypto/ripemd160.h"

#include <algorithm>
#include <cstring>

namespace cairn {
namespace {

constexpr uint32_t INIT[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

// The two parallel lines of the compression function, as tabulated in the
// RIPEMD-160 paper: message word order, rotation amounts and the constant of
// each group of 16 steps.
constexpr uint8_t LEFT_WORD[80] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13};
constexpr uint8_t RIGHT_WORD[80] = {
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11};
constexpr uint8_t LEFT_ROT[80] = {
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6};
constexpr uint8_t RIGHT_ROT[80] = {
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11};
constexpr uint32_t LEFT_K[5] = {0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e};
constexpr uint32_t RIGHT_K[5] = {0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000};

uint32_t ReadLE32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v; // little-endian hosts only (checked in configure)
}

void WriteLE32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }

uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/** The five boolean functions f1..f5. The left line uses them in order, the
 *  right line in reverse. */
inline uint32_t F(int which, uint32_t x, uint32_t y, uint32_t z)
{
    switch (which) {
    case 0: return x ^ y ^ z;
    case 1: return (x & y) | (~x & z);
    case 2: return (x | ~y) ^ z;
    case 3: return (x & z) | (y & ~z);
    default: return x ^ (y | ~z);
    }
}

/** One step of one line: (a, b, c, d, e) becomes (e, t, b, rol(c, 10), d). */
inline void Step(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d, uint32_t& e, uint32_t f, uint32_t x, uint32_t k,
                 int rot)
{
    const uint32_t t = Rotl(a + f + x + k, rot) + e;
    a = e;
    e = d;
    d = Rotl(c, 10);
    c = b;
    b = t;
}

void Transform(uint32_t* s, const uint8_t* block)
{
    uint32_t x[16];
    for (int i = 0; i < 16; ++i) x[i] = ReadLE32(block + 4 * i);

    uint32_t al = s[0], bl = s[1], cl = s[2], dl = s[3], el = s[4];
    uint32_t ar = s[0], br = s[1], cr = s[2], dr = s[3], er = s[4];
    // Fully unrolled, the table lookups become immediates.
#pragma GCC unroll 80
    for (int j = 0; j < 80; ++j) {
        const int group = j / 16;
        Step(al, bl, cl, dl, el, F(group, bl, cl, dl), x[LEFT_WORD[j]], LEFT_K[group], LEFT_ROT[j]);
        Step(ar, br, cr, dr, er, F(4 - group, br, cr, dr), x[RIGHT_WORD[j]], RIGHT_K[group], RIGHT_ROT[j]);
    }
    const uint32_t t = s[1] + cl + dr;
    s[1] = s[2] + dl + er;
    s[2] = s[3] + el + ar;
    s[3] = s[4] + al + br;
    s[4] = s[0] + bl + cr;
    s[0] = t;
}

} // namespace

Ripemd160::Ripemd160() { Reset(); }

Ripemd160& Ripemd160::Reset()
{
    std::memcpy(m_state, INIT, sizeof(m_state));
    m_bytes = 0;
    return *this;
}

Ripemd160& Ripemd160::Write(ByteSpan data)
{
    if (data.empty()) return *this; // also keeps a null data() away from memcpy
    const uint8_t* p = data.data();
    size_t len = data.size();
    const size_t used = m_bytes % BLOCK_SIZE;
    m_bytes += len;
    if (used > 0) {
        const size_t take = std::min(len, BLOCK_SIZE - used);
        std::memcpy(m_buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < BLOCK_SIZE) return *this;
        Transform(m_state, m_buf);
    }
    for (; len >= BLOCK_SIZE; p += BLOCK_SIZE, len -= BLOCK_SIZE) Transform(m_state, p);
    if (len > 0) std::memcpy(m_buf, p, len);
    return *this;
}

void Ripemd160::Finalize(uint8_t out[OUTPUT_SIZE])
{
    // MD4-style padding: 0x80, zeros, then the bit length little-endian.
    static constexpr uint8_t PAD[BLOCK_SIZE] = {0x80};
    const uint64_t bits = m_bytes << 3;
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t(bits >> (8 * i));
    const size_t used = m_bytes % BLOCK_SIZE;
    Write({PAD, used < 56 ? 56 - used : 120 - used});
    Write(length);
    for (int i = 0; i < 5; ++i) WriteLE32(out + 4 * i, m_state[i]);
}

} // namespace cairn
