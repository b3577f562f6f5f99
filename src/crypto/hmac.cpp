#include "crypto/hmac.h"

#include <cstring>

namespace cairn {

template <typename H>
Hmac<H>::Hmac(ByteSpan key)
{
    // A key longer than a block is replaced by its hash; either way it is
    // zero-padded to one block (RFC 2104 section 2).
    uint8_t block[H::BLOCK_SIZE] = {};
    if (key.size() > H::BLOCK_SIZE) {
        H().Write(key).Finalize(block);
    } else if (!key.empty()) {
        std::memcpy(block, key.data(), key.size());
    }

    uint8_t pad[H::BLOCK_SIZE];
    for (size_t i = 0; i < H::BLOCK_SIZE; ++i) pad[i] = block[i] ^ 0x36;
    m_inner.Write(pad);
    for (size_t i = 0; i < H::BLOCK_SIZE; ++i) pad[i] = block[i] ^ 0x5c;
    m_outer.Write(pad);
}

template <typename H>
void Hmac<H>::Finalize(uint8_t out[OUTPUT_SIZE])
{
    uint8_t inner[H::OUTPUT_SIZE];
    m_inner.Finalize(inner);
    m_outer.Write(inner).Finalize(out);
}

template class Hmac<Sha256>;
template class Hmac<Sha512>;

} // namespace cairn
