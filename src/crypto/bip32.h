// BIP 32 hierarchical deterministic keys: a key plus a chain code, from
// which children are derived by index. Indexes at or above 2^31 are
// "hardened": only the private key can derive them. The 74-byte
// serialization here is the part after the 4-byte version prefix; the
// Base58Check text form with the per-network prefix (xpub, tprv, ...) lives
// in script/extkey.h, since the prefixes are per-network address data.
#ifndef CAIRN_CRYPTO_BIP32_H
#define CAIRN_CRYPTO_BIP32_H

#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "util/span.h"
#include "util/uint256.h"

#include <array>
#include <cstdint>

namespace cairn {

/** depth(1) parent fingerprint(4) child number(4, BE) chain code(32) key(33). */
inline constexpr size_t BIP32_EXTKEY_SIZE = 74;
/** The first hardened index, 2^31. */
inline constexpr uint32_t BIP32_HARDENED = 0x80000000;

using KeyFingerprint = std::array<uint8_t, 4>;

/** The first four bytes of Hash160(pubkey): a key's BIP 32 fingerprint. */
KeyFingerprint GetKeyFingerprint(const PubKey& pubkey);

struct ExtPubKey {
    uint8_t depth{0};
    KeyFingerprint parent_fingerprint{};
    uint32_t child{0};
    uint256 chaincode;
    PubKey pubkey;

    /** Writes the 74 bytes. */
    void Encode(uint8_t out[BIP32_EXTKEY_SIZE]) const;
    /** Reads 74 bytes; false (as Bitcoin Core rejects them) for a key not on
     *  the curve or not compressed, or depth 0 with a non-zero parent
     *  fingerprint or child number. */
    bool Decode(const uint8_t in[BIP32_EXTKEY_SIZE]);

    /** CKDpub; false for a hardened index or (with negligible chance) an
     *  invalid tweak. */
    bool Derive(ExtPubKey& out, uint32_t index) const;

    KeyFingerprint Fingerprint() const { return GetKeyFingerprint(pubkey); }

    friend bool operator==(const ExtPubKey&, const ExtPubKey&) = default;
};

struct ExtKey {
    uint8_t depth{0};
    KeyFingerprint parent_fingerprint{};
    uint32_t child{0};
    uint256 chaincode;
    Key key;

    /** The master key of a seed (16 to 64 bytes by BIP 32, not enforced). */
    void SetSeed(ByteSpan seed);

    void Encode(uint8_t out[BIP32_EXTKEY_SIZE]) const;
    /** Reads 74 bytes; false for a key byte 32 that is not 0x00, a secret out
     *  of range, or depth 0 with a non-zero parent fingerprint or child. */
    bool Decode(const uint8_t in[BIP32_EXTKEY_SIZE]);

    /** CKDpriv, hardened or not; false (negligible chance) on an invalid tweak. */
    bool Derive(ExtKey& out, uint32_t index) const;

    /** The public half, with the same depth, parent and child number. */
    ExtPubKey Neuter() const;

    KeyFingerprint Fingerprint() const { return GetKeyFingerprint(key.GetPubKey()); }
};

} // namespace cairn

#endif
