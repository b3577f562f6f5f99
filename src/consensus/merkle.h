// Merkle roots of transaction ids, with the CVE-2012-2459 mutation check.
#ifndef CAIRN_CONSENSUS_MERKLE_H
#define CAIRN_CONSENSUS_MERKLE_H

#include "primitives/block.h"

#include <vector>

namespace cairn {

/** Root of the tree over `leaves` (consumed). When `mutated` is given it is
 *  set if two identical sibling hashes occur anywhere, which is how a block
 *  with duplicated transactions can share the root of a valid one. */
uint256 ComputeMerkleRoot(std::vector<uint256> leaves, bool* mutated = nullptr);

/** Merkle root of the block's txids. */
uint256 BlockMerkleRoot(const Block& block, bool* mutated = nullptr);

/** Merkle root of the block's wtxids, with the coinbase's taken as zero (BIP 141). */
uint256 BlockWitnessMerkleRoot(const Block& block, bool* mutated = nullptr);

} // namespace cairn

#endif
