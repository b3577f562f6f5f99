// A fee rate in satoshis per 1000 virtual bytes (Bitcoin Core's CFeeRate):
// the unit of every relay and mining threshold.
#ifndef CAIRN_POLICY_FEERATE_H
#define CAIRN_POLICY_FEERATE_H

#include "primitives/amount.h"

#include <compare>
#include <cstdint>
#include <string>

namespace cairn {

/** How ToString prints a rate: "0.00001000 BTC/kvB" or "1.000 sat/vB". */
enum class FeeRateFormat { BTC_KVB, SAT_VB };

class FeeRate
{
public:
    constexpr FeeRate() = default;
    /** `per_kvb` satoshis per 1000 virtual bytes. */
    constexpr explicit FeeRate(Amount per_kvb) : m_per_k(per_kvb) {}
    /** The rate of paying `fee` for `vsize` virtual bytes, rounded down
     *  (0 for vsize 0). */
    FeeRate(Amount fee, int64_t vsize);

    /** The fee for `vsize` virtual bytes, rounded up; at least 1 satoshi
     *  (or -1 for a negative rate) when vsize > 0 and the rate is not zero. */
    Amount GetFee(int64_t vsize) const;
    Amount GetFeePerK() const { return m_per_k; }

    std::string ToString(FeeRateFormat format = FeeRateFormat::BTC_KVB) const;

    friend constexpr auto operator<=>(const FeeRate&, const FeeRate&) = default;
    FeeRate& operator+=(const FeeRate& other)
    {
        m_per_k += other.m_per_k;
        return *this;
    }

private:
    Amount m_per_k{0};
};

} // namespace cairn

#endif
