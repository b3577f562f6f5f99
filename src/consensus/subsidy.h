// The block subsidy: 50 coins, halved every subsidy_halving_interval blocks.
#ifndef CAIRN_CONSENSUS_SUBSIDY_H
#define CAIRN_CONSENSUS_SUBSIDY_H

#include "consensus/params.h"
#include "primitives/amount.h"

namespace cairn {

/** New coins a block at `height` may create (fees come on top). Zero from
 *  the 64th halving on, where the shift would be undefined. */
Amount GetBlockSubsidy(int height, const ConsensusParams& params);

} // namespace cairn

#endif
