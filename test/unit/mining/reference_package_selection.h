// The package selection this tree had before the pool kept an ancestor-
// score index (kept verbatim as the reference): it snapshots the whole pool
// with EntriesTopological(), sorts it by ancestor score with Core's double
// cross products, then runs Core's addPackageTxs loop over the vector.
// SelectPackages must give exactly its templates; package_selection_random_
// tests compares the two on random pools. Test-only: it sorts every entry
// for every template.
#ifndef CAIRN_TEST_UNIT_MINING_REFERENCE_PACKAGE_SELECTION_H
#define CAIRN_TEST_UNIT_MINING_REFERENCE_PACKAGE_SELECTION_H

#include "consensus/consensus.h"
#include "consensus/tx_verify.h"
#include "mempool/tx_mempool.h"
#include "mining/package_selection.h"
#include "util/log.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>
#include <vector>

namespace cairn::test::reference {


/** What a candidate is ranked by: its own modified fee and vsize, and those
 *  of its package (itself and its ancestors not yet in the block). */
struct Score {
    Amount own_fee;
    int64_t own_size;
    Amount package_fee;
    int64_t package_size;
    const uint256* txid;
};

inline Score ScoreOf(const MempoolEntry& e)
{
    return {e.GetModifiedFee(), e.GetTxSize(), e.GetModFeesWithAncestors(), e.GetSizeWithAncestors(), &e.Txid()};
}

/** The lower of the two fee rates, as a (fee, size) pair: a child paying
 *  less than its package is ranked by its own rate, so it cannot ride on a
 *  rich parent. Doubles, compared by cross-multiplying, as Core does. */
inline void RankingRate(const Score& s, double& fee, double& size)
{
    const double own_times_package = double(s.own_fee) * double(s.package_size);
    const double package_times_own = double(s.package_fee) * double(s.own_size);
    if (own_times_package > package_times_own) {
        fee = double(s.package_fee);
        size = double(s.package_size);
    } else {
        fee = double(s.own_fee);
        size = double(s.own_size);
    }
}

/** Core's CompareTxMemPoolEntryByAncestorFee: a higher rate first, then the lower txid. */
inline bool Better(const Score& a, const Score& b)
{
    double a_fee, a_size, b_fee, b_size;
    RankingRate(a, a_fee, a_size);
    RankingRate(b, b_fee, b_size);
    const double lhs = a_fee * b_size;
    const double rhs = a_size * b_fee;
    if (lhs == rhs) return *a.txid < *b.txid;
    return lhs > rhs;
}

/** A pool entry some of whose ancestors are in the block already: its
 *  package totals without them (Core's CTxMemPoolModifiedEntry). */
struct ModifiedEntry {
    const MempoolEntry* entry;
    int64_t size_with_ancestors;
    Amount mod_fees_with_ancestors;
    int64_t sigops_with_ancestors;

