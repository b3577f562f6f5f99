#include "validation/verification_progress.h"

#include <algorithm>

namespace cairn {

ChainTxData GetChainTxData(const ChainParams& params)
{
    // From getchaintxstats 4096 at each network's default -assumevalid
    // block (the figures Bitcoin Core ships with those blocks).
    switch (params.chain_type) {
    case ChainType::MAIN: return {1756722903, 1235299397, 5.456290459519495};
    case ChainType::TESTNET: return {1751816758, 508468699, 7.172978845985714};
    case ChainType::TESTNET4: return {1752470331, 11414302, 0.2842619757327476};
    case ChainType::SIGNET:
        // Only the default signet has known figures; a custom one (its own
        // challenge) has no assumed-valid block either.
        if (params.consensus.default_assume_valid.IsNull()) return {};
        return {1756723017, 26185472, 0.7452721495389969};
    case ChainType::REGTEST: return {};
    }
    return {};
}

double GuessVerificationProgress(const ChainTxData& data, const BlockIndex* tip, int64_t now)
{
    if (!tip || tip->chain_tx_count == 0) return 0.0;
    // Below the reference point, extrapolate from it; past it, from the tip.
    const double total = tip->chain_tx_count <= data.tx_count
                             ? double(data.tx_count) + double(now - data.time) * data.tx_rate
                             : double(tip->chain_tx_count) + double(now - tip->GetBlockTime()) * data.tx_rate;
    return std::min(double(tip->chain_tx_count) / total, 1.0);
}

} // namespace cairn
