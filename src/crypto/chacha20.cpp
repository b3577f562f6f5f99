// ChaCha20 (RFC 8439 section 2.3-2.4) and FSChaCha20 (BIP 324).
//
// Blocks are produced several at a time where possible: the state of L
// consecutive blocks is held as 16 vectors of L lanes (lane j = block j), so
// every quarter-round operation works on L blocks at once. GCC's vector
// extensions express this portably; on x86-64 an 8-lane AVX2 build of the
// same code is picked at run time when the CPU has AVX2, with the 4-lane
// SSE2 build (baseline x86-64) otherwise. Leftover blocks use scalar code.
#include "crypto/chacha20.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string.h> // explicit_bzero

namespace cairn {
namespace {

constexpr uint32_t SIGMA0 = 0x61707865; // "expand 32-byte k"
constexpr uint32_t SIGMA1 = 0x3320646e;
constexpr uint32_t SIGMA2 = 0x79622d32;
constexpr uint32_t SIGMA3 = 0x6b206574;

inline uint32_t ReadLE32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

inline void WriteLE32(uint8_t* p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    std::memcpy(p, &v, 4);
}

inline uint32_t Rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

// ROTATE(v, n) rotates v left by n bits in place; defined where used.
#define CAIRN_CHACHA_QR(a, b, c, d) \
    a += b; d ^= a; ROTATE(d, 16); \
    c += d; b ^= c; ROTATE(b, 12); \
    a += b; d ^= a; ROTATE(d, 8);  \
    c += d; b ^= c; ROTATE(b, 7)

#define CAIRN_CHACHA_DOUBLEROUND(x)                  \
    CAIRN_CHACHA_QR(x[0], x[4], x[8], x[12]);        \
    CAIRN_CHACHA_QR(x[1], x[5], x[9], x[13]);        \
    CAIRN_CHACHA_QR(x[2], x[6], x[10], x[14]);       \
    CAIRN_CHACHA_QR(x[3], x[7], x[11], x[15]);       \
    CAIRN_CHACHA_QR(x[0], x[5], x[10], x[15]);       \
    CAIRN_CHACHA_QR(x[1], x[6], x[11], x[12]);       \
    CAIRN_CHACHA_QR(x[2], x[7], x[8], x[13]);        \
    CAIRN_CHACHA_QR(x[3], x[4], x[9], x[14])

/** One block at 64-bit position `pos` (word 12 = low half, word 13 = high
 *  half); XORs with `in` unless it is null. */
void ScalarBlock(const uint32_t key[8], uint64_t pos, uint32_t n14, uint32_t n15, uint8_t* out, const uint8_t* in)
{
    const uint32_t init[16] = {SIGMA0, SIGMA1, SIGMA2, SIGMA3, key[0], key[1], key[2], key[3],
                               key[4], key[5], key[6], key[7], uint32_t(pos), uint32_t(pos >> 32), n14, n15};
    uint32_t x[16];
    std::memcpy(x, init, sizeof(x));
#define ROTATE(v, n) v = Rotl(v, n)
    for (int i = 0; i < 10; ++i) {
        CAIRN_CHACHA_DOUBLEROUND(x);
    }
#undef ROTATE
    for (int i = 0; i < 16; ++i) {
        uint32_t w = x[i] + init[i];
        if (in) w ^= ReadLE32(in + 4 * i);
        WriteLE32(out + 4 * i, w);
    }
}

#if defined(__GNUC__) && !defined(__clang__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRN_CHACHA_VECTORS 1

typedef uint32_t V4 __attribute__((vector_size(16)));
typedef uint32_t V8 __attribute__((vector_size(32)));
typedef int32_t I4 __attribute__((vector_size(16)));
typedef int32_t I8 __attribute__((vector_size(32)));
typedef uint8_t B16 __attribute__((vector_size(16)));
typedef uint8_t B32 __attribute__((vector_size(32)));

/** In-place rotations. By whole bytes they are byte shuffles (one
 *  instruction) where the ISA has them (SSSE3 for 4 lanes; the 8-lane code
 *  is always built for AVX2), rather than two shifts and an OR. Arguments
 *  are references so that no 32-byte vector crosses a function boundary
 *  outside AVX2 code. */
template <int N>
inline __attribute__((always_inline)) void RotlV(V4& v)
{
#if defined(__SSSE3__)
    if constexpr (N == 16) {
        v = (V4)__builtin_shuffle((B16)v, B16{2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13});
        return;
    } else if constexpr (N == 8) {
        v = (V4)__builtin_shuffle((B16)v, B16{3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14});
        return;
    }
#endif
    v = (v << N) | (v >> (32 - N));
}

template <int N>
inline __attribute__((always_inline)) void RotlV(V8& v)
{
    if constexpr (N == 16) {
        v = (V8)__builtin_shuffle((B32)v, B32{2,  3,  0,  1,  6,  7,  4,  5,  10, 11, 8,  9,  14, 15, 12, 13,
                                              18, 19, 16, 17, 22, 23, 20, 21, 26, 27, 24, 25, 30, 31, 28, 29});
    } else if constexpr (N == 8) {
        v = (V8)__builtin_shuffle((B32)v, B32{3,  0,  1,  2,  7,  4,  5,  6,  11, 8,  9,  10, 15, 12, 13, 14,
                                              19, 16, 17, 18, 23, 20, 21, 22, 27, 24, 25, 26, 31, 28, 29, 30});
    } else {
        v = (v << N) | (v >> (32 - N));
    }
}

/** Stores `w` (XORed with the same bytes of `in` unless null) at out + off. */
template <typename V>
inline __attribute__((always_inline)) void Put(uint8_t* out, const uint8_t* in, size_t off, const V& v)
{
    V w = v;
    if (in) {
        V i;
        std::memcpy(&i, in + off, sizeof(V));
        w ^= i;
    }
    std::memcpy(out + off, &w, sizeof(V));
}

/** Writes 4 blocks from the lane-per-block state: each group of 4 words is
 *  a 4x4 transpose. */
inline __attribute__((always_inline)) void Output(V4* x, uint8_t* out, const uint8_t* in)
{
    for (int g = 0; g < 4; ++g) {
        const V4* r = x + 4 * g;
        const V4 a0 = __builtin_shuffle(r[0], r[1], I4{0, 4, 1, 5});
        const V4 a1 = __builtin_shuffle(r[0], r[1], I4{2, 6, 3, 7});
        const V4 a2 = __builtin_shuffle(r[2], r[3], I4{0, 4, 1, 5});
        const V4 a3 = __builtin_shuffle(r[2], r[3], I4{2, 6, 3, 7});
        Put(out, in, 0 * 64 + 16 * g, __builtin_shuffle(a0, a2, I4{0, 1, 4, 5}));
        Put(out, in, 1 * 64 + 16 * g, __builtin_shuffle(a0, a2, I4{2, 3, 6, 7}));
        Put(out, in, 2 * 64 + 16 * g, __builtin_shuffle(a1, a3, I4{0, 1, 4, 5}));
        Put(out, in, 3 * 64 + 16 * g, __builtin_shuffle(a1, a3, I4{2, 3, 6, 7}));
    }
}

/** Writes 8 blocks: each half of the state (words 0-7, 8-15) is an 8x8
 *  transpose (32-bit, then 64-bit interleaves, then 128-bit halves). */
inline __attribute__((always_inline)) void Output(V8* x, uint8_t* out, const uint8_t* in)
{
    for (int h = 0; h < 2; ++h) {
        const V8* r = x + 8 * h;
        V8 a[8], b[8];
        for (int k = 0; k < 4; ++k) {
            a[2 * k] = __builtin_shuffle(r[2 * k], r[2 * k + 1], I8{0, 8, 1, 9, 4, 12, 5, 13});
            a[2 * k + 1] = __builtin_shuffle(r[2 * k], r[2 * k + 1], I8{2, 10, 3, 11, 6, 14, 7, 15});
        }
        for (int k = 0; k < 2; ++k) {
            // rows 4k..4k+3: b[4k + m] holds element m and m + 4 of each row
            b[4 * k + 0] = __builtin_shuffle(a[4 * k], a[4 * k + 2], I8{0, 1, 8, 9, 4, 5, 12, 13});
            b[4 * k + 1] = __builtin_shuffle(a[4 * k], a[4 * k + 2], I8{2, 3, 10, 11, 6, 7, 14, 15});
            b[4 * k + 2] = __builtin_shuffle(a[4 * k + 1], a[4 * k + 3], I8{0, 1, 8, 9, 4, 5, 12, 13});
            b[4 * k + 3] = __builtin_shuffle(a[4 * k + 1], a[4 * k + 3], I8{2, 3, 10, 11, 6, 7, 14, 15});
        }
        for (int m = 0; m < 4; ++m) {
            Put(out, in, 64 * m + 32 * h, __builtin_shuffle(b[m], b[4 + m], I8{0, 1, 2, 3, 8, 9, 10, 11}));
            Put(out, in, 64 * (m + 4) + 32 * h, __builtin_shuffle(b[m], b[4 + m], I8{4, 5, 6, 7, 12, 13, 14, 15}));
        }
    }
}

/** sizeof(V) / 4 consecutive blocks starting at position `pos`. */
template <typename V>
inline __attribute__((always_inline)) void VectorBlocks(const uint32_t key[8], uint64_t pos, uint32_t n14,
                                                        uint32_t n15, uint8_t* out, const uint8_t* in)
{
    constexpr int L = sizeof(V) / 4;
    V x[16], init[16];
    const uint32_t scalars[16] = {SIGMA0, SIGMA1, SIGMA2, SIGMA3, key[0], key[1], key[2], key[3],
                                  key[4], key[5], key[6], key[7], 0, 0, n14, n15};
    for (int i = 0; i < 16; ++i) init[i] = V{} + scalars[i];
    for (int j = 0; j < L; ++j) {
        init[12][j] = uint32_t(pos + j);
        init[13][j] = uint32_t((pos + j) >> 32);
    }
    for (int i = 0; i < 16; ++i) x[i] = init[i];
#define ROTATE(v, n) RotlV<n>(v)
    for (int i = 0; i < 10; ++i) {
        CAIRN_CHACHA_DOUBLEROUND(x);
    }
#undef ROTATE
    for (int i = 0; i < 16; ++i) x[i] += init[i];
    Output(x, out, in);
}

/** Baseline build: 4 lanes (SSE2 on x86-64, NEON on ARM, generic elsewhere). */
void Blocks4(const uint32_t key[8], uint64_t pos, uint32_t n14, uint32_t n15, uint8_t* out, const uint8_t* in,
             size_t groups)
{
    for (size_t g = 0; g < groups; ++g) {
        VectorBlocks<V4>(key, pos, n14, n15, out, in);
        pos += 4;
        out += 256;
        if (in) in += 256;
    }
}

#if defined(__x86_64__)
#define CAIRN_CHACHA_AVX2_DISPATCH 1
__attribute__((target("avx2"))) void Blocks8Avx2(const uint32_t key[8], uint64_t pos, uint32_t n14, uint32_t n15,
                                                 uint8_t* out, const uint8_t* in, size_t groups)
{
    for (size_t g = 0; g < groups; ++g) {
        VectorBlocks<V8>(key, pos, n14, n15, out, in);
        pos += 8;
        out += 512;
        if (in) in += 512;
    }
}

bool HaveAvx2()
{
#if defined(__AVX2__)
    return true;
#else
    static const bool have = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return have;
#endif
}
#endif
#endif // __GNUC__

void CheckKey(ByteSpan key)
{
    if (key.size() != ChaCha20Aligned::KEYLEN) throw std::invalid_argument("ChaCha20: key must be 32 bytes");
}

} // namespace

ChaCha20Aligned::ChaCha20Aligned(ByteSpan key) { SetKey(key); }

ChaCha20Aligned::~ChaCha20Aligned() { explicit_bzero(m_key, sizeof(m_key)); }

void ChaCha20Aligned::SetKey(ByteSpan key)
{
    CheckKey(key);
    for (int i = 0; i < 8; ++i) m_key[i] = ReadLE32(key.data() + 4 * i);
    m_counter = 0;
    m_nonce[0] = m_nonce[1] = m_nonce[2] = 0;
}

void ChaCha20Aligned::Seek(Nonce96 nonce, uint32_t block_counter)
{
    m_counter = block_counter;
    m_nonce[0] = nonce.first;
    m_nonce[1] = uint32_t(nonce.second);
    m_nonce[2] = uint32_t(nonce.second >> 32);
}

void ChaCha20Aligned::Seek64(uint64_t nonce, uint64_t block_counter)
{
    Seek({uint32_t(block_counter >> 32), nonce}, uint32_t(block_counter));
}

void ChaCha20Aligned::Blocks(uint8_t* out, const uint8_t* in, size_t blocks)
{
    uint64_t pos = (uint64_t{m_nonce[0]} << 32) | m_counter;
    const uint32_t n14 = m_nonce[1], n15 = m_nonce[2];
#ifdef CAIRN_CHACHA_VECTORS
#ifdef CAIRN_CHACHA_AVX2_DISPATCH
    if (blocks >= 8 && HaveAvx2()) {
        const size_t groups = blocks / 8;
        Blocks8Avx2(m_key, pos, n14, n15, out, in, groups);
        pos += 8 * groups;
        out += 512 * groups;
        if (in) in += 512 * groups;
        blocks -= 8 * groups;
    }
    if (blocks > 4 && HaveAvx2()) {
        // 5 to 7 blocks left (MuHash asks for 6): one 8-lane pass into a
        // scratch buffer beats a 4-lane pass plus scalar blocks.
        uint8_t tmp[512];
        Blocks8Avx2(m_key, pos, n14, n15, tmp, nullptr, 1);
        const size_t n = 64 * blocks;
        if (in) {
            for (size_t i = 0; i < n; ++i) out[i] = in[i] ^ tmp[i];
        } else {
            std::memcpy(out, tmp, n);
        }
        explicit_bzero(tmp, sizeof(tmp));
        pos += blocks;
        blocks = 0;
    }
#endif
    if (blocks >= 4) {
        const size_t groups = blocks / 4;
        Blocks4(m_key, pos, n14, n15, out, in, groups);
        pos += 4 * groups;
        out += 256 * groups;
        if (in) in += 256 * groups;
        blocks -= 4 * groups;
    }
#endif
    for (; blocks > 0; --blocks) {
        ScalarBlock(m_key, pos, n14, n15, out, in);
        ++pos;
        out += 64;
        if (in) in += 64;
    }
    m_counter = uint32_t(pos);
    m_nonce[0] = uint32_t(pos >> 32);
}

void ChaCha20Aligned::Keystream(MutableByteSpan out)
{
    if (out.size() % BLOCKLEN) throw std::invalid_argument("ChaCha20Aligned: length not a multiple of 64");
    Blocks(out.data(), nullptr, out.size() / BLOCKLEN);
}

void ChaCha20Aligned::Crypt(ByteSpan in, MutableByteSpan out)
{
    if (in.size() != out.size() || in.size() % BLOCKLEN) {
        throw std::invalid_argument("ChaCha20Aligned: bad lengths");
    }
    Blocks(out.data(), in.data(), in.size() / BLOCKLEN);
}

ChaCha20::~ChaCha20() { explicit_bzero(m_buffer, sizeof(m_buffer)); }

void ChaCha20::SetKey(ByteSpan key)
{
    m_aligned.SetKey(key);
    m_bufleft = 0;
}

void ChaCha20::Seek(Nonce96 nonce, uint32_t block_counter)
{
    m_aligned.Seek(nonce, block_counter);
    m_bufleft = 0;
}

void ChaCha20::Seek64(uint64_t nonce, uint64_t block_counter)
{
    m_aligned.Seek64(nonce, block_counter);
    m_bufleft = 0;
}

void ChaCha20::Keystream(MutableByteSpan out)
{
    uint8_t* o = out.data();
    size_t n = out.size();
    if (n == 0) return;
    if (m_bufleft) {
        const size_t take = std::min(n, m_bufleft);
        std::memcpy(o, m_buffer + BLOCKLEN - m_bufleft, take);
        m_bufleft -= take;
        o += take;
        n -= take;
    }
    if (n >= BLOCKLEN) {
        const size_t whole = n / BLOCKLEN * BLOCKLEN;
        m_aligned.Keystream({o, whole});
        o += whole;
        n -= whole;
    }
    if (n) {
        m_aligned.Keystream(m_buffer);
        std::memcpy(o, m_buffer, n);
        m_bufleft = BLOCKLEN - n;
    }
}

void ChaCha20::Crypt(ByteSpan input, MutableByteSpan output)
{
    if (input.size() != output.size()) throw std::invalid_argument("ChaCha20::Crypt: size mismatch");
    const uint8_t* in = input.data();
    uint8_t* o = output.data();
    size_t n = input.size();
    if (n == 0) return;
    if (m_bufleft) {
        const size_t take = std::min(n, m_bufleft);
        const uint8_t* ks = m_buffer + BLOCKLEN - m_bufleft;
        for (size_t i = 0; i < take; ++i) o[i] = in[i] ^ ks[i];
        m_bufleft -= take;
        in += take;
        o += take;
        n -= take;
    }
    if (n >= BLOCKLEN) {
        const size_t whole = n / BLOCKLEN * BLOCKLEN;
        m_aligned.Crypt({in, whole}, {o, whole});
        in += whole;
        o += whole;
        n -= whole;
    }
    if (n) {
        m_aligned.Keystream(m_buffer);
        for (size_t i = 0; i < n; ++i) o[i] = in[i] ^ m_buffer[i];
        m_bufleft = BLOCKLEN - n;
    }
}

FSChaCha20::FSChaCha20(ByteSpan key, uint32_t rekey_interval)
    : m_chacha(key), m_rekey_interval(rekey_interval)
{
    if (rekey_interval == 0) throw std::invalid_argument("FSChaCha20: rekey interval must be positive");
}

void FSChaCha20::Crypt(ByteSpan in, MutableByteSpan out)
{
    m_chacha.Crypt(in, out);
    if (++m_chunk_counter == m_rekey_interval) {
        uint8_t new_key[KEYLEN];
        m_chacha.Keystream(new_key);
        m_chacha.SetKey(new_key);
        explicit_bzero(new_key, sizeof(new_key));
        m_chunk_counter = 0;
        ++m_rekey_counter;
        m_chacha.Seek({0, m_rekey_counter}, 0);
    }
}

} // namespace cairn
