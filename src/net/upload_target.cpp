#include "net/upload_target.h"

#include "consensus/consensus.h"

#include <charconv>
#include <limits>

namespace cairn {

void UploadTarget::RecordBytesSent(uint64_t bytes, int64_t now)
{
    std::lock_guard lock(m_mutex);
    if (m_cycle_start + MAX_UPLOAD_TIMEFRAME < now) {
        // The cycle is over (or none began): a new one starts with these bytes.
        m_cycle_start = now;
        m_sent_in_cycle = 0;
    }
    m_sent_in_cycle += bytes;
}

int64_t UploadTarget::TimeLeftInCycleLocked(int64_t now) const
{
    if (m_target == 0) return 0;
    if (m_cycle_start == 0) return MAX_UPLOAD_TIMEFRAME;
    const int64_t end = m_cycle_start + MAX_UPLOAD_TIMEFRAME;
    return end < now ? 0 : end - now;
}

int64_t UploadTarget::TimeLeftInCycle(int64_t now) const
{
    std::lock_guard lock(m_mutex);
    return TimeLeftInCycleLocked(now);
}

bool UploadTarget::TargetReached(bool historical, int64_t now) const
{
    std::lock_guard lock(m_mutex);
    if (m_target == 0) return false;
    if (historical) {
        // Keep enough to relay one block of the largest size every 10 minutes until the cycle ends.
        const uint64_t buffer = uint64_t(TimeLeftInCycleLocked(now) / 600) * MAX_BLOCK_SERIALIZED_SIZE;
        return buffer >= m_target || m_sent_in_cycle >= m_target - buffer;
    }
    return m_sent_in_cycle >= m_target;
}

uint64_t UploadTarget::BytesLeftInCycle() const
{
    std::lock_guard lock(m_mutex);
    if (m_target == 0) return 0;
    return m_sent_in_cycle >= m_target ? 0 : m_target - m_sent_in_cycle;
}

std::optional<uint64_t> ParseByteUnits(std::string_view text, uint64_t default_multiplier)
{
    if (text.empty()) return std::nullopt;
    uint64_t multiplier = default_multiplier;
    bool suffix = true;
    switch (text.back()) {
    case 'k': multiplier = 1000ULL; break;
    case 'K': multiplier = 1ULL << 10; break;
    case 'm': multiplier = 1000ULL * 1000; break;
    case 'M': multiplier = 1ULL << 20; break;
    case 'g': multiplier = 1000ULL * 1000 * 1000; break;
    case 'G': multiplier = 1ULL << 30; break;
    case 't': multiplier = 1000ULL * 1000 * 1000 * 1000; break;
    case 'T': multiplier = 1ULL << 40; break;
    default: suffix = false; break;
    }
    if (suffix) text.remove_suffix(1);
    // Digits only: no sign, no spaces (std::from_chars, as Core's ToIntegral).
    uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (multiplier == 0 || number > std::numeric_limits<uint64_t>::max() / multiplier) return std::nullopt;
    return number * multiplier;
}

} // namespace cairn