    Score GetScore() const
    {
        return {entry->GetModifiedFee(), entry->GetTxSize(), mod_fees_with_ancestors, size_with_ancestors,
                &entry->Txid()};
    }
};

struct ModifiedBetter {
    bool operator()(const ModifiedEntry* a, const ModifiedEntry* b) const { return Better(a->GetScore(), b->GetScore()); }
};

/** The modified entries, by entry and by score. An entry is taken out of
 *  the score order while its totals change. */
class ModifiedSet
{
public:
    bool Empty() const { return m_by_score.empty(); }
    bool Contains(const MempoolEntry* e) const { return m_entries.count(e) != 0; }
    const ModifiedEntry& Best() const { return **m_by_score.begin(); }
    void Erase(const MempoolEntry* e)
    {
        const auto it = m_entries.find(e);
        if (it == m_entries.end()) return;
        m_by_score.erase(&it->second);
        m_entries.erase(it);
    }
    /** `parent` went into the block: `desc`'s package shrinks by it. */
    void SubtractParent(const MempoolEntry& desc, const MempoolEntry& parent)
    {
        auto it = m_entries.find(&desc);
        if (it == m_entries.end()) {
            it = m_entries
                     .emplace(&desc, ModifiedEntry{&desc, desc.GetSizeWithAncestors(), desc.GetModFeesWithAncestors(),
                                                   desc.GetSigOpCostWithAncestors()})
                     .first;
        } else {
            m_by_score.erase(&it->second);
        }
        ModifiedEntry& m = it->second;
        m.size_with_ancestors -= parent.GetTxSize();
        m.mod_fees_with_ancestors -= parent.GetModifiedFee();
        m.sigops_with_ancestors -= parent.GetSigOpCost();
        m_by_score.insert(&m);
    }

private:
    std::map<const MempoolEntry*, ModifiedEntry> m_entries;
    std::set<const ModifiedEntry*, ModifiedBetter> m_by_score;
};

class ReferenceSelector
{
public:
    ReferenceSelector(const TxMemPool& pool, int height, int64_t lock_time_cutoff, const BlockAssemblerOptions& options)
        : m_pool(pool), m_height(height), m_lock_time_cutoff(lock_time_cutoff), m_opts(options)
    {
        m_out.block_weight = options.block_reserved_weight;
        m_out.block_sigops_cost = options.coinbase_output_max_additional_sigops;
    }

    PackageSelection Run();

private:
    /** Whether a package of this vsize and sigop cost still fits (both limits exclusive, as in Core). */
    bool Fits(int64_t package_size, int64_t package_sigops) const
    {
        // Packages are budgeted by virtual size (vsize * 4 >= weight), as in Core.
        if (m_out.block_weight + WITNESS_SCALE_FACTOR * package_size >= m_opts.block_max_weight) return false;
        if (m_out.block_sigops_cost + package_sigops >= MAX_BLOCK_SIGOPS_COST) return false;
        return true;
    }
    bool AllFinal(const std::vector<const MempoolEntry*>& package) const
    {
        return std::all_of(package.begin(), package.end(), [&](const MempoolEntry* e) {
            return IsFinalTx(e->GetTx(), m_height, m_lock_time_cutoff);
        });
    }
    void Add(const MempoolEntry& e);
    /** Re-scores the not-yet-included descendants of everything in `added`. */
    void UpdateDescendants(const std::vector<const MempoolEntry*>& added);

