// How far the active chain is from the network's current tip, estimated
// from transaction counts: getblockchaininfo's "verificationprogress", as
// Bitcoin Core computes it.
#ifndef CAIRN_VALIDATION_VERIFICATION_PROGRESS_H
#define CAIRN_VALIDATION_VERIFICATION_PROGRESS_H

#include "consensus/block_index.h"
#include "consensus/chain_params.h"

#include <cstdint>

namespace cairn {

/** A network's transaction count at a recent block and the rate since, for
 *  extrapolating its current total (Core's ChainTxData). */
struct ChainTxData {
    int64_t time{0};      //!< UNIX time of the reference block
    uint64_t tx_count{0}; //!< transactions up to and including that block
    double tx_rate{0.0};  //!< transactions per second after it
};

/** The reference point Bitcoin Core ships with the default -assumevalid
 *  blocks Cairn uses; zeros for regtest and custom signets (progress is
 *  then 1.0 as soon as the tip's transaction count is known). */
ChainTxData GetChainTxData(const ChainParams& params);

/** Transactions up to `tip` over the estimated total at UNIX time `now`, at
 *  most 1.0; 0.0 for no tip or a tip whose transaction count is unknown. */
double GuessVerificationProgress(const ChainTxData& data, const BlockIndex* tip, int64_t now);

} // namespace cairn

#endif
