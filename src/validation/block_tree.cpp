#include "validation/block_tree.h"

#include <algorithm>
#include <stdexcept>

namespace cairn {

static void FillFromParent(BlockIndex& b)
{
    if (b.prev) {
        b.height = b.prev->height + 1;
        b.chain_work = b.prev->chain_work + GetBlockProof(b);
        b.time_max = std::max(b.prev->time_max, b.time);
        if (b.prev->status & BLOCK_FAILED_MASK) b.status |= BLOCK_FAILED_CHILD;
    } else {
        b.height = 0;
        b.chain_work = GetBlockProof(b);
        b.time_max = b.time;
    }
    b.BuildSkip();
}

BlockIndex* BlockTree::AddHeader(const BlockHeader& header)
{
    const uint256 hash = header.GetHash();
    auto [it, inserted] = m_index.try_emplace(hash);
    if (!inserted) return it->second.get();
    BlockIndex* prev = nullptr;
    if (!header.prev_block.IsNull()) {
        prev = Lookup(header.prev_block);
        if (!prev) {
            m_index.erase(it);
            throw std::logic_error("BlockTree::AddHeader: parent not in the tree");
        }
    }
    it->second = std::make_unique<BlockIndex>();
    BlockIndex& b = *it->second;
    b.hash = &it->first;
    b.prev = prev;
    b.version = header.version;
    b.merkle_root = header.merkle_root;
    b.time = header.time;
    b.bits = header.bits;
    b.nonce = header.nonce;
    FillFromParent(b);
    UpdateBestHeader(&b);
    SetDirty(&b);
    return &b;
}

BlockIndex* BlockTree::GetOrCreate(const uint256& hash)
{
    auto [it, inserted] = m_index.try_emplace(hash);
    if (inserted) {
        it->second = std::make_unique<BlockIndex>();
        it->second->hash = &it->first;
    }
    return it->second.get();
}

void BlockTree::Link()
{
    // Heights come from disk; parents are linked before children when sorted by height.
    for (BlockIndex* b : SortedByHeight()) FillFromParent(*b);
    RecomputeBestHeader();
}

void BlockTree::UpdateBestHeader(BlockIndex* b)
{
    if (b->status & BLOCK_FAILED_MASK) return;
    if (!m_best_header || b->chain_work > m_best_header->chain_work) m_best_header = b;
}

void BlockTree::RecomputeBestHeader()
{
    m_best_header = nullptr;
    for (auto& [hash, b] : m_index) UpdateBestHeader(b.get());
}

std::vector<BlockIndex*> BlockTree::TakeDirty()
{
    std::vector<BlockIndex*> out(m_dirty.begin(), m_dirty.end());
    m_dirty.clear();
    return out;
}

std::vector<BlockIndex*> BlockTree::SortedByHeight() const
{
    std::vector<BlockIndex*> out;
    out.reserve(m_index.size());
    for (auto& [hash, b] : m_index) out.push_back(b.get());
    std::sort(out.begin(), out.end(), [](const BlockIndex* a, const BlockIndex* b) {
        return a->height != b->height ? a->height < b->height : a < b;
    });
    return out;
}

} // namespace cairn
