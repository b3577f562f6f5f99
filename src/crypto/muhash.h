// MuHash3072: the rolling set hash behind Bitcoin Core's coinstatsindex and
// `gettxoutsetinfo hash_type=muhash`, bit for bit.
//
// The set hash is the product, modulo the prime M = 2^3072 - 1103717, of one
// 3072-bit number per element: the element's SHA-256 is taken as a ChaCha20
// key and the first 384 bytes of its keystream (nonce 0, block 0 onwards),
// read little-endian, are the number. Removing an element multiplies a
// separate denominator instead, so both Insert and Remove cost one
// multiplication; Finalize divides once, writes the quotient as 384
// little-endian bytes and returns their single SHA-256.
#ifndef CAIRN_CRYPTO_MUHASH_H
#define CAIRN_CRYPTO_MUHASH_H

#include "util/span.h"
#include "util/uint256.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

/** An integer modulo M = 2^3072 - 1103717 in 48 little-endian 64-bit limbs.
 *  Results of arithmetic are below 2^3072 but not always below M (the few
 *  values in [M, 2^3072) are congruent to small ones); ToBytes and
 *  FullReduce give the canonical form. */
class Num3072
{
public:
    static constexpr size_t BYTE_SIZE = 384;
    static constexpr int LIMBS = 48;
    /** M = 2^3072 - MAX_PRIME_DIFF. */
    static constexpr uint64_t MAX_PRIME_DIFF = 1103717;

    uint64_t limbs[LIMBS];

    /** One. */
    Num3072() { SetToOne(); }
    /** From 384 little-endian bytes (any value below 2^3072). */
    explicit Num3072(const uint8_t (&data)[BYTE_SIZE]);
    /** From exactly 384 little-endian bytes (throws std::invalid_argument otherwise). */
    static Num3072 FromBytes(ByteSpan data);

    void SetToOne();
    /** this = this * a (mod M). */
    void Multiply(const Num3072& a);
    /** this = this * this (mod M). */
    void Square();
    /** this = this / a (mod M). Dividing by 0 (mod M) gives 0. */
    void Divide(const Num3072& a);
    /** 1/this (mod M), fully reduced; 0 when this is 0 (mod M). Variable
     *  time (MuHash inputs are public): Bernstein-Yang divsteps. */
    Num3072 GetInverse() const;

    /** Whether the value is in [M, 2^3072). */
    bool IsOverflow() const;
    /** Brings the value into [0, M). */
    void FullReduce();
    /** The canonical (reduced) value as 384 little-endian bytes. */
    void ToBytes(uint8_t (&out)[BYTE_SIZE]) const;
    /** The limbs as they are (possibly unreduced), 384 little-endian bytes:
     *  the serialized form Bitcoin Core uses. */
    void ToRawBytes(uint8_t (&out)[BYTE_SIZE]) const;
};

class MuHash3072
{
public:
    static constexpr size_t SERIALIZED_SIZE = 2 * Num3072::BYTE_SIZE;

    /** The empty set. */
    MuHash3072() = default;
    /** The set holding just `element`. */
    explicit MuHash3072(ByteSpan element);

    MuHash3072& Insert(ByteSpan element);
    MuHash3072& Remove(ByteSpan element);
    /** Union of disjoint sets (elements of `mul` are added). */
    MuHash3072& operator*=(const MuHash3072& mul);
    /** Difference (elements of `div` are removed). */
    MuHash3072& operator/=(const MuHash3072& div);

    /** out = SHA-256 of the 384-byte little-endian quotient. Collapses the
     *  denominator into the numerator (one inversion), which leaves the set
     *  unchanged; later inserts and removes go on as before. */
    void Finalize(uint256& out);

    /** Numerator then denominator, each as Num3072::ToRawBytes: the format
     *  of Bitcoin Core's serialization (and of its coinstatsindex). */
    void Serialize(uint8_t (&out)[SERIALIZED_SIZE]) const;
    /** The inverse of Serialize; any 768 bytes are accepted (values at or
     *  above M are reduced when used). Throws std::invalid_argument on a
     *  wrong length. */
    static MuHash3072 Deserialize(ByteSpan data);

    /** The 3072-bit number an element hashes to. */
    static Num3072 ToNum3072(ByteSpan element);

private:
    Num3072 m_numerator;
    Num3072 m_denominator;
};

} // namespace cairn

#endif
