#include "crypto/key.h"

#include "crypto/random.h"
#include "crypto/secp256k1_context.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_recovery.h>
#include <secp256k1_schnorrsig.h>

#include <cstring>

namespace cairn {
namespace {

/** Zeroes secret material in a way the compiler may not drop as a dead store. */
template <typename T>
void Wipe(T& obj)
{
    explicit_bzero(&obj, sizeof(obj));
}

} // namespace

Key::~Key() { Wipe(m_secret); }

bool Key::Set(ByteSpan secret, bool compressed)
{
    m_valid = false;
    if (secret.size() != SIZE || !secp256k1_ec_seckey_verify(Secp256k1Context(), secret.data())) return false;
    std::memcpy(m_secret.data(), secret.data(), SIZE);
    m_valid = true;
    m_compressed = compressed;
    return true;
}

void Key::MakeNewKey(bool compressed)
{
    // A random 32 bytes fail only if zero or above the group order: ~2^-128.
    std::array<uint8_t, SIZE> candidate;
    do {
        GetRandBytes(candidate);
    } while (!Set(candidate, compressed));
    Wipe(candidate);
}

PubKey Key::GetPubKey() const
{
    secp256k1_pubkey pk;
    if (!m_valid || !secp256k1_ec_pubkey_create(Secp256k1Context(), &pk, m_secret.data())) return PubKey();
    uint8_t out[PubKey::UNCOMPRESSED_SIZE];
    size_t len = sizeof(out);
    secp256k1_ec_pubkey_serialize(Secp256k1Context(), out, &len, &pk,
                                  m_compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
    return PubKey({out, len});
}

XOnlyPubKey Key::GetXOnlyPubKey() const
{
    secp256k1_keypair keypair;
    secp256k1_xonly_pubkey xonly;
    uint256 x;
    if (m_valid && secp256k1_keypair_create(Secp256k1Context(), &keypair, m_secret.data()) &&
        secp256k1_keypair_xonly_pub(Secp256k1Context(), &xonly, nullptr, &keypair)) {
        secp256k1_xonly_pubkey_serialize(Secp256k1Context(), x.data(), &xonly);
    }
    Wipe(keypair);
    return XOnlyPubKey(x);
}

bool Key::SignEcdsa(const uint256& hash, Bytes& der_sig_out, bool grind_low_r) const
{
    if (!m_valid) return false;
    const secp256k1_context* ctx = Secp256k1Context();
    secp256k1_ecdsa_signature sig;
    // Attempt 0 is plain RFC 6979; attempt k > 0 passes k (little-endian in
    // 32 bytes) as the extra data RFC 6979 section 3.6 allows.
    uint8_t extra[32] = {};
    for (uint32_t attempt = 0;; ++attempt) {
        std::memcpy(extra, &attempt, sizeof(attempt));
        if (!secp256k1_ecdsa_sign(ctx, &sig, hash.data(), m_secret.data(), secp256k1_nonce_function_rfc6979,
                                  attempt == 0 ? nullptr : extra)) {
            return false;
        }
        if (!grind_low_r) break;
        uint8_t compact[64];
        secp256k1_ecdsa_signature_serialize_compact(ctx, compact, &sig);
        if (compact[0] < 0x80) break;
    }

    uint8_t der[72];
    size_t len = sizeof(der);
    secp256k1_ecdsa_signature_serialize_der(ctx, der, &len, &sig);
    der_sig_out.assign(der, der + len);

    // Check our own work: a fault during signing can leak the key, and a
    // signature that does not verify would only be rejected by the network.
    if (!GetPubKey().VerifyEcdsa(hash, der_sig_out)) {
        der_sig_out.clear();
        return false;
    }
    return true;
}

bool Key::SignCompact(const uint256& hash, uint8_t sig[65]) const
{
    if (!m_valid) return false;
    const secp256k1_context* ctx = Secp256k1Context();
    secp256k1_ecdsa_recoverable_signature rsig;
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &rsig, hash.data(), m_secret.data(), secp256k1_nonce_function_rfc6979,
                                          nullptr)) {
        return false;
    }
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig + 1, &recid, &rsig);
    sig[0] = uint8_t(27 + recid + (m_compressed ? 4 : 0));
    // Check our own work, as for SignEcdsa.
    PubKey recovered;
    return recovered.RecoverCompact(hash, {sig, 65}) && recovered == GetPubKey();
}

bool Key::SignSchnorr(ByteSpan msg, uint8_t sig[64], const uint256* aux) const
{
    return SignSchnorrImpl(msg, sig, false, nullptr, aux);
}

bool Key::SignSchnorrTaproot(const uint256& msg, uint8_t sig[64], const uint256* merkle_root, const uint256* aux) const
{
    return SignSchnorrImpl(msg.span(), sig, true, merkle_root, aux);
}

bool Key::SignSchnorrImpl(ByteSpan msg, uint8_t sig[64], bool tweak, const uint256* merkle_root,
                          const uint256* aux) const
{
    if (!m_valid) return false;
    const secp256k1_context* ctx = Secp256k1Context();
    secp256k1_keypair keypair;
    if (!secp256k1_keypair_create(ctx, &keypair, m_secret.data())) return false;

    secp256k1_xonly_pubkey xonly;
    bool ok = secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &keypair);
    if (ok && tweak) {
        uint256 internal;
        secp256k1_xonly_pubkey_serialize(ctx, internal.data(), &xonly);
        const uint256 t = XOnlyPubKey(internal).ComputeTapTweakHash(merkle_root);
        ok = secp256k1_keypair_xonly_tweak_add(ctx, &keypair, t.data()) &&
             secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &keypair);
    }
    if (ok) {
        // BIP 340 recommends fresh auxiliary randomness for every signature.
        uint256 aux_rand;
        if (aux) {
            aux_rand = *aux;
        } else {
            GetRandBytes({aux_rand.data(), aux_rand.size()});
        }
        secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
        params.ndata = aux_rand.data();
        ok = secp256k1_schnorrsig_sign_custom(ctx, sig, msg.data(), msg.size(), &keypair, &params) &&
             // Check our own work, as for ECDSA.
             secp256k1_schnorrsig_verify(ctx, sig, msg.data(), msg.size(), &xonly);
    }
    Wipe(keypair);
    return ok;
}

} // namespace cairn
