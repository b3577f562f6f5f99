#include "policy/fee_estimator.h"

#include "util/log.h"

#include <algorithm>
#include <cmath>

namespace cairn {

std::string StringForFeeEstimateHorizon(FeeEstimateHorizon horizon)
{
    switch (horizon) {
    case FeeEstimateHorizon::SHORT_HALFLIFE: return "short";
    case FeeEstimateHorizon::MED_HALFLIFE: return "medium";
    case FeeEstimateHorizon::LONG_HALFLIFE: return "long";
    }
    return "unknown";
}

std::string StringForFeeReason(FeeReason reason)
{
    switch (reason) {
    case FeeReason::NONE: return "None";
    case FeeReason::HALF_ESTIMATE: return "Half Target 60% Threshold";
    case FeeReason::FULL_ESTIMATE: return "Target 85% Threshold";
    case FeeReason::DOUBLE_ESTIMATE: return "Double Target 95% Threshold";
    case FeeReason::CONSERVATIVE: return "Conservative Double Target longer horizon";
    case FeeReason::MEMPOOL_MIN: return "Mempool Min Fee";
    case FeeReason::PAYTXFEE: return "PayTxFee set";
    case FeeReason::FALLBACK: return "Fallback fee";
    case FeeReason::REQUIRED: return "Minimum Required Fee";
    }
    return "Unknown";
}

namespace {

/** 1000, 1050, 1102.5, ... up to 1e7, then "infinity". Built by repeated
 *  multiplication, as Core does, so the boundaries are bit-identical to the
 *  ones in Core's files. */
std::vector<double> DefaultBuckets()
{
    std::vector<double> buckets;
    for (double b = FeeEstimator::MIN_BUCKET_FEERATE; b <= FeeEstimator::MAX_BUCKET_FEERATE;
         b *= FeeEstimator::FEE_SPACING) {
        buckets.push_back(b);
    }
    buckets.push_back(FeeEstimator::INF_FEERATE);
    return buckets;
}

} // namespace

FeeEstimator::FeeEstimator()
    : m_buckets(DefaultBuckets()), m_med_stats(m_buckets.size(), MED_BLOCK_PERIODS, MED_DECAY, MED_SCALE),
      m_short_stats(m_buckets.size(), SHORT_BLOCK_PERIODS, SHORT_DECAY, SHORT_SCALE),
      m_long_stats(m_buckets.size(), LONG_BLOCK_PERIODS, LONG_DECAY, LONG_SCALE)
{
}

const ConfirmStats& FeeEstimator::StatsFor(FeeEstimateHorizon horizon) const
{
    switch (horizon) {
    case FeeEstimateHorizon::SHORT_HALFLIFE: return m_short_stats;
    case FeeEstimateHorizon::MED_HALFLIFE: return m_med_stats;
    case FeeEstimateHorizon::LONG_HALFLIFE: break;
    }
    return m_long_stats;
}

unsigned FeeEstimator::BucketIndex(double feerate) const
{
    // The first bucket whose upper bound is at least the feerate; anything
    // above the last bound (only possible with a file's buckets) goes last.
    const auto it = std::lower_bound(m_buckets.begin(), m_buckets.end(), feerate);
    if (it == m_buckets.end()) return unsigned(m_buckets.size() - 1);
    return unsigned(it - m_buckets.begin());
}

void FeeEstimator::ProcessTransaction(const uint256& txid, int64_t vsize, Amount fee, unsigned entry_height,
                                      bool valid_for_estimation)
{
    std::lock_guard lock(m_mutex);
    if (m_mempool_txs.contains(txid)) {
        LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy error mempool tx {} already being tracked", txid.GetHex());
        return;
    }
    // Side chains, reorgs and an estimator behind the tip are left out: it
    // catches up at the next block. (1-block reorgs may count a tx twice.)
    if (entry_height != m_best_seen_height) return;
    if (!valid_for_estimation) {
        m_untracked_since_block++;
        return;
    }
    m_tracked_since_block++;

    const double feerate = double(FeeRate(fee, vsize).GetFeePerK());
    const unsigned bucket = BucketIndex(feerate);
    m_mempool_txs[txid] = TrackedTx{entry_height, bucket, feerate};
    m_med_stats.NewTx(entry_height, bucket);
    m_short_stats.NewTx(entry_height, bucket);
    m_long_stats.NewTx(entry_height, bucket);
}

bool FeeEstimator::RemoveTxLocked(const uint256& txid, bool in_block)
{
    const auto it = m_mempool_txs.find(txid);
    if (it == m_mempool_txs.end()) return false;
    const TrackedTx& tx = it->second;
    m_med_stats.RemoveTx(tx.height, m_best_seen_height, tx.bucket, in_block);
    m_short_stats.RemoveTx(tx.height, m_best_seen_height, tx.bucket, in_block);
    m_long_stats.RemoveTx(tx.height, m_best_seen_height, tx.bucket, in_block);
    m_mempool_txs.erase(it);
    return true;
}

bool FeeEstimator::RemoveTx(const uint256& txid)
{
    std::lock_guard lock(m_mutex);
    return RemoveTxLocked(txid, /*in_block=*/false);
}

void FeeEstimator::ProcessBlock(unsigned height, std::span<const uint256> txids)
{
    std::lock_guard lock(m_mutex);
    // Reorgs and side chains are ignored: if random, they do not move the
    // estimate, and an attacker able to reorg at will has better targets.
    // (As in Core, the txids of such a block stay tracked.)
    if (height <= m_best_seen_height) return;

    // The height moves together with ClearCurrent, so that removals below
    // age unconfirmed transactions against the right height.
    m_best_seen_height = height;
    for (ConfirmStats* s : {&m_med_stats, &m_short_stats, &m_long_stats}) {
        s->ClearCurrent(height);
        s->UpdateMovingAverages();
    }

    unsigned counted = 0;
    for (const uint256& txid : txids) {
        const auto it = m_mempool_txs.find(txid);
        if (it == m_mempool_txs.end()) continue; // not tracked
        const TrackedTx tx = it->second;
        RemoveTxLocked(txid, /*in_block=*/true);
        // Blocks it took: 1 when mined in the first block after entering.
        const int blocks_to_confirm = int(height - tx.height);
        if (blocks_to_confirm <= 0) {
            LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy error Transaction had negative blocksToConfirm");
            continue;
        }
        const unsigned bucket = BucketIndex(tx.feerate);
        m_med_stats.Record(blocks_to_confirm, bucket, tx.feerate);
        m_short_stats.Record(blocks_to_confirm, bucket, tx.feerate);
        m_long_stats.Record(blocks_to_confirm, bucket, tx.feerate);
        counted++;
    }
    if (m_first_recorded_height == 0 && counted > 0) {
        m_first_recorded_height = m_best_seen_height;
        LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy first recorded height {}", m_first_recorded_height);
    }
    LogDebug(LogCategory::ESTIMATEFEE,
             "Blockpolicy estimates updated by {} of {} block txs, since last block {} of {} tracked, mempool map "
             "size {}, max target {} from {}",
             counted, txids.size(), m_tracked_since_block, m_tracked_since_block + m_untracked_since_block,
             m_mempool_txs.size(), MaxUsableEstimate(),
             HistoricalBlockSpan() > BlockSpan() ? "historical" : "current");
    m_tracked_since_block = 0;
    m_untracked_since_block = 0;
}

unsigned FeeEstimator::BlockSpan() const
{
    if (m_first_recorded_height == 0 || m_best_seen_height < m_first_recorded_height) return 0;
    return m_best_seen_height - m_first_recorded_height;
}

unsigned FeeEstimator::HistoricalBlockSpan() const
{
    if (m_historical_first == 0 || m_historical_best < m_historical_first) return 0;
    if (m_best_seen_height - m_historical_best > OLDEST_ESTIMATE_HISTORY) return 0;
    return m_historical_best - m_historical_first;
}

unsigned FeeEstimator::MaxUsableEstimate() const
{
    // Half the span: a target needs as many blocks again to see failures.
    return std::min(m_long_stats.GetMaxConfirms(), std::max(BlockSpan(), HistoricalBlockSpan()) / 2);
}

FeeRate FeeEstimator::EstimateRawFee(int conf_target, double success_threshold, FeeEstimateHorizon horizon,
                                     EstimationResult* result) const
{
    const double sufficient =
        horizon == FeeEstimateHorizon::SHORT_HALFLIFE ? SUFFICIENT_TXS_SHORT : SUFFICIENT_FEETXS;
    std::lock_guard lock(m_mutex);
    const ConfirmStats& stats = StatsFor(horizon);
    if (conf_target <= 0 || unsigned(conf_target) > stats.GetMaxConfirms()) return FeeRate(0);
    if (success_threshold > 1) return FeeRate(0);
    const double median =
        stats.EstimateMedianVal(m_buckets, conf_target, sufficient, success_threshold, m_best_seen_height, result);
    if (median < 0) return FeeRate(0);
    return FeeRate(Amount(std::llround(median)));
}

unsigned FeeEstimator::HighestTargetTracked(FeeEstimateHorizon horizon) const
{
    std::lock_guard lock(m_mutex);
    return StatsFor(horizon).GetMaxConfirms();
}

double FeeEstimator::EstimateCombinedFee(unsigned conf_target, double success_threshold, bool check_shorter_horizon,
                                         EstimationResult* result) const
{
    double estimate = -1;
    if (conf_target < 1 || conf_target > m_long_stats.GetMaxConfirms()) return estimate;
    // The shortest horizon that tracks the target.
    if (conf_target <= m_short_stats.GetMaxConfirms()) {
        estimate = m_short_stats.EstimateMedianVal(m_buckets, int(conf_target), SUFFICIENT_TXS_SHORT,
                                                   success_threshold, m_best_seen_height, result);
    } else if (conf_target <= m_med_stats.GetMaxConfirms()) {
        estimate = m_med_stats.EstimateMedianVal(m_buckets, int(conf_target), SUFFICIENT_FEETXS, success_threshold,
                                                 m_best_seen_height, result);
    } else {
        estimate = m_long_stats.EstimateMedianVal(m_buckets, int(conf_target), SUFFICIENT_FEETXS, success_threshold,
                                                  m_best_seen_height, result);
    }
    if (check_shorter_horizon) {
        // A shorter horizon's answer at its longest target is also good enough
        // for a longer target: take it when lower, so estimates stay monotonic.
        EstimationResult temp;
        if (conf_target > m_med_stats.GetMaxConfirms()) {
            const double med_max =
                m_med_stats.EstimateMedianVal(m_buckets, int(m_med_stats.GetMaxConfirms()), SUFFICIENT_FEETXS,
                                              success_threshold, m_best_seen_height, &temp);
            if (med_max > 0 && (estimate == -1 || med_max < estimate)) {
                estimate = med_max;
                if (result) *result = temp;
            }
        }
        if (conf_target > m_short_stats.GetMaxConfirms()) {
            const double short_max =
                m_short_stats.EstimateMedianVal(m_buckets, int(m_short_stats.GetMaxConfirms()), SUFFICIENT_TXS_SHORT,
                                                success_threshold, m_best_seen_height, &temp);
            if (short_max > 0 && (estimate == -1 || short_max < estimate)) {
                estimate = short_max;
                if (result) *result = temp;
            }
        }
    }
    return estimate;
}

double FeeEstimator::EstimateConservativeFee(unsigned double_target, EstimationResult* result) const
{
    // The 95% threshold at 2 * target must hold over the longer horizons too.
    double estimate = -1;
    EstimationResult temp;
    if (double_target <= m_short_stats.GetMaxConfirms()) {
        estimate = m_med_stats.EstimateMedianVal(m_buckets, int(double_target), SUFFICIENT_FEETXS, DOUBLE_SUCCESS_PCT,
                                                 m_best_seen_height, result);
    }
    if (double_target <= m_med_stats.GetMaxConfirms()) {
        const double long_estimate = m_long_stats.EstimateMedianVal(
            m_buckets, int(double_target), SUFFICIENT_FEETXS, DOUBLE_SUCCESS_PCT, m_best_seen_height, &temp);
        if (long_estimate > estimate) {
            estimate = long_estimate;
            if (result) *result = temp;
        }
    }
    return estimate;
}

FeeRate FeeEstimator::EstimateSmartFee(int conf_target, FeeCalculation* calc, bool conservative) const
{
    std::lock_guard lock(m_mutex);
    if (calc) {
        calc->desiredTarget = conf_target;
        calc->returnedTarget = conf_target;
        calc->best_height = m_best_seen_height;
    }
    if (conf_target <= 0 || unsigned(conf_target) > m_long_stats.GetMaxConfirms()) return FeeRate(0);

    // Nothing sensible can be said for the very next block.
    if (conf_target == 1) conf_target = 2;
    const unsigned max_usable = MaxUsableEstimate();
    if (unsigned(conf_target) > max_usable) conf_target = int(max_usable);
    if (calc) calc->returnedTarget = conf_target;
    if (conf_target <= 1) return FeeRate(0);

    // The highest of: 60% within target/2, 85% within target, 95% within
    // 2 * target. The first two also look at shorter horizons' longest
    // targets (keeps estimates monotonic); the third does too unless
    // conservative, which instead takes the max over the longer horizons.
    EstimationResult temp;
    const unsigned target = unsigned(conf_target);
    double median = EstimateCombinedFee(target / 2, HALF_SUCCESS_PCT, true, &temp);
    if (calc) {
        calc->est = temp;
        calc->reason = FeeReason::HALF_ESTIMATE;
    }
    const double actual = EstimateCombinedFee(target, SUCCESS_PCT, true, &temp);
    if (actual > median) {
        median = actual;
        if (calc) {
            calc->est = temp;
            calc->reason = FeeReason::FULL_ESTIMATE;
        }
    }
    const double doubled = EstimateCombinedFee(2 * target, DOUBLE_SUCCESS_PCT, !conservative, &temp);
    if (doubled > median) {
        median = doubled;
        if (calc) {
            calc->est = temp;
            calc->reason = FeeReason::DOUBLE_ESTIMATE;
        }
    }
    if (conservative || median == -1) {
        const double cons = EstimateConservativeFee(2 * target, &temp);
        if (cons > median) {
            median = cons;
            if (calc) {
                calc->est = temp;
                calc->reason = FeeReason::CONSERVATIVE;
            }
        }
    }
    if (median < 0) return FeeRate(0);
    return FeeRate(Amount(std::llround(median)));
}

void FeeEstimator::FlushUnconfirmed()
{
    std::lock_guard lock(m_mutex);
    const size_t count = m_mempool_txs.size();
    while (!m_mempool_txs.empty()) RemoveTxLocked(m_mempool_txs.begin()->first, /*in_block=*/false);
    LogDebug(LogCategory::ESTIMATEFEE, "Recorded {} unconfirmed txs from mempool", count);
}

unsigned FeeEstimator::BestSeenHeight() const
{
    std::lock_guard lock(m_mutex);
    return m_best_seen_height;
}

size_t FeeEstimator::TrackedTxCount() const
{
    std::lock_guard lock(m_mutex);
    return m_mempool_txs.size();
}

} // namespace cairn
