// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996): the outer hash of
// Bitcoin's Hash160, behind every P2PKH and P2WPKH address.
#ifndef CAIRN_CRYPTO_RIPEMD160_H
#define CAIRN_CRYPTO_RIPEMD160_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

class Ripemd160
{
public:
    static constexpr size_t OUTPUT_SIZE = 20;
    static constexpr size_t BLOCK_SIZE = 64;

    Ripemd160();
    Ripemd160& Write(ByteSpan data);
    /** Writes the digest. The object must be Reset() before it is used again. */
    void Finalize(uint8_t out[OUTPUT_SIZE]);
    Ripemd160& Reset();

private:
    uint32_t m_state[5];
    uint8_t m_buf[BLOCK_SIZE];
    uint64_t m_bytes{0};
};

} // namespace cairn

#endif
