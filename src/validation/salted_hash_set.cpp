#include "validation/salted_hash_set.h"

#include "crypto/random.h"
#include "util/log.h"

#include <algorithm>
#include <iterator>
#include <mutex>

namespace cairn {

// Roughly what one entry costs in an unordered_set: the node (hash, next
// pointer, cached hash) plus its bucket.
static constexpr size_t BYTES_PER_ENTRY = sizeof(uint256) + 3 * sizeof(void*);

SaltedHashSet::SaltedHashSet(size_t max_bytes) : m_max_entries(std::max<size_t>(1, max_bytes / BYTES_PER_ENTRY))
{
    // 32 random bytes padded with zeros to a full block.
    uint8_t salt[Sha256::BLOCK_SIZE] = {};
    GetRandBytes(MutableByteSpan(salt, 32));
    m_salted.Write(salt);
    m_set.reserve(std::min<size_t>(m_max_entries, 1 << 20));
}

size_t SaltedHashSet::MaxBytes() const { return m_max_entries * BYTES_PER_ENTRY; }

void SaltedHashSet::LogSize(std::string_view what, size_t requested_bytes) const
{
    // Rounded, not truncated: whole entries fall a few bytes short of the
    // request, which must not read as a MiB less.
    const auto mib = [](size_t bytes) { return (bytes + (size_t(1) << 19)) >> 20; };
    LogInfo("Using {} MiB out of {} MiB requested for {}, able to store {} elements", mib(MaxBytes()),
            mib(requested_bytes), what, m_max_entries);
}

bool SaltedHashSet::Get(const uint256& entry, bool erase)
{
    if (erase) {
        std::unique_lock lock(m_mutex);
        return m_set.erase(entry) > 0;
    }
    std::shared_lock lock(m_mutex);
    return m_set.count(entry) > 0;
}

void SaltedHashSet::Add(const uint256& entry)
{
    std::unique_lock lock(m_mutex);
    if (m_set.count(entry)) return;
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

size_t SaltedHashSet::size() const
{
    std::shared_lock lock(m_mutex);
    return m_set.size();
}

} // namespace cairn
