#include "crypto/bip32.h"

#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/secp256k1_context.h"

#include <secp256k1.h>

#include <algorithm>
#include <cstring>

namespace cairn {
namespace {

void WriteBE32(uint8_t* out, uint32_t v)
{
    out[0] = uint8_t(v >> 24);
    out[1] = uint8_t(v >> 16);
    out[2] = uint8_t(v >> 8);
    out[3] = uint8_t(v);
}

uint32_t ReadBE32(const uint8_t* in)
{
    return (uint32_t(in[0]) << 24) | (uint32_t(in[1]) << 16) | (uint32_t(in[2]) << 8) | uint32_t(in[3]);
}

/** I = HMAC-SHA512(chaincode, data || ser32(index)); IL in out[0..32), IR in out[32..64). */
void ChildHmac(const uint256& chaincode, ByteSpan data, uint32_t index, uint8_t out[64])
{
    uint8_t idx[4];
    WriteBE32(idx, index);
    HmacSha512 hmac(chaincode.span());
    hmac.Write(data).Write(idx);
    hmac.Finalize(out);
}

void EncodeHeader(uint8_t depth, const KeyFingerprint& fp, uint32_t child, const uint256& cc, uint8_t* out)
{
    out[0] = depth;
    std::copy(fp.begin(), fp.end(), out + 1);
    WriteBE32(out + 5, child);
    std::memcpy(out + 9, cc.data(), 32);
}

/** True unless a master key (depth 0) claims a parent or a child number. */
bool HeaderConsistent(uint8_t depth, const KeyFingerprint& fp, uint32_t child)
{
    return depth != 0 || (child == 0 && fp == KeyFingerprint{});
}

} // namespace

KeyFingerprint GetKeyFingerprint(const PubKey& pubkey)
{
    const uint160 id = pubkey.GetID();
    KeyFingerprint fp;
    std::copy(id.data(), id.data() + 4, fp.begin());
    return fp;
}

void ExtPubKey::Encode(uint8_t out[BIP32_EXTKEY_SIZE]) const
{
    EncodeHeader(depth, parent_fingerprint, child, chaincode, out);
    std::memcpy(out + 41, pubkey.data(), PubKey::COMPRESSED_SIZE);
}

bool ExtPubKey::Decode(const uint8_t in[BIP32_EXTKEY_SIZE])
{
    depth = in[0];
    std::copy(in + 1, in + 5, parent_fingerprint.begin());
    child = ReadBE32(in + 5);
    std::memcpy(chaincode.data(), in + 9, 32);
    pubkey = PubKey({in + 41, PubKey::COMPRESSED_SIZE});
    if (!pubkey.IsCompressed() || !pubkey.IsFullyValid() || !HeaderConsistent(depth, parent_fingerprint, child)) {
        pubkey = PubKey();
        return false;
    }
    return true;
}

bool ExtPubKey::Derive(ExtPubKey& out, uint32_t index) const
{
    if (index >= BIP32_HARDENED || !pubkey.IsCompressed()) return false;
    uint8_t i[64];
    ChildHmac(chaincode, pubkey.span(), index, i);

    const secp256k1_context* ctx = Secp256k1Context();
    secp256k1_pubkey point;
    if (!secp256k1_ec_pubkey_parse(ctx, &point, pubkey.data(), pubkey.size()) ||
        !secp256k1_ec_pubkey_tweak_add(ctx, &point, i)) {
        return false;
    }
    uint8_t ser[PubKey::COMPRESSED_SIZE];
    size_t len = sizeof(ser);
    secp256k1_ec_pubkey_serialize(ctx, ser, &len, &point, SECP256K1_EC_COMPRESSED);

    out.depth = uint8_t(depth + 1);
    out.parent_fingerprint = Fingerprint();
    out.child = index;
    std::memcpy(out.chaincode.data(), i + 32, 32);
    out.pubkey = PubKey({ser, len});
    return true;
}

void ExtKey::SetSeed(ByteSpan seed)
{
    static constexpr std::string_view SEED_KEY = "Bitcoin seed";
    uint8_t i[64];
    HmacSha512 hmac(AsBytes(SEED_KEY));
    hmac.Write(seed);
    hmac.Finalize(i);
    depth = 0;
    parent_fingerprint = {};
    child = 0;
    key.Set({i, 32}, true);
    std::memcpy(chaincode.data(), i + 32, 32);
    explicit_bzero(i, sizeof(i));
}

void ExtKey::Encode(uint8_t out[BIP32_EXTKEY_SIZE]) const
{
    EncodeHeader(depth, parent_fingerprint, child, chaincode, out);
    out[41] = 0;
    std::memcpy(out + 42, key.span().data(), Key::SIZE);
}

bool ExtKey::Decode(const uint8_t in[BIP32_EXTKEY_SIZE])
{
    depth = in[0];
    std::copy(in + 1, in + 5, parent_fingerprint.begin());
    child = ReadBE32(in + 5);
    std::memcpy(chaincode.data(), in + 9, 32);
    if (in[41] != 0 || !key.Set({in + 42, Key::SIZE}, true) ||
        !HeaderConsistent(depth, parent_fingerprint, child)) {
        key = Key();
        return false;
    }
    return true;
}

bool ExtKey::Derive(ExtKey& out, uint32_t index) const
{
    if (!key.IsValid()) return false;
    const PubKey pub = key.GetPubKey();
    uint8_t i[64];
    if (index >= BIP32_HARDENED) {
        uint8_t data[1 + Key::SIZE];
        data[0] = 0;
        std::memcpy(data + 1, key.span().data(), Key::SIZE);
        ChildHmac(chaincode, data, index, i);
        explicit_bzero(data, sizeof(data));
    } else {
        ChildHmac(chaincode, pub.span(), index, i);
    }

    uint8_t secret[Key::SIZE];
    std::memcpy(secret, key.span().data(), Key::SIZE);
    // Fails if IL is not below the order or the sum is zero; BIP 32 says to
    // go on with the next index then, which is the caller's choice.
    const bool ok = secp256k1_ec_seckey_tweak_add(Secp256k1Context(), secret, i) && out.key.Set(secret, true);
    explicit_bzero(secret, sizeof(secret));
    if (ok) {
        out.depth = uint8_t(depth + 1);
        out.parent_fingerprint = GetKeyFingerprint(pub);
        out.child = index;
        std::memcpy(out.chaincode.data(), i + 32, 32);
    }
    explicit_bzero(i, sizeof(i));
    return ok;
}

ExtPubKey ExtKey::Neuter() const
{
    ExtPubKey pub;
    pub.depth = depth;
    pub.parent_fingerprint = parent_fingerprint;
    pub.child = child;
    pub.chaincode = chaincode;
    pub.pubkey = key.GetPubKey();
    return pub;
}

} // namespace cairn
