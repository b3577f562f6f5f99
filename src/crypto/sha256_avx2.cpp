// Eight double SHA-256 hashes of 64-byte inputs at once, one per 32-bit lane
// of a 256-bit register (compiled with -mavx -mavx2).
//
// Written with GCC vector types, so each operator below is one AVX2
// instruction over all eight lanes. Only sha256.cpp's dispatcher calls the
// entry point, after cpuid reported AVX2; all helpers stay in an anonymous
// namespace so no out-of-line copy built with these flags can be shared with
// portable code.
#include "crypto/sha256_internal.h"

#include <cstring>

namespace cairn::sha256_internal {
namespace {

constexpr int LANES = 8;
typedef uint32_t Vec __attribute__((vector_size(4 * LANES)));

inline Vec Splat(uint32_t x) { return Vec{} + x; }
inline Vec Rotr(Vec x, int n) { return (x >> n) | (x << (32 - n)); }
inline Vec Ch(Vec x, Vec y, Vec z) { return z ^ (x & (y ^ z)); }
inline Vec Maj(Vec x, Vec y, Vec z) { return (x & y) | (z & (x | y)); }
inline Vec BigSigma0(Vec x) { return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22); }
inline Vec BigSigma1(Vec x) { return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25); }
inline Vec SmallSigma0(Vec x) { return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3); }
inline Vec SmallSigma1(Vec x) { return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10); }

inline uint32_t ReadBE32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

inline void WriteBE32(uint8_t* p, uint32_t v)
{
    v = __builtin_bswap32(v);
    std::memcpy(p, &v, 4);
}

/** Word `i` of each of the eight 64-byte inputs. */
inline Vec Gather(const uint8_t* in, int i)
{
    Vec v;
    for (int l = 0; l < LANES; ++l) v[l] = ReadBE32(in + 64 * l + 4 * i);
    return v;
}

/** One round; callers rotate the argument list instead of moving variables. */
inline void Round(Vec a, Vec b, Vec c, Vec& d, Vec e, Vec f, Vec g, Vec& h, Vec wk)
{
    const Vec t1 = h + BigSigma1(e) + Ch(e, f, g) + wk;
    const Vec t2 = BigSigma0(a) + Maj(a, b, c);
    d += t1;
    h = t1 + t2;
}

struct State {
    Vec v[8];
};

/** Runs 64 rounds over `s` (with feed-forward) for the block whose 16 words
 *  are in w[0..15]; w is overwritten by the schedule. */
inline void Transform(State& s, Vec (&w)[16])
{
    Vec a = s.v[0], b = s.v[1], c = s.v[2], d = s.v[3], e = s.v[4], f = s.v[5], g = s.v[6], h = s.v[7];
#pragma GCC unroll 8
    for (int i = 0; i < 64; i += 8) {
        if (i >= 16) {
            // The schedule lives in a 16-word ring: w[j % 16] becomes W[j].
            for (int j = i; j < i + 8; ++j) {
                w[j % 16] += SmallSigma1(w[(j - 2) % 16]) + w[(j - 7) % 16] + SmallSigma0(w[(j - 15) % 16]);
            }
        }
        Vec* wi = &w[i % 16];
        Round(a, b, c, d, e, f, g, h, wi[0] + Splat(K[i + 0]));
        Round(h, a, b, c, d, e, f, g, wi[1] + Splat(K[i + 1]));
        Round(g, h, a, b, c, d, e, f, wi[2] + Splat(K[i + 2]));
        Round(f, g, h, a, b, c, d, e, wi[3] + Splat(K[i + 3]));
        Round(e, f, g, h, a, b, c, d, wi[4] + Splat(K[i + 4]));
        Round(d, e, f, g, h, a, b, c, wi[5] + Splat(K[i + 5]));
        Round(c, d, e, f, g, h, a, b, wi[6] + Splat(K[i + 6]));
        Round(b, c, d, e, f, g, h, a, wi[7] + Splat(K[i + 7]));
    }
    s.v[0] += a; s.v[1] += b; s.v[2] += c; s.v[3] += d;
    s.v[4] += e; s.v[5] += f; s.v[6] += g; s.v[7] += h;
}

/** The padding block after a 64-byte message: W+K is a precomputed constant. */
inline void TransformPad64(State& s)
{
    Vec a = s.v[0], b = s.v[1], c = s.v[2], d = s.v[3], e = s.v[4], f = s.v[5], g = s.v[6], h = s.v[7];
#pragma GCC unroll 8
    for (int i = 0; i < 64; i += 8) {
        const uint32_t* wk = &PAD64.wk[i];
        Round(a, b, c, d, e, f, g, h, Splat(wk[0]));
        Round(h, a, b, c, d, e, f, g, Splat(wk[1]));
        Round(g, h, a, b, c, d, e, f, Splat(wk[2]));
        Round(f, g, h, a, b, c, d, e, Splat(wk[3]));
        Round(e, f, g, h, a, b, c, d, Splat(wk[4]));
        Round(d, e, f, g, h, a, b, c, Splat(wk[5]));
        Round(c, d, e, f, g, h, a, b, Splat(wk[6]));
        Round(b, c, d, e, f, g, h, a, Splat(wk[7]));
    }
    s.v[0] += a; s.v[1] += b; s.v[2] += c; s.v[3] += d;
    s.v[4] += e; s.v[5] += f; s.v[6] += g; s.v[7] += h;
}

inline State Initial()
{
    State s;
    for (int i = 0; i < 8; ++i) s.v[i] = Splat(INIT[i]);
    return s;
}

} // namespace

void D64Avx2_8Way(uint8_t* out256, const uint8_t* in512)
{
    Vec w[16];
    for (int i = 0; i < 16; ++i) w[i] = Gather(in512, i);

    State s = Initial();
    Transform(s, w);
    TransformPad64(s);

    for (int i = 0; i < 8; ++i) w[i] = s.v[i];
    for (int i = 8; i < 16; ++i) w[i] = Splat(PAD32_TAIL[i - 8]);
    s = Initial();
    Transform(s, w);

    for (int l = 0; l < LANES; ++l) {
        for (int i = 0; i < 8; ++i) WriteBE32(out256 + 32 * l + 4 * i, s.v[i][l]);
    }
}

} // namespace cairn::sha256_internal
