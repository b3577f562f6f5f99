// The latest active-chain tip, and a way to wait for it to change.
//
// The node's notification handler updates it on every tip change; RPC calls
// such as waitfornewblock block on it without holding the engine's lock.
#ifndef CAIRN_VALIDATION_TIP_WATCH_H
#define CAIRN_VALIDATION_TIP_WATCH_H

#include "util/uint256.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace cairn {

class TipWatch
{
public:
    struct Tip {
        uint256 hash;
        int height{-1};
    };

    void Update(const uint256& hash, int height)
    {
        {
            std::lock_guard lock(m_mutex);
            m_tip = Tip{hash, height};
        }
        m_cv.notify_all();
    }
    /** Wakes every waiter for good (shutdown, fatal error). */
    void Interrupt()
    {
        {
            std::lock_guard lock(m_mutex);
            m_interrupted = true;
        }
        m_cv.notify_all();
    }
    Tip Latest() const
    {
        std::lock_guard lock(m_mutex);
        return m_tip;
    }
    /** Waits until `pred(tip)` holds, `timeout_ms` passed (0: no limit) or
     *  Interrupt() was called; returns the tip at that moment. */
    template <typename Pred>
    Tip WaitFor(Pred pred, int64_t timeout_ms)
    {
        std::unique_lock lock(m_mutex);
        auto done = [&] { return m_interrupted || pred(m_tip); };
        if (timeout_ms > 0) m_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), done);
        else m_cv.wait(lock, done);
        return m_tip;
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    Tip m_tip;
    bool m_interrupted{false};
};

} // namespace cairn

#endif
