#include "crypto/sha1.h"

#include <algorithm>
#include <cstring>

namespace cairn {
namespace {

// FIPS 180-4 section 5.3.1.
constexpr uint32_t INIT[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

uint32_t ReadBE32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

void WriteBE32(uint8_t* p, uint32_t v)
{
    v = __builtin_bswap32(v);
    std::memcpy(p, &v, 4);
}

uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void Transform(uint32_t* s, const uint8_t* block)
{
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) w[i] = ReadBE32(block + 4 * i);
    for (int i = 16; i < 80; ++i) w[i] = Rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

    uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4];
    const auto step = [&](uint32_t f, uint32_t k, uint32_t word) {
        const uint32_t t = Rotl(a, 5) + f + e + k + word;
        e = d;
        d = c;
        c = Rotl(b, 30);
        b = a;
        a = t;
    };
    // FIPS 180-4 section 4.1.1: Ch, Parity, Maj, Parity, for 20 steps each.
    int i = 0;
    for (; i < 20; ++i) step(d ^ (b & (c ^ d)), 0x5a827999, w[i]);
    for (; i < 40; ++i) step(b ^ c ^ d, 0x6ed9eba1, w[i]);
    for (; i < 60; ++i) step((b & c) | (d & (b | c)), 0x8f1bbcdc, w[i]);
    for (; i < 80; ++i) step(b ^ c ^ d, 0xca62c1d6, w[i]);
    s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e;
}

} // namespace

Sha1::Sha1() { Reset(); }

Sha1& Sha1::Reset()
{
    std::memcpy(m_state, INIT, sizeof(m_state));
    m_bytes = 0;
    return *this;
}

Sha1& Sha1::Write(ByteSpan data)
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

void Sha1::Finalize(uint8_t out[OUTPUT_SIZE])
{
    // Same padding as SHA-256: 0x80, zeros, 64-bit big-endian bit length.
    static constexpr uint8_t PAD[BLOCK_SIZE] = {0x80};
    const uint64_t bits = m_bytes << 3;
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t(bits >> (56 - 8 * i));
    const size_t used = m_bytes % BLOCK_SIZE;
    Write({PAD, used < 56 ? 56 - used : 120 - used});
    Write(length);
    for (int i = 0; i < 5; ++i) WriteBE32(out + 4 * i, m_state[i]);
}

} // namespace cairn
