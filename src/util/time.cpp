#include "util/time.h"

#include <atomic>
#include <chrono>

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

} // namespace cairn
