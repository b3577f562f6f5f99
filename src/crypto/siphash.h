// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed hash for hash-table
// salting and BIP 152 short transaction ids.
#ifndef CAIRN_CRYPTO_SIPHASH_H
#define CAIRN_CRYPTO_SIPHASH_H

#include "util/span.h"
#include "util/uint256.h"

#include <cstdint>

namespace cairn {

/** Incremental SipHash-2-4 with a 128-bit key given as two little-endian halves. */
class SipHasher
{
public:
    SipHasher(uint64_t k0, uint64_t k1);
    /** Same as writing the 8 little-endian bytes of `v`. */
    SipHasher& Write(uint64_t v);
    SipHasher& Write(ByteSpan data);
    /** The hash of everything written so far; the hasher may go on after it. */
    uint64_t Finalize() const;

private:
    uint64_t m_v[4];
    uint64_t m_tail{0};  // bytes not yet forming a whole word, little-endian
    uint64_t m_count{0}; // bytes written; only its low 8 bits reach the output
};

/** SipHasher(k0, k1).Write(h.span()).Finalize(), without the buffering. */
uint64_t SipHashUint256(uint64_t k0, uint64_t k1, const uint256& h);

/** As if 32 bytes of `h` then 4 little-endian bytes of `extra` were written:
 *  the salted hash of an outpoint (txid, output index). */
uint64_t SipHashUint256Extra(uint64_t k0, uint64_t k1, const uint256& h, uint32_t extra);

} // namespace cairn

#endif
