#include "consensus/subsidy.h"

namespace cairn {

Amount GetBlockSubsidy(int height, const ConsensusParams& params)
{
    if (height < 0 || params.subsidy_halving_interval <= 0) return 0;
    const int halvings = height / params.subsidy_halving_interval;
    if (halvings >= 64) return 0;
    return (50 * COIN) >> halvings;
}

} // namespace cairn
