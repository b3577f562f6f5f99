// Finding a nonce: trying nonces until the header meets its own target. Only
// practical where the target is trivial (regtest), which is the point: the
// generate* RPCs exist for tests.
#ifndef CAIRN_MINING_POW_SOLVE_H
#define CAIRN_MINING_POW_SOLVE_H

#include "consensus/params.h"
#include "primitives/block.h"

#include <cstdint>
#include <functional>

namespace cairn {

enum class SolveResult {
    SOLVED,       //!< the header meets its target
    OUT_OF_TRIES, //!< max_tries ran out (or `interrupt` said stop) first
    NONCE_SPACE,  //!< every nonce from the start failed: change time or coinbase and retry
};

/**
 * Increments header.nonce from its current value until CheckProofOfWork
 * passes. Each failed nonce costs one of `max_tries` (decremented, so one
 * budget can span several blocks, as generatetoaddress's maxtries does).
 * `interrupt`, if given, is polled between tries.
 */
SolveResult SolveProofOfWork(BlockHeader& header, const ConsensusParams& params, uint64_t& max_tries,
                             const std::function<bool()>& interrupt = {});

} // namespace cairn

#endif
