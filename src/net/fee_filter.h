// What we tell peers in BIP 133 feefilter messages: our mempool's minimum
// fee rate, rounded down to one of a fixed set of buckets and now and then to
// the bucket above (Bitcoin Core's FeeFilterRounder), so the exact minimum
// fee, which changes with every eviction, does not fingerprint the node.
#ifndef CAIRN_NET_FEE_FILTER_H
#define CAIRN_NET_FEE_FILTER_H

#include "policy/feerate.h"
#include "primitives/amount.h"

#include <cstdint>
#include <functional>
#include <set>

namespace cairn {

/** Highest bucket boundary (sat/kvB) below which buckets are spaced. */
inline constexpr double MAX_FILTER_FEERATE = 1e7;
/** Ratio between neighbouring buckets. */
inline constexpr double FEE_FILTER_SPACING = 1.1;

class FeeFilterRounder
{
public:
    /** Buckets start at half of `min_incremental_fee` (plus 0); `rand` gives
     *  the randomness (tests pass a fixed sequence). */
    explicit FeeFilterRounder(FeeRate min_incremental_fee, std::function<uint64_t()> rand = {});

    /** The bucket boundary at or below `current_min_fee`, or with
     *  probability 1/3 the one at or above it (never above the largest). */
    Amount Round(Amount current_min_fee);

    const std::set<double>& Buckets() const { return m_fee_set; }

private:
    std::set<double> m_fee_set;
    std::function<uint64_t()> m_rand;
};

} // namespace cairn

#endif
