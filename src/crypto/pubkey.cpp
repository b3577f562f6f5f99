#include "crypto/pubkey.h"

#include "crypto/hash.h"
#include "crypto/lax_der.h"
#include "crypto/secp256k1_context.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_recovery.h>
#include <secp256k1_schnorrsig.h>

#include <algorithm>
#include <stdexcept>

namespace cairn {
namespace {

bool ParsePubKey(const PubKey& key, secp256k1_pubkey& out)
{
    return key.IsValid() && secp256k1_ec_pubkey_parse(Secp256k1Context(), &out, key.data(), key.size());
}

bool ParseXOnly(const XOnlyPubKey& key, secp256k1_xonly_pubkey& out)
{
    return secp256k1_xonly_pubkey_parse(Secp256k1Context(), &out, key.data());
}

/** Lax-parses into a secp256k1 signature. An R or S that does not fit, or
 *  is not below the group order, becomes the all-zero signature: it parses
 *  (and counts as low-S) but never verifies, the behaviour consensus has
 *  always had. */
bool ParseSignatureLax(ByteSpan der, secp256k1_ecdsa_signature& sig)
{
    uint8_t rs[64];
    if (!ParseDerLax(der, rs)) return false;
    if (!secp256k1_ecdsa_signature_parse_compact(Secp256k1Context(), &sig, rs)) {
        std::fill(std::begin(rs), std::end(rs), 0);
        if (!secp256k1_ecdsa_signature_parse_compact(Secp256k1Context(), &sig, rs)) return false;
    }
    return true;
}

} // namespace

PubKey::PubKey(ByteSpan bytes)
{
    if (IsValidSize(bytes)) {
        std::copy(bytes.begin(), bytes.end(), m_data);
    } else {
        m_data[0] = 0xff;
    }
}

std::strong_ordering operator<=>(const PubKey& a, const PubKey& b)
{
    return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
}

bool PubKey::IsFullyValid() const
{
    secp256k1_pubkey pk;
    return ParsePubKey(*this, pk);
}

uint160 PubKey::GetID() const { return Hash160(span()); }

bool PubKey::VerifyEcdsa(const uint256& hash, ByteSpan der_sig) const
{
    secp256k1_pubkey pk;
    secp256k1_ecdsa_signature sig;
    if (!ParsePubKey(*this, pk) || !ParseSignatureLax(der_sig, sig)) return false;
    // libsecp256k1 verifies only low-S signatures; consensus takes either.
    secp256k1_ecdsa_signature_normalize(Secp256k1Context(), &sig, &sig);
    return secp256k1_ecdsa_verify(Secp256k1Context(), &sig, hash.data(), &pk);
}

bool PubKey::CheckLowS(ByteSpan der_sig)
{
    secp256k1_ecdsa_signature sig;
    if (!ParseSignatureLax(der_sig, sig)) return false;
    // normalize() reports whether S had to be negated, i.e. was high.
    return !secp256k1_ecdsa_signature_normalize(Secp256k1Context(), nullptr, &sig);
}

bool PubKey::RecoverCompact(const uint256& hash, ByteSpan sig)
{
    if (sig.size() != 65) return false;
    // Only the low three bits of header - 27 are read, as Bitcoin Core does.
    const int header = sig[0];
    const int recid = (header - 27) & 3;
    const bool compressed = ((header - 27) & 4) != 0;
    const secp256k1_context* ctx = Secp256k1Context();
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig.data() + 1, recid) ||
        !secp256k1_ecdsa_recover(ctx, &pk, &rsig, hash.data())) {
        return false;
    }
    size_t len = UNCOMPRESSED_SIZE;
    secp256k1_ec_pubkey_serialize(ctx, m_data, &len, &pk, compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
    return true;
}

bool PubKey::Decompress()
{
    secp256k1_pubkey pk;
    if (!ParsePubKey(*this, pk)) return false;
    size_t len = UNCOMPRESSED_SIZE;
    secp256k1_ec_pubkey_serialize(Secp256k1Context(), m_data, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return true;
}

XOnlyPubKey::XOnlyPubKey(const PubKey& key)
{
    if (!key.IsValid()) throw std::invalid_argument("XOnlyPubKey: invalid public key");
    m_x = uint256(key.span().subspan(1, SIZE));
}

bool XOnlyPubKey::IsFullyValid() const
{
    secp256k1_xonly_pubkey pk;
    return ParseXOnly(*this, pk);
}

bool XOnlyPubKey::VerifySchnorr(const uint256& msg, ByteSpan sig) const { return VerifySchnorr(msg.span(), sig); }

bool XOnlyPubKey::VerifySchnorr(ByteSpan msg, ByteSpan sig) const
{
    secp256k1_xonly_pubkey pk;
    if (sig.size() != 64 || !ParseXOnly(*this, pk)) return false;
    return secp256k1_schnorrsig_verify(Secp256k1Context(), sig.data(), msg.data(), msg.size(), &pk);
}

uint256 XOnlyPubKey::ComputeTapTweakHash(const uint256* merkle_root) const
{
    // The tag's midstate is computed once for the whole process.
    static const Sha256 tap_tweak = TaggedHashWriter("TapTweak");
    Sha256 sha = tap_tweak;
    sha.Write(span());
    if (merkle_root) sha.Write(merkle_root->span());
    uint256 out;
    sha.Finalize(out.data());
    return out;
}

bool XOnlyPubKey::CheckTapTweak(const XOnlyPubKey& internal, const uint256& merkle_root, bool parity) const
{
    secp256k1_xonly_pubkey internal_pk;
    if (!ParseXOnly(internal, internal_pk)) return false;
    const uint256 tweak = internal.ComputeTapTweakHash(&merkle_root);
    return secp256k1_xonly_pubkey_tweak_add_check(Secp256k1Context(), data(), parity, &internal_pk, tweak.data());
}

std::optional<std::pair<XOnlyPubKey, bool>> XOnlyPubKey::CreateTapTweak(const uint256* merkle_root) const
{
    secp256k1_xonly_pubkey internal_pk;
    if (!ParseXOnly(*this, internal_pk)) return std::nullopt;
    const uint256 tweak = ComputeTapTweakHash(merkle_root);
    secp256k1_pubkey output;
    if (!secp256k1_xonly_pubkey_tweak_add(Secp256k1Context(), &output, &internal_pk, tweak.data())) return std::nullopt;
    secp256k1_xonly_pubkey output_xonly;
    int parity;
    if (!secp256k1_xonly_pubkey_from_pubkey(Secp256k1Context(), &output_xonly, &parity, &output)) return std::nullopt;
    uint256 x;
    secp256k1_xonly_pubkey_serialize(Secp256k1Context(), x.data(), &output_xonly);
    return std::make_pair(XOnlyPubKey(x), parity != 0);
}

} // namespace cairn
