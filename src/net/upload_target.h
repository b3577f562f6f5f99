// -maxuploadtarget (Bitcoin Core's outbound limit): the bytes sent to all
// peers are counted in cycles of 24 hours. Once a cycle's bytes reach the
// target, `mempool` requests are refused; long before that, blocks older
// than a week stop being served to peers without the download permission,
// so that enough of the target is left to relay one full-size block every
// 10 minutes until the cycle ends. A cycle starts with the first byte sent
// after the previous one is over (so the counters only move when bytes do,
// as in Core). Times are the node's mockable clock, in seconds.
//
// Thread safety: every member takes m_mutex (a leaf lock).
#ifndef CAIRN_NET_UPLOAD_TARGET_H
#define CAIRN_NET_UPLOAD_TARGET_H

#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

namespace cairn {

/** Length of one counting cycle (Core's MAX_UPLOAD_TIMEFRAME), seconds. */
inline constexpr int64_t MAX_UPLOAD_TIMEFRAME = 24 * 60 * 60;
/** Blocks at least this much older than our best header are historical (Core's HISTORICAL_BLOCK_AGE). */
inline constexpr int64_t HISTORICAL_BLOCK_AGE = 7 * 24 * 60 * 60;

class UploadTarget
{
public:
    /** `target` in bytes per cycle; 0: no limit. */
    explicit UploadTarget(uint64_t target) : m_target(target) {}

    void RecordBytesSent(uint64_t bytes, int64_t now);
    uint64_t Target() const { return m_target; }
    static constexpr int64_t Timeframe() { return MAX_UPLOAD_TIMEFRAME; }
    /** Seconds until the cycle ends: 0 without a target, a whole cycle before the first byte. */
    int64_t TimeLeftInCycle(int64_t now) const;
    /** Core's OutboundTargetReached. With `historical`: whether historical
     *  blocks must stop, i.e. what is left of the target no longer covers a
     *  maximum-size block per 10 minutes until the cycle ends. */
    bool TargetReached(bool historical, int64_t now) const;
    /** What is left of the target in this cycle (0 without a target). */
    uint64_t BytesLeftInCycle() const;

private:
    int64_t TimeLeftInCycleLocked(int64_t now) const;

    const uint64_t m_target;
    mutable std::mutex m_mutex;
    int64_t m_cycle_start{0};     // guarded by m_mutex; 0: nothing sent yet
    uint64_t m_sent_in_cycle{0};  // guarded by m_mutex
};

/** Core's ParseByteUnits: a non-negative integer with an optional suffix
 *  k/m/g/t (powers of 1000) or K/M/G/T (powers of 1024); without one, times
 *  `default_multiplier`. Nullopt for anything else or on overflow. */
std::optional<uint64_t> ParseByteUnits(std::string_view text, uint64_t default_multiplier);

} // namespace cairn

#endif
