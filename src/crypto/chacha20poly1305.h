// The ChaCha20-Poly1305 AEAD (RFC 8439 section 2.8) and BIP 324's
// rekeying FSChaCha20Poly1305.
//
// The 16-byte tag is appended to the ciphertext: ciphertexts are EXPANSION
// bytes longer than their plaintexts. Plaintext may be given (and received)
// in two pieces, as one message, so a caller can encrypt a header and a body
// without copying them together first.
#ifndef CAIRN_CRYPTO_CHACHA20POLY1305_H
#define CAIRN_CRYPTO_CHACHA20POLY1305_H

#include "crypto/chacha20.h"
#include "util/span.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

class AEADChaCha20Poly1305
{
public:
    static constexpr size_t KEYLEN = 32;
    static constexpr size_t EXPANSION = 16;
    using Nonce96 = ChaCha20::Nonce96;

    /** `key` must be 32 bytes (throws std::invalid_argument otherwise). */
    explicit AEADChaCha20Poly1305(ByteSpan key) : m_chacha(key) {}
    void SetKey(ByteSpan key) { m_chacha.SetKey(key); }

    /** The {word 13, words 14-15} form of an RFC 8439 12-byte nonce. */
    static Nonce96 NonceFromBytes(ByteSpan nonce12);

    /** cipher = Encrypt(plain) || tag; cipher.size() must be
     *  plain.size() + EXPANSION (throws otherwise). */
    void Encrypt(ByteSpan plain, ByteSpan aad, Nonce96 nonce, MutableByteSpan cipher);
    /** As above for the message plain1 || plain2. */
    void Encrypt(ByteSpan plain1, ByteSpan plain2, ByteSpan aad, Nonce96 nonce, MutableByteSpan cipher);

    /** Checks the tag (in constant time) and only then decrypts. Returns
     *  false, writing nothing, on a bad tag. plain.size() must be
     *  cipher.size() - EXPANSION (throws otherwise). */
    bool Decrypt(ByteSpan cipher, ByteSpan aad, Nonce96 nonce, MutableByteSpan plain);
    /** As above, writing the plaintext to plain1 then plain2. */
    bool Decrypt(ByteSpan cipher, ByteSpan aad, Nonce96 nonce, MutableByteSpan plain1, MutableByteSpan plain2);

    /** The keystream that would encrypt a message under `nonce` (starting at
     *  block 1; block 0 keys Poly1305). */
    void Keystream(Nonce96 nonce, MutableByteSpan out);

private:
    void ComputeTag(ByteSpan aad, ByteSpan cipher, Nonce96 nonce, uint8_t tag[16]);

    ChaCha20 m_chacha;
};

/** BIP 324's packet AEAD: packet n (counting from 0) of epoch e uses nonce
 *  {n, e}; after `rekey_interval` packets the key becomes the first 32
 *  bytes of the keystream for nonce {0xffffffff, e}, e is incremented and n
 *  restarts at 0. Every Encrypt or Decrypt call is one packet, including a
 *  Decrypt whose tag does not check (the peer is dropped then anyway). */
class FSChaCha20Poly1305
{
public:
    static constexpr size_t KEYLEN = 32;
    static constexpr size_t EXPANSION = AEADChaCha20Poly1305::EXPANSION;
    static constexpr uint32_t REKEY_INTERVAL = 224;

    explicit FSChaCha20Poly1305(ByteSpan key, uint32_t rekey_interval = REKEY_INTERVAL);

    void Encrypt(ByteSpan plain, ByteSpan aad, MutableByteSpan cipher) { Encrypt(plain, {}, aad, cipher); }
    void Encrypt(ByteSpan plain1, ByteSpan plain2, ByteSpan aad, MutableByteSpan cipher);
    bool Decrypt(ByteSpan cipher, ByteSpan aad, MutableByteSpan plain) { return Decrypt(cipher, aad, plain, {}); }
    bool Decrypt(ByteSpan cipher, ByteSpan aad, MutableByteSpan plain1, MutableByteSpan plain2);

private:
    AEADChaCha20Poly1305::Nonce96 Nonce() const { return {m_packet_counter, m_rekey_counter}; }
    void NextPacket();

    AEADChaCha20Poly1305 m_aead;
    const uint32_t m_rekey_interval;
    uint32_t m_packet_counter{0};
    uint64_t m_rekey_counter{0};
};

} // namespace cairn

#endif
