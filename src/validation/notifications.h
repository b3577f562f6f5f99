// How the validation engine reports to the layers above without calling them.
//
// node/ implements this interface (log lines, -blocknotify, RPC waits, ZMQ
// and index feeds, shutdown). Calls are made after the engine's lock is
// released, from the thread that did the work, in order.
#ifndef CAIRN_VALIDATION_NOTIFICATIONS_H
#define CAIRN_VALIDATION_NOTIFICATIONS_H

#include "consensus/block_index.h"
#include "primitives/block.h"

#include <memory>
#include <string>

namespace cairn {

enum class SyncState { INITIAL_DOWNLOAD, POST_INIT };

class ValidationNotifications
{
public:
    virtual ~ValidationNotifications() = default;
    /** The active chain's tip moved (after any number of connects/disconnects). */
    virtual void TipChanged(SyncState state, const BlockIndex& tip, double verification_progress) {}
    /** A new best header was accepted. */
    virtual void HeaderTip(SyncState state, int height, int64_t time, bool presync) {}
    /** Progress of a long operation (reindex, verifychain, loading). */
    virtual void Progress(const std::string& title, int percent, bool resume_possible) {}
    /** A block joined the active chain. */
    virtual void BlockConnected(const std::shared_ptr<const Block>& block, const BlockIndex& index) {}
    /** A block left the active chain (during a reorg). */
    virtual void BlockDisconnected(const std::shared_ptr<const Block>& block, const BlockIndex& index) {}
    /** A new block building on the tip passed its header, proof-of-work and
     *  block checks and was stored, and is about to be connected (not sent
     *  in initial block download): BIP 152 high-bandwidth peers get it now,
     *  before full validation (Core's NewPoWValidBlock). */
    virtual void NewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block) {}
    /** A block was checked (valid or not): relay uses it to punish or announce. */
    virtual void BlockChecked(const Block& block, const std::string& reject_reason) {}
    /** A warning the user should see (e.g. unknown new rules activated). */
    virtual void Warning(const std::string& message) {}
    /** A damaged record or an invalid block in a -loadblock/-reindex file:
     *  the import goes on, but the user should see it, not only the log. */
    virtual void ImportProblem(const std::string& message) {}
    /** An unrecoverable error (disk full, corrupt database): the node must stop. */
    virtual void FatalError(const std::string& message) {}
};

} // namespace cairn

#endif
