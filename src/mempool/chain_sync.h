// Keeps the pool consistent with the chain as it moves (Bitcoin Core's
// mempool handling in ConnectTip, DisconnectTip and MaybeUpdateMempoolForReorg).
//
// The engine calls these hooks with its lock held, in the same critical
// section as the chain change (validation/locked_chain_observer.h):
//   a block connected     its transactions leave the pool (and so do
//                         conflicts with them); queued ones it confirms are
//                         forgotten
//   a block disconnected  its transactions are queued, oldest block first,
//                         within a memory budget (Core's 20 MB disconnect
//                         pool); the newest are dropped first when over it
//   the reorg is done     the queued transactions are offered again
//                         (bypassing fee floors and the size limit); those
//                         refused leave with their in-pool descendants;
//                         in-pool spenders of the re-added ones now over
//                         the ancestor limits leave (Core's
//                         UpdateTransactionsFromBlock); then
//                         entries no longer final, BIP 68-valid or mature at
//                         the new tip leave, and the pool is trimmed.
//
// node/ hands an instance to ChainstateManager::SetLockedObserver. Lock
// order: the chain's lock (held by the caller), then the pool's (taken here).
#ifndef CAIRN_MEMPOOL_CHAIN_SYNC_H
#define CAIRN_MEMPOOL_CHAIN_SYNC_H

#include "primitives/transaction.h"
#include "validation/locked_chain_observer.h"

#include <cstddef>
#include <list>
#include <map>
#include <vector>

namespace cairn {

class ChainstateManager;
class TxMemPool;

/** Memory budget for transactions of disconnected blocks awaiting re-addition. */
inline constexpr size_t MAX_DISCONNECTED_TX_POOL_BYTES{20'000'000};

/** After `readded` (txids, oldest confirmed first) came back to the pool:
 *  removes, with their descendants (reason SIZELIMIT), the entries that
 *  spend them and now exceed -limitancestorcount or -limitancestorsize, as
 *  Core's UpdateTransactionsFromBlock. Only those: the re-added ones passed
 *  the limits on entry, and descendant limits are not enforced here (as in
 *  Core). Requires the pool's lock. */
void RemoveOverAncestorLimits(TxMemPool& pool, const std::vector<uint256>& readded);

class MempoolChainSync : public LockedChainObserver
{
public:
    MempoolChainSync(ChainstateManager& chainman, TxMemPool& pool,
                     size_t max_queue_bytes = MAX_DISCONNECTED_TX_POOL_BYTES)
        : m_chainman(chainman), m_pool(pool), m_max_queue_bytes(max_queue_bytes)
    {
    }

    void BlockConnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) override;
    void BlockDisconnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) override;
    void ReorgDoneLocked() override;

    /** Transactions waiting to be re-added (tests). Under the chain's lock. */
    size_t QueuedCount() const { return m_queue.size(); }

private:
    /** Drops the most recently confirmed queued transactions (and their
     *  in-pool descendants) until the queue fits its budget. */
    void LimitQueue();
    /** Removes entries no longer valid at the new tip, updating lock points. */
    void RemoveInvalidAtTip();

    ChainstateManager& m_chainman;
    TxMemPool& m_pool;
    const size_t m_max_queue_bytes;

    // Guarded by the chain's lock (every hook runs under it).
    /** Oldest confirmed first: block order, earliest block first. */
    std::list<TransactionRef> m_queue;
    std::multimap<uint256, std::list<TransactionRef>::iterator> m_queued_by_txid;
    size_t m_queue_bytes{0};
};

} // namespace cairn

#endif
