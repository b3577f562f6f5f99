// Deployment status: buried soft forks (fixed heights) and the BIP 9
// version-bits state machine, with min_activation_height (the "speedy trial"
// revision used for taproot), the statistics getdeploymentinfo reports, and
// the warnings about bits no known deployment uses.
//
// Every state is a pure function of the chain of BlockIndex entries ending
// at the block given; VersionBitsCache only memoises it per period.
#ifndef CAIRN_CONSENSUS_VERSIONBITS_H
#define CAIRN_CONSENSUS_VERSIONBITS_H

#include "consensus/block_index.h"
#include "consensus/params.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cairn {

/** Versions of blocks made before BIP 9: up to 4 (BIP 65 made it 4). */
inline constexpr int32_t VERSIONBITS_LAST_OLD_BLOCK_VERSION = 4;
/** The top three bits of a BIP 9 version are 001. */
inline constexpr int32_t VERSIONBITS_TOP_BITS = 0x20000000;
inline constexpr uint32_t VERSIONBITS_TOP_MASK = 0xE0000000;
/** Bits 0..28 can signal. */
inline constexpr int VERSIONBITS_NUM_BITS = 29;

/** A deployment's state for a block; all blocks of a period share it. */
enum class ThresholdState {
    DEFINED,   //!< the genesis block's, and until the start time
    STARTED,   //!< counting signals
    LOCKED_IN, //!< threshold reached; active from the next period at min_activation_height
    ACTIVE,    //!< the new rules are enforced (terminal)
    FAILED,    //!< timed out, or NEVER_ACTIVE (terminal)
};

/** "defined", "started", "locked_in", "active", "failed" (as the RPCs print). */
std::string_view ThresholdStateName(ThresholdState state);

/** Signalling in the period that contains a block, up to and including it. */
struct BIP9Stats {
    int period{0};    //!< blocks in a period
    int threshold{0}; //!< signals needed to lock in
    int elapsed{0};   //!< blocks of the period so far
    int count{0};     //!< of which signalled
    bool possible{false}; //!< whether the threshold can still be reached this period
};

/** What getdeploymentinfo shows of a BIP 9 deployment at a block. */
struct BIP9Info {
    /** Height of the first block of the period in which current_state began. */
    int since{0};
    /** The state of the block itself, and of its child. */
    ThresholdState current_state{ThresholdState::DEFINED};
    ThresholdState next_state{ThresholdState::DEFINED};
    /** Present while current_state is STARTED or LOCKED_IN (Core's RPC then
     *  leaves out threshold and possible when LOCKED_IN). */
    std::optional<BIP9Stats> stats;
    /** With stats: one character per block of the period so far, oldest
     *  first, '#' for a block that signalled and '-' for one that did not. */
    std::string signalling_blocks;
    /** First height at which the rules are enforced, when ACTIVE already or
     *  from the next block on. */
    std::optional<int> active_since;
};

/** Whether a block's version signals for `bit` (top bits 001 and the bit set). */
inline bool VersionSignals(int32_t version, int bit)
{
    return (uint32_t(version) & VERSIONBITS_TOP_MASK) == uint32_t(VERSIONBITS_TOP_BITS) &&
           ((uint32_t(version) >> bit) & 1) != 0;
}

/** The nVersion bit of a deployment. */
inline uint32_t VersionBitsMask(const ConsensusParams& params, DeploymentPos pos)
{
    return uint32_t(1) << params.deployments[pos].bit;
}

/** Signalling statistics of the period containing `index` (which may be null:
 *  then only period and threshold are set). When `signalling_blocks` is given
 *  it receives one flag per block of the period so far, oldest first. */
BIP9Stats VersionBitsStatistics(const BlockIndex* index, const ConsensusParams& params, DeploymentPos pos,
                                std::vector<bool>* signalling_blocks = nullptr);

