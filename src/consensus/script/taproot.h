// BIP 341 constants and the hashes that tie a taproot output to its script
// tree: leaf hashes, sorted branch hashes, the merkle root a control block
// proves (the key tweak itself is XOnlyPubKey's, in crypto/). Shared by the
// interpreter and by whatever builds taproot outputs (wallet, tests).
#ifndef CAIRN_CONSENSUS_SCRIPT_TAPROOT_H
#define CAIRN_CONSENSUS_SCRIPT_TAPROOT_H

#include "util/span.h"
#include "util/uint256.h"

#include <cstddef>
#include <cstdint>

namespace cairn {

inline constexpr size_t WITNESS_V0_KEYHASH_SIZE = 20;
inline constexpr size_t WITNESS_V0_SCRIPTHASH_SIZE = 32;
inline constexpr size_t WITNESS_V1_TAPROOT_SIZE = 32;

/** The control block's first byte: leaf version in the high 7 bits, output key parity in the low bit. */
inline constexpr uint8_t TAPROOT_LEAF_MASK = 0xfe;
inline constexpr uint8_t TAPROOT_LEAF_TAPSCRIPT = 0xc0;
inline constexpr size_t TAPROOT_CONTROL_BASE_SIZE = 33;
inline constexpr size_t TAPROOT_CONTROL_NODE_SIZE = 32;
inline constexpr size_t TAPROOT_CONTROL_MAX_NODE_COUNT = 128;
inline constexpr size_t TAPROOT_CONTROL_MAX_SIZE =
    TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * TAPROOT_CONTROL_MAX_NODE_COUNT;

/** First byte of an annex: the last witness element, when there are at least two. */
inline constexpr uint8_t ANNEX_TAG = 0x50;

/** BIP 342: each executed non-empty signature costs this much of the budget,
 *  which starts at the witness size plus VALIDATION_WEIGHT_OFFSET. */
inline constexpr int64_t VALIDATION_WEIGHT_PER_SIGOP_PASSED = 50;
inline constexpr int64_t VALIDATION_WEIGHT_OFFSET = 50;

/** TaggedHash("TapLeaf", leaf_version || compact_size(len) || script). */
uint256 ComputeTapleafHash(uint8_t leaf_version, ByteSpan script);

/** TaggedHash("TapBranch", min(a, b) || max(a, b)), bytes compared lexicographically. */
uint256 ComputeTapbranchHash(ByteSpan a, ByteSpan b);

/** The merkle root proven by a control block for the leaf: the path's 32-byte
 *  nodes, from the leaf upwards, follow the 33-byte base. The caller has
 *  checked the control block's size. */
uint256 ComputeTaprootMerkleRoot(ByteSpan control, const uint256& tapleaf_hash);

/** BIP 342: opcodes that make a tapscript succeed unconditionally (reserved for upgrades). */
constexpr bool IsOpSuccess(uint8_t op)
{
    return op == 80 || op == 98 || (op >= 126 && op <= 129) || (op >= 131 && op <= 134) ||
           (op >= 137 && op <= 138) || (op >= 141 && op <= 142) || (op >= 149 && op <= 153) ||
           (op >= 187 && op <= 254);
}

} // namespace cairn

#endif
