// Pieces shared by the SHA-256 implementations (portable and per-ISA) and
// their dispatcher in sha256.cpp. Nothing outside src/crypto/sha256*.cpp
// includes this: the ISA entry points may only run after the dispatcher has
// checked, with cpuid, that the CPU has the instructions they were built for.
//
// Everything here is plain data or consteval on purpose. The ISA files are
// compiled with -mavx2 / -msha; an inline function they shared with the
// portable code could be emitted by them as a weak symbol, and the linker
// might then hand the AVX2-compiled copy to a CPU without AVX2.
#ifndef CAIRN_CRYPTO_SHA256_INTERNAL_H
#define CAIRN_CRYPTO_SHA256_INTERNAL_H

#include <cstddef>
#include <cstdint>

namespace cairn::sha256_internal {

// FIPS 180-4 section 4.2.2.
inline constexpr uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// FIPS 180-4 section 5.3.3.
inline constexpr uint32_t INIT[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/** W[i] + K[i] for the 64 rounds of one block. */
struct RoundInputs {
    uint32_t wk[64];
};

consteval uint32_t CtRotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

consteval RoundInputs ScheduleWithK(const uint32_t (&block)[16])
{
    uint32_t w[64] = {};
    for (int i = 0; i < 16; ++i) w[i] = block[i];
    for (int i = 16; i < 64; ++i) {
        const uint32_t s0 = CtRotr(w[i - 15], 7) ^ CtRotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const uint32_t s1 = CtRotr(w[i - 2], 17) ^ CtRotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = s1 + w[i - 7] + s0 + w[i - 16];
    }
    RoundInputs r{};
    for (int i = 0; i < 64; ++i) r.wk[i] = w[i] + K[i];
    return r;
}

/** A 64-byte message is followed by a block that holds only padding (0x80,
 *  zeros, then the bit length 512), so that block's schedule is a constant:
 *  the double-hash fast paths skip computing it. */
inline constexpr RoundInputs PAD64 = ScheduleWithK({0x80000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 512});

/** In the second hash of a double SHA-256 the 32-byte digest fills the first
 *  half of the only block; these are the padding words of the second half. */
inline constexpr uint32_t PAD32_TAIL[8] = {0x80000000, 0, 0, 0, 0, 0, 0, 256};

// Portable code, in sha256.cpp.
void TransformPortable(uint32_t* state, const uint8_t* blocks, size_t n);
void D64Portable(uint8_t* out32, const uint8_t* in64);

// x86 SHA extensions, in sha256_shani.cpp.
void TransformShani(uint32_t* state, const uint8_t* blocks, size_t n);
void D64Shani(uint8_t* out32, const uint8_t* in64);
void D64Shani2Way(uint8_t* out64, const uint8_t* in128);

// AVX2, eight independent messages per call, in sha256_avx2.cpp.
void D64Avx2_8Way(uint8_t* out256, const uint8_t* in512);

} // namespace cairn::sha256_internal

#endif
