// SHA-512 (FIPS 180-4): used by HMAC-SHA512 (BIP 32 key derivation).
#ifndef CAIRN_CRYPTO_SHA512_H
#define CAIRN_CRYPTO_SHA512_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

class Sha512
{
public:
    static constexpr size_t OUTPUT_SIZE = 64;
    static constexpr size_t BLOCK_SIZE = 128;

    Sha512();
    Sha512& Write(ByteSpan data);
    /** Writes the digest. The object must be Reset() before it is used again. */
    void Finalize(uint8_t out[OUTPUT_SIZE]);
    Sha512& Reset();

private:
    uint64_t m_state[8];
    uint8_t m_buf[BLOCK_SIZE];
    uint64_t m_bytes{0};
};

} // namespace cairn

#endif
