#include "validation/chain.h"

#include <algorithm>

namespace cairn {

void Chain::SetTip(BlockIndex* tip)
{
    if (!tip) {
        m_chain.clear();
        return;
    }
    m_chain.resize(tip->height + 1);
    for (BlockIndex* b = tip; b && m_chain[b->height] != b; b = b->prev) m_chain[b->height] = b;
}

const BlockIndex* Chain::FindFork(const BlockIndex* b) const
{
    if (!b) return nullptr;
    if (b->height > Height()) b = b->GetAncestor(Height());
    while (b && !Contains(b)) b = b->prev;
    return b;
}

BlockIndex* Chain::FindEarliestAtLeast(int64_t time, int height) const
{
    auto it = std::lower_bound(m_chain.begin(), m_chain.end(), std::make_pair(time, height),
                               [](const BlockIndex* b, const std::pair<int64_t, int>& key) {
                                   return int64_t(b->time_max) < key.first || b->height < key.second;
                               });
    return it == m_chain.end() ? nullptr : *it;
}

std::vector<uint256> LocatorEntries(const BlockIndex* b)
{
    std::vector<uint256> hashes;
    hashes.reserve(32);
    int step = 1;
    while (b) {
        hashes.push_back(b->GetBlockHash());
        if (b->height == 0) break;
        int next = std::max(b->height - step, 0);
        b = b->GetAncestor(next);
        if (hashes.size() > 10) step *= 2;
    }
    return hashes;
}

} // namespace cairn
