// The node's answer to validation events: log lines, -blocknotify, waking
// RPC calls that wait for a new tip, and shutting down on fatal errors.
#ifndef CAIRN_NODE_NOTIFICATIONS_H
#define CAIRN_NODE_NOTIFICATIONS_H

#include "util/uint256.h"
#include "validation/notifications.h"

#include <condition_variable>
#include <mutex>
#include <string>

namespace cairn {

class NodeNotifications : public ValidationNotifications
{
public:
    /** `block_notify`: the -blocknotify command ("" for none); %s becomes the block hash. */
    explicit NodeNotifications(std::string block_notify) : m_block_notify(std::move(block_notify)) {}

    void TipChanged(SyncState state, const BlockIndex& tip, double progress) override;
    void Warning(const std::string& message) override;
    void FatalError(const std::string& message) override;

    struct Tip {
        uint256 hash;
        int height{-1};
    };
    /** The latest tip, and a wait for a different one (RPC waitfornewblock and friends). */
    Tip LatestTip() const;
    /** Waits until `pred(tip)` holds or `timeout_ms` passed (0: no limit) or shutdown; returns the tip. */
    template <typename Pred>
    Tip WaitForTip(Pred pred, int64_t timeout_ms);

    bool HadFatalError() const { return m_fatal; }

private:
    std::string m_block_notify;
    mutable std::mutex m_mutex;
    std::condition_variable m_tip_cv;
    Tip m_tip; // guarded by m_mutex
    bool m_fatal{false};
};

template <typename Pred>
NodeNotifications::Tip NodeNotifications::WaitForTip(Pred pred, int64_t timeout_ms)
{
    std::unique_lock lock(m_mutex);
    auto done = [&] { return pred(m_tip) || m_fatal; };
    if (timeout_ms > 0) m_tip_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), done);
    else m_tip_cv.wait(lock, done);
    return m_tip;
}

} // namespace cairn

#endif
