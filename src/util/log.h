// The debug log: debug.log and/or the console, with Bitcoin Core's
// timestamp format and -debug=<category> switches.
//
// Messages are formatted with {fmt} placeholders:
//   LogInfo("UpdateTip: new best={} height={}", hash.GetHex(), height);
//   LogDebug(LogCategory::BENCH, "Connect block: {:.2f}ms", ms);
#ifndef CAIRN_UTIL_LOG_H
#define CAIRN_UTIL_LOG_H

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Categories of -debug=<category>, with Bitcoin Core's names. */
enum class LogCategory : uint64_t {
    NONE = 0,
    NET = 1ULL << 0,
    TOR = 1ULL << 1,
    MEMPOOL = 1ULL << 2,
    HTTP = 1ULL << 3,
    BENCH = 1ULL << 4,
    ZMQ = 1ULL << 5,
    WALLETDB = 1ULL << 6,
    RPC = 1ULL << 7,
    ESTIMATEFEE = 1ULL << 8,
    ADDRMAN = 1ULL << 9,
    SELECTCOINS = 1ULL << 10,
    REINDEX = 1ULL << 11,
    CMPCTBLOCK = 1ULL << 12,
    RAND = 1ULL << 13,
    PRUNE = 1ULL << 14,
    PROXY = 1ULL << 15,
    MEMPOOLREJ = 1ULL << 16,
    LIBEVENT = 1ULL << 17,
    COINDB = 1ULL << 18,
    QT = 1ULL << 19,
    LEVELDB = 1ULL << 20,
    VALIDATION = 1ULL << 21,
    I2P = 1ULL << 22,
    IPC = 1ULL << 23,
    LOCK = 1ULL << 24,
    BLOCKSTORAGE = 1ULL << 25,
    TXRECONCILIATION = 1ULL << 26,
    SCAN = 1ULL << 27,
    TXPACKAGES = 1ULL << 28,
    KERNEL = 1ULL << 29,
    PRIVBROADCAST = 1ULL << 30,
    ALL = ~0ULL,
};

/** The category of a -debug name ("net", "all", "1"), or nullopt. */
std::optional<LogCategory> LogCategoryFromName(std::string_view name);
/** All category names, comma-separated (for -help and the logging RPC). */
std::string LogCategoryNames();
/** Core's name of one category ("net", "validation", ...), as the "[net] " prefix of its debug lines. */
std::string_view LogCategoryName(LogCategory category);

class Logger
{
public:
    static Logger& Instance();

    /** Opens the log file (appending). Throws std::runtime_error on failure. */
    void OpenFile(const std::filesystem::path& path);
    void CloseFile();
    /** SIGHUP (log rotation): the file is reopened at its path before the
     *  next line, so that a rotated debug.log is not written to any more.
     *  Async-signal-safe (sets a flag). */
    void RequestReopen() { m_reopen.store(true); }
    void SetPrintToConsole(bool on) { m_console = on; }
    void SetTimestamps(bool on) { m_timestamps = on; }
    void SetMicros(bool on) { m_micros = on; }
    void SetThreadNames(bool on) { m_thread_names = on; }
    void Enable(LogCategory c) { m_categories |= uint64_t(c); }
    void Disable(LogCategory c) { m_categories &= ~uint64_t(c); }
    bool Enabled(LogCategory c) const { return m_categories & uint64_t(c); }
    uint64_t Categories() const { return m_categories; }
    /** The log to stay silent (tests, tools). */
    void SetQuiet(bool quiet) { m_quiet = quiet; }
    /** Holds lines back (up to 1 MB) until StartLogging(): the node logs
     *  before it has read where to log (config warnings), and Core writes
     *  those lines only where -printtoconsole and -debuglogfile say. */
    void BufferUntilStarted();
    /** Writes the held-back lines to the file and/or console, then logs directly. */
    void StartLogging();

    void Write(std::string_view message);

private:
    std::mutex m_mutex;
    std::FILE* m_file{nullptr}; // guarded by m_mutex
    std::filesystem::path m_path; // guarded by m_mutex
    std::atomic<bool> m_reopen{false};
    bool m_console{false};
    bool m_timestamps{true};
    bool m_micros{false};
    bool m_thread_names{false};
    bool m_quiet{false};
    bool m_buffering{false}; // guarded by m_mutex
    bool m_started{false};   // guarded by m_mutex
    std::string m_buffer;    // guarded by m_mutex
    uint64_t m_categories{0};
};

template <typename... Args>
void LogInfo(fmt::format_string<Args...> f, Args&&... args)
{
    Logger::Instance().Write(fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void LogWarning(fmt::format_string<Args...> f, Args&&... args)
{
    // Core's prefixes: a line of no category at a level other than info says its level.
    Logger::Instance().Write("[warning] " + fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void LogError(fmt::format_string<Args...> f, Args&&... args)
{
    Logger::Instance().Write("[error] " + fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void LogDebug(LogCategory category, fmt::format_string<Args...> f, Args&&... args)
{
    // Core's prefix for debug lines: "[category] ".
    if (Logger::Instance().Enabled(category)) {
        Logger::Instance().Write(fmt::format("[{}] ", LogCategoryName(category)) + fmt::format(f, std::forward<Args>(args)...));
    }
}

} // namespace cairn

#endif
