// The transaction pool: unconfirmed transactions valid on the current tip,
// linked to their in-pool parents and children, kept under a memory budget
// by evicting the lowest descendant feerate, and expired after -mempoolexpiry.
//
// This class only stores and indexes; the rules that decide what may enter
// are in accept.h (consensus and policy at the tip). Threads: every method
// requires GetMutex() to be held by the caller; when the chain's lock is
// needed too it is taken first (chainman.GetMutex(), then the pool's).
#ifndef CAIRN_MEMPOOL_TX_MEMPOOL_H
#define CAIRN_MEMPOOL_TX_MEMPOOL_H

#include "mempool/mempool_entry.h"
#include "policy/feerate.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cairn {

class FeeEstimator; // policy/fee_estimator.h

/** -limitancestorcount and friends (sizes in virtual bytes). */
struct MempoolLimits {
    int64_t ancestor_count{25};
    int64_t ancestor_size_vbytes{101'000};
    int64_t descendant_count{25};
    int64_t descendant_size_vbytes{101'000};
    /** No limits (re-adding transactions of disconnected blocks). */
    static MempoolLimits NoLimits();
};

/** The pool's configuration, from -maxmempool, -mempoolexpiry, -minrelaytxfee,
 *  ... (node/ turns arguments into this). */
struct MempoolOptions {
    int64_t max_size_bytes{300'000'000};
    int64_t expiry_seconds{336 * 60 * 60};
    FeeRate incremental_relay_feerate{100};
    FeeRate min_relay_feerate{100};
    FeeRate dust_relay_feerate{3000};
    /** -datacarrier (nullopt: no OP_RETURN outputs) and -datacarriersize. */
    std::optional<unsigned> max_datacarrier_bytes{100'000};
    bool permit_bare_multisig{true};
    /** False with -acceptnonstdtxn on test networks. */
    bool require_standard{true};
    /** -bytespersigop. */
    unsigned bytes_per_sigop{20};
    MempoolLimits limits;
    /** -persistmempool. */
    bool persist{true};
    /** -persistmempoolv1: write mempool.dat version 1 (no obfuscation). */
    bool persist_v1_dat{false};
    /** Null: no fee estimation. Not owned. */
    FeeEstimator* estimator{nullptr};
};

/** Why an entry left the pool (getrawmempool sequence and notifications). */
enum class RemovalReason { EXPIRY, SIZELIMIT, REORG, BLOCK, CONFLICT, REPLACED };
const char* RemovalReasonToString(RemovalReason reason);

/** Told about every change, synchronously under the pool's lock: keep it
 *  quick (queue the work). The P2P layer relays from this; ZMQ will too.
 *  As Core's TransactionRemovedFromMempool, removals with reason BLOCK are
 *  not reported (block-connected events cover them), but they still use up
 *  a sequence number; every other removal is reported, one call per entry,
 *  in the order the entries leave. */
class MempoolObserver
{
public:
    virtual ~MempoolObserver() = default;
    virtual void TransactionAdded(const MempoolEntry& entry, uint64_t mempool_sequence) {}
    virtual void TransactionRemoved(const TransactionRef& tx, RemovalReason reason, uint64_t mempool_sequence) {}
};

/** One transaction as getrawmempool / savemempool / relay see it. */
struct TxMempoolInfo {
    TransactionRef tx;
    int64_t time{0};
    Amount fee{0};
    int64_t vsize{0};
    Amount fee_delta{0};
};

class TxMemPool
{
public:
    explicit TxMemPool(MempoolOptions options);
    ~TxMemPool();
    TxMemPool(const TxMemPool&) = delete;
    TxMemPool& operator=(const TxMemPool&) = delete;

    std::mutex& GetMutex() const { return m_mutex; }
    const MempoolOptions& Options() const { return m_opts; }
    /** Not owned; null to stop. Called under the pool's lock. */
    void AddObserver(MempoolObserver* observer);
    void RemoveObserver(MempoolObserver* observer);

    // ---- queries ----
    size_t Size() const;
    /** Sum of the entries' virtual sizes (getmempoolinfo "bytes"). */
    int64_t TotalTxSize() const;
    Amount TotalFee() const;
    /** Heap bytes used (getmempoolinfo "usage"), compared with max_size_bytes. */
    size_t DynamicMemoryUsage() const;
    bool Exists(const uint256& txid) const;
    bool ExistsWtxid(const uint256& wtxid) const;
    const MempoolEntry* Get(const uint256& txid) const;
    const MempoolEntry* GetByWtxid(const uint256& wtxid) const;
    TransactionRef GetTx(const uint256& txid) const;
    /** The in-pool transaction spending `outpoint`, if any. */
    const MempoolEntry* GetSpender(const OutPoint& outpoint) const;
    /** No input of `tx` spends an in-pool transaction. */
    bool HasNoInputsOf(const Transaction& tx) const;
    /** Every entry, in an order where parents come before children
     *  (ascending ancestor count, then entry sequence). */
    std::vector<const MempoolEntry*> EntriesTopological() const;
    /** Every entry, best first by ancestor score (AncestorScoreBetter on the
     *  entry's own totals: Core's ancestor_score index), kept up to date on
     *  every change, so block assembly reads only the top of it. Valid while
     *  the pool's lock is held and the pool does not change. */
    const AncestorScoreIndex& EntriesByAncestorScore() const;
    std::vector<TxMempoolInfo> InfoAll() const;
    /** Every in-pool ancestor of `entry` (not itself). */
    MempoolEntrySet GetAncestors(const MempoolEntry& entry) const;
    /** `entry` and every in-pool descendant. */
    MempoolEntrySet GetDescendants(const MempoolEntry& entry) const;
    /** Core's CompareDepthAndScore (inv ordering): true if `wtxid_a` should
     *  be announced before `wtxid_b`: false if b is not in the pool, true if
     *  a is not (but b is), else fewer ancestors first, then the higher base
     *  feerate (deltas are not leaked), then the larger txid. */
    bool CompareDepthAndScore(const uint256& wtxid_a, const uint256& wtxid_b) const;

    /** The in-pool ancestors a new transaction would have, checked against
     *  `limits` as if it were added (its own vsize counts). On a limit,
     *  returns nullopt and sets `error` to Core's text ("too many
     *  unconfirmed ancestors [limit: 25]", "exceeds ancestor size limit
     *  [limit: 101000]", "too many descendants for tx <txid> [limit: 25]",
     *  "exceeds descendant size limit for tx <txid> [limit: 101000]"). */
    std::optional<MempoolEntrySet> CalculateAncestorsAndCheckLimits(const Transaction& tx, int64_t vsize,
                                                                    const MempoolLimits& limits,
                                                                    std::string& error) const;
    /** Core's CheckPackageLimits: the package (not yet in the pool) taken as
     *  one transaction of `total_vsize` and package.size() entries. False with
     *  `error` set to Core's text ("package count 26 exceeds ancestor count
     *  limit [limit: 25]", "package size ... exceeds ancestor size limit ...",
     *  "too many unconfirmed parents [limit: 25]", or "possibly " + one of
     *  CalculateAncestorsAndCheckLimits' texts). */
    bool CheckPackageLimits(const std::vector<TransactionRef>& package, int64_t total_vsize,
                            const MempoolLimits& limits, std::string& error) const;

    // ---- changes ----
    /** Adds an entry whose inputs are all in the chain or the pool (checked
     *  by the caller). The pool sets the entry's fee delta (from the
     *  prioritisation map), and its sequence number if the entry asks for
     *  NEXT_SEQUENCE; the pool's sequence is then incremented (Core's
     *  mempool_sequence). `valid_for_estimation` feeds the fee estimator.
     *  Returns the entry. */
    const MempoolEntry* AddUnchecked(const MempoolEntry& entry, bool valid_for_estimation = false);
    /** The sequence number: incremented at every addition and removal
     *  (getrawmempool's mempool_sequence, ZMQ's sequence topic). */
    uint64_t GetSequence() const { return m_sequence; }
    /** Removes `tx`'s in-pool descendants and, if present, `tx` itself. */
    void RemoveRecursive(const Transaction& tx, RemovalReason reason);
    /** Removes the given entries and their descendants, e.g. replaced ones. */
    void RemoveStaged(const MempoolEntrySet& entries, RemovalReason reason);
    /** A block joined the chain: its transactions leave (reason BLOCK, fee
     *  estimator told), and so do in-pool conflicts with them (CONFLICT),
     *  with their descendants; prioritisation deltas of mined txs are cleared. */
    void RemoveForBlock(const std::vector<TransactionRef>& vtx, unsigned height);
    /** After a reorg: removes every entry for which `should_remove` is true
     *  (no longer final, immature coinbase spend, ...) with descendants (REORG). */
    void RemoveForReorg(const std::function<bool(const MempoolEntry&)>& should_remove);
    /** Lets an entry keep new lock points after a reorg. */
    void UpdateLockPoints(const MempoolEntry& entry, const LockPoints& lp);
    /** Drops entries older than now - expiry, with descendants. Returns how many. */
    int Expire(int64_t now);
    /** Evicts lowest descendant-feerate packages until usage <= limit and
     *  raises the rolling minimum fee. Outpoints of evicted transactions that
     *  no in-pool tx spends any more go to `no_spends_remaining` (if given). */
    void TrimToSize(size_t limit, std::vector<OutPoint>* no_spends_remaining = nullptr);
    /** The fee rate a transaction needs to enter a full pool (decays as in
     *  Core; never below 0; compare with min_relay_feerate separately). */
    FeeRate GetMinFee() const;
    /** Empties the pool (and is what a reorg re-acceptance starts from). */
    void Clear();

    // ---- prioritisation (prioritisetransaction) ----
    /** Adds `delta` to the txid's fee delta, in the pool or not yet. */
    void PrioritiseTransaction(const uint256& txid, Amount delta);
    /** The fee delta of `txid` (0 if none). */
    Amount GetFeeDelta(const uint256& txid) const;
    const std::map<uint256, Amount>& GetDeltas() const { return m_deltas; }
    void ClearPrioritisation(const uint256& txid);

    // ---- unbroadcast set (transactions from RPC not yet announced to a peer) ----
    void AddUnbroadcastTx(const uint256& txid);
    void RemoveUnbroadcastTx(const uint256& txid);
    std::set<uint256> GetUnbroadcastTxs() const { return m_unbroadcast; }
    bool IsUnbroadcastTx(const uint256& txid) const { return m_unbroadcast.count(txid) != 0; }

    /** Counts additions and removals for getblocktemplate's longpollid
     *  (Core's GetTransactionsUpdated); AddUnchecked and removals add 1. */
    unsigned GetTransactionsUpdated() const { return m_transactions_updated; }
    void AddTransactionsUpdated(unsigned n) { m_transactions_updated += n; }

    /** mempool.dat was read (getmempoolinfo "loaded"). */
    bool IsLoaded() const { return m_loaded; }
    void SetLoaded(bool loaded) { m_loaded = loaded; }

    /** Consistency check of every link and total (tests; -checkmempool). Throws std::logic_error. */
    void Check() const;

private:
    struct Impl;
    MempoolOptions m_opts;
    mutable std::mutex m_mutex;
    std::unique_ptr<Impl> m_impl;
    uint64_t m_sequence{1}; // as Core: getrawmempool of an empty pool says mempool_sequence 1
    unsigned m_transactions_updated{0};
    std::map<uint256, Amount> m_deltas;
    std::set<uint256> m_unbroadcast;
    bool m_loaded{false};
};

} // namespace cairn

#endif
