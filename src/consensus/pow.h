// Proof of work: the target each block must meet (retargeting), the check of
// a hash against its claimed target, and the limits a headers-only peer can
// be held to without the chain's timestamps.
#ifndef CAIRN_CONSENSUS_POW_H
#define CAIRN_CONSENSUS_POW_H

#include "consensus/block_index.h"
#include "consensus/params.h"
#include "primitives/block.h"
#include "util/arith_uint256.h"

#include <cstdint>
#include <optional>

namespace cairn {

/** BIP 94: the first block of a difficulty period may not be timestamped
 *  more than this many seconds before its parent (the timewarp rule). */
inline constexpr int64_t MAX_TIMEWARP = 600;

/** The nBits the block after `last` must carry. `last` is not null (the
 *  genesis block has no rule). `next` supplies the new block's time, which
 *  matters on the testnets' 20-minute rule. */
uint32_t GetNextWorkRequired(const BlockIndex* last, const BlockHeader& next, const ConsensusParams& params);

/** The retarget at the end of a period: the target of the period (its first
 *  block's under BIP 94, else its last block's) scaled by the time the period
 *  took, clamped to a factor of four either way and to the pow limit. The
 *  time measured runs from the period's first block to its last, 2015
 *  intervals rather than 2016 (the original client's off-by-one, kept). */
uint32_t CalculateNextWorkRequired(const BlockIndex* last, int64_t first_block_time, const ConsensusParams& params);

/** The target nBits encodes, if it is a valid one: not negative, not zero,
 *  not overflowing and not above `pow_limit`. */
std::optional<arith_uint256> DeriveTarget(uint32_t bits, const uint256& pow_limit);

/** Whether `hash` meets the target `bits` encodes (which must be valid). */
bool CheckProofOfWork(const uint256& hash, uint32_t bits, const ConsensusParams& params);

/** Whether a header at `height` may go from `old_bits` to `new_bits` at all:
 *  equal bits within a period, and at a period boundary no more than the
 *  clamped retarget allows (after compact rounding). Always true where
 *  min-difficulty blocks are allowed. Used to bound a peer's headers before
 *  their ancestry is known (headers presync). */
bool PermittedDifficultyTransition(const ConsensusParams& params, int64_t height, uint32_t old_bits, uint32_t new_bits);

/** BIP 94's timewarp rule for a block whose parent is `prev`: false when it
 *  is enforced, the block starts a period and its time is more than
 *  MAX_TIMEWARP before its parent's ("time-timewarp-attack"). */
bool CheckTimewarpRule(const BlockIndex& prev, int64_t block_time, const ConsensusParams& params);

/** How many seconds of blocks at `tip`'s difficulty the work between `from`
 *  and `to` represents (negative when `from` has more); saturates at
 *  +/- INT64_MAX. Used to judge how far a block is buried (assumevalid). */
int64_t GetBlockProofEquivalentTime(const BlockIndex& to, const BlockIndex& from, const BlockIndex& tip,
                                    const ConsensusParams& params);

} // namespace cairn

#endif
