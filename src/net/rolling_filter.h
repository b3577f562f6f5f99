// A probabilistic set of recently seen hashes with bounded memory (the role
// of Bitcoin Core's CRollingBloomFilter): "have I seen this (w)txid lately?"
// for the per-peer known-inventory filter and the recent-rejects filters.
//
// Contains() is true for each of the last `max_elements` insertions (and
// possibly for older ones); for a hash never inserted it is false except with
// probability about `fp_rate`. Entries are kept in three generations of
// max_elements/2 insertions; starting a new generation forgets the oldest.
// Each bit position holds the generation (1..3) that last set it, in two bit
// planes. Hash positions come from SipHash with a key drawn at construction
// (and again at Reset), so peers cannot aim for false positives.
//
// Not thread-safe: the owner serialises access.
#ifndef CAIRN_NET_ROLLING_FILTER_H
#define CAIRN_NET_ROLLING_FILTER_H

#include "util/uint256.h"

#include <cstdint>
#include <vector>

namespace cairn {

class RollingBloomFilter
{
public:
    RollingBloomFilter(uint32_t max_elements, double fp_rate);

    void Insert(const uint256& hash);
    bool Contains(const uint256& hash) const;
    /** Forgets everything (and draws a new hash key). */
    void Reset();

    /** Bytes of the bit planes (for memory accounting and tests). */
    size_t MemoryUsage() const { return m_data.size() * sizeof(uint64_t); }

private:
    /** The i-th bit position of `hash`. */
    uint32_t Position(const uint256& hash, uint32_t i) const;

    uint32_t m_entries_per_generation;
    uint32_t m_entries_this_generation{0};
    uint32_t m_generation{1};
    uint32_t m_hash_funcs;
    uint32_t m_bits;
    uint64_t m_k0{0}, m_k1{0};
    /** Words come in pairs: bit 0 and bit 1 of the generation of 64 positions. */
    std::vector<uint64_t> m_data;
};

} // namespace cairn

#endif
