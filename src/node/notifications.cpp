#include "node/notifications.h"

#include "node/shutdown.h"
#include "util/log.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace cairn {

namespace {

/** Runs a user command in the background, as -blocknotify does. */
void RunCommand(std::string command)
{
    std::thread([command = std::move(command)] {
        const int rc = std::system(command.c_str());
        if (rc != 0) LogInfo("runCommand error: system({}) returned {}", command, rc);
    }).detach();
}

} // namespace

void NodeNotifications::LogSyncProgress(const BlockIndex& tip, double progress)
{
    // One line every 10 s while catching up: height, progress, speed and an
    // estimate of the time left from the progress made since the last line.
    using namespace std::chrono;
    const double now = duration<double>(steady_clock::now().time_since_epoch()).count();
    if (m_progress_log_height < 0) {
        m_progress_log_time = now;
        m_progress_log_fraction = progress;
        m_progress_log_height = tip.height;
        return;
    }
    const double elapsed = now - m_progress_log_time;
    if (elapsed < 10) return;
    const double blocks_per_s = double(tip.height - m_progress_log_height) / elapsed;
    const double rate = (progress - m_progress_log_fraction) / elapsed;
    std::string eta = "unknown";
    if (rate > 0) {
        const int64_t left = int64_t((1.0 - progress) / rate);
        eta = left >= 3600 ? fmt::format("{}h{:02d}m", left / 3600, (left % 3600) / 60)
                           : fmt::format("{}m{:02d}s", left / 60, left % 60);
    }
    LogInfo("Synchronizing blocks: height={} progress={:.2f}% {:.1f} blocks/s, estimated time left {}", tip.height,
            100.0 * progress, blocks_per_s, eta);
    m_progress_log_time = now;
    m_progress_log_fraction = progress;
    m_progress_log_height = tip.height;
}

void NodeNotifications::TipChanged(SyncState state, const BlockIndex& tip, double progress)
{
    m_tip.Update(tip.GetBlockHash(), tip.height);
    if (const int stop = m_stop_at_height; stop > 0 && tip.height >= stop) RequestShutdown();
    if (state == SyncState::INITIAL_DOWNLOAD) LogSyncProgress(tip, progress);
    if (ValidationNotifications* net = m_net) net->TipChanged(state, tip, progress);
    // As Core: no -blocknotify while in initial block download.
    if (!m_block_notify.empty() && state == SyncState::POST_INIT) {
        std::string command = m_block_notify;
        const std::string hash = tip.GetBlockHash().GetHex();
        for (size_t pos = command.find("%s"); pos != std::string::npos; pos = command.find("%s", pos + hash.size())) {
            command.replace(pos, 2, hash);
        }
        RunCommand(std::move(command));
    }
}

void NodeNotifications::BlockChecked(const Block& block, const std::string& reject_reason)
{
    if (ValidationNotifications* net = m_net) net->BlockChecked(block, reject_reason);
}

void NodeNotifications::NewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block)
{
    if (ValidationNotifications* net = m_net) net->NewPoWValidBlock(index, block);
}

void NodeNotifications::Warning(const std::string& message)
{
    LogWarning("{}", message);
}

void NodeNotifications::ImportProblem(const std::string& message)
{
    LogWarning("{}", message);
    // A damaged file can hold thousands of bad records: the first few reach
    // the terminal, all of them the log.
    constexpr int MAX_PRINTED = 10;
    const int n = m_import_problems_printed++;
    if (n < MAX_PRINTED) std::fprintf(stderr, "Warning: %s\n", message.c_str());
    if (n == MAX_PRINTED) std::fprintf(stderr, "Warning: more problems with the imported files: see debug.log\n");
}

void NodeNotifications::FatalError(const std::string& message)
{
    LogError("*** {}", message);
    // As Core: the user sees one line on stderr, the details are in the log.
    std::fprintf(stderr, "Error: A fatal internal error occurred, see debug.log for details: %s\n", message.c_str());
    m_fatal = true;
    m_tip.Interrupt();
    RequestShutdown();
}

} // namespace cairn
