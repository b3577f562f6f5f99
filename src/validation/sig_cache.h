// A cache of signatures known to be valid, so that a transaction checked on
// its way into the mempool is not checked again when its block arrives.
//
// Entries are salted hashes of (sighash, public key, signature): a peer
// cannot predict them, and a hit proves exactly that triple was verified.
// Thread-safe: script-check workers read and write it concurrently.
#ifndef CAIRN_VALIDATION_SIG_CACHE_H
#define CAIRN_VALIDATION_SIG_CACHE_H

#include "consensus/script/signature_checker.h"
#include "util/uint256.h"
#include "validation/salted_hash_set.h"

namespace cairn {

/** -maxsigcachesize's default, in MiB: the signature cache and the script
 *  execution cache get half each. */
inline constexpr size_t DEFAULT_SIGNATURE_CACHE_MIB = 32;

class SignatureCache
{
public:
    /** Logs its size as Core does. */
    explicit SignatureCache(size_t max_bytes);

    uint256 EcdsaEntry(const uint256& sighash, ByteSpan der_sig, ByteSpan pubkey) const;
    uint256 SchnorrEntry(const uint256& sighash, ByteSpan sig64, ByteSpan pubkey32) const;

    /** True if present; with erase the entry is dropped (a block's
     *  signatures are not needed again once the block is connected). */
    bool Get(const uint256& entry, bool erase) { return m_set.Get(entry, erase); }
    void Add(const uint256& entry) { m_set.Add(entry); }
    size_t size() const { return m_set.size(); }

private:
    SaltedHashSet m_set;
};

/** A signature checker that consults the cache first; with store, newly
 *  verified signatures are added (mempool), otherwise hits are consumed (blocks). */
class CachingTransactionSignatureChecker : public TransactionSignatureChecker
{
public:
    CachingTransactionSignatureChecker(const Transaction& tx, unsigned int in, Amount amount,
                                       const PrecomputedTxData& txdata, SignatureCache* cache, bool store)
        : TransactionSignatureChecker(tx, in, amount, txdata), m_cache(cache), m_store(store)
    {
    }

protected:
    bool VerifyEcdsa(ByteSpan der_sig, ByteSpan pubkey, const uint256& sighash) const override;
    bool VerifySchnorr(ByteSpan sig64, ByteSpan pubkey32, const uint256& sighash) const override;

private:
    SignatureCache* m_cache;
    bool m_store;
};

} // namespace cairn

#endif
