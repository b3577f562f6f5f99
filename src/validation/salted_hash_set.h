// The storage shared by the signature cache and the script execution cache:
// a bounded, thread-safe set of 256-bit entries, each the SHA256 of a random
// salt followed by whatever the entry stands for.
//
// The salt keeps entries unpredictable to peers, so they cannot aim
// collisions at the set or steer which entries get evicted.
#ifndef CAIRN_VALIDATION_SALTED_HASH_SET_H
#define CAIRN_VALIDATION_SALTED_HASH_SET_H

#include "crypto/sha256.h"
#include "util/uint256.h"

#include <shared_mutex>
#include <string_view>
#include <unordered_set>

namespace cairn {

class SaltedHashSet
{
public:
    /** Room for about `max_bytes` worth of entries, and at least one. */
    explicit SaltedHashSet(size_t max_bytes);

    /** A SHA256 that has already absorbed this set's salt: write what the
     *  entry stands for and finalize. The salt fills one whole 64-byte
     *  block, so this is a copy of a midstate, not a hash of the salt. */
    Sha256 SaltedHasher() const { return m_salted; }

    /** True if present; with erase the entry is dropped too. Lookups
     *  without erase run concurrently. */
    bool Get(const uint256& entry, bool erase);
    /** Adds the entry, evicting a random one when full. */
    void Add(const uint256& entry);
    size_t size() const;

    size_t MaxEntries() const { return m_max_entries; }
    /** Roughly the memory the entries take when the set is full. */
    size_t MaxBytes() const;
    /** Core's start-up line: "Using N MiB out of M MiB requested for <what>, able to store K elements". */
    void LogSize(std::string_view what, size_t requested_bytes) const;

private:
    struct Hasher {
        size_t operator()(const uint256& h) const noexcept { return h.GetUint64(0); }
    };
    Sha256 m_salted;
    size_t m_max_entries;
    mutable std::shared_mutex m_mutex;
    std::unordered_set<uint256, Hasher> m_set; // guarded by m_mutex
};

} // namespace cairn

#endif
