// The transaction pool's place in the node: built from the arguments after
// the chainstate, hooked to the chain's moves (mempool/chain_sync.h), read
// from mempool.dat once blocks are imported, written back at shutdown
// (-persistmempool), and checked as -checkmempool asks.
//
// Order in the node (as Bitcoin Core): SetupMempool after the chainstate is
// constructed and before RPC is served; StartMempoolLoad once the import
// thread exists; StopMempool after RPC and the network have stopped and
// before the chainstate goes.
#ifndef CAIRN_NODE_MEMPOOL_SETUP_H
#define CAIRN_NODE_MEMPOOL_SETUP_H

#include "mempool/tx_mempool.h"
#include "validation/locked_chain_observer.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace cairn {

class ArgsManager;
struct ChainParams;
class ChainstateManager;
class FeeEstimator;

/** Runs the pool's own chain hooks, then Check() at the -checkmempool rate. */
class CheckingChainObserver : public LockedChainObserver
{
public:
    CheckingChainObserver(LockedChainObserver& inner, TxMemPool& pool, int64_t check_ratio)
        : m_inner(inner), m_pool(pool), m_ratio(check_ratio)
    {
    }
    void BlockConnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) override;
    void BlockDisconnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) override;
    void ReorgDoneLocked() override;

private:
    void MaybeCheck();
    LockedChainObserver& m_inner;
    TxMemPool& m_pool;
    const int64_t m_ratio;
    uint64_t m_count{0};
};

struct NodeMempool {
    std::unique_ptr<TxMemPool> pool;
    /** The pool's reorg and block handling (mempool/chain_sync.h). */
    std::unique_ptr<LockedChainObserver> sync;
    std::unique_ptr<CheckingChainObserver> observer;
    ChainstateManager* chainman{nullptr};
    /** <datadir>/<network>/mempool.dat; empty with -persistmempool=0. */
    std::filesystem::path dat_path;
    /** Waits for the block import, then reads mempool.dat. */
    std::thread loader;

    NodeMempool() = default;
    NodeMempool(const NodeMempool&) = delete;
    NodeMempool& operator=(const NodeMempool&) = delete;
    ~NodeMempool();
};

/** Reads the options (Core's start-up errors in `error`), builds the pool
 *  with `estimator` (may be null) and hooks it to the chain. */
bool SetupMempool(const ArgsManager& args, const ChainParams& params, ChainstateManager& chainman,
                  FeeEstimator* estimator, const std::filesystem::path& datadir, NodeMempool& node_pool,
                  std::string& error);

/** Starts the thread that reads mempool.dat (or, with -persistmempool=0,
 *  only marks the pool loaded), after `importer` (the block import thread,
 *  possibly not running; taken over and joined) has finished, as Core's
 *  loadblk thread does. `interrupt` stops the load early. */
void StartMempoolLoad(NodeMempool& node_pool, std::thread& importer, std::function<bool()> interrupt);

/** Joins the loader, unhooks the pool from the chain and, when it was
 *  loaded and -persistmempool is on, writes mempool.dat. */
void StopMempool(NodeMempool& node_pool);

} // namespace cairn

#endif
