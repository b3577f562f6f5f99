#include "mempool/rbf.h"

#include "mempool/tx_mempool.h"

#include <algorithm>
#include <fmt/format.h>

namespace cairn {

std::optional<std::string> GetEntriesForConflicts(const Transaction& tx, const TxMemPool& pool,
                                                  const MempoolEntrySet& direct_conflicts,
                                                  MempoolEntrySet& all_conflicts)
{
    // Counted before walking descendants, so that a huge replacement set
    // is refused without the walk.
    std::vector<uint64_t> counts;
    counts.reserve(direct_conflicts.size());
    for (const MempoolEntry* e : direct_conflicts) counts.push_back(e->GetCountWithDescendants());
    if (auto err = CheckReplacementCandidates(counts, tx.GetTxid())) return err;
    for (const MempoolEntry* e : direct_conflicts) {
        MempoolEntrySet descendants = pool.GetDescendants(*e);
        all_conflicts.insert(descendants.begin(), descendants.end());
    }
    return std::nullopt;
}

std::optional<std::string> HasNoNewUnconfirmed(const Transaction& tx, const TxMemPool& pool,
                                               const MempoolEntrySet& conflicts)
{
    std::set<uint256> parents_of_conflicts;
    for (const MempoolEntry* e : conflicts) {
        for (const TxIn& in : e->GetTx().vin) parents_of_conflicts.insert(in.prevout.hash);
    }
    return HasNoNewUnconfirmed(tx, parents_of_conflicts, [&pool](const uint256& txid) { return pool.Exists(txid); });
}

std::optional<std::string> EntriesAndTxidsDisjoint(const MempoolEntrySet& ancestors,
                                                   const std::set<uint256>& direct_conflicts, const uint256& txid)
{
    std::vector<uint256> ancestor_txids;
    ancestor_txids.reserve(ancestors.size());
    for (const MempoolEntry* e : ancestors) ancestor_txids.push_back(e->Txid());
    return EntriesAndTxidsDisjoint(std::span<const uint256>(ancestor_txids), direct_conflicts, txid);
}

std::optional<std::string> PaysMoreThanConflicts(const MempoolEntrySet& direct_conflicts,
                                                 FeeRate replacement_feerate, const uint256& txid)
{
    std::vector<FeeRate> rates;
    rates.reserve(direct_conflicts.size());
    for (const MempoolEntry* e : direct_conflicts) rates.emplace_back(e->GetModifiedFee(), e->GetTxSize());
    return PaysMoreThanConflicts(std::span<const FeeRate>(rates), replacement_feerate, txid);
}

// ---- feerate diagrams ----

std::strong_ordering CompareFeerate(const FeeFrac& a, const FeeFrac& b)
{
    // a.fee / a.size <=> b.fee / b.size without division; 128 bits because
    // fees up to MAX_MONEY times sizes up to millions overflow 64.
    const __int128 lhs = static_cast<__int128>(a.fee) * b.size;
    const __int128 rhs = static_cast<__int128>(b.fee) * a.size;
    return lhs <=> rhs;
}

std::partial_ordering CompareChunks(const std::vector<FeeFrac>& a, const std::vector<FeeFrac>& b)
{
    // Walk both diagrams' points in order of size. At each point P of one
    // diagram, see whether it lies above or below the other diagram's
    // segment A-B around it (beyond its end the other diagram is flat).
    const std::vector<FeeFrac>* chunks[2] = {&a, &b};
    size_t next[2] = {0, 0};
    FeeFrac done[2];
    bool better[2] = {false, false};
    auto point = [&](int d) { return FeeFrac{done[d].fee + (*chunks[d])[next[d]].fee,
                                             done[d].size + (*chunks[d])[next[d]].size}; };
    auto advance = [&](int d) { done[d] += (*chunks[d])[next[d]++]; };

    for (;;) {
        const bool end0 = next[0] == a.size();
        const bool end1 = next[1] == b.size();
        if (end0 && end1) break;
        // The side whose next point comes first (the unfinished one if one is done).
        const int side = (end0 || end1) ? (end0 ? 1 : 0) : (point(0).size > point(1).size ? 1 : 0);
        const int other = 1 - side;
        const FeeFrac p = point(side);
        const FeeFrac ap = p - done[other];
        std::strong_ordering cmp = std::strong_ordering::equal;
        if (end0 || end1) {
            // The other diagram is flat from its end: compare with slope 0.
            cmp = CompareFeerate(ap, FeeFrac{0, 1});
        } else {
            const FeeFrac bpt = point(other);
            cmp = CompareFeerate(ap, bpt - done[other]);
            // A point of the other diagram at the same size is covered by this comparison.
            if (bpt.size == p.size) advance(other);
        }
        if (cmp > 0) better[side] = true;
        if (cmp < 0) better[other] = true;
        advance(side);
        if (better[0] && better[1]) return std::partial_ordering::unordered;
    }
    if (better[0] == better[1]) return std::partial_ordering::equivalent;
    return better[0] ? std::partial_ordering::greater : std::partial_ordering::less;
}

std::optional<std::string> CheckConflictTopology(const MempoolEntrySet& conflicts)
{
    for (const MempoolEntry* e : conflicts) {
        // Counts include the entry itself.
        const uint64_t ancestors = e->GetCountWithAncestors();
        const uint64_t descendants = e->GetCountWithDescendants();
        const std::string txid = e->Txid().GetHex();
        if (ancestors > 2) return fmt::format("{} has {} ancestors, max 1 allowed", txid, ancestors - 1);
        if (descendants > 2) return fmt::format("{} has {} descendants, max 1 allowed", txid, descendants - 1);
        if (ancestors > 1 && descendants > 1) {
            return fmt::format("{} has both ancestor and descendant, exceeding cluster limit of 2", txid);
        }
        // A child must have us as its only parent; a parent us as its only child.
        if (descendants > 1 && !e->Children().empty()) {
            const MempoolEntry& child = **e->Children().begin();
            if (child.GetCountWithAncestors() > 2) {
                return fmt::format("{} is not the only parent of child {}", txid, child.Txid().GetHex());
            }
        } else if (ancestors > 1 && !e->Parents().empty()) {
            const MempoolEntry& parent = **e->Parents().begin();
            if (parent.GetCountWithDescendants() > 2) {
                return fmt::format("{} is not the only child of parent {}", txid, parent.Txid().GetHex());
            }
        }
    }
    return std::nullopt;
}

std::optional<std::pair<DiagramCheckError, std::string>> ImprovesFeerateDiagram(const MempoolEntrySet& to_remove,
                                                                                const FeeFrac& replacement)
{
    if (auto err = CheckConflictTopology(to_remove)) return std::make_pair(DiagramCheckError::UNCALCULABLE, *err);

    auto by_feerate_desc = [](const FeeFrac& x, const FeeFrac& y) { return CompareFeerate(x, y) > 0; };

    // Old diagram: the clusters touched (at most parent + child each), each
    // chunked: a child paying more than its parent joins it in one chunk.
    std::vector<FeeFrac> old_chunks;
    for (const MempoolEntry* e : to_remove) {
        if (e->GetCountWithDescendants() > 1) continue; // counted with its child
        const FeeFrac own{e->GetModifiedFee(), e->GetTxSize()};
        if (e->GetCountWithAncestors() > 1) {
            const FeeFrac with_parent{e->GetModFeesWithAncestors(), e->GetSizeWithAncestors()};
            if (CompareFeerate(own, with_parent) > 0) {
                old_chunks.push_back(with_parent);
            } else {
                old_chunks.push_back(with_parent - own);
                old_chunks.push_back(own);
            }
        } else {
            old_chunks.push_back(own);
        }
    }
    std::stable_sort(old_chunks.begin(), old_chunks.end(), by_feerate_desc);

    // New diagram: parents left behind by an evicted child, plus the replacement.
    std::vector<FeeFrac> new_chunks;
    for (const MempoolEntry* e : to_remove) {
        if (e->Parents().empty()) continue;
        const MempoolEntry* parent = *e->Parents().begin();
        if (!to_remove.count(parent)) new_chunks.emplace_back(parent->GetModifiedFee(), parent->GetTxSize());
    }
    new_chunks.push_back(replacement);
    std::stable_sort(new_chunks.begin(), new_chunks.end(), by_feerate_desc);

    if (!std::is_gt(CompareChunks(new_chunks, old_chunks))) {
        return std::make_pair(DiagramCheckError::FAILURE, std::string("insufficient feerate: does not improve feerate diagram"));
    }
    return std::nullopt;
}

} // namespace cairn
