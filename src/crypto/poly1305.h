// Poly1305 one-time authenticator (RFC 8439 section 2.5).
#ifndef CAIRN_CRYPTO_POLY1305_H
#define CAIRN_CRYPTO_POLY1305_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

/** Incremental Poly1305. A key must authenticate one message only. Input
 *  may be split anywhere across Update() calls. */
class Poly1305
{
public:
    static constexpr size_t KEYLEN = 32;
    static constexpr size_t TAGLEN = 16;

    /** `key` is r || s, 32 bytes (throws std::invalid_argument otherwise). */
    explicit Poly1305(ByteSpan key);
    ~Poly1305();
    Poly1305(const Poly1305&) = default;
    Poly1305& operator=(const Poly1305&) = default;

    Poly1305& Update(ByteSpan msg);
    /** Writes the 16-byte tag (tag.size() must be TAGLEN). The object must
     *  not be used afterwards. */
    void Finalize(MutableByteSpan tag);

private:
    void Blocks(const uint8_t* p, size_t blocks, uint64_t hibit);

    uint64_t m_r0, m_r1, m_s1;   //!< clamped r as two limbs; s1 = r1 + r1/4
    uint64_t m_h0{0}, m_h1{0}, m_h2{0}; //!< accumulator, h2 holds bits 128 and up
    uint64_t m_pad0, m_pad1;     //!< s
    uint8_t m_buf[16];
    size_t m_buflen{0};
};

/** One-shot Poly1305 of `msg` under `key`. */
void Poly1305Auth(ByteSpan key, ByteSpan msg, MutableByteSpan tag);

} // namespace cairn

#endif
