#include "crypto/sha256.h"

#include "crypto/sha256_internal.h"

#if defined(HAVE_CONFIG_H)
#include "config/cairn-config.h"
#endif

#include <algorithm>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace cairn {
namespace sha256_internal {
namespace {

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

uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) { return z ^ (x & (y ^ z)); }
uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (z & (x | y)); }
uint32_t BigSigma0(uint32_t x) { return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22); }
uint32_t BigSigma1(uint32_t x) { return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25); }
uint32_t SmallSigma0(uint32_t x) { return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3); }
uint32_t SmallSigma1(uint32_t x) { return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10); }

/** One round. Instead of shifting all eight working variables, callers
 *  rotate the argument list, so only d and h change. */
inline void Round(uint32_t a, uint32_t b, uint32_t c, uint32_t& d, uint32_t e, uint32_t f, uint32_t g, uint32_t& h,
                  uint32_t wk)
{
    const uint32_t t1 = h + BigSigma1(e) + Ch(e, f, g) + wk;
    const uint32_t t2 = BigSigma0(a) + Maj(a, b, c);
    d += t1;
    h = t1 + t2;
}

/** Runs the 64 rounds over `s` and adds the result back (the feed-forward). */
void Compress(uint32_t* s, const uint32_t* wk)
{
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 64; i += 8) {
        Round(a, b, c, d, e, f, g, h, wk[i + 0]);
        Round(h, a, b, c, d, e, f, g, wk[i + 1]);
        Round(g, h, a, b, c, d, e, f, wk[i + 2]);
        Round(f, g, h, a, b, c, d, e, wk[i + 3]);
        Round(e, f, g, h, a, b, c, d, wk[i + 4]);
        Round(d, e, f, g, h, a, b, c, wk[i + 5]);
        Round(c, d, e, f, g, h, a, b, wk[i + 6]);
        Round(b, c, d, e, f, g, h, a, wk[i + 7]);
    }
    s[0] += a; s[1] += b; s[2] += c; s[3] += d;
    s[4] += e; s[5] += f; s[6] += g; s[7] += h;
}

/** Expands the first 16 words of `w` into the full schedule, plus K. */
void ExpandWithK(uint32_t* w)
{
    for (int i = 16; i < 64; ++i) w[i] = SmallSigma1(w[i - 2]) + w[i - 7] + SmallSigma0(w[i - 15]) + w[i - 16];
    for (int i = 0; i < 64; ++i) w[i] += K[i];
}

} // namespace

void TransformPortable(uint32_t* state, const uint8_t* blocks, size_t n)
{
    uint32_t w[64];
    for (; n > 0; --n, blocks += 64) {
        for (int i = 0; i < 16; ++i) w[i] = ReadBE32(blocks + 4 * i);
        ExpandWithK(w);
        Compress(state, w);
    }
}

void D64Portable(uint8_t* out32, const uint8_t* in64)
{
    uint32_t s[8];
    std::memcpy(s, INIT, sizeof(s));
    TransformPortable(s, in64, 1);
    Compress(s, PAD64.wk);

    uint32_t w[64];
    std::memcpy(w, s, 32);
    std::memcpy(w + 8, PAD32_TAIL, 32);
    ExpandWithK(w);
    std::memcpy(s, INIT, sizeof(s));
    Compress(s, w);
    for (int i = 0; i < 8; ++i) WriteBE32(out32 + 4 * i, s[i]);
}

} // namespace sha256_internal

