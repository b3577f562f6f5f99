#include "policy/feerate.h"

#include <cmath>
#include <cstdio>

namespace cairn {

FeeRate::FeeRate(Amount fee, int64_t vsize)
{
    m_per_k = vsize > 0 ? fee * 1000 / vsize : 0;
}

Amount FeeRate::GetFee(int64_t vsize) const
{
    // Rounded up so that a transaction paying GetFee(vsize) meets the rate.
    Amount fee = static_cast<Amount>(std::ceil(static_cast<double>(m_per_k) * static_cast<double>(vsize) / 1000.0));
    if (fee == 0 && vsize != 0) {
        if (m_per_k > 0) fee = 1;
        if (m_per_k < 0) fee = -1;
    }
    return fee;
}

std::string FeeRate::ToString(FeeRateFormat format) const
{
    char buf[64];
    const Amount abs = m_per_k < 0 ? -m_per_k : m_per_k;
    const char* sign = m_per_k < 0 ? "-" : "";
    if (format == FeeRateFormat::SAT_VB) {
        std::snprintf(buf, sizeof(buf), "%s%lld.%03lld sat/vB", sign, static_cast<long long>(abs / 1000),
                      static_cast<long long>(abs % 1000));
    } else {
        std::snprintf(buf, sizeof(buf), "%s%lld.%08lld BTC/kvB", sign, static_cast<long long>(abs / COIN),
                      static_cast<long long>(abs % COIN));
    }
    return buf;
}

} // namespace cairn
