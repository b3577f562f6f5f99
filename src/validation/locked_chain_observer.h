// Hooks called with the engine's lock held, at the moment the chain moves.
//
// The mempool must change in the same critical section as the chain: once
// the lock is released, no reader may see a tip whose transactions are still
// in the pool (or a reorg whose disconnected transactions are missing from
// it). The engine cannot call the mempool (a higher layer), so it calls this
// small interface and node/ hands it the mempool's implementation. The
// engine's lock is held: implementations must not take it again.
#ifndef CAIRN_VALIDATION_LOCKED_CHAIN_OBSERVER_H
#define CAIRN_VALIDATION_LOCKED_CHAIN_OBSERVER_H

#include "consensus/block_index.h"
#include "primitives/block.h"

#include <memory>

namespace cairn {

class LockedChainObserver
{
public:
    virtual ~LockedChainObserver() = default;
    /** `block` just became the tip. */
    virtual void BlockConnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) {}
    /** `block` just stopped being the tip (reorganisation, invalidateblock). */
    virtual void BlockDisconnectedLocked(const std::shared_ptr<const Block>& block, const BlockIndex& index) {}
    /** Blocks were disconnected and the chain is now at its new tip (after
     *  the connects of the same step): the moment to re-add the transactions
     *  of disconnected blocks and drop what is no longer valid. */
    virtual void ReorgDoneLocked() {}
};

} // namespace cairn

#endif
