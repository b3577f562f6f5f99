// The node's answer to validation events: log lines, -blocknotify, waking
// RPC calls that wait for a new tip, and shutting down on fatal errors.
#ifndef CAIRN_NODE_NOTIFICATIONS_H
#define CAIRN_NODE_NOTIFICATIONS_H

#include "validation/notifications.h"
#include "validation/tip_watch.h"

#include <atomic>
#include <string>

namespace cairn {

class NodeNotifications : public ValidationNotifications
{
public:
    /** `block_notify`: the -blocknotify command ("" for none); %s becomes the block hash. */
    explicit NodeNotifications(std::string block_notify) : m_block_notify(std::move(block_notify)) {}

    void TipChanged(SyncState state, const BlockIndex& tip, double progress) override;
    void BlockChecked(const Block& block, const std::string& reject_reason) override;
    void NewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block) override;
    void Warning(const std::string& message) override;
    void ImportProblem(const std::string& message) override;
    void FatalError(const std::string& message) override;

    /** The latest tip; RPC waits on it (waitfornewblock and friends). */
    TipWatch& Tip() { return m_tip; }

    bool HadFatalError() const { return m_fatal; }
    /** -stopatheight: shut down as soon as the tip reaches it (also during
     *  an import, which then stops where it is, as Core). 0: never. */
    void SetStopAtHeight(int height) { m_stop_at_height = height; }

    /** The P2P layer hears tip changes, block checks and new blocks to relay through this (null: none). */
    void SetNetListener(ValidationNotifications* listener) { m_net = listener; }

private:
    std::string m_block_notify;
    TipWatch m_tip;
    std::atomic<bool> m_fatal{false};
    std::atomic<int> m_import_problems_printed{0};
    std::atomic<int> m_stop_at_height{0};
    std::atomic<ValidationNotifications*> m_net{nullptr};
    /** IBD progress lines: when and where the last one was (steady clock, seconds). */
    double m_progress_log_time{0};
    double m_progress_log_fraction{0};
    int m_progress_log_height{-1};
    void LogSyncProgress(const BlockIndex& tip, double progress);
};

} // namespace cairn

#endif
