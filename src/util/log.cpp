#include "util/log.h"

#include <array>
#include <chrono>
#include <ctime>
#include <pthread.h>
#include <stdexcept>

namespace cairn {

namespace {
constexpr size_t MAX_BUFFER = size_t(1) << 20;
}

namespace {

struct CategoryName {
    LogCategory category;
    std::string_view name;
};

constexpr std::array<CategoryName, 31> CATEGORIES{{
    {LogCategory::NET, "net"}, {LogCategory::TOR, "tor"}, {LogCategory::MEMPOOL, "mempool"},
    {LogCategory::HTTP, "http"}, {LogCategory::BENCH, "bench"}, {LogCategory::ZMQ, "zmq"},
    {LogCategory::WALLETDB, "walletdb"}, {LogCategory::RPC, "rpc"}, {LogCategory::ESTIMATEFEE, "estimatefee"},
    {LogCategory::ADDRMAN, "addrman"}, {LogCategory::SELECTCOINS, "selectcoins"}, {LogCategory::REINDEX, "reindex"},
    {LogCategory::CMPCTBLOCK, "cmpctblock"}, {LogCategory::RAND, "rand"}, {LogCategory::PRUNE, "prune"},
    {LogCategory::PROXY, "proxy"}, {LogCategory::MEMPOOLREJ, "mempoolrej"}, {LogCategory::LIBEVENT, "libevent"},
    {LogCategory::COINDB, "coindb"}, {LogCategory::QT, "qt"}, {LogCategory::LEVELDB, "leveldb"},
    {LogCategory::VALIDATION, "validation"}, {LogCategory::I2P, "i2p"}, {LogCategory::IPC, "ipc"},
    {LogCategory::LOCK, "lock"}, {LogCategory::BLOCKSTORAGE, "blockstorage"},
    {LogCategory::TXRECONCILIATION, "txreconciliation"}, {LogCategory::SCAN, "scan"},
    {LogCategory::TXPACKAGES, "txpackages"}, {LogCategory::KERNEL, "kernel"},
    {LogCategory::PRIVBROADCAST, "privatebroadcast"},
}};

std::string Timestamp(bool micros)
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buf;
    if (micros) {
        out += fmt::format(".{:06d}", duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000);
    }
    return out + "Z ";
}

} // namespace

std::string_view LogCategoryName(LogCategory category)
{
    for (const auto& c : CATEGORIES) {
        if (c.category == category) return c.name;
    }
    return "all";
}

std::optional<LogCategory> LogCategoryFromName(std::string_view name)
{
    if (name.empty() || name == "1" || name == "all") return LogCategory::ALL;
    for (const auto& c : CATEGORIES) {
        if (c.name == name) return c.category;
    }
    return std::nullopt;
}

std::string LogCategoryNames()
{
    std::string out;
    for (const auto& c : CATEGORIES) {
        if (!out.empty()) out += ", ";
        out += c.name;
    }
    return out;
}

Logger& Logger::Instance()
{
    // Never destroyed: threads may log during static destruction.
    static Logger* logger = new Logger();
    return *logger;
}

void Logger::OpenFile(const std::filesystem::path& path)
{
    std::lock_guard lock(m_mutex);
    if (m_file) std::fclose(m_file);
    m_file = std::fopen(path.c_str(), "a");
    if (!m_file) throw std::runtime_error("Could not open debug log file " + path.string());
    std::setvbuf(m_file, nullptr, _IOLBF, 0);
    m_path = path;
}

void Logger::CloseFile()
{
    std::lock_guard lock(m_mutex);
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
}

void Logger::Write(std::string_view message)
{
    if (m_quiet) return;
    std::string line;
    if (m_timestamps) line = Timestamp(m_micros);
    if (m_thread_names) {
        char name[16] = "unknown";
        pthread_getname_np(pthread_self(), name, sizeof(name));
        line += fmt::format("[{}] ", name);
    }
    line += message;
    if (line.empty() || line.back() != '\n') line += '\n';
    std::lock_guard lock(m_mutex);
    if (m_buffering) {
        if (m_buffer.size() < MAX_BUFFER) m_buffer += line;
        return;
    }
    if (m_file && m_reopen.exchange(false)) {
        // As Core: if the file cannot be opened again, keep writing to the old one.
        if (std::FILE* f = std::fopen(m_path.c_str(), "a")) {
            std::fclose(m_file);
            m_file = f;
            std::setvbuf(m_file, nullptr, _IOLBF, 0);
        }
    }
    if (m_file) std::fputs(line.c_str(), m_file);
    // A program that never configured logging (tests, tools) still sees its lines.
    if (m_console || (!m_file && !m_started)) std::fputs(line.c_str(), stdout);
}

void Logger::BufferUntilStarted()
{
    std::lock_guard lock(m_mutex);
    m_buffering = true;
}

void Logger::StartLogging()
{
    std::lock_guard lock(m_mutex);
    m_started = true;
    if (!m_buffering) return;
    m_buffering = false;
    // Started without a file (-nodebuglogfile) and without the console: the lines go nowhere, as in Core.
    if (m_file) std::fputs(m_buffer.c_str(), m_file);
    if (m_console) std::fputs(m_buffer.c_str(), stdout);
    m_buffer.clear();
    m_buffer.shrink_to_fit();
}

} // namespace cairn
