#include "validation/sig_cache.h"

#include "crypto/sha256.h"

namespace cairn {

SignatureCache::SignatureCache(size_t max_bytes) : m_set(max_bytes)
{
    m_set.LogSize("signature cache", max_bytes);
}

static uint256 Entry(const SaltedHashSet& set, uint8_t kind, const uint256& sighash, ByteSpan sig, ByteSpan pubkey)
{
    Sha256 h = set.SaltedHasher();
    h.Write(ByteSpan(&kind, 1)).Write(sighash.span());
    // Lengths keep (sig, pubkey) pairs with different splits apart.
    // (pushes are at most 520 bytes, so two bytes each suffice).
    uint8_t lens[4] = {uint8_t(sig.size()), uint8_t(sig.size() >> 8), uint8_t(pubkey.size()), uint8_t(pubkey.size() >> 8)};
    h.Write(lens).Write(sig).Write(pubkey);
    uint256 out;
    h.Finalize(out.data());
    return out;
}

uint256 SignatureCache::EcdsaEntry(const uint256& sighash, ByteSpan der_sig, ByteSpan pubkey) const
{
    return Entry(m_set, 'E', sighash, der_sig, pubkey);
}

uint256 SignatureCache::SchnorrEntry(const uint256& sighash, ByteSpan sig64, ByteSpan pubkey32) const
{
    return Entry(m_set, 'S', sighash, sig64, pubkey32);
}

bool CachingTransactionSignatureChecker::VerifyEcdsa(ByteSpan der_sig, ByteSpan pubkey, const uint256& sighash) const
{
    if (!m_cache) return TransactionSignatureChecker::VerifyEcdsa(der_sig, pubkey, sighash);
    const uint256 entry = m_cache->EcdsaEntry(sighash, der_sig, pubkey);
    if (m_cache->Get(entry, !m_store)) return true;
    if (!TransactionSignatureChecker::VerifyEcdsa(der_sig, pubkey, sighash)) return false;
    if (m_store) m_cache->Add(entry);
    return true;
}

bool CachingTransactionSignatureChecker::VerifySchnorr(ByteSpan sig64, ByteSpan pubkey32, const uint256& sighash) const
{
    if (!m_cache) return TransactionSignatureChecker::VerifySchnorr(sig64, pubkey32, sighash);
    const uint256 entry = m_cache->SchnorrEntry(sighash, sig64, pubkey32);
    if (m_cache->Get(entry, !m_store)) return true;
    if (!TransactionSignatureChecker::VerifySchnorr(sig64, pubkey32, sighash)) return false;
    if (m_store) m_cache->Add(entry);
    return true;
}

} // namespace cairn
