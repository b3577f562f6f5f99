#include "policy/fee_estimator_stats.h"

#include "util/log.h"

#include <algorithm>
#include <bit>

namespace cairn {

void WriteEncodedDouble(VectorWriter& w, double v) { WriteU64LE(w, std::bit_cast<uint64_t>(v)); }

double ReadEncodedDouble(Reader& r) { return std::bit_cast<double>(r.U64LE()); }

void WriteDoubleVector(VectorWriter& w, std::span<const double> v)
{
    WriteCompactSize(w, v.size());
    for (double d : v) WriteEncodedDouble(w, d);
}

std::vector<double> ReadDoubleVector(Reader& r)
{
    const uint64_t n = r.CompactSize();
    if (n > r.remaining() / 8) throw DeserializeError("end of data");
    std::vector<double> v(n);
    for (double& d : v) d = ReadEncodedDouble(r);
    return v;
}

ConfirmStats::ConfirmStats(size_t num_buckets, unsigned max_periods, double decay, unsigned scale)
    : m_tx_ct_avg(num_buckets), m_conf_avg(max_periods, std::vector<double>(num_buckets)),
      m_fail_avg(max_periods, std::vector<double>(num_buckets)), m_feerate_avg(num_buckets), m_decay(decay),
      m_scale(scale ? scale : 1)
{
    ResizeInMemoryCounters(num_buckets);
}

void ConfirmStats::ResizeInMemoryCounters(size_t num_buckets)
{
    m_unconf.assign(GetMaxConfirms(), std::vector<int>(num_buckets));
    m_old_unconf.assign(num_buckets, 0);
}

void ConfirmStats::ClearCurrent(unsigned height)
{
    std::vector<int>& slot = m_unconf[height % m_unconf.size()];
    for (size_t b = 0; b < slot.size(); ++b) {
        m_old_unconf[b] += slot[b];
        slot[b] = 0;
    }
}

void ConfirmStats::UpdateMovingAverages()
{
    for (size_t b = 0; b < m_tx_ct_avg.size(); ++b) {
        for (size_t p = 0; p < m_conf_avg.size(); ++p) {
            m_conf_avg[p][b] *= m_decay;
            m_fail_avg[p][b] *= m_decay;
        }
        m_feerate_avg[b] *= m_decay;
        m_tx_ct_avg[b] *= m_decay;
    }
}

void ConfirmStats::Record(int blocks_to_confirm, size_t bucket, double feerate)
{
    if (blocks_to_confirm < 1 || bucket >= m_tx_ct_avg.size()) return;
    // Confirmed within N periods means within every longer period too.
    const size_t periods = (unsigned(blocks_to_confirm) + m_scale - 1) / m_scale;
    for (size_t p = periods; p <= m_conf_avg.size(); ++p) m_conf_avg[p - 1][bucket] += 1;
    m_tx_ct_avg[bucket] += 1;
    m_feerate_avg[bucket] += feerate;
}

void ConfirmStats::NewTx(unsigned height, size_t bucket)
{
    if (bucket < m_old_unconf.size()) m_unconf[height % m_unconf.size()][bucket]++;
}

void ConfirmStats::RemoveTx(unsigned entry_height, unsigned best_seen_height, size_t bucket, bool in_block)
{
    if (bucket >= m_old_unconf.size()) return;
    // best_seen_height is not yet the new block's when a block removes the tx.
    int blocks_ago = int(best_seen_height - entry_height);
    if (best_seen_height == 0) blocks_ago = 0; // no block seen yet
    if (blocks_ago < 0) {
        LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy error, blocks ago is negative for mempool tx");
        return;
    }
    if (blocks_ago >= int(m_unconf.size())) {
        if (m_old_unconf[bucket] > 0) {
            m_old_unconf[bucket]--;
        } else {
            LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy error, old mempool tx removed from bucket {} twice", bucket);
        }
    } else {
        int& count = m_unconf[entry_height % m_unconf.size()][bucket];
        if (count > 0) {
            count--;
        } else {
            LogDebug(LogCategory::ESTIMATEFEE, "Blockpolicy error, mempool tx removed from slot {}, bucket {} twice",
                     entry_height % m_unconf.size(), bucket);
        }
    }
    // A failure only once it waited a whole period.
    if (!in_block && unsigned(blocks_ago) >= m_scale) {
        const size_t periods_ago = unsigned(blocks_ago) / m_scale;
        for (size_t p = 0; p < periods_ago && p < m_fail_avg.size(); ++p) m_fail_avg[p][bucket] += 1;
    }
}

namespace {

/** The counters of one range of buckets while EstimateMedianVal walks down. */
struct RangeCounts {
    double confirmed_within{0}; // confirmed within the target
    double total{0};            // confirmed at any time
    int in_mempool{0};          // still waiting, for the target or longer
    double failed{0};           // left unconfirmed after the target

