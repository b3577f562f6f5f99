// SHA-1 (FIPS 180-4): only for Script's OP_SHA1, never for security.
#ifndef CAIRN_CRYPTO_SHA1_H
#define CAIRN_CRYPTO_SHA1_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

class Sha1
{
public:
    static constexpr size_t OUTPUT_SIZE = 20;
    static constexpr size_t BLOCK_SIZE = 64;

    Sha1();
    Sha1& Write(ByteSpan data);
    /** Writes the digest. The object must be Reset() before it is used again. */
    void Finalize(uint8_t out[OUTPUT_SIZE]);
    Sha1& Reset();

private:
    uint32_t m_state[5];
    uint8_t m_buf[BLOCK_SIZE];
    uint64_t m_bytes{0};
};

} // namespace cairn

#endif
