// Block and header rules, named by the context each needs (as libbitcoin
// does): `Check*` need nothing but the block; `ContextualCheck*` need its
// parent in the block tree. Spending rules (coins, scripts) are applied
// when the block is connected, in validation/.
#ifndef CAIRN_CONSENSUS_BLOCK_CHECK_H
#define CAIRN_CONSENSUS_BLOCK_CHECK_H

#include "consensus/block_index.h"
#include "consensus/params.h"
#include "consensus/validation_state.h"
#include "primitives/block.h"

namespace cairn {

/** Blocks may be at most this far ahead of the node's clock. */
inline constexpr int64_t MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;

/** BIP 141 block weight. */
int64_t GetBlockWeight(const Block& block);

/** Index of the coinbase output holding the witness commitment (the last
 *  one matching OP_RETURN 0x24 0xaa21a9ed...), or -1. */
int GetWitnessCommitmentIndex(const Block& block);

/** Proof of work matches the claimed target. */
bool CheckBlockHeader(const BlockHeader& header, BlockValidationState& state, const ConsensusParams& params,
                      bool check_pow = true);

/** Everything that can be checked on the block alone: header, signet
 *  solution, merkle root and mutation, size, coinbase position, each
 *  transaction's CheckTransaction, legacy sigop count. */
bool CheckBlock(const Block& block, BlockValidationState& state, const ConsensusParams& params,
                bool check_pow = true, bool check_merkle = true);

/** Header rules that need the parent: difficulty, median time past,
 *  BIP 94 timewarp, the future limit against `now`, obsolete versions. */
bool ContextualCheckBlockHeader(const BlockHeader& header, BlockValidationState& state, const BlockIndex& prev,
                                const ConsensusParams& params, int64_t now);

/** Block rules that need the parent: finality of every transaction, BIP 34
 *  height in the coinbase, the witness commitment, weight. */
bool ContextualCheckBlock(const Block& block, BlockValidationState& state, const BlockIndex* prev,
                          const ConsensusParams& params);

/** The witness commitment, or (when none is expected) the absence of any
 *  witness data. Failures are MUTATED: another copy of the block may be fine. */
bool CheckWitnessMalleation(const Block& block, bool expect_witness_commitment, BlockValidationState& state);

} // namespace cairn

#endif
