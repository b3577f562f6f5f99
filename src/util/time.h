// The node's clock. Tests move it with -mocktime and the setmocktime RPC, as
// in Bitcoin Core: everything that compares against "now" for consensus or
// policy (future-block limit, IBD, mempool expiry) reads GetTime(); timers
// that measure durations use std::chrono::steady_clock directly.
#ifndef CAIRN_UTIL_TIME_H
#define CAIRN_UTIL_TIME_H

#include <cstdint>
#include <string>

namespace cairn {

/** Seconds since the epoch: the mock time if set, else the system clock. */
int64_t GetTime();
/** Microseconds since the epoch, mock-aware (mock time * 1e6 when set). */
int64_t GetTimeMicros();
/** The system clock, never mocked (log timestamps, uptime). */
int64_t GetSystemTime();

/** "2011-02-02T23:16:42Z" (UTC), as Core prints block times in logs. */
std::string FormatISO8601DateTime(int64_t seconds);

/** 0 turns mocking off. */
void SetMockTime(int64_t seconds);
int64_t GetMockTime();

} // namespace cairn

#endif
