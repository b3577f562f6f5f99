// What may enter the pool: Bitcoin Core's AcceptToMemoryPool and package
// acceptance. A transaction is checked against the chain tip and the pool
// (consensus rules, then policy: standardness, fees, replacement, TRUC,
// ancestor and descendant limits, scripts with the standard flags) and, if
// every check passes and this is not a test, added.
//
// Threads: these take chainman.GetMutex() and then pool.GetMutex() themselves.
#ifndef CAIRN_MEMPOOL_ACCEPT_H
#define CAIRN_MEMPOOL_ACCEPT_H

#include "consensus/validation_state.h"
#include "policy/feerate.h"
#include "policy/packages.h"
#include "primitives/transaction.h"

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <vector>

namespace cairn {

class ChainstateManager;
class TxMemPool;

struct MempoolAcceptResult {
    enum class ResultType {
        VALID,             // fully validated (and added unless a test)
        INVALID,           // see state
        MEMPOOL_ENTRY,     // the same transaction (same wtxid) is already in the pool
        DIFFERENT_WITNESS, // a transaction with the same txid and another witness is in the pool
    };
    ResultType type{ResultType::INVALID};
    TxValidationState state;
    /** Transactions this one replaced (VALID, not a test). */
    std::list<TransactionRef> replaced_transactions;
    /** VALID or MEMPOOL_ENTRY: virtual size and base fee. */
    std::optional<int64_t> vsize;
    std::optional<Amount> base_fees;
    /** VALID/MEMPOOL_ENTRY: the feerate the checks used (package feerate in
     *  a package) and the wtxids it covered (testmempoolaccept "fees"). */
    std::optional<FeeRate> effective_feerate;
    std::optional<std::vector<uint256>> effective_includes;
    /** DIFFERENT_WITNESS: the wtxid of the one in the pool. */
    std::optional<uint256> other_wtxid;
};

struct PackageMempoolAcceptResult {
    PackageValidationState state;
    /** By wtxid; a transaction not reached (package stopped early) has no entry. */
    std::map<uint256, MempoolAcceptResult> results;
};

/** Checks `tx` against the tip and the pool and, unless `test_accept`,
 *  adds it. `accept_time` is the entry time (mock-time aware now, or the
 *  saved time when loading mempool.dat). `bypass_limits` (re-adding after a
 *  reorg, loading) skips the fee floor and the pool's size limit. */
MempoolAcceptResult AcceptToMemoryPool(ChainstateManager& chainman, TxMemPool& pool, const TransactionRef& tx,
                                       int64_t accept_time, bool bypass_limits, bool test_accept);

/** submitpackage / testmempoolaccept with several transactions: with
 *  `test_accept` each transaction is checked as if the earlier ones were
 *  in the pool (no package feerate); otherwise the package must be a child
 *  with its parents and is accepted by Core's package rules (parents first
 *  on their own, then together with package feerate). `client_maxfeerate`
 *  (submitpackage's maxfeerate) rejects with "max feerate exceeded". */
PackageMempoolAcceptResult ProcessNewPackage(ChainstateManager& chainman, TxMemPool& pool, const Package& package,
                                             bool test_accept, std::optional<FeeRate> client_maxfeerate);

/** Evicts expired entries and trims to -maxmempool (after a reorg or a
 *  batch of additions); coins no longer needed are uncached. */
void LimitMempoolSize(ChainstateManager& chainman, TxMemPool& pool);

// ---- for callers that already hold the locks ----
// The chain's locked hooks (mempool/chain_sync.h) run with chainman.GetMutex()
// held, so they cannot use the functions above. These require the caller to
// hold chainman.GetMutex() and then pool.GetMutex(), and take neither.

/** AcceptToMemoryPool with both locks held. `chain_is_current` feeds the
 *  fee estimator's "current" test (not in IBD; the caller asks
 *  chainman.IsInitialBlockDownload() before taking the chain's lock, since
 *  that query may take it). The coins cache is not flushed. */
MempoolAcceptResult AcceptToMemoryPoolLocked(ChainstateManager& chainman, TxMemPool& pool, const TransactionRef& tx,
                                             int64_t accept_time, bool bypass_limits, bool test_accept,
                                             bool chain_is_current = false);

/** LimitMempoolSize with both locks held. */
void LimitMempoolSizeLocked(ChainstateManager& chainman, TxMemPool& pool);

} // namespace cairn

#endif
