#include "node/fee_estimation.h"

#include "policy/fee_estimator.h"
#include "util/args.h"
#include "util/log.h"

namespace cairn {

NodeFeeEstimation::NodeFeeEstimation() = default;

NodeFeeEstimation::~NodeFeeEstimation() { Stop(); }

bool NodeFeeEstimation::Start(const ArgsManager& args, ChainType chain, const std::filesystem::path& datadir,
                              std::string& error)
{
    // A node that ignores incoming transactions has nothing to learn from.
    if (args.GetBoolArg("-blocksonly", false)) return true;
    const bool accept_stale = args.GetBoolArg("-acceptstalefeeestimates", DEFAULT_ACCEPT_STALE_FEE_ESTIMATES);
    if (accept_stale && chain != ChainType::REGTEST) {
        error = "acceptstalefeeestimates is not supported on " + std::string(ChainTypeToString(chain)) + " chain.";
        return false;
    }
    m_estimator = std::make_unique<FeeEstimator>();
    m_path = datadir / FEE_ESTIMATES_FILENAME;
    LoadFeeEstimates(*m_estimator, m_path, accept_stale);
    m_flusher = std::thread([this] { FlushLoop(); });
    return true;
}

void NodeFeeEstimation::FlushLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_cv.wait_for(lock, FEE_FLUSH_INTERVAL, [this] { return m_stopping; })) {
        lock.unlock();
        m_estimator->Write(m_path);
        lock.lock();
    }
}

void NodeFeeEstimation::Stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_flusher.joinable()) m_flusher.join();
    if (!m_estimator) return;
    m_estimator->FlushUnconfirmed();
    m_estimator->Write(m_path);
}

} // namespace cairn