    EstimatorBucket ToBucket(std::span<const double> buckets, unsigned lo, unsigned hi) const
    {
        EstimatorBucket b;
        b.start = lo ? buckets[lo - 1] : 0;
        b.end = buckets[hi];
        b.withinTarget = confirmed_within;
        b.totalConfirmed = total;
        b.inMempool = in_mempool;
        b.leftMempool = failed;
        return b;
    }
};

double Percent(const EstimatorBucket& b)
{
    const double denom = b.totalConfirmed + b.inMempool + b.leftMempool;
    return denom ? 100 * b.withinTarget / denom : 0;
}

} // namespace

double ConfirmStats::EstimateMedianVal(std::span<const double> buckets, int conf_target, double sufficient_tx_val,
                                       double success_threshold, unsigned best_height,
                                       EstimationResult* result) const
{
    if (result) {
        *result = EstimationResult{};
        result->decay = m_decay;
        result->scale = m_scale;
    }
    // Out of range targets (or a bucket list that does not fit) have no answer.
    if (conf_target < 1 || unsigned(conf_target) > GetMaxConfirms() || buckets.size() != m_tx_ct_avg.size() ||
        buckets.empty()) {
        return -1;
    }
    const size_t period = (unsigned(conf_target) + m_scale - 1) / m_scale - 1;
    const unsigned max_bucket = unsigned(buckets.size() - 1);
    const unsigned bins = unsigned(m_unconf.size());
    const double needed = sufficient_tx_val / (1 - m_decay);

    RangeCounts cur;
    double partial = 0; // confirmed count of the range being grown
    unsigned cur_near = max_bucket, cur_far = max_bucket;
    unsigned best_near = max_bucket, best_far = max_bucket;
    bool found = false, passing = true, new_range = true;
    EstimatorBucket pass_bucket, fail_bucket;

    // From the highest feerate down: ranges are cut wherever they hold enough
    // confirmed transactions, so every target looks at the same ranges.
    for (int bucket = int(max_bucket); bucket >= 0; --bucket) {
        if (new_range) {
            cur_near = unsigned(bucket);
            new_range = false;
        }
        cur_far = unsigned(bucket);
        cur.confirmed_within += m_conf_avg[period][bucket];
        partial += m_tx_ct_avg[bucket];
        cur.total += m_tx_ct_avg[bucket];
        cur.failed += m_fail_avg[period][bucket];
        // Unsigned arithmetic on purpose: the ring index matches Core's.
        for (unsigned confs = unsigned(conf_target); confs < GetMaxConfirms(); ++confs) {
            cur.in_mempool += m_unconf[(best_height - confs) % bins][bucket];
        }
        cur.in_mempool += m_old_unconf[bucket];
        if (partial < needed) continue;
        partial = 0;

        const double pct = cur.confirmed_within / (cur.total + cur.failed + cur.in_mempool);
        if (pct < success_threshold) {
            if (passing) { // the first failing range is the one reported
                fail_bucket = cur.ToBucket(buckets, std::min(cur_near, cur_far), std::max(cur_near, cur_far));
                passing = false;
            }
            continue; // keep adding to the failing range
        }
        fail_bucket = EstimatorBucket{};
        found = true;
        passing = true;
        // Counts only: the range is set below, once the best range is known.
        pass_bucket.withinTarget = cur.confirmed_within;
        pass_bucket.totalConfirmed = cur.total;
        pass_bucket.inMempool = cur.in_mempool;
        pass_bucket.leftMempool = cur.failed;
        cur = RangeCounts{};
        best_near = cur_near;
        best_far = cur_far;
        new_range = true;
    }

    // The feerate: the average of the bucket holding the median transaction
    // of the best range (the transactions themselves are not kept).
    double median = -1;
    const unsigned lo = std::min(best_near, best_far), hi = std::max(best_near, best_far);
    double tx_sum = 0;
    for (unsigned b = lo; b <= hi; ++b) tx_sum += m_tx_ct_avg[b];
    if (found && tx_sum != 0) {
        tx_sum /= 2;
        for (unsigned b = lo; b <= hi; ++b) {
            if (m_tx_ct_avg[b] < tx_sum) {
                tx_sum -= m_tx_ct_avg[b];
            } else {
                median = m_feerate_avg[b] / m_tx_ct_avg[b];
                break;
            }
        }
        pass_bucket.start = lo ? buckets[lo - 1] : 0;
        pass_bucket.end = buckets[hi];
    }
    // Passing down to a last range too thin to judge: report that one as failed.
    if (passing && !new_range) {
        fail_bucket = cur.ToBucket(buckets, std::min(cur_near, cur_far), std::max(cur_near, cur_far));
    }

    LogDebug(LogCategory::ESTIMATEFEE,
             "FeeEst: {} > {:.0f}% decay {:.5f}: feerate: {:g} from ({:g} - {:g}) {:.2f}% {:.1f}/({:.1f} {} mem {:.1f} "
             "out) Fail: ({:g} - {:g}) {:.2f}% {:.1f}/({:.1f} {} mem {:.1f} out)",
             conf_target, 100.0 * success_threshold, m_decay, median, pass_bucket.start, pass_bucket.end,
             Percent(pass_bucket), pass_bucket.withinTarget, pass_bucket.totalConfirmed, pass_bucket.inMempool,
             pass_bucket.leftMempool, fail_bucket.start, fail_bucket.end, Percent(fail_bucket),
             fail_bucket.withinTarget, fail_bucket.totalConfirmed, fail_bucket.inMempool, fail_bucket.leftMempool);

    if (result) {
        result->pass = pass_bucket;
        result->fail = fail_bucket;
    }
    return median;
}

void ConfirmStats::Serialize(VectorWriter& w) const
{
    WriteEncodedDouble(w, m_decay);
    WriteU32LE(w, m_scale);
    WriteDoubleVector(w, m_feerate_avg);
    WriteDoubleVector(w, m_tx_ct_avg);
    WriteCompactSize(w, m_conf_avg.size());
    for (const auto& v : m_conf_avg) WriteDoubleVector(w, v);
    WriteCompactSize(w, m_fail_avg.size());
    for (const auto& v : m_fail_avg) WriteDoubleVector(w, v);
}

ConfirmStats ConfirmStats::Deserialize(Reader& r, size_t num_buckets)
{
    ConfirmStats s;
    s.m_decay = ReadEncodedDouble(r);
    if (!(s.m_decay > 0 && s.m_decay < 1)) { // also refuses NaN
        throw DeserializeError("Corrupt estimates file. Decay must be between 0 and 1 (non-inclusive)");
    }
    s.m_scale = r.U32LE();
    if (s.m_scale == 0) throw DeserializeError("Corrupt estimates file. Scale must be non-zero");

    s.m_feerate_avg = ReadDoubleVector(r);
    if (s.m_feerate_avg.size() != num_buckets) {
        throw DeserializeError("Corrupt estimates file. Mismatch in feerate average bucket count");
    }
    s.m_tx_ct_avg = ReadDoubleVector(r);
    if (s.m_tx_ct_avg.size() != num_buckets) {
        throw DeserializeError("Corrupt estimates file. Mismatch in tx count bucket count");
    }

    // Each inner vector costs at least one byte, so the outer count is bounded
    // by what is left before anything is allocated.
    const uint64_t periods = r.CompactSize();
    if (periods > r.remaining()) throw DeserializeError("end of data");
    const uint64_t max_confirms = uint64_t(s.m_scale) * periods;
    if (max_confirms == 0 || max_confirms > 6 * 24 * 7) {
        throw DeserializeError(
            "Corrupt estimates file.  Must maintain estimates for between 1 and 1008 (one week) confirms");
    }
    for (uint64_t p = 0; p < periods; ++p) {
        s.m_conf_avg.push_back(ReadDoubleVector(r));
        if (s.m_conf_avg.back().size() != num_buckets) {
            throw DeserializeError("Corrupt estimates file. Mismatch in feerate conf average bucket count");
        }
    }
    const uint64_t fail_periods = r.CompactSize();
    if (fail_periods != periods) {
        throw DeserializeError("Corrupt estimates file. Mismatch in confirms tracked for failures");
    }
    for (uint64_t p = 0; p < periods; ++p) {
        s.m_fail_avg.push_back(ReadDoubleVector(r));
        if (s.m_fail_avg.back().size() != num_buckets) {
            throw DeserializeError("Corrupt estimates file. Mismatch in one of failure average bucket counts");
        }
    }
    // The mempool counters are not persisted: they start empty.
    s.ResizeInMemoryCounters(num_buckets);
    LogDebug(LogCategory::ESTIMATEFEE, "Reading estimates: {} buckets counting confirms up to {} blocks", num_buckets,
             s.GetMaxConfirms());
    return s;
}

} // namespace cairn
