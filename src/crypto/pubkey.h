// Public keys and signature verification (ECDSA and BIP 340 Schnorr), over
// libsecp256k1. No secp256k1 type appears here: callers never include it.
#ifndef CAIRN_CRYPTO_PUBKEY_H
#define CAIRN_CRYPTO_PUBKEY_H

#include "util/span.h"
#include "util/uint256.h"

#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>

namespace cairn {

/** A serialized public key as it appears in scripts: 33 bytes compressed
 *  (02/03 prefix) or 65 bytes uncompressed (04) or hybrid (06/07). Holding
 *  one says nothing about being on the curve; IsFullyValid() checks that. */
class PubKey
{
public:
    static constexpr size_t COMPRESSED_SIZE = 33;
    static constexpr size_t UNCOMPRESSED_SIZE = 65;

    /** The size the first byte announces: 33, 65, or 0 for none. */
    static constexpr size_t SizeFromHeader(uint8_t header)
    {
        if (header == 2 || header == 3) return COMPRESSED_SIZE;
        if (header == 4 || header == 6 || header == 7) return UNCOMPRESSED_SIZE;
        return 0;
    }
    /** True if the length matches what the first byte announces. */
    static bool IsValidSize(ByteSpan bytes) { return !bytes.empty() && SizeFromHeader(bytes[0]) == bytes.size(); }

    /** An invalid key. */
    PubKey() { m_data[0] = 0xff; }
    /** Copies `bytes` if IsValidSize(bytes); otherwise the key is invalid. */
    explicit PubKey(ByteSpan bytes);

    size_t size() const { return SizeFromHeader(m_data[0]); }
    const uint8_t* data() const { return m_data; }
    const uint8_t* begin() const { return m_data; }
    const uint8_t* end() const { return m_data + size(); }
    ByteSpan span() const { return {m_data, size()}; }

    /** Has a valid header and matching length (cheap; see IsFullyValid). */
    bool IsValid() const { return size() > 0; }
    /** Is a point on the curve (libsecp256k1 parses it). */
    bool IsFullyValid() const;
    bool IsCompressed() const { return size() == COMPRESSED_SIZE; }

    /** Hash160 of the serialization: the P2PKH / P2WPKH key id. */
    uint160 GetID() const;

    /** Consensus ECDSA check of a signature over `hash`. The signature is
     *  read with ParseDerLax and a high S is accepted (normalised first):
     *  strict DER and low S are policy and soft-fork checks made by the
     *  script interpreter, not here. False for anything unparseable. */
    bool VerifyEcdsa(const uint256& hash, ByteSpan der_sig) const;

    /** True if the (lax-parsed) signature's S is at most half the order. */
    static bool CheckLowS(ByteSpan der_sig);

    /** The key that made a 65-byte Key::SignCompact signature over `hash`,
     *  compressed or not as the header byte says; false if the signature
     *  is malformed or recovers no key. */
    bool RecoverCompact(const uint256& hash, ByteSpan sig);

    /** Rewrites a compressed key in its 65-byte form; false if not on the curve. */
    bool Decompress();

    friend bool operator==(const PubKey& a, const PubKey& b)
    {
        return a.size() == b.size() && std::memcmp(a.m_data, b.m_data, a.size()) == 0;
    }
    /** By serialization, bytewise (a shorter prefix first). */
    friend std::strong_ordering operator<=>(const PubKey& a, const PubKey& b);

private:
    uint8_t m_data[UNCOMPRESSED_SIZE];
};

/** A BIP 340 public key: the X coordinate of a point whose Y is even. */
class XOnlyPubKey
{
public:
    static constexpr size_t SIZE = 32;

    XOnlyPubKey() = default;
    explicit XOnlyPubKey(const uint256& x) : m_x(x) {}
    /** Throws std::invalid_argument unless `bytes` is 32 long. */
    explicit XOnlyPubKey(ByteSpan bytes) : m_x(bytes) {}
    /** The X coordinate of `key`; throws std::invalid_argument if !key.IsValid(). */
    explicit XOnlyPubKey(const PubKey& key);

    const uint8_t* data() const { return m_x.data(); }
    static constexpr size_t size() { return SIZE; }
    ByteSpan span() const { return m_x.span(); }
    const uint256& GetX() const { return m_x; }

    /** Is the X coordinate of a point on the curve. */
    bool IsFullyValid() const;

    /** BIP 340 verification; false unless `sig` is 64 bytes. */
    bool VerifySchnorr(const uint256& msg, ByteSpan sig) const;
    /** BIP 340 over a message of any length (as BIP 340's later vectors use). */
    bool VerifySchnorr(ByteSpan msg, ByteSpan sig) const;

    /** BIP 341's t = H_TapTweak(P), or H_TapTweak(P || merkle_root) when a
     *  script tree exists (merkle_root non-null). */
    uint256 ComputeTapTweakHash(const uint256* merkle_root) const;

    /** True if *this, with Y parity `parity` (true = odd), is the output key
     *  Q = P + t*G for internal key P = `internal` and t as above. This is
     *  the script-path commitment check of BIP 341. */
    bool CheckTapTweak(const XOnlyPubKey& internal, const uint256& merkle_root, bool parity) const;

    /** The output key Q = P + t*G for this internal key P, and whether its Y
     *  is odd; nullopt if P is not on the curve (or, with negligible chance,
     *  t is not a valid scalar). merkle_root null = key-path-only output. */
    std::optional<std::pair<XOnlyPubKey, bool>> CreateTapTweak(const uint256* merkle_root) const;

    friend bool operator==(const XOnlyPubKey&, const XOnlyPubKey&) = default;
    friend auto operator<=>(const XOnlyPubKey&, const XOnlyPubKey&) = default;

private:
    uint256 m_x;
};

} // namespace cairn

#endif
