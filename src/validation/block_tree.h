// The tree of every block header the node knows, valid or not.
//
// Owns the BlockIndex entries; pointers to them stay valid for the life of
// the tree. Not thread-safe: the chainstate manager guards it with its lock.
#ifndef CAIRN_VALIDATION_BLOCK_TREE_H
#define CAIRN_VALIDATION_BLOCK_TREE_H

#include "consensus/block_index.h"

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cairn {

/** Block hashes are already uniformly distributed by proof of work. */
struct BlockHashHasher {
    size_t operator()(const uint256& h) const noexcept { return h.GetUint64(0); }
};

class BlockTree
{
public:
    BlockIndex* Lookup(const uint256& hash) const
    {
        auto it = m_index.find(hash);
        return it == m_index.end() ? nullptr : it->second.get();
    }

    /** Adds a header whose parent is in the tree (or which has none: the
     *  genesis block), computing height, chain work, skip pointer and time_max.
     *  Returns the existing entry if the header is known. */
    BlockIndex* AddHeader(const BlockHeader& header);

    /** For loading from disk: the entry for `hash`, created empty if new.
     *  Call Link() once every entry is loaded. */
    BlockIndex* GetOrCreate(const uint256& hash);
    /** After loading: fills heights-derived fields (chain work, skip,
     *  time_max, failure inheritance) in height order and the best header. */
    void Link();

    /** The most-work header not known to be invalid. */
    BlockIndex* BestHeader() const { return m_best_header; }
    /** Considers b for best header (after a change of its validity). */
    void UpdateBestHeader(BlockIndex* b);
    /** Recomputes the best header from scratch (after an invalidation). */
    void RecomputeBestHeader();

    /** Entries changed since the last TakeDirty (for persisting). */
    void SetDirty(BlockIndex* b) { m_dirty.insert(b); }
    std::vector<BlockIndex*> TakeDirty();
    bool HasDirty() const { return !m_dirty.empty(); }

    /** All entries sorted by height (then pointer): for loading and reports. */
    std::vector<BlockIndex*> SortedByHeight() const;
    size_t size() const { return m_index.size(); }
    /** Calls fn(BlockIndex*) for every entry, in no particular order. */
    template <typename F> void ForEach(F&& fn) const
    {
        for (const auto& [hash, entry] : m_index) fn(entry.get());
    }

    int32_t NextSequenceId() { return m_next_sequence_id++; }

private:
    std::unordered_map<uint256, std::unique_ptr<BlockIndex>, BlockHashHasher> m_index;
    std::unordered_set<BlockIndex*> m_dirty;
    BlockIndex* m_best_header{nullptr};
    int32_t m_next_sequence_id{1};
};

/** Orders by most work, then earliest received, then address: the order in
 *  which candidate tips are tried. */
struct BlockIndexWorkComparator {
    bool operator()(const BlockIndex* a, const BlockIndex* b) const
    {
        if (a->chain_work != b->chain_work) return a->chain_work < b->chain_work;
        if (a->sequence_id != b->sequence_id) return a->sequence_id > b->sequence_id;
        return a < b;
    }
};

} // namespace cairn

#endif
