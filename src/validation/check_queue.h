// A worker pool for script checks.
//
// Connecting a block queues one check per input; worker threads and the
// thread that queued them (which would otherwise just wait) drain the
// queue together in small batches. The first failure is kept and the
// remaining checks are skipped.
//
// A check is any type T with `std::optional<R> operator()()` returning
// nullopt on success. One CheckQueueControl at a time owns the queue: it is
// taken by the thread connecting a block, under the validation lock.
#ifndef CAIRN_VALIDATION_CHECK_QUEUE_H
#define CAIRN_VALIDATION_CHECK_QUEUE_H

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cairn {

template <typename T, typename R>
class CheckQueue
{
public:
    /** batch_size: the most checks a thread takes at once. */
    CheckQueue(size_t batch_size, int worker_threads) : m_batch_size(batch_size)
    {
        m_workers.reserve(worker_threads);
        for (int i = 0; i < worker_threads; ++i) {
            m_workers.emplace_back([this] { Loop(false); });
        }
    }
    ~CheckQueue()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_worker_cv.notify_all();
        for (std::thread& t : m_workers) t.join();
    }
    CheckQueue(const CheckQueue&) = delete;
    CheckQueue& operator=(const CheckQueue&) = delete;

    size_t WorkerCount() const { return m_workers.size(); }

    /** Queues checks; workers start on them at once. */
    void Add(std::vector<T>&& checks)
    {
        if (checks.empty()) return;
        {
            std::lock_guard lock(m_mutex);
            m_queue.insert(m_queue.end(), std::make_move_iterator(checks.begin()),
                           std::make_move_iterator(checks.end()));
            m_todo += checks.size();
        }
        if (checks.size() == 1) m_worker_cv.notify_one();
        else m_worker_cv.notify_all();
    }

    /** Helps until every queued check has run; returns the first failure. */
    std::optional<R> Complete() { return Loop(true); }

private:
    /** The loop both workers and the master run. A worker never returns
     *  until stopped; the master returns once all checks are done. */
    std::optional<R> Loop(bool master)
    {
        std::vector<T> batch;
        batch.reserve(m_batch_size);
        bool first = true;
        std::optional<R> local_result;
        std::unique_lock lock(m_mutex);
        for (;;) {
            if (!first) {
                // Report the batch just finished.
                if (local_result && !m_result) m_result = std::move(local_result);
                local_result.reset();
                m_todo -= batch.size();
                batch.clear();
                if (m_todo == 0 && m_master_waiting) m_master_cv.notify_one();
            }
            first = false;
            // Wait for work (or, for the master, for everybody to finish).
            while (m_queue.empty() && !m_stop) {
                if (master) {
                    if (m_todo == 0) {
                        std::optional<R> result = std::move(m_result);
                        m_result.reset();
                        return result;
                    }
                    m_master_waiting = true;
                    m_master_cv.wait(lock);
                    m_master_waiting = false;
                } else {
                    ++m_idle;
                    m_worker_cv.wait(lock);
                    --m_idle;
                }
            }
            if (m_stop && !master) return std::nullopt;
            // Take a share of what is left: large at first, smaller near the
            // end so that no thread finishes long after the others.
            size_t share = std::max<size_t>(1, std::min(m_batch_size, m_queue.size() / (m_workers.size() + 1 + m_idle + 1)));
            auto from = m_queue.end() - std::ptrdiff_t(share);
            batch.assign(std::make_move_iterator(from), std::make_move_iterator(m_queue.end()));
            m_queue.erase(from, m_queue.end());
            // Once something failed the rest need not run.
            const bool skip = m_result.has_value();
            lock.unlock();
            if (!skip) {
                for (T& check : batch) {
                    if (auto failure = check()) {
                        local_result = std::move(failure);
                        break;
                    }
                }
            }
            lock.lock();
        }
    }

    const size_t m_batch_size;
    std::mutex m_mutex;
    std::condition_variable m_worker_cv;
    std::condition_variable m_master_cv;
    std::vector<T> m_queue;       // guarded by m_mutex
    size_t m_todo{0};             // queued or running, guarded by m_mutex
    int m_idle{0};                // guarded by m_mutex
    bool m_master_waiting{false}; // guarded by m_mutex
    bool m_stop{false};           // guarded by m_mutex
    std::optional<R> m_result;    // first failure of the current round, guarded by m_mutex
    std::vector<std::thread> m_workers;
};

/** Scoped use of a CheckQueue (or of no queue: checks then run inline). */
template <typename T, typename R>
class CheckQueueControl
{
public:
    explicit CheckQueueControl(CheckQueue<T, R>* queue) : m_queue(queue) {}
    CheckQueueControl(const CheckQueueControl&) = delete;
    ~CheckQueueControl()
    {
        if (!m_done) Complete();
    }

    void Add(std::vector<T>&& checks)
    {
        if (m_queue) {
            m_queue->Add(std::move(checks));
            return;
        }
        for (T& check : checks) {
            if (m_inline_result) break;
            m_inline_result = check();
        }
    }

    std::optional<R> Complete()
    {
        m_done = true;
        return m_queue ? m_queue->Complete() : std::move(m_inline_result);
    }

private:
    CheckQueue<T, R>* m_queue;
    std::optional<R> m_inline_result;
    bool m_done{false};
};

} // namespace cairn

#endif