    const TxMemPool& m_pool;
    const int m_height;
    const int64_t m_lock_time_cutoff;
    const BlockAssemblerOptions& m_opts;
    PackageSelection m_out;
    std::unordered_set<const MempoolEntry*> m_in_block;
    std::unordered_set<const MempoolEntry*> m_failed;
    ModifiedSet m_modified;
};

inline void ReferenceSelector::Add(const MempoolEntry& e)
{
    m_out.txs.push_back(TemplateTx{e.GetSharedTx(), e.GetFee(), e.GetSigOpCost()});
    m_out.block_weight += e.GetTxWeight();
    m_out.block_sigops_cost += e.GetSigOpCost();
    m_out.fees += e.GetFee();
    m_in_block.insert(&e);
    if (m_opts.print_modified_fee) {
        LogInfo("fee rate {} txid {}", FeeRate(e.GetModifiedFee(), e.GetTxSize()).ToString(), e.Txid().GetHex());
    }
}

inline void ReferenceSelector::UpdateDescendants(const std::vector<const MempoolEntry*>& added)
{
    const std::unordered_set<const MempoolEntry*> in_package(added.begin(), added.end());
    for (const MempoolEntry* parent : added) {
        for (const MempoolEntry* desc : m_pool.GetDescendants(*parent)) {
            if (in_package.count(desc)) continue;
            ++m_out.descendants_updated;
            m_modified.SubtractParent(*desc, *parent);
        }
    }
}

inline PackageSelection ReferenceSelector::Run()
{
    // The pool in ancestor-score order (Core's mapTx ancestor_score index).
    std::vector<const MempoolEntry*> by_score = m_pool.EntriesTopological();
    std::sort(by_score.begin(), by_score.end(),
              [](const MempoolEntry* a, const MempoolEntry* b) { return Better(ScoreOf(*a), ScoreOf(*b)); });

    int64_t consecutive_failed = 0;
    auto next = by_score.begin();
    while (next != by_score.end() || !m_modified.Empty()) {
        // Skip pool entries already decided, or whose totals are stale (they
        // are in the modified set), or that failed as modified entries.
        if (next != by_score.end() &&
            (m_modified.Contains(*next) || m_in_block.count(*next) || m_failed.count(*next))) {
            ++next;
            continue;
        }

        // The better of the next pool entry and the best modified entry.
        const MempoolEntry* candidate;
        bool using_modified = false;
        if (next == by_score.end()) {
            candidate = m_modified.Best().entry;
            using_modified = true;
        } else if (!m_modified.Empty() && Better(m_modified.Best().GetScore(), ScoreOf(**next))) {
            candidate = m_modified.Best().entry;
            using_modified = true;
        } else {
            candidate = *next;
            ++next;
        }

        int64_t package_size = candidate->GetSizeWithAncestors();
        Amount package_fees = candidate->GetModFeesWithAncestors();
        int64_t package_sigops = candidate->GetSigOpCostWithAncestors();
        if (using_modified) {
            const ModifiedEntry& m = m_modified.Best();
            package_size = m.size_with_ancestors;
            package_fees = m.mod_fees_with_ancestors;
            package_sigops = m.sigops_with_ancestors;
        }

        // Everything still to come pays a lower rate than this.
        if (package_fees < m_opts.block_min_fee_rate.GetFee(package_size)) break;

        if (!Fits(package_size, package_sigops)) {
            if (using_modified) {
                // Drop it so the next best modified entry is looked at next.
                m_modified.Erase(candidate);
                m_failed.insert(candidate);
            }
            ++consecutive_failed;
            // (Core's unsigned arithmetic never gives up on a limit below the delta.)
            if (consecutive_failed > MAX_CONSECUTIVE_FAILURES && m_opts.block_max_weight >= BLOCK_FULL_ENOUGH_WEIGHT_DELTA &&
                m_out.block_weight > m_opts.block_max_weight - BLOCK_FULL_ENOUGH_WEIGHT_DELTA) {
                break; // nearly full and nothing has fitted for a while
            }
            continue;
        }

        std::vector<const MempoolEntry*> package;
        for (const MempoolEntry* a : m_pool.GetAncestors(*candidate)) {
            if (!m_in_block.count(a)) package.push_back(a);
        }
        package.push_back(candidate);

        if (!AllFinal(package)) {
            if (using_modified) {
                m_modified.Erase(candidate);
                m_failed.insert(candidate);
            }
            continue;
        }
        consecutive_failed = 0;

        // Parents before children: an ancestor always has fewer ancestors.
        std::sort(package.begin(), package.end(), [](const MempoolEntry* a, const MempoolEntry* b) {
            if (a->GetCountWithAncestors() != b->GetCountWithAncestors()) {
                return a->GetCountWithAncestors() < b->GetCountWithAncestors();
            }
            return a->Txid() < b->Txid();
        });
        for (const MempoolEntry* e : package) {
            Add(*e);
            m_modified.Erase(e);
        }
        ++m_out.packages_selected;
        UpdateDescendants(package);
    }
    return std::move(m_out);
}

/** SelectPackages as it was: same arguments, same result. */
inline PackageSelection SelectPackages(const TxMemPool& pool, int height, int64_t lock_time_cutoff,
                                       const BlockAssemblerOptions& options)
{
    return ReferenceSelector(pool, height, lock_time_cutoff, options).Run();
}

} // namespace cairn::test::reference

#endif
