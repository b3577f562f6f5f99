// The fee estimator (Bitcoin Core's CBlockPolicyEstimator): learns from how
// long mempool transactions of each feerate take to confirm, and answers
// estimatesmartfee / estimaterawfee.
//
// Transactions are grouped into exponentially spaced feerate buckets (1000
// to 1e7 sat/kvB, 5% apart, plus one for anything higher). Three horizons
// keep decaying counts of how many transactions of each bucket confirmed
// within N blocks, failed to, or are still waiting:
//   short:  12 blocks by 1,  decay .962   (half-life ~18 blocks, 3 hours)
//   medium: 48 blocks by 2,  decay .9952  (half-life ~144 blocks, 1 day)
//   long: 1008 blocks by 24, decay .99931 (half-life ~1008 blocks, 1 week)
// An estimate for a target is the lowest bucket range whose transactions
// confirmed within the target often enough (60% at target/2, 85% at target,
// 95% at 2 * target for estimatesmartfee).
//
// Fed by the mempool: ProcessTransaction when a transaction enters,
// ProcessBlock for every connected block (with the txids of the block's
// transactions that were in the pool), RemoveTx when a transaction leaves for
// any other reason. Persisted in <datadir>/fee_estimates.dat in Core's format
// (fee_estimator_file.cpp, doc/design/fee_estimation.md).
//
// Thread-safe: every public method takes the estimator's own mutex and calls
// nothing outside it, so callers may hold their own locks (the mempool's).
#ifndef CAIRN_POLICY_FEE_ESTIMATOR_H
#define CAIRN_POLICY_FEE_ESTIMATOR_H

#include "policy/fee_estimator_stats.h"
#include "policy/feerate.h"
#include "primitives/amount.h"
#include "util/span.h"
#include "util/uint256.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace cairn {

/** The file, in the network datadir. */
inline constexpr const char* FEE_ESTIMATES_FILENAME = "fee_estimates.dat";
/** How often the node writes the file while running. */
inline constexpr std::chrono::hours FEE_FLUSH_INTERVAL{1};
/** A file last written longer ago than this is not read (estimates from
 *  another fee market would mislead), unless -acceptstalefeeestimates. */
inline constexpr std::chrono::hours MAX_FILE_AGE{60};
inline constexpr bool DEFAULT_ACCEPT_STALE_FEE_ESTIMATES{false};

/** The three histories, by how fast they forget. */
enum class FeeEstimateHorizon {
    SHORT_HALFLIFE,
    MED_HALFLIFE,
    LONG_HALFLIFE,
};
inline constexpr std::array<FeeEstimateHorizon, 3> ALL_FEE_ESTIMATE_HORIZONS{
    FeeEstimateHorizon::SHORT_HALFLIFE, FeeEstimateHorizon::MED_HALFLIFE, FeeEstimateHorizon::LONG_HALFLIFE};
/** "short", "medium", "long" (estimaterawfee's keys). */
std::string StringForFeeEstimateHorizon(FeeEstimateHorizon horizon);

/** Which sub-estimate gave estimatesmartfee's answer. */
enum class FeeReason {
    NONE,
    HALF_ESTIMATE,
    FULL_ESTIMATE,
    DOUBLE_ESTIMATE,
    CONSERVATIVE,
    MEMPOOL_MIN,
    PAYTXFEE,
    FALLBACK,
    REQUIRED,
};
/** Core's wording ("Target 85% Threshold", ...), for the wallet's logs. */
std::string StringForFeeReason(FeeReason reason);

/** The details of an EstimateSmartFee answer. */
struct FeeCalculation {
    EstimationResult est;
    FeeReason reason{FeeReason::NONE};
    int desiredTarget{0};
    /** The target actually answered for (clamped to what the data supports). */
    int returnedTarget{0};
    unsigned best_height{0};
};

class FeeEstimator
{
public:
    FeeEstimator();

    /** A transaction entered the mempool at chain height `entry_height`. Only
     *  counted when `valid_for_estimation` (not a reorg re-add or a package
     *  member, the node is synced, no in-mempool parents) and `entry_height`
     *  is the last block height seen by ProcessBlock. */
    void ProcessTransaction(const uint256& txid, int64_t vsize, Amount fee, unsigned entry_height,
                            bool valid_for_estimation);
    /** A block was connected at `height`; `txids` are those of its transactions
     *  that were in the mempool. Must be called for every connected block,
     *  even with no txids: it advances the estimator's height. Blocks at or
     *  below the highest height seen are ignored (reorgs). */
    void ProcessBlock(unsigned height, std::span<const uint256> txids);
    /** A transaction left the mempool for any reason but a block (expiry,
     *  eviction, replacement, conflict); false if it was not tracked. */
    bool RemoveTx(const uint256& txid);

