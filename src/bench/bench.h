// cairn-bench: a small harness for micro-benchmarks.
//
//   static void BenchFoo(cairn::bench::State& state) {
//       setup();                      // not timed
//       while (state.KeepRunning()) work();
//   }
//   CAIRN_BENCH(BenchFoo);
//
// The runner calibrates the iteration count, then times several samples
// and reports the median time per iteration (and throughput when
// SetBytesPerIteration was called).
#ifndef CAIRN_BENCH_BENCH_H
#define CAIRN_BENCH_BENCH_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cairn::bench {

class State
{
public:
    explicit State(uint64_t iterations) : iterations(iterations) {}

    bool KeepRunning()
    {
        if (m_done == 0) m_start = std::chrono::steady_clock::now();
        if (m_done++ < iterations) return true;
        m_elapsed = std::chrono::steady_clock::now() - m_start;
        return false;
    }
    void SetBytesPerIteration(uint64_t bytes) { m_bytes = bytes; }
    /** Items per iteration (e.g. signatures per block), for a per-item figure. */
    void SetItemsPerIteration(uint64_t items) { m_items = items; }

    const uint64_t iterations;
    std::chrono::duration<double> Elapsed() const { return m_elapsed; }
    uint64_t Bytes() const { return m_bytes; }
    uint64_t Items() const { return m_items; }

private:
    uint64_t m_done{0};
    std::chrono::steady_clock::time_point m_start;
    std::chrono::duration<double> m_elapsed{0};
    uint64_t m_bytes{0};
    uint64_t m_items{0};
};

using BenchFunction = std::function<void(State&)>;

struct Registry {
    static std::vector<std::pair<std::string, BenchFunction>>& Benchmarks();
};

struct Registrar {
    Registrar(const std::string& name, BenchFunction fn) { Registry::Benchmarks().emplace_back(name, std::move(fn)); }
};

} // namespace cairn::bench

#define CAIRN_BENCH(fn) static ::cairn::bench::Registrar reg_##fn(#fn, fn)

#endif
