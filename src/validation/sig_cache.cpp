#include "validation/sig_cache.h"

#include "crypto/random.h"
#include "crypto/sha256.h"

#include <iterator>
#include <mutex>

namespace cairn {

// Roughly what one entry costs in an unordered_set: the node (hash, next
// pointer, cached hash) plus its bucket.
static constexpr size_t BYTES_PER_ENTRY = sizeof(uint256) + 3 * sizeof(void*);

SignatureCache::SignatureCache(size_t max_bytes) : m_max_entries(std::max<size_t>(1, max_bytes / BYTES_PER_ENTRY))
{
    GetRandBytes(m_salt);
    m_set.reserve(std::min<size_t>(m_max_entries, 1 << 20));
}

static uint256 Entry(const uint8_t (&salt)[32], uint8_t kind, const uint256& sighash, ByteSpan sig, ByteSpan pubkey)
{
    Sha256 h;
    h.Write(salt).Write(ByteSpan(&kind, 1)).Write(sighash.span());
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
    return Entry(m_salt, 'E', sighash, der_sig, pubkey);
}

uint256 SignatureCache::SchnorrEntry(const uint256& sighash, ByteSpan sig64, ByteSpan pubkey32) const
{
    return Entry(m_salt, 'S', sighash, sig64, pubkey32);
}

bool SignatureCache::Get(const uint256& entry, bool erase)
{
    if (erase) {
        std::unique_lock lock(m_mutex);
        return m_set.erase(entry) > 0;
    }
    std::shared_lock lock(m_mutex);
    return m_set.count(entry) > 0;
}

void SignatureCache::Add(const uint256& entry)
{
    std::unique_lock lock(m_mutex);
    if (!m_set.empty() && m_set.size() >= m_max_entries) {
        // Evict a random entry: start at a bucket picked by bits of the new
        // (uniformly random) entry and take the first one found. begin() alone
        // would keep evicting the newest entries, the ones blocks will need.
        const size_t buckets = m_set.bucket_count();
        size_t b = size_t(entry.GetUint64(1) % buckets);
        while (m_set.bucket_size(b) == 0) b = (b + 1) % buckets;
        // Within the bucket too: libstdc++ puts new entries at the front.
        auto it = m_set.begin(b);
        std::advance(it, entry.GetUint64(2) % m_set.bucket_size(b));
        const uint256 victim = *it;
        m_set.erase(victim);
    }
    m_set.insert(entry);
}

size_t SignatureCache::size() const
{
    std::shared_lock lock(m_mutex);
    return m_set.size();
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