    /** The feerate to confirm within `conf_target` blocks, or at the closest
     *  target the data supports (calc->returnedTarget); FeeRate(0) when there
     *  is no answer. `conservative` also requires the longer horizons to agree. */
    FeeRate EstimateSmartFee(int conf_target, FeeCalculation* calc, bool conservative) const;
    /** One horizon's answer at one threshold; FeeRate(0) when none. */
    FeeRate EstimateRawFee(int conf_target, double success_threshold, FeeEstimateHorizon horizon,
                           EstimationResult* result = nullptr) const;
    /** The longest target a horizon tracks (12, 48, 1008 by default). */
    unsigned HighestTargetTracked(FeeEstimateHorizon horizon) const;

    /** Records every still-tracked transaction as unconfirmed (at shutdown,
     *  before Write). */
    void FlushUnconfirmed();

    /** Replaces the learned data with a file's (the mempool part is not
     *  persisted). On failure the data is left as it was, a warning is logged
     *  and `error` says why. A file of an older version is ignored (true). */
    bool Read(const std::filesystem::path& path, std::string* error = nullptr);
    /** Writes the file (through a temporary file and a rename). */
    bool Write(const std::filesystem::path& path) const;
    /** The file's bytes, and reading them back (what Read and Write do). */
    Bytes Serialize() const;
    bool Deserialize(ByteSpan data, std::string* error = nullptr);

    /** The highest block height seen. */
    unsigned BestSeenHeight() const;
    /** How many mempool transactions are tracked. */
    size_t TrackedTxCount() const;

    /** Core's constants. */
    static constexpr unsigned SHORT_BLOCK_PERIODS = 12;
    static constexpr unsigned SHORT_SCALE = 1;
    static constexpr unsigned MED_BLOCK_PERIODS = 24;
    static constexpr unsigned MED_SCALE = 2;
    static constexpr unsigned LONG_BLOCK_PERIODS = 42;
    static constexpr unsigned LONG_SCALE = 24;
    /** Saved history older than this many blocks is not used. */
    static constexpr unsigned OLDEST_ESTIMATE_HISTORY = 6 * 1008;
    static constexpr double SHORT_DECAY = .962;
    static constexpr double MED_DECAY = .9952;
    static constexpr double LONG_DECAY = .99931;
    /** Confirmed within target/2, target, 2 * target. */
    static constexpr double HALF_SUCCESS_PCT = .6;
    static constexpr double SUCCESS_PCT = .85;
    static constexpr double DOUBLE_SUCCESS_PCT = .95;
    /** Transactions per block a bucket range needs to be judged (the short
     *  horizon sees fewer blocks, so it needs more). */
    static constexpr double SUFFICIENT_FEETXS = 0.1;
    static constexpr double SUFFICIENT_TXS_SHORT = 0.5;
    static constexpr double MIN_BUCKET_FEERATE = 1000;
    static constexpr double MAX_BUCKET_FEERATE = 1e7;
    static constexpr double FEE_SPACING = 1.05;
    static constexpr double INF_FEERATE = 1e99;

private:
    struct TrackedTx {
        unsigned height{0};
        unsigned bucket{0};
        double feerate{0};
    };
    struct TxidHasher {
        size_t operator()(const uint256& h) const { return size_t(h.GetUint64(0)); }
    };

    const ConfirmStats& StatsFor(FeeEstimateHorizon horizon) const;
    unsigned BucketIndex(double feerate) const;
    bool RemoveTxLocked(const uint256& txid, bool in_block);
    unsigned BlockSpan() const;
    unsigned HistoricalBlockSpan() const;
    unsigned MaxUsableEstimate() const;
    double EstimateCombinedFee(unsigned conf_target, double success_threshold, bool check_shorter_horizon,
                               EstimationResult* result) const;
    double EstimateConservativeFee(unsigned double_target, EstimationResult* result) const;
    Bytes SerializeLocked() const;

    mutable std::mutex m_mutex;
    unsigned m_best_seen_height{0};
    /** First height at which a tracked transaction confirmed, this run. */
    unsigned m_first_recorded_height{0};
    /** The span of blocks the loaded file's data covers. */
    unsigned m_historical_first{0};
    unsigned m_historical_best{0};
    /** Upper bounds (inclusive) of the buckets, increasing. */
    std::vector<double> m_buckets;
    ConfirmStats m_med_stats;
    ConfirmStats m_short_stats;
    ConfirmStats m_long_stats;
    std::unordered_map<uint256, TrackedTx, TxidHasher> m_mempool_txs;
    /** Transactions counted / not counted since the last block (for the log). */
    unsigned m_tracked_since_block{0};
    unsigned m_untracked_since_block{0};
};

/** What LoadFeeEstimates did. */
enum class FeeEstimatesLoad { LOADED, NOT_FOUND, STALE, FAILED };

/** Reads `path` into `estimator` at start-up as Core does: a missing file is
 *  fine, a file older than MAX_FILE_AGE is ignored unless `accept_stale`, an
 *  unreadable one is logged and ignored. */
FeeEstimatesLoad LoadFeeEstimates(FeeEstimator& estimator, const std::filesystem::path& path, bool accept_stale);
/** Time since the file was last written (the real clock, as Core). */
std::chrono::hours FeeEstimatesFileAge(const std::filesystem::path& path);

} // namespace cairn

#endif
