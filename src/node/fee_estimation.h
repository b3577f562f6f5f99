// The node's fee estimator over its life, as Bitcoin Core runs it: created at
// start-up (not with -blocksonly, which ignores incoming transactions), loaded
// from <datadir>/fee_estimates.dat (a file older than 60 hours only with
// -acceptstalefeeestimates, regtest only), written every hour, and at
// shutdown written once more after the still-unconfirmed transactions are
// recorded as such.
#ifndef CAIRN_NODE_FEE_ESTIMATION_H
#define CAIRN_NODE_FEE_ESTIMATION_H

#include "util/chaintype.h"

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cairn {

class ArgsManager;
class FeeEstimator;

class NodeFeeEstimation
{
public:
    NodeFeeEstimation();
    ~NodeFeeEstimation();
    NodeFeeEstimation(const NodeFeeEstimation&) = delete;
    NodeFeeEstimation& operator=(const NodeFeeEstimation&) = delete;

    /** Creates and loads the estimator and starts the hourly flush. False (and
     *  the init error) when an option is refused. */
    bool Start(const ArgsManager& args, ChainType chain, const std::filesystem::path& datadir, std::string& error);
    /** The estimator; null when fee estimation is off (or before Start). */
    FeeEstimator* Get() const { return m_estimator.get(); }
    /** Stops the hourly flush, records the waiting transactions as
     *  unconfirmed and writes the file. Once the mempool no longer calls in;
     *  later calls do nothing. */
    void Stop();

private:
    void FlushLoop();

    std::unique_ptr<FeeEstimator> m_estimator;
    std::filesystem::path m_path;
    std::thread m_flusher;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping{false}; // guarded by m_mutex
};

} // namespace cairn

#endif
