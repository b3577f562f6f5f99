// SHA-256 with the x86 SHA extensions (compiled with -msse4.1 -msha).
//
// The sha256rnds2 instruction keeps the eight working variables in two
// registers, {A,B,E,F} and {C,D,G,H}, with A and C in the top lane, and runs
// two rounds on the two W+K words in the low half of its third operand.
// sha256msg1/msg2 compute the next four schedule words from the last sixteen.
//
// Only sha256.cpp's dispatcher calls these, after cpuid reported the
// extensions. All helpers stay in an anonymous namespace so no out-of-line
// copy of them built with these flags can be shared with portable code.
#include "crypto/sha256_internal.h"

#include <immintrin.h>

namespace cairn::sha256_internal {
namespace {

/** Reverses the bytes of each 32-bit lane: message words are big-endian. */
inline __m128i ByteSwapMask() { return _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL); }

inline __m128i Load(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
inline void Store(void* p, __m128i v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
inline __m128i LoadMessage(const uint8_t* p) { return _mm_shuffle_epi8(Load(p), ByteSwapMask()); }
inline __m128i RoundConstants(int group) { return Load(&K[4 * group]); }

/** Hash state in the register layout the instructions want. */
struct State {
    __m128i abef, cdgh;
};

/** {A,B,C,D},{E,F,G,H} in memory order to {A,B,E,F},{C,D,G,H}. */
inline State ToRegisterLayout(__m128i abcd, __m128i efgh)
{
    const __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    return {_mm_alignr_epi8(badc, hgfe, 8), _mm_blend_epi16(hgfe, badc, 0xF0)};
}

/** The inverse of ToRegisterLayout. */
inline void ToMemoryLayout(const State& s, __m128i& abcd, __m128i& efgh)
{
    const __m128i abef = _mm_shuffle_epi32(s.abef, 0x1B); // lanes A,B,E,F from low to high
    const __m128i ghcd = _mm_shuffle_epi32(s.cdgh, 0xB1); // lanes G,H,C,D
    abcd = _mm_blend_epi16(abef, ghcd, 0xF0);
    efgh = _mm_alignr_epi8(ghcd, abef, 8);
}

inline State InitialState() { return ToRegisterLayout(Load(&INIT[0]), Load(&INIT[4])); }

inline void Add(State& s, const State& t)
{
    s.abef = _mm_add_epi32(s.abef, t.abef);
    s.cdgh = _mm_add_epi32(s.cdgh, t.cdgh);
}

/** Four rounds; `wk` holds W+K for them. */
inline void Rounds4(State& s, __m128i wk)
{
    // After the first pair of rounds the old {A,B,E,F} is the new {C,D,G,H},
    // so swapping the two roles costs nothing.
    s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, wk);
    s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

/** W[t..t+3] from W[t-16..t-1], held as m0 (oldest) .. m3. */
inline __m128i NextWords(__m128i m0, __m128i m1, __m128i m2, __m128i m3)
{
    const __m128i w_minus7 = _mm_alignr_epi8(m3, m2, 4);
    return _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m0, m1), w_minus7), m3);
}

/** The 64 rounds over one block for each of N independent states, lane by
 *  lane within each step so the N dependency chains overlap in the CPU. The
 *  block words are given in m[lane][0..3]. */
template <int N>
inline void Rounds64(State (&s)[N], __m128i (&m)[N][4])
{
#pragma GCC unroll 4
    for (int g = 0; g < 4; ++g) {
        for (int l = 0; l < N; ++l) Rounds4(s[l], _mm_add_epi32(m[l][g], RoundConstants(g)));
    }
#pragma GCC unroll 12
    for (int g = 4; g < 16; ++g) {
        for (int l = 0; l < N; ++l) {
            __m128i (&w)[4] = m[l];
            w[g % 4] = NextWords(w[g % 4], w[(g + 1) % 4], w[(g + 2) % 4], w[(g + 3) % 4]);
            Rounds4(s[l], _mm_add_epi32(w[g % 4], RoundConstants(g)));
        }
    }
}

/** Double SHA-256 of N 64-byte inputs, interleaved. */
template <int N>
inline void DoubleHash64(uint8_t* out, const uint8_t* in)
{
    State s[N];
    __m128i m[N][4];
    for (int l = 0; l < N; ++l) {
        s[l] = InitialState();
        for (int i = 0; i < 4; ++i) m[l][i] = LoadMessage(in + 64 * l + 16 * i);
    }

    // First hash, block 1: the message.
    Rounds64<N>(s, m);
    const State init = InitialState();
    for (int l = 0; l < N; ++l) Add(s[l], init);

    // First hash, block 2: only padding, whose schedule is precomputed.
    State saved[N];
    for (int l = 0; l < N; ++l) saved[l] = s[l];
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
        const __m128i wk = Load(&PAD64.wk[4 * g]);
        for (int l = 0; l < N; ++l) Rounds4(s[l], wk);
    }
    for (int l = 0; l < N; ++l) Add(s[l], saved[l]);

    // Second hash: the 32-byte digest (already as words) plus padding.
    for (int l = 0; l < N; ++l) {
        ToMemoryLayout(s[l], m[l][0], m[l][1]);
        m[l][2] = Load(&PAD32_TAIL[0]);
        m[l][3] = Load(&PAD32_TAIL[4]);
        s[l] = init;
    }
    Rounds64<N>(s, m);
    for (int l = 0; l < N; ++l) {
        Add(s[l], init);
        __m128i abcd, efgh;
        ToMemoryLayout(s[l], abcd, efgh);
        Store(out + 32 * l, _mm_shuffle_epi8(abcd, ByteSwapMask()));
        Store(out + 32 * l + 16, _mm_shuffle_epi8(efgh, ByteSwapMask()));
    }
}

} // namespace

void TransformShani(uint32_t* state, const uint8_t* blocks, size_t n)
{
    State s[1] = {ToRegisterLayout(Load(state), Load(state + 4))};
    for (; n > 0; --n, blocks += 64) {
        const State before = s[0];
        __m128i m[1][4];
        for (int i = 0; i < 4; ++i) m[0][i] = LoadMessage(blocks + 16 * i);
        Rounds64<1>(s, m);
        Add(s[0], before);
    }
    __m128i abcd, efgh;
    ToMemoryLayout(s[0], abcd, efgh);
    Store(state, abcd);
    Store(state + 4, efgh);
}

void D64Shani(uint8_t* out32, const uint8_t* in64) { DoubleHash64<1>(out32, in64); }

void D64Shani2Way(uint8_t* out64, const uint8_t* in128) { DoubleHash64<2>(out64, in128); }

} // namespace cairn::sha256_internal
