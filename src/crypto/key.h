// Private keys and signing (ECDSA and BIP 340/341 Schnorr), over
// libsecp256k1. No secp256k1 type appears here: callers never include it.
#ifndef CAIRN_CRYPTO_KEY_H
#define CAIRN_CRYPTO_KEY_H

#include "crypto/pubkey.h"
#include "util/span.h"
#include "util/uint256.h"

#include <array>
#include <cstdint>

namespace cairn {

/** A secp256k1 secret key (a scalar in [1, n-1]) and whether its public key
 *  is used compressed. The secret is wiped when the object is destroyed. */
class Key
{
public:
    static constexpr size_t SIZE = 32;

    Key() = default;
    Key(const Key&) = default;
    Key& operator=(const Key&) = default;
    ~Key();

    /** Takes 32 big-endian bytes; false (and the key stays invalid) if they
     *  are not a valid scalar or not 32 long. */
    bool Set(ByteSpan secret, bool compressed);
    /** A fresh key from the OS random source. */
    void MakeNewKey(bool compressed);

    bool IsValid() const { return m_valid; }
    bool IsCompressed() const { return m_compressed; }
    /** The secret bytes (for WIF or BIP 32 serialization). */
    ByteSpan span() const { return {m_secret.data(), SIZE}; }

    PubKey GetPubKey() const;
    XOnlyPubKey GetXOnlyPubKey() const;

    /** DER-encoded ECDSA signature over `hash`, deterministic (RFC 6979) and
     *  always low-S. With grind_low_r, extra nonce entropy is counted up
     *  until R's top bit is clear, so the signature is at most 71 bytes (as
     *  Bitcoin wallets do, for smaller and predictable fee estimates). */
    bool SignEcdsa(const uint256& hash, Bytes& der_sig_out, bool grind_low_r = true) const;

    /** 65-byte recoverable signature for message signing: a header byte
     *  27 + recovery id (+ 4 when the key is compressed), then R and S.
     *  Deterministic (RFC 6979), low-S. */
    bool SignCompact(const uint256& hash, uint8_t sig[65]) const;

    /** BIP 340 signature with the key itself, as used by tapscript
     *  (script-path) signatures. `aux` null = 32 fresh random bytes. */
    bool SignSchnorr(ByteSpan msg, uint8_t sig[64], const uint256* aux) const;
    bool SignSchnorr(const uint256& msg, uint8_t sig[64], const uint256* aux) const
    {
        return SignSchnorr(msg.span(), sig, aux);
    }

    /** BIP 341 key-path signature: signs with this internal key tweaked by
     *  H_TapTweak(P || merkle_root), or by H_TapTweak(P) when merkle_root is
     *  null (an output without a script tree). */
    bool SignSchnorrTaproot(const uint256& msg, uint8_t sig[64], const uint256* merkle_root, const uint256* aux) const;

private:
    bool SignSchnorrImpl(ByteSpan msg, uint8_t sig[64], bool tweak, const uint256* merkle_root,
                         const uint256* aux) const;

    std::array<uint8_t, SIZE> m_secret{};
    bool m_valid{false};
    bool m_compressed{false};
};

} // namespace cairn

#endif
