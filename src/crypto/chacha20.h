// ChaCha20 (RFC 8439) and BIP 324's forward-secure FSChaCha20.
//
// The 128-bit block input after the key is laid out as in RFC 8439 section
// 2.3: a 32-bit block counter (state word 12) then a 96-bit nonce (words 13,
// 14 and 15). A nonce is given as a pair {word 13, words 14-15}: the first
// four nonce bytes as a little-endian uint32_t, the last eight as a
// little-endian uint64_t. So the RFC's 12-byte nonce 00:00:00:09 00:00:00:4a
// 00:00:00:00 is {0x09000000, 0x4a000000}, and BIP 324's nonce for packet n
// is {n % 224, n / 224}.
//
// When the 32-bit block counter wraps, word 13 is incremented. With word 13
// starting at 0 this makes the stream identical to Bernstein's original
// layout (64-bit counter in words 12-13, 64-bit nonce in words 14-15); Seek64
// addresses it that way. RFC 8439 leaves counter overflow undefined, so
// nothing standard is lost.
#ifndef CAIRN_CRYPTO_CHACHA20_H
#define CAIRN_CRYPTO_CHACHA20_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace cairn {

/** ChaCha20 that only produces whole 64-byte blocks. The building block of
 *  the classes below, and the fast path for MuHash (6 blocks per element). */
class ChaCha20Aligned
{
public:
    static constexpr size_t KEYLEN = 32;
    static constexpr size_t BLOCKLEN = 64;
    /** {state word 13, state words 14-15}: see the file comment. */
    using Nonce96 = std::pair<uint32_t, uint64_t>;

    /** `key` must be KEYLEN bytes (throws std::invalid_argument otherwise).
     *  Starts at nonce {0, 0}, block 0. */
    explicit ChaCha20Aligned(ByteSpan key);
    ~ChaCha20Aligned();
    ChaCha20Aligned(const ChaCha20Aligned&) = default;
    ChaCha20Aligned& operator=(const ChaCha20Aligned&) = default;

    /** New key; nonce and block counter go back to 0. */
    void SetKey(ByteSpan key);
    /** Next block produced will be `block_counter` under `nonce`. */
    void Seek(Nonce96 nonce, uint32_t block_counter);
    /** Bernstein's 64-bit nonce / 64-bit counter layout (see file comment). */
    void Seek64(uint64_t nonce, uint64_t block_counter);

    /** Writes out.size() / 64 blocks of keystream; out.size() must be a
     *  multiple of BLOCKLEN. */
    void Keystream(MutableByteSpan out);
    /** out = in XOR keystream; sizes equal and a multiple of BLOCKLEN. `in`
     *  and `out` may be the same buffer (but must not otherwise overlap). */
    void Crypt(ByteSpan in, MutableByteSpan out);

private:
    void Blocks(uint8_t* out, const uint8_t* in, size_t blocks);

    uint32_t m_key[8];
    uint32_t m_counter{0}; //!< word 12
    uint32_t m_nonce[3]{}; //!< words 13, 14, 15
};

/** ChaCha20 over any lengths: keystream left over from a block is kept and
 *  used first by the next call, so splitting a message anywhere gives the
 *  same bytes as processing it at once. */
class ChaCha20
{
public:
    static constexpr size_t KEYLEN = ChaCha20Aligned::KEYLEN;
    static constexpr size_t BLOCKLEN = ChaCha20Aligned::BLOCKLEN;
    using Nonce96 = ChaCha20Aligned::Nonce96;

    explicit ChaCha20(ByteSpan key) : m_aligned(key) {}
    ~ChaCha20();
    ChaCha20(const ChaCha20&) = default;
    ChaCha20& operator=(const ChaCha20&) = default;

    /** New key, nonce {0, 0}, block 0; buffered keystream is dropped. */
    void SetKey(ByteSpan key);
    /** Positions at the start of block `block_counter`; drops buffered keystream. */
    void Seek(Nonce96 nonce, uint32_t block_counter);
    void Seek64(uint64_t nonce, uint64_t block_counter);

    void Keystream(MutableByteSpan out);
    /** out = in XOR keystream; sizes must be equal (throws otherwise). `in`
     *  and `out` may be the same buffer. */
    void Crypt(ByteSpan in, MutableByteSpan out);

private:
    ChaCha20Aligned m_aligned;
    uint8_t m_buffer[BLOCKLEN]{};
    size_t m_bufleft{0}; //!< unused bytes at the end of m_buffer
};

/** BIP 324's rekeying stream cipher, used for the 3-byte length fields.
 *  Every Crypt() call is one chunk; the i-th chunk of epoch e uses nonce
 *  {0, e} and continues the keystream of the previous chunk. After
 *  `rekey_interval` chunks the next 32 keystream bytes become the new key,
 *  the epoch is incremented and the block counter restarts at 0 (keystream
 *  left in the current block is dropped: with 3-byte chunks and the
 *  interval of 224 nothing is left, as BIP 324 notes). */
class FSChaCha20
{
public:
    static constexpr size_t KEYLEN = 32;
    static constexpr uint32_t REKEY_INTERVAL = 224;

    explicit FSChaCha20(ByteSpan key, uint32_t rekey_interval = REKEY_INTERVAL);

    /** Encrypts or decrypts one chunk (the operation is its own inverse). */
    void Crypt(ByteSpan in, MutableByteSpan out);

private:
    ChaCha20 m_chacha;
    const uint32_t m_rekey_interval;
    uint32_t m_chunk_counter{0};
    uint64_t m_rekey_counter{0};
};

} // namespace cairn

#endif
