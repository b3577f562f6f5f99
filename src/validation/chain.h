// The active chain: the block-tree entries from genesis to the tip, indexed by height.
#ifndef CAIRN_VALIDATION_CHAIN_H
#define CAIRN_VALIDATION_CHAIN_H

#include "consensus/block_index.h"

#include <vector>

namespace cairn {

class Chain
{
public:
    BlockIndex* Genesis() const { return m_chain.empty() ? nullptr : m_chain.front(); }
    BlockIndex* Tip() const { return m_chain.empty() ? nullptr : m_chain.back(); }
    /** -1 for an empty chain. */
    int Height() const { return int(m_chain.size()) - 1; }
    BlockIndex* operator[](int height) const
    {
        return height < 0 || height >= int(m_chain.size()) ? nullptr : m_chain[height];
    }
    bool Contains(const BlockIndex* b) const { return b && (*this)[b->height] == b; }
    /** The successor of b in this chain, or null if b is the tip or not in it. */
    BlockIndex* Next(const BlockIndex* b) const { return Contains(b) ? (*this)[b->height + 1] : nullptr; }

    /** Makes `tip` the tip, rewriting only the entries that change. */
    void SetTip(BlockIndex* tip);
    /** The last entry of this chain that is an ancestor of b (or b itself). */
    const BlockIndex* FindFork(const BlockIndex* b) const;
    /** The first entry with time_max >= time and height >= height, or null. */
    BlockIndex* FindEarliestAtLeast(int64_t time, int height) const;

private:
    std::vector<BlockIndex*> m_chain;
};

/** Hashes describing a chain to a peer: the last 10 blocks, then
 *  exponentially sparser, ending with the genesis block. */
std::vector<uint256> LocatorEntries(const BlockIndex* tip);

} // namespace cairn

#endif