namespace {

using namespace sha256_internal;

/** One selectable set of code paths; the multi-way entries may be null. */
struct Implementation {
    const char* name;
    void (*transform)(uint32_t*, const uint8_t*, size_t);
    void (*d64)(uint8_t*, const uint8_t*);
    void (*d64_2way)(uint8_t*, const uint8_t*);
    void (*d64_8way)(uint8_t*, const uint8_t*);
};

constexpr Implementation PORTABLE{"portable", TransformPortable, D64Portable, nullptr, nullptr};
#if defined(ENABLE_SHANI)
constexpr Implementation SHANI{"shani(1way,2way)", TransformShani, D64Shani, D64Shani2Way, nullptr};
#endif
#if defined(ENABLE_AVX2)
constexpr Implementation AVX2{"portable,avx2(8way)", TransformPortable, D64Portable, nullptr, D64Avx2_8Way};
#endif

// Constant-initialised, so hashing during static initialisation (before any
// Sha256AutoDetect call) is safe and uses the portable code.
constinit std::atomic<const Implementation*> g_impl{&PORTABLE};

const Implementation& Current() { return *g_impl.load(std::memory_order_relaxed); }

struct CpuFeatures {
    bool avx2{false};
    bool shani{false};
};

CpuFeatures DetectCpu()
{
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    const bool ssse3 = ecx & (1u << 9);
    const bool sse41 = ecx & (1u << 19);
    const bool osxsave = ecx & (1u << 27);
    const bool avx = ecx & (1u << 28);
    if (__get_cpuid_max(0, nullptr) < 7) return f;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    // The SHA-NI code also shuffles and blends with SSSE3/SSE4.1 instructions.
    f.shani = (ebx & (1u << 29)) && ssse3 && sse41;
    // AVX registers are usable only if the OS saves them on context switch:
    // XCR0 must have both the SSE (bit 1) and AVX (bit 2) state enabled.
    if ((ebx & (1u << 5)) && osxsave && avx) {
        uint32_t xcr0_lo, xcr0_hi;
        __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
        f.avx2 = (xcr0_lo & 6) == 6;
    }
#endif
    return f;
}

const Implementation* Choose(Sha256Impl want, const CpuFeatures& cpu)
{
    switch (want) {
    case Sha256Impl::PORTABLE:
        return &PORTABLE;
    case Sha256Impl::SHANI:
#if defined(ENABLE_SHANI)
        if (cpu.shani) return &SHANI;
#endif
        return nullptr;
    case Sha256Impl::AVX2:
#if defined(ENABLE_AVX2)
        if (cpu.avx2) return &AVX2;
#endif
        return nullptr;
    case Sha256Impl::AUTO:
        // SHA-NI wins over AVX2 even for the batched double hash: two
        // interleaved SHA-NI lanes outrun eight AVX2 lanes (see cairn-bench).
        for (Sha256Impl i : {Sha256Impl::SHANI, Sha256Impl::AVX2}) {
            if (const Implementation* impl = Choose(i, cpu)) return impl;
        }
        return &PORTABLE;
    }
    return nullptr;
}

} // namespace

std::string Sha256AutoDetect(Sha256Impl impl)
{
    const Implementation* chosen = Choose(impl, DetectCpu());
    if (!chosen) return "";
    g_impl.store(chosen, std::memory_order_relaxed);
    return chosen->name;
}

void Sha256D64(uint8_t* out, const uint8_t* in, size_t blocks)
{
    const Implementation& impl = Current();
    // Each multi-way call reads all its input before writing any output, and
    // output advances half as fast as input, so hashing in place is safe.
    if (impl.d64_8way) {
        for (; blocks >= 8; blocks -= 8, in += 8 * 64, out += 8 * 32) impl.d64_8way(out, in);
    }
    if (impl.d64_2way) {
        for (; blocks >= 2; blocks -= 2, in += 2 * 64, out += 2 * 32) impl.d64_2way(out, in);
    }
    for (; blocks > 0; --blocks, in += 64, out += 32) impl.d64(out, in);
}

Sha256::Sha256() { Reset(); }

Sha256& Sha256::Reset()
{
    std::memcpy(m_state, INIT, sizeof(m_state));
    m_bytes = 0;
    return *this;
}

Sha256& Sha256::Write(ByteSpan data)
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
        Current().transform(m_state, m_buf, 1);
    }
    if (len >= BLOCK_SIZE) {
        const size_t whole = len / BLOCK_SIZE;
        Current().transform(m_state, p, whole);
        p += whole * BLOCK_SIZE;
        len -= whole * BLOCK_SIZE;
    }
    if (len > 0) std::memcpy(m_buf, p, len);
    return *this;
}

void Sha256::Finalize(uint8_t out[OUTPUT_SIZE])
{
    // 0x80, then zeros up to 8 bytes short of a block boundary, then the
    // message length in bits, big-endian.
    static constexpr uint8_t PAD[BLOCK_SIZE] = {0x80};
    const uint64_t bits = m_bytes << 3;
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t(bits >> (56 - 8 * i));
    const size_t used = m_bytes % BLOCK_SIZE;
    const size_t pad_len = used < 56 ? 56 - used : 120 - used;
    Write({PAD, pad_len});
    Write(length);
    for (int i = 0; i < 8; ++i) WriteBE32(out + 4 * i, m_state[i]);
}

} // namespace cairn
