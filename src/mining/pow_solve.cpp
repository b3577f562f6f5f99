#include "mining/pow_solve.h"

#include "consensus/pow.h"

#include <limits>

namespace cairn {

SolveResult SolveProofOfWork(BlockHeader& header, const ConsensusParams& params, uint64_t& max_tries,
                             const std::function<bool()>& interrupt)
{
    constexpr uint32_t LAST_NONCE = std::numeric_limits<uint32_t>::max();
    // Bitcoin Core's loop: the last nonce is never tried, and reaching it
    // means "start over with another template", not failure.
    while (max_tries > 0 && header.nonce < LAST_NONCE && !CheckProofOfWork(header.GetHash(), header.bits, params)) {
        if (interrupt && interrupt()) return SolveResult::OUT_OF_TRIES;
        ++header.nonce;
        --max_tries;
    }
    if (max_tries == 0) return SolveResult::OUT_OF_TRIES;
    if (header.nonce == LAST_NONCE) return SolveResult::NONCE_SPACE;
    return SolveResult::SOLVED;
}

} // namespace cairn
