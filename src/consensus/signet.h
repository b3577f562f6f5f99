// BIP 325: on signet every block carries a solution to the network's
// challenge script, signed over the block minus the solution and nonce.
#ifndef CAIRN_CONSENSUS_SIGNET_H
#define CAIRN_CONSENSUS_SIGNET_H

#include "consensus/params.h"
#include "primitives/block.h"

#include <optional>

namespace cairn {

/** The 4 bytes that start the push holding the solution in the witness commitment output. */
inline constexpr uint8_t SIGNET_HEADER[4] = {0xec, 0xc7, 0xda, 0xa2};

/** The two virtual transactions a signet solution signs. */
struct SignetTxs {
    MutableTransaction to_spend;
    MutableTransaction to_sign;

    /** Builds them from the block; nullopt if the block has no witness
     *  commitment or its solution does not parse. */
    static std::optional<SignetTxs> Create(const Block& block, const Script& challenge);
};

/** The genesis block and blocks whose solution satisfies the challenge. */
bool CheckSignetBlockSolution(const Block& block, const ConsensusParams& params);

} // namespace cairn

#endif
