// One time horizon of the fee estimator (Bitcoin Core's TxConfirmStats):
// exponentially decaying counts, per feerate bucket, of transactions seen,
// confirmed within Y blocks and given up on after Y blocks, plus the ring of
// transactions still waiting. FeeEstimator (fee_estimator.h) keeps three of
// these (short, medium, long) over one shared list of bucket boundaries.
//
// Not thread-safe: the estimator's mutex guards it.
#ifndef CAIRN_POLICY_FEE_ESTIMATOR_STATS_H
#define CAIRN_POLICY_FEE_ESTIMATOR_STATS_H

#include "util/serialize.h"
#include "util/span.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cairn {

/** A range of buckets examined by an estimate (Core's EstimatorBucket). */
struct EstimatorBucket {
    double start{-1};
    double end{-1};
    double withinTarget{0};
    double totalConfirmed{0};
    double inMempool{0};
    double leftMempool{0};
};

/** The lowest passing and highest failing bucket ranges of one estimate
 *  (Core's EstimationResult). */
struct EstimationResult {
    EstimatorBucket pass;
    EstimatorBucket fail;
    double decay{0};
    unsigned scale{0};
};

/** A double as Core's fee file stores it: its IEEE 754 bits, little-endian. */
void WriteEncodedDouble(VectorWriter& w, double v);
double ReadEncodedDouble(Reader& r);
/** A CompactSize count, then the doubles. The count is checked against the
 *  bytes left before anything is allocated. */
void WriteDoubleVector(VectorWriter& w, std::span<const double> v);
std::vector<double> ReadDoubleVector(Reader& r);

class ConfirmStats
{
public:
    /** `max_periods` periods of `scale` blocks each are tracked. */
    ConfirmStats(size_t num_buckets, unsigned max_periods, double decay, unsigned scale);

    /** The longest confirmation target this horizon answers for. */
    unsigned GetMaxConfirms() const { return m_scale * unsigned(m_conf_avg.size()); }
    double Decay() const { return m_decay; }
    unsigned Scale() const { return m_scale; }
    size_t NumBuckets() const { return m_tx_ct_avg.size(); }

    /** A block at `height` arrived: the ring slot it reuses moves to the "old" counts. */
    void ClearCurrent(unsigned height);
    /** Decays every moving average by one block. */
    void UpdateMovingAverages();
    /** A tracked transaction confirmed after `blocks_to_confirm` (>= 1) blocks. */
    void Record(int blocks_to_confirm, size_t bucket, double feerate);
    /** A transaction entered the mempool at `height`. */
    void NewTx(unsigned height, size_t bucket);
    /** A tracked transaction left the mempool; when not `in_block`, every full
     *  period it waited counts as a failure. */
    void RemoveTx(unsigned entry_height, unsigned best_seen_height, size_t bucket, bool in_block);

    /**
     * The feerate needed to confirm within `conf_target` blocks with at least
     * `success_threshold` likelihood: walks from the highest bucket down,
     * grouping buckets until each group holds `sufficient_tx_val / (1 - decay)`
     * transactions, and answers the median-ish feerate of the lowest passing
     * group; -1 when none passes (or the target is out of range).
     */
    double EstimateMedianVal(std::span<const double> buckets, int conf_target, double sufficient_tx_val,
                             double success_threshold, unsigned best_height, EstimationResult* result) const;

    /** The persisted part (decay, scale and the four averages), in Core's layout. */
    void Serialize(VectorWriter& w) const;
    /** Reads what Serialize wrote; throws DeserializeError with Core's
     *  "Corrupt estimates file. ..." messages on inconsistent data. */
    static ConfirmStats Deserialize(Reader& r, size_t num_buckets);

private:
    ConfirmStats() = default;
    void ResizeInMemoryCounters(size_t num_buckets);

    /** Decaying count of confirmed transactions per bucket. */
    std::vector<double> m_tx_ct_avg;
    /** m_conf_avg[p][b]: decaying count confirmed within p + 1 periods. */
    std::vector<std::vector<double>> m_conf_avg;
    /** m_fail_avg[p][b]: decaying count that left the mempool unconfirmed after p + 1 periods. */
    std::vector<std::vector<double>> m_fail_avg;
    /** Decaying sum of the feerates of confirmed transactions per bucket. */
    std::vector<double> m_feerate_avg;
    double m_decay{0};
    /** Blocks per period. */
    unsigned m_scale{1};
    /** m_unconf[height % GetMaxConfirms()][b]: still in the mempool, by entry height. */
    std::vector<std::vector<int>> m_unconf;
    /** Still in the mempool after GetMaxConfirms() blocks. */
    std::vector<int> m_old_unconf;
};

} // namespace cairn

#endif
