// SHA-256 (FIPS 180-4), with compression functions picked at run time.
#ifndef CAIRN_CRYPTO_SHA256_H
#define CAIRN_CRYPTO_SHA256_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace cairn {

/** Incremental SHA-256. Copying an instance copies its midstate, which is how
 *  a fixed prefix (a BIP 340 tag, say) is hashed once and reused. */
class Sha256
{
public:
    static constexpr size_t OUTPUT_SIZE = 32;
    static constexpr size_t BLOCK_SIZE = 64;

    Sha256();
    Sha256& Write(ByteSpan data);
    /** Writes the digest. The object must be Reset() before it is used again. */
    void Finalize(uint8_t out[OUTPUT_SIZE]);
    Sha256& Reset();

private:
    uint32_t m_state[8];
    uint8_t m_buf[BLOCK_SIZE];
    uint64_t m_bytes{0};
};

/** Which compression code to use. AUTO picks the fastest the CPU supports;
 *  the others exist so tests and benchmarks can pin each path. */
enum class Sha256Impl {
    AUTO,
    PORTABLE,
    AVX2,  //!< portable single-block code, 8-way AVX2 for Sha256D64
    SHANI, //!< x86 SHA extensions for both
};

/** Selects the implementation used from now on by every SHA-256 in the
 *  process and describes it, e.g. "shani(1way,2way)". Returns "" (and keeps
 *  the current choice) when `impl` was not compiled in or the CPU lacks it.
 *  Until the first call the portable code runs, so programs call it once at
 *  start-up. Switching while other threads hash is safe: the choice is one
 *  atomic pointer and all implementations agree bit for bit. */
std::string Sha256AutoDetect(Sha256Impl impl = Sha256Impl::AUTO);

/** Double SHA-256 of `blocks` consecutive 64-byte inputs, writing 32 bytes
 *  per input to `out`. `out` may equal `in` (merkle levels hash in place). */
void Sha256D64(uint8_t* out, const uint8_t* in, size_t blocks);

} // namespace cairn

#endif
