#include "net/fee_filter.h"

#include "crypto/random.h"

namespace cairn {

FeeFilterRounder::FeeFilterRounder(FeeRate min_incremental_fee, std::function<uint64_t()> rand)
    : m_rand(rand ? std::move(rand) : std::function<uint64_t()>(GetRandUint64))
{
    m_fee_set.insert(0);
    const double first = double(min_incremental_fee.GetFeePerK() / 2);
    // A zero start would never grow: then only 0 is a bucket below the top.
    if (first > 0) {
        for (double boundary = first; boundary <= MAX_FILTER_FEERATE; boundary *= FEE_FILTER_SPACING) {
            m_fee_set.insert(boundary);
        }
    }
}

Amount FeeFilterRounder::Round(Amount current_min_fee)
{
    auto it = m_fee_set.lower_bound(double(current_min_fee));
    // lower_bound is the first boundary >= the fee: step down to the one
    // below unless we are at the bottom, except one time in three.
    if (it == m_fee_set.end() || (it != m_fee_set.begin() && m_rand() % 3 != 0)) --it;
    return Amount(*it);
}

} // namespace cairn
