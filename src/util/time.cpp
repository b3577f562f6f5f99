#include "util/time.h"

#include <atomic>
#include <chrono>
#include <ctime>

namespace cairn {

namespace {
std::atomic<int64_t> g_mock_time{0};
}

int64_t GetSystemTime()
{
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

int64_t GetTime()
{
    const int64_t mock = g_mock_time.load(std::memory_order_relaxed);
    return mock ? mock : GetSystemTime();
}

int64_t GetTimeMicros()
{
    using namespace std::chrono;
    const int64_t mock = g_mock_time.load(std::memory_order_relaxed);
    if (mock) return mock * 1000000;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void SetMockTime(int64_t seconds) { g_mock_time.store(seconds, std::memory_order_relaxed); }

int64_t GetMockTime() { return g_mock_time.load(std::memory_order_relaxed); }

std::string FormatISO8601DateTime(int64_t seconds)
{
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm;
    if (!gmtime_r(&t, &tm)) return {};
    char buf[32];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace cairn