/**
 * Memoised BIP 9 states for one block tree and one ConsensusParams.
 *
 * The state of a period is stored under the last block of the period before
 * it (null for the first period), so each is computed once. Entries point at
 * BlockIndex objects, which must outlive the cache (the block tree never
 * frees entries while the node runs); Clear() it when the tree is rebuilt.
 *
 * Not thread-safe: the caller holds the validation lock (the lock that
 * guards the block tree) across every call, as all callers already do to
 * read the BlockIndex entries themselves.
 */
class VersionBitsCache
{
public:
    /** State of `pos` for the block whose parent is `prev` (null for genesis). */
    ThresholdState State(const BlockIndex* prev, const ConsensusParams& params, DeploymentPos pos);
    /** Height of the first block of the period in which that state began
     *  (0 for DEFINED, ALWAYS_ACTIVE and NEVER_ACTIVE). */
    int StateSinceHeight(const BlockIndex* prev, const ConsensusParams& params, DeploymentPos pos);
    /** getdeploymentinfo's view of `pos` at `block`. */
    BIP9Info Info(const BlockIndex& block, const ConsensusParams& params, DeploymentPos pos);

    /** The nVersion a miner should use for the block after `prev`: the top
     *  bits plus the bit of every deployment STARTED or LOCKED_IN. */
    int32_t ComputeBlockVersion(const BlockIndex* prev, const ConsensusParams& params);

    /** Bits (0..28) that no known deployment explains and that reached the
     *  network's threshold in a period ending at or before `prev`: the pair's
     *  second member is true when that unknown rule is ACTIVE, false when it
     *  is LOCKED_IN. Blocks below min_bip9_warning_height are not counted.
     *  Node code turns these into "Unknown new rules activated" warnings. */
    std::vector<std::pair<int, bool>> CheckUnknownActivations(const BlockIndex* prev, const ConsensusParams& params);

    /** Forgets everything (the block tree was reloaded or the params changed). */
    void Clear();

private:
    using Cache = std::unordered_map<const BlockIndex*, ThresholdState>;
    std::array<Cache, MAX_VERSION_BITS_DEPLOYMENTS> m_caches;
    std::array<Cache, VERSIONBITS_NUM_BITS> m_warning_caches;
};

// ---- deployment status, as validation asks it ----

/** Whether a buried deployment is enforced in the block after `prev`. */
inline bool DeploymentActiveAfter(const BlockIndex* prev, const ConsensusParams& params, BuriedDeployment dep)
{
    return (prev == nullptr ? 0 : prev->height + 1) >= params.DeploymentHeight(dep);
}
/** Whether a buried deployment is enforced in `block`. */
inline bool DeploymentActiveAt(const BlockIndex& block, const ConsensusParams& params, BuriedDeployment dep)
{
    return block.height >= params.DeploymentHeight(dep);
}
/** Whether a buried deployment can activate at all on this network. */
inline bool DeploymentEnabled(const ConsensusParams& params, BuriedDeployment dep)
{
    return params.DeploymentHeight(dep) != std::numeric_limits<int>::max();
}

/** Whether a version-bits deployment is ACTIVE in the block after `prev`. */
inline bool DeploymentActiveAfter(const BlockIndex* prev, const ConsensusParams& params, DeploymentPos pos,
                                  VersionBitsCache& cache)
{
    return cache.State(prev, params, pos) == ThresholdState::ACTIVE;
}
/** Whether a version-bits deployment is ACTIVE in `block`. */
inline bool DeploymentActiveAt(const BlockIndex& block, const ConsensusParams& params, DeploymentPos pos,
                               VersionBitsCache& cache)
{
    return DeploymentActiveAfter(block.prev, params, pos, cache);
}
/** Whether a version-bits deployment can activate at all on this network. */
inline bool DeploymentEnabled(const ConsensusParams& params, DeploymentPos pos)
{
    return params.deployments[pos].start_time != BIP9Deployment::NEVER_ACTIVE;
}

} // namespace cairn

#endif
