#include "net/rolling_filter.h"

#include "crypto/random.h"
#include "crypto/siphash.h"

#include <algorithm>
#include <cmath>

namespace cairn {

RollingBloomFilter::RollingBloomFilter(uint32_t max_elements, double fp_rate)
{
    // The classic bloom sizing for the whole window (three half-generations,
    // 1.5 x max_elements entries), each position needing two bits.
    const double log_fp = std::log(fp_rate);
    m_hash_funcs = uint32_t(std::clamp<double>(std::round(log_fp / std::log(0.5)), 1, 50));
    m_entries_per_generation = (max_elements + 1) / 2;
    const double window = double(m_entries_per_generation) * 3;
    const double bits = std::ceil(-1.0 * m_hash_funcs * window / std::log(1.0 - std::exp(log_fp / m_hash_funcs)));
    const uint64_t words = std::max<uint64_t>(1, (uint64_t(bits) + 63) / 64);
    m_bits = uint32_t(words * 64);
    m_data.assign(words * 2, 0);
    Reset();
}

uint32_t RollingBloomFilter::Position(const uint256& hash, uint32_t i) const
{
    // Each function is its own keyed hash (the index written first): no
    // linear relation between positions that double hashing would have.
    const uint64_t h = SipHasher(m_k0, m_k1).Write(uint64_t(i)).Write(hash.span()).Finalize();
    return uint32_t((static_cast<unsigned __int128>(h) * m_bits) >> 64);
}

void RollingBloomFilter::Insert(const uint256& hash)
{
    if (m_entries_this_generation == m_entries_per_generation) {
        m_entries_this_generation = 0;
        m_generation = m_generation % 3 + 1;
        // Clear every position last set by the generation being reused.
        const uint64_t g0 = -uint64_t(m_generation & 1);
        const uint64_t g1 = -uint64_t(m_generation >> 1);
        for (size_t w = 0; w < m_data.size(); w += 2) {
            const uint64_t b0 = m_data[w], b1 = m_data[w + 1];
            const uint64_t mask = (b0 ^ g0) | (b1 ^ g1); // 0 where the generation matches
            m_data[w] = b0 & mask;
            m_data[w + 1] = b1 & mask;
        }
    }
    ++m_entries_this_generation;
    for (uint32_t i = 0; i < m_hash_funcs; ++i) {
        const uint32_t pos = Position(hash, i);
        const size_t w = (pos >> 6) * 2;
        const int bit = pos & 63;
        m_data[w] = (m_data[w] & ~(uint64_t{1} << bit)) | (uint64_t(m_generation & 1) << bit);
        m_data[w + 1] = (m_data[w + 1] & ~(uint64_t{1} << bit)) | (uint64_t(m_generation >> 1) << bit);
    }
}

bool RollingBloomFilter::Contains(const uint256& hash) const
{
    for (uint32_t i = 0; i < m_hash_funcs; ++i) {
        const uint32_t pos = Position(hash, i);
        const size_t w = (pos >> 6) * 2;
        const int bit = pos & 63;
        if (!(((m_data[w] | m_data[w + 1]) >> bit) & 1)) return false;
    }
    return true;
}

void RollingBloomFilter::Reset()
{
    m_k0 = GetRandUint64();
    m_k1 = GetRandUint64();
    m_entries_this_generation = 0;
    m_generation = 1;
    std::fill(m_data.begin(), m_data.end(), 0);
}

} // namespace cairn
