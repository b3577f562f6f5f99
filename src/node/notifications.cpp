#include "node/notifications.h"

#include "node/shutdown.h"
#include "util/log.h"

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

void NodeNotifications::TipChanged(SyncState state, const BlockIndex& tip, double progress)
{
    m_tip.Update(tip.GetBlockHash(), tip.height);
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

void NodeNotifications::Warning(const std::string& message)
{
    LogWarning("{}", message);
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
