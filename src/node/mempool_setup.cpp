#include "node/mempool_setup.h"

#include "consensus/chain_params.h"
#include "mempool/accept.h"
#include "mempool/chain_sync.h"
#include "mempool/persist.h"
#include "node/mempool_args.h"
#include "util/args.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"

#include <algorithm>
#include <mutex>

namespace cairn {

void CheckingChainObserver::BlockConnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index)
{
    m_inner.BlockConnectedLocked(block, index);
    MaybeCheck();
}

void CheckingChainObserver::BlockDisconnectedLocked(const std::shared_ptr<const Block>& block,
                                                    const BlockIndex& index)
{
    m_inner.BlockDisconnectedLocked(block, index);
    // No check here: until ReorgDoneLocked the pool may hold spends of
    // coins the disconnected block created.
}

void CheckingChainObserver::ReorgDoneLocked()
{
    m_inner.ReorgDoneLocked();
    MaybeCheck();
}

void CheckingChainObserver::MaybeCheck()
{
    // Core checks with probability 1/N; every N-th time is the same rate.
    if (m_ratio <= 0 || m_count++ % uint64_t(m_ratio) != 0) return;
    std::lock_guard lock(m_pool.GetMutex());
    m_pool.Check();
}

NodeMempool::~NodeMempool()
{
    if (loader.joinable()) loader.join();
    if (chainman) {
        std::lock_guard lock(chainman->GetMutex());
        chainman->SetLockedObserver(nullptr);
        chainman->SetMempoolMemorySource(nullptr);
    }
}

bool SetupMempool(const ArgsManager& args, const ChainParams& params, ChainstateManager& chainman,
                  FeeEstimator* estimator, const std::filesystem::path& datadir, NodeMempool& node_pool,
                  std::string& error)
{
    MempoolOptions opts;
    if (!ApplyArgsToMempoolOptions(args, params, opts, error)) return false;
    opts.estimator = estimator;
    const bool persist = opts.persist;
    node_pool.pool = std::make_unique<TxMemPool>(std::move(opts));
    node_pool.chainman = &chainman;
    node_pool.dat_path = persist ? datadir / "mempool.dat" : std::filesystem::path{};
    node_pool.sync = std::make_unique<MempoolChainSync>(chainman, *node_pool.pool);
    node_pool.observer =
        std::make_unique<CheckingChainObserver>(*node_pool.sync, *node_pool.pool, MempoolCheckRatio(args, params));
    std::lock_guard lock(chainman.GetMutex());
    chainman.SetLockedObserver(node_pool.observer.get());
    // -dbcache: the coins cache may use what the pool leaves of -maxmempool
    // (as Core). Called under the chain's lock; the pool's comes after it.
    chainman.SetMempoolMemorySource([pool = node_pool.pool.get()] {
        std::lock_guard pool_lock(pool->GetMutex());
        return MempoolMemory{size_t(std::max<int64_t>(pool->Options().max_size_bytes, 0)), pool->DynamicMemoryUsage()};
    });
    return true;
}

void StartMempoolLoad(NodeMempool& node_pool, std::thread& importer, std::function<bool()> interrupt)
{
    node_pool.loader = std::thread([&node_pool, importer = std::move(importer), interrupt]() mutable {
        if (importer.joinable()) importer.join();
        TxMemPool& pool = *node_pool.pool;
        ChainstateManager& chainman = *node_pool.chainman;
        if (!node_pool.dat_path.empty()) {
            const auto accept = [&](const TransactionRef& tx, int64_t time) {
                const MempoolAcceptResult r = AcceptToMemoryPool(chainman, pool, tx, time, /*bypass_limits=*/false,
                                                                 /*test_accept=*/false);
                return r.type == MempoolAcceptResult::ResultType::VALID;
            };
            LoadStats stats;
            LoadMempool(pool, node_pool.dat_path, accept, stats, interrupt);
        }
        // As Core: "loaded" means the attempt finished, whatever the file held.
        const bool interrupted = interrupt && interrupt();
        std::lock_guard lock(pool.GetMutex());
        pool.SetLoaded(!interrupted);
    });
}

void StopMempool(NodeMempool& node_pool)
{
    if (node_pool.loader.joinable()) node_pool.loader.join();
    if (!node_pool.pool) return;
    if (node_pool.chainman) {
        std::lock_guard lock(node_pool.chainman->GetMutex());
        node_pool.chainman->SetLockedObserver(nullptr);
        node_pool.chainman->SetMempoolMemorySource(nullptr);
        node_pool.chainman = nullptr; // the chainstate may go now
    }
    bool loaded;
    {
        std::lock_guard lock(node_pool.pool->GetMutex());
        loaded = node_pool.pool->IsLoaded();
    }
    // A pool that never finished loading would overwrite the file with less.
    if (loaded && !node_pool.dat_path.empty()) {
        DumpMempool(*node_pool.pool, node_pool.dat_path, node_pool.pool->Options().persist_v1_dat);
    }
}

} // namespace cairn
