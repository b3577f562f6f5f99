#include "consensus/pow.h"

#include <limits>
#include <stdexcept>

namespace cairn {

uint32_t GetNextWorkRequired(const BlockIndex* last, const BlockHeader& next, const ConsensusParams& params)
{
    if (last == nullptr) throw std::invalid_argument("GetNextWorkRequired: no parent");
    const int64_t interval = params.DifficultyAdjustmentInterval();
    const uint32_t limit_bits = UintToArith256(params.pow_limit).GetCompact();

    if ((last->height + 1) % interval != 0) {
        if (!params.pow_allow_min_difficulty_blocks) return last->bits;
        // Testnets: a block found more than two spacings after its parent may
        // be mined at the minimum difficulty...
        if (int64_t(next.time) > last->GetBlockTime() + 2 * params.pow_target_spacing) return limit_bits;
        // ...otherwise it carries the last difficulty that was not such an
        // exception: walk back over min-difficulty blocks, stopping at the
        // period's first block (whose bits came from the retarget).
        const BlockIndex* walk = last;
        while (walk->prev && walk->height % interval != 0 && walk->bits == limit_bits) walk = walk->prev;
        return walk->bits;
    }

    // A retarget: measure the period from its first block.
    const BlockIndex* first = last->GetAncestor(last->height - int(interval - 1));
    if (first == nullptr) throw std::logic_error("GetNextWorkRequired: period start missing");
    return CalculateNextWorkRequired(last, first->GetBlockTime(), params);
}

uint32_t CalculateNextWorkRequired(const BlockIndex* last, int64_t first_block_time, const ConsensusParams& params)
{
    if (params.pow_no_retargeting) return last->bits;

    const int64_t timespan = params.pow_target_timespan;
    int64_t actual = last->GetBlockTime() - first_block_time;
    if (actual < timespan / 4) actual = timespan / 4;
    if (actual > timespan * 4) actual = timespan * 4;

    arith_uint256 target;
    if (params.enforce_BIP94) {
        // BIP 94: scale the difficulty the period started with, so that a
        // min-difficulty block at its end cannot drag the retarget down.
        const BlockIndex* first = last->GetAncestor(last->height - int(params.DifficultyAdjustmentInterval() - 1));
        if (first == nullptr) throw std::logic_error("CalculateNextWorkRequired: period start missing");
        target.SetCompact(first->bits);
    } else {
        target.SetCompact(last->bits);
    }
    // Targets are below 2^224 on every network that retargets, and the
    // factor below 2^23, so the product cannot wrap.
    target *= arith_uint256(uint64_t(actual));
    target /= arith_uint256(uint64_t(timespan));

    const arith_uint256 limit = UintToArith256(params.pow_limit);
    if (target > limit) target = limit;
    return target.GetCompact();
}

std::optional<arith_uint256> DeriveTarget(uint32_t bits, const uint256& pow_limit)
{
    bool negative = false;
    bool overflow = false;
    arith_uint256 target;
    target.SetCompact(bits, &negative, &overflow);
    if (negative || overflow || target == 0 || target > UintToArith256(pow_limit)) return std::nullopt;
    return target;
}

bool CheckProofOfWork(const uint256& hash, uint32_t bits, const ConsensusParams& params)
{
    const auto target = DeriveTarget(bits, params.pow_limit);
    if (!target) return false;
    return UintToArith256(hash) <= *target;
}

bool PermittedDifficultyTransition(const ConsensusParams& params, int64_t height, uint32_t old_bits, uint32_t new_bits)
{
    if (params.pow_allow_min_difficulty_blocks) return true;

    if (height % params.DifficultyAdjustmentInterval() != 0) return old_bits == new_bits;

    const int64_t timespan = params.pow_target_timespan;
    const arith_uint256 limit = UintToArith256(params.pow_limit);
    arith_uint256 observed;
    observed.SetCompact(new_bits);

    // The retarget computes in full precision and then rounds through the
    // compact form, so the bounds are rounded the same way before comparing.
    auto bound = [&](int64_t scaled_timespan) {
        arith_uint256 t;
        t.SetCompact(old_bits);
        t *= arith_uint256(uint64_t(scaled_timespan));
        t /= arith_uint256(uint64_t(timespan));
        if (t > limit) t = limit;
        arith_uint256 rounded;
        rounded.SetCompact(t.GetCompact());
        return rounded;
    };
    if (observed > bound(timespan * 4)) return false; // easier than the largest step allows
    if (observed < bound(timespan / 4)) return false; // harder than the largest step allows
    return true;
}

bool CheckTimewarpRule(const BlockIndex& prev, int64_t block_time, const ConsensusParams& params)
{
    if (!params.enforce_BIP94) return true;
    if ((prev.height + 1) % params.DifficultyAdjustmentInterval() != 0) return true;
    return block_time >= prev.GetBlockTime() - MAX_TIMEWARP;
}

int64_t GetBlockProofEquivalentTime(const BlockIndex& to, const BlockIndex& from, const BlockIndex& tip,
                                    const ConsensusParams& params)
{
    constexpr int64_t max = std::numeric_limits<int64_t>::max();
    arith_uint256 diff;
    int64_t sign = 1;
    if (to.chain_work > from.chain_work) {
        diff = to.chain_work - from.chain_work;
    } else {
        diff = from.chain_work - to.chain_work;
        sign = -1;
    }
    const arith_uint256 tip_proof = GetBlockProof(tip);
    if (tip_proof == 0) return diff == 0 ? 0 : sign * max;
    diff = diff * arith_uint256(uint64_t(params.pow_target_spacing)) / tip_proof;
    if (diff.bits() > 63) return sign * max;
    return sign * int64_t(diff.GetLow64());
}

} // namespace cairn
