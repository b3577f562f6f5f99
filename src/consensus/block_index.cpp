#include "consensus/block_index.h"

namespace cairn {

// Skip pointers jump to a height with its lowest set bits cleared, which
// keeps GetAncestor logarithmic while every entry stores a single pointer.
static inline int InvertLowestOne(int n) { return n & (n - 1); }

static inline int GetSkipHeight(int height)
{
    if (height < 2) return 0;
    // Odd heights skip further back than the pattern alone gives, which
    // measurably shortens walks; any choice below height is correct.
    return (height & 1) ? InvertLowestOne(InvertLowestOne(height - 1)) + 1 : InvertLowestOne(height);
}

BlockIndex* BlockIndex::GetAncestor(int h)
{
    if (h > height || h < 0) return nullptr;
    BlockIndex* walk = this;
    int walk_height = height;
    while (walk_height > h) {
        int skip_height = GetSkipHeight(walk_height);
        int skip_prev_height = GetSkipHeight(walk_height - 1);
        if (walk->skip != nullptr &&
            (skip_height == h ||
             (skip_height > h && !(skip_prev_height < skip_height - 2 && skip_prev_height >= h)))) {
            walk = walk->skip;
            walk_height = skip_height;
        } else {
            walk = walk->prev;
            walk_height--;
        }
    }
    return walk;
}

void BlockIndex::BuildSkip()
{
    if (prev) skip = prev->GetAncestor(GetSkipHeight(height));
}

arith_uint256 GetBlockProof(const BlockIndex& block)
{
    return GetBlockProof(block.bits);
}

arith_uint256 GetBlockProof(uint32_t bits)
{
    bool negative, overflow;
    arith_uint256 target;
    target.SetCompact(bits, &negative, &overflow);
    if (negative || overflow || target == 0) return 0;
    // 2^256 / (target+1) == ~target / (target+1) + 1, which fits in 256 bits.
    return (~target / (target + 1)) + 1;
}

const BlockIndex* LastCommonAncestor(const BlockIndex* a, const BlockIndex* b)
{
    if (a->height > b->height) a = a->GetAncestor(b->height);
    else if (b->height > a->height) b = b->GetAncestor(a->height);
    while (a != b && a && b) {
        a = a->prev;
        b = b->prev;
    }
    return a;
}

} // namespace cairn
