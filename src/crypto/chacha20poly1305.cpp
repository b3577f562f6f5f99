// ChaCha20-Poly1305 (RFC 8439 section 2.8) and FSChaCha20Poly1305 (BIP 324).
#include "crypto/chacha20poly1305.h"

#include "crypto/poly1305.h"

#include <cstring>
#include <stdexcept>
#include <string.h> // explicit_bzero

namespace cairn {
namespace {

void WriteLE64(uint8_t* p, uint64_t v)
{
    for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}

/** Compares in time that depends only on the length. */
bool EqualConstTime(const uint8_t* a, const uint8_t* b, size_t n)
{
    uint8_t diff = 0;
    for (size_t i = 0; i < n; ++i) diff |= a[i] ^ b[i];
    return diff == 0;
}

} // namespace

AEADChaCha20Poly1305::Nonce96 AEADChaCha20Poly1305::NonceFromBytes(ByteSpan nonce12)
{
    if (nonce12.size() != 12) throw std::invalid_argument("ChaCha20Poly1305: nonce must be 12 bytes");
    uint32_t first = 0;
    uint64_t second = 0;
    for (int i = 0; i < 4; ++i) first |= uint32_t{nonce12[i]} << (8 * i);
    for (int i = 0; i < 8; ++i) second |= uint64_t{nonce12[4 + i]} << (8 * i);
    return {first, second};
}

void AEADChaCha20Poly1305::ComputeTag(ByteSpan aad, ByteSpan cipher, Nonce96 nonce, uint8_t tag[16])
{
    // The one-time Poly1305 key is the first half of block 0.
    uint8_t block0[64];
    m_chacha.Seek(nonce, 0);
    m_chacha.Keystream(block0);
    Poly1305 poly{ByteSpan{block0, 32}};
    explicit_bzero(block0, sizeof(block0));

    static constexpr uint8_t ZEROES[16] = {};
    poly.Update(aad).Update({ZEROES, (16 - aad.size() % 16) % 16});
    poly.Update(cipher).Update({ZEROES, (16 - cipher.size() % 16) % 16});
    uint8_t lengths[16];
    WriteLE64(lengths, aad.size());
    WriteLE64(lengths + 8, cipher.size());
    poly.Update(lengths).Finalize({tag, 16});
}

void AEADChaCha20Poly1305::Encrypt(ByteSpan plain, ByteSpan aad, Nonce96 nonce, MutableByteSpan cipher)
{
    Encrypt(plain, {}, aad, nonce, cipher);
}

void AEADChaCha20Poly1305::Encrypt(ByteSpan plain1, ByteSpan plain2, ByteSpan aad, Nonce96 nonce,
                                   MutableByteSpan cipher)
{
    const size_t n = plain1.size() + plain2.size();
    if (cipher.size() != n + EXPANSION) throw std::invalid_argument("ChaCha20Poly1305: bad ciphertext size");
    m_chacha.Seek(nonce, 1);
    m_chacha.Crypt(plain1, cipher.first(plain1.size()));
    m_chacha.Crypt(plain2, cipher.subspan(plain1.size(), plain2.size()));
    ComputeTag(aad, cipher.first(n), nonce, cipher.data() + n);
}

bool AEADChaCha20Poly1305::Decrypt(ByteSpan cipher, ByteSpan aad, Nonce96 nonce, MutableByteSpan plain)
{
    return Decrypt(cipher, aad, nonce, plain, {});
}

bool AEADChaCha20Poly1305::Decrypt(ByteSpan cipher, ByteSpan aad, Nonce96 nonce, MutableByteSpan plain1,
                                   MutableByteSpan plain2)
{
    if (cipher.size() < EXPANSION || cipher.size() - EXPANSION != plain1.size() + plain2.size()) {
        throw std::invalid_argument("ChaCha20Poly1305: bad plaintext size");
    }
    const size_t n = cipher.size() - EXPANSION;
    uint8_t tag[EXPANSION];
    ComputeTag(aad, cipher.first(n), nonce, tag);
    if (!EqualConstTime(tag, cipher.data() + n, EXPANSION)) return false;
    m_chacha.Seek(nonce, 1);
    m_chacha.Crypt(cipher.first(plain1.size()), plain1);
    m_chacha.Crypt(cipher.subspan(plain1.size(), plain2.size()), plain2);
    return true;
}

void AEADChaCha20Poly1305::Keystream(Nonce96 nonce, MutableByteSpan out)
{
    m_chacha.Seek(nonce, 1);
    m_chacha.Keystream(out);
}

FSChaCha20Poly1305::FSChaCha20Poly1305(ByteSpan key, uint32_t rekey_interval)
    : m_aead(key), m_rekey_interval(rekey_interval)
{
    if (rekey_interval == 0) throw std::invalid_argument("FSChaCha20Poly1305: rekey interval must be positive");
}

void FSChaCha20Poly1305::NextPacket()
{
    if (++m_packet_counter == m_rekey_interval) {
        uint8_t new_key[KEYLEN];
        m_aead.Keystream({0xffffffff, m_rekey_counter}, new_key);
        m_aead.SetKey(new_key);
        explicit_bzero(new_key, sizeof(new_key));
        m_packet_counter = 0;
        ++m_rekey_counter;
    }
}

void FSChaCha20Poly1305::Encrypt(ByteSpan plain1, ByteSpan plain2, ByteSpan aad, MutableByteSpan cipher)
{
    m_aead.Encrypt(plain1, plain2, aad, Nonce(), cipher);
    NextPacket();
}

bool FSChaCha20Poly1305::Decrypt(ByteSpan cipher, ByteSpan aad, MutableByteSpan plain1, MutableByteSpan plain2)
{
    const bool ok = m_aead.Decrypt(cipher, aad, Nonce(), plain1, plain2);
    NextPacket();
    return ok;
}

} // namespace cairn
