// cairn-bench: runs the registered micro-benchmarks and prints the median
// time per iteration of several timed samples.
#include "bench/bench.h"
#include "crypto/sha256.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace cairn::bench {

std::vector<std::pair<std::string, BenchFunction>>& Registry::Benchmarks()
{
    static std::vector<std::pair<std::string, BenchFunction>> benches;
    return benches;
}

} // namespace cairn::bench

using namespace cairn::bench;

namespace {

struct Options {
    /** Substrings separated by '|': a benchmark runs if its name contains any. */
    std::string filter;
    double min_time{0.5}; // seconds per sample set
    int samples{5};
    bool list{false};
};

bool Matches(const std::string& name, const std::string& filter)
{
    if (filter.empty()) return true;
    size_t start = 0;
    for (;;) {
        const size_t end = filter.find('|', start);
        const std::string part = filter.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!part.empty() && name.find(part) != std::string::npos) return true;
        if (end == std::string::npos) return false;
        start = end + 1;
    }
}

void Usage()
{
    std::puts("Usage: cairn-bench [-filter=A|B|...] [-min-time=SECONDS] [-samples=N] [-list]\n"
              "Runs Cairn's micro-benchmarks and prints the median of N timed samples.");
}

bool ParseArgs(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0) a = a.substr(1);
        if (a.rfind("-filter=", 0) == 0) {
            o.filter = a.substr(8);
        } else if (a.rfind("-min-time=", 0) == 0) {
            o.min_time = std::atof(a.c_str() + 10);
        } else if (a.rfind("-samples=", 0) == 0) {
            o.samples = std::max(1, std::atoi(a.c_str() + 9));
        } else if (a == "-list") {
            o.list = true;
        } else if (a == "-h" || a == "-help" || a == "-?") {
            Usage();
            std::exit(0);
        } else {
            std::fprintf(stderr, "Error: unknown argument %s\n", argv[i]);
            return false;
        }
    }
    return true;
}

std::string FormatTime(double seconds)
{
    char buf[64];
    if (seconds < 1e-6) std::snprintf(buf, sizeof(buf), "%8.2f ns", seconds * 1e9);
    else if (seconds < 1e-3) std::snprintf(buf, sizeof(buf), "%8.2f us", seconds * 1e6);
    else if (seconds < 1) std::snprintf(buf, sizeof(buf), "%8.2f ms", seconds * 1e3);
    else std::snprintf(buf, sizeof(buf), "%8.3f s ", seconds);
    return buf;
}

void Run(const std::string& name, const BenchFunction& fn, const Options& o)
{
    // Calibrate: double the iteration count until one sample takes a fair
    // share of the time budget.
    uint64_t iters = 1;
    const double per_sample = o.min_time / o.samples;
    for (;;) {
        State s(iters);
        fn(s);
        double t = s.Elapsed().count();
        if (t >= per_sample || iters >= (1ULL << 40)) break;
        iters = t <= 0 ? iters * 10 : std::max<uint64_t>(iters * 2, uint64_t(iters * per_sample / t * 1.1));
    }
    std::vector<double> per_iter;
    uint64_t bytes = 0, items = 0;
    for (int i = 0; i < o.samples; ++i) {
        State s(iters);
        fn(s);
        per_iter.push_back(s.Elapsed().count() / double(iters));
        bytes = s.Bytes();
        items = s.Items();
    }
    std::sort(per_iter.begin(), per_iter.end());
    double median = per_iter[per_iter.size() / 2];
    std::printf("%-40s %s/op", name.c_str(), FormatTime(median).c_str());
    if (bytes) std::printf("  %9.1f MB/s", double(bytes) / median / 1e6);
    if (items) std::printf("  %s/item (%llu items)", FormatTime(median / double(items)).c_str(), (unsigned long long)items);
    std::printf("  [min %s, max %s, %llu iters x %d]\n", FormatTime(per_iter.front()).c_str(),
                FormatTime(per_iter.back()).c_str(), (unsigned long long)iters, o.samples);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    if (!ParseArgs(argc, argv, o)) return 1;
    const std::string sha256 = cairn::Sha256AutoDetect();
    if (!o.list) std::printf("# SHA-256 implementation: %s\n", sha256.c_str());
    auto benches = Registry::Benchmarks();
    std::sort(benches.begin(), benches.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, fn] : benches) {
        if (!Matches(name, o.filter)) continue;
        if (o.list) {
            std::puts(name.c_str());
            continue;
        }
        try {
            Run(name, fn, o);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Error: benchmark %s failed: %s\n", name.c_str(), e.what());
            return 1;
        }
    }
    return 0;
}
