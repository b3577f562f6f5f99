// A cache of whole transactions whose scripts all passed under a set of
// script flags (Bitcoin Core's script execution cache), so that a block
// carrying a transaction the mempool has already checked skips its scripts
// entirely, not just its signature checks.
//
// Entries are salted hashes of (wtxid, flags). The wtxid commits to every
// scriptSig and witness and, through the prevouts, to the outputs spent, so
// a hit means exactly these scripts passed with exactly these flags.
// Thread-safe as the signature cache is.
#ifndef CAIRN_VALIDATION_SCRIPT_EXEC_CACHE_H
#define CAIRN_VALIDATION_SCRIPT_EXEC_CACHE_H

#include "consensus/script/script_flags.h"
#include "primitives/transaction.h"
#include "util/uint256.h"
#include "validation/salted_hash_set.h"

namespace cairn {

class ScriptExecutionCache
{
public:
    /** Logs its size as Core does. */
    explicit ScriptExecutionCache(size_t max_bytes);

    uint256 Entry(const Transaction& tx, ScriptFlags flags) const;

    /** True if present; with erase the entry is dropped (a block being
     *  connected needs it only once). */
    bool Get(const uint256& entry, bool erase) { return m_set.Get(entry, erase); }
    void Add(const uint256& entry) { m_set.Add(entry); }
    size_t size() const { return m_set.size(); }

private:
    SaltedHashSet m_set;
};

} // namespace cairn

#endif
