#include "crypto/sha512.h"

#include <algorithm>
#include <cstring>

namespace cairn {
namespace {

// FIPS 180-4 section 4.2.3.
constexpr uint64_t K[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

// FIPS 180-4 section 5.3.5.
constexpr uint64_t INIT[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

uint64_t ReadBE64(const uint8_t* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

void WriteBE64(uint8_t* p, uint64_t v)
{
    v = __builtin_bswap64(v);
    std::memcpy(p, &v, 8);
}

uint64_t Rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }
uint64_t Ch(uint64_t x, uint64_t y, uint64_t z) { return z ^ (x & (y ^ z)); }
uint64_t Maj(uint64_t x, uint64_t y, uint64_t z) { return (x & y) | (z & (x | y)); }
uint64_t BigSigma0(uint64_t x) { return Rotr(x, 28) ^ Rotr(x, 34) ^ Rotr(x, 39); }
uint64_t BigSigma1(uint64_t x) { return Rotr(x, 14) ^ Rotr(x, 18) ^ Rotr(x, 41); }
uint64_t SmallSigma0(uint64_t x) { return Rotr(x, 1) ^ Rotr(x, 8) ^ (x >> 7); }
uint64_t SmallSigma1(uint64_t x) { return Rotr(x, 19) ^ Rotr(x, 61) ^ (x >> 6); }

/** One round; callers rotate the argument list so only d and h change. */
inline void Round(uint64_t a, uint64_t b, uint64_t c, uint64_t& d, uint64_t e, uint64_t f, uint64_t g, uint64_t& h,
                  uint64_t wk)
{
    const uint64_t t1 = h + BigSigma1(e) + Ch(e, f, g) + wk;
    const uint64_t t2 = BigSigma0(a) + Maj(a, b, c);
    d += t1;
    h = t1 + t2;
}

void Transform(uint64_t* s, const uint8_t* block)
{
    uint64_t w[80];
    for (int i = 0; i < 16; ++i) w[i] = ReadBE64(block + 8 * i);
    for (int i = 16; i < 80; ++i) w[i] = SmallSigma1(w[i - 2]) + w[i - 7] + SmallSigma0(w[i - 15]) + w[i - 16];

    uint64_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 80; i += 8) {
        Round(a, b, c, d, e, f, g, h, w[i + 0] + K[i + 0]);
        Round(h, a, b, c, d, e, f, g, w[i + 1] + K[i + 1]);
        Round(g, h, a, b, c, d, e, f, w[i + 2] + K[i + 2]);
        Round(f, g, h, a, b, c, d, e, w[i + 3] + K[i + 3]);
        Round(e, f, g, h, a, b, c, d, w[i + 4] + K[i + 4]);
        Round(d, e, f, g, h, a, b, c, w[i + 5] + K[i + 5]);
        Round(c, d, e, f, g, h, a, b, w[i + 6] + K[i + 6]);
        Round(b, c, d, e, f, g, h, a, w[i + 7] + K[i + 7]);
    }
    s[0] += a; s[1] += b; s[2] += c; s[3] += d;
    s[4] += e; s[5] += f; s[6] += g; s[7] += h;
}

} // namespace

Sha512::Sha512() { Reset(); }

Sha512& Sha512::Reset()
{
    std::memcpy(m_state, INIT, sizeof(m_state));
    m_bytes = 0;
    return *this;
}

Sha512& Sha512::Write(ByteSpan data)
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

void Sha512::Finalize(uint8_t out[OUTPUT_SIZE])
{
    // 0x80, zeros up to 16 bytes short of a block boundary, then the
    // 128-bit big-endian bit length.
    static constexpr uint8_t PAD[BLOCK_SIZE] = {0x80};
    uint8_t length[16] = {};
    length[7] = uint8_t(m_bytes >> 61);
    WriteBE64(length + 8, m_bytes << 3);
    const size_t used = m_bytes % BLOCK_SIZE;
    const size_t pad_len = used < 112 ? 112 - used : 240 - used;
    Write({PAD, pad_len});
    Write(length);
    for (int i = 0; i < 8; ++i) WriteBE64(out + 8 * i, m_state[i]);
}

} // namespace cairn
