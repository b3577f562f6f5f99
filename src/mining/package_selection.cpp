#include "mining/package_selection.h"

#include "consensus/consensus.h"
#include "consensus/tx_verify.h"
#include "mempool/tx_mempool.h"
#include "util/log.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace cairn {

namespace {

/** A pool entry some of whose ancestors are in the block already: its
 *  package totals without them (Core's CTxMemPoolModifiedEntry). */
struct ModifiedEntry {
    const MempoolEntry* entry;
    int64_t size_with_ancestors;
    Amount mod_fees_with_ancestors;
    int64_t sigops_with_ancestors;

    /** Ranked as the pool ranks entries (AncestorScoreBetter), on the reduced package. */
    AncestorScore GetScore() const
    {
        return {entry->GetModifiedFee(), entry->GetTxSize(), mod_fees_with_ancestors, size_with_ancestors,
                &entry->Txid()};
    }
};

struct ModifiedBetter {
    bool operator()(const ModifiedEntry* a, const ModifiedEntry* b) const
    {
        return AncestorScoreBetter(a->GetScore(), b->GetScore());
    }
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

class Selector
{
public:
    Selector(const TxMemPool& pool, int height, int64_t lock_time_cutoff, const BlockAssemblerOptions& options)
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

void Selector::Add(const MempoolEntry& e)
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

void Selector::UpdateDescendants(const std::vector<const MempoolEntry*>& added)
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

PackageSelection Selector::Run()
{
    // The pool's own ancestor-score index (Core's mapTx ancestor_score),
    // walked from the top only as far as the block needs: the pool does not
    // change meanwhile (the caller holds its lock).
    const AncestorScoreIndex& by_score = m_pool.EntriesByAncestorScore();

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
        } else if (!m_modified.Empty() &&
                   AncestorScoreBetter(m_modified.Best().GetScore(), (*next)->GetAncestorScore())) {
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

} // namespace

PackageSelection SelectPackages(const TxMemPool& pool, int height, int64_t lock_time_cutoff,
                                const BlockAssemblerOptions& options)
{
    return Selector(pool, height, lock_time_cutoff, options).Run();
}

} // namespace cairn
