// The pool's storage: entries owned by a txid map (stable addresses), plus
// indexes by wtxid, by spent outpoint, by descendant score (eviction), by
// ancestor score (block assembly) and by entry time (expiry). Parent/child
// links and the ancestor/descendant totals follow Bitcoin Core's
// ancestor/descendant mempool: updated incrementally on every addition,
// removal and prioritisation, and verified by Check().
//
// Invariants kept by Modify() and ModifyAncestors(): an entry's position in
// by_score depends on its modified fee, its vsize and its descendant totals,
// its position in by_ancestor_score on its modified fee, its vsize and its
// ancestor totals; whoever changes those takes the entry out of the index
// first and puts it back after (a std::set finds an entry by its current
// key, so a stale key would lose it).
#include "mempool/tx_mempool.h"

#include "crypto/random.h"
#include "crypto/siphash.h"
#include "policy/fee_estimator.h"
#include "util/log.h"
#include "util/strencodings.h"
#include "util/time.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace cairn {

namespace {

/** Core's ROLLING_FEE_HALFLIFE: the rolling minimum fee halves every 12
 *  hours (faster while the pool is well below its limit). */
constexpr double ROLLING_FEE_HALFLIFE = 60 * 60 * 12;

/** Bytes malloc hands out for `alloc` bytes on a 64-bit system (Core's
 *  memusage::MallocUsage): 16-byte granularity plus a header. */
constexpr size_t MallocUsage(size_t alloc)
{
    return alloc == 0 ? 0 : ((alloc + 31) >> 4) << 4;
}
/** A red-black tree node: colour and three pointers, then the value. */
constexpr size_t TreeNodeUsage(size_t value_size)
{
    return MallocUsage(4 * sizeof(void*) + value_size);
}
/** Per entry, what the indexes cost beyond the entry itself (Core counts
 *  its multi-index container's overhead as 15 pointers). */
constexpr size_t ENTRY_OVERHEAD = MallocUsage(sizeof(MempoolEntry) + 15 * sizeof(void*));
constexpr size_t LINK_USAGE = TreeNodeUsage(sizeof(void*));
constexpr size_t SPENDER_USAGE = TreeNodeUsage(sizeof(OutPoint) + sizeof(void*));
constexpr size_t DELTA_USAGE = TreeNodeUsage(sizeof(uint256) + sizeof(Amount));

Amount SaturatingAdd(Amount a, Amount b)
{
    Amount out;
    if (__builtin_add_overflow(a, b, &out)) {
        return b > 0 ? std::numeric_limits<Amount>::max() : std::numeric_limits<Amount>::min();
    }
    return out;
}

Amount SaturatingDifference(Amount a, Amount b)
{
    Amount out;
    if (__builtin_sub_overflow(a, b, &out)) {
        return a > b ? std::numeric_limits<Amount>::max() : std::numeric_limits<Amount>::min();
    }
    return out;
}

/** The fee delta an entry with base fee `fee` stores for a map delta of
 *  `delta`, chosen so that fee + delta never overflows (Core saturates the
 *  modified fee). */
Amount ClampedDelta(Amount fee, Amount delta)
{
    return SaturatingAdd(fee, delta) - fee;
}

/** Entries are created non-const by the pool; the sets hand them out const. */
MempoolEntry* Mut(const MempoolEntry* e)
{
    return const_cast<MempoolEntry*>(e);
}

/** Core's CompareTxMemPoolEntryByDescendantScore: the score of an entry is
 *  the larger of its own modified feerate and its feerate with descendants;
 *  lower scores come first (evicted first); on a tie the newer entry comes
 *  first. Core compares the cross products in doubles; they are exact here
 *  (128 bits), which keeps the set's order a strict weak ordering whatever
 *  the amounts, and the txid makes it total. */
struct DescendantScoreLess {
    using Wide = __int128;
    static void FeeAndSize(const MempoolEntry& e, Wide& fee, Wide& size)
    {
        const Wide own = Wide(e.GetModifiedFee()) * e.GetSizeWithDescendants();
        const Wide with_descendants = Wide(e.GetModFeesWithDescendants()) * e.GetTxSize();
        if (with_descendants > own) {
            fee = e.GetModFeesWithDescendants();
            size = e.GetSizeWithDescendants();
        } else {
            fee = e.GetModifiedFee();
            size = e.GetTxSize();
        }
    }
    bool operator()(const MempoolEntry* a, const MempoolEntry* b) const
    {
        Wide a_fee, a_size, b_fee, b_size;
        FeeAndSize(*a, a_fee, a_size);
        FeeAndSize(*b, b_fee, b_size);
        const Wide f1 = a_fee * b_size;
        const Wide f2 = a_size * b_fee;
        if (f1 != f2) return f1 < f2;
        if (a->GetTime() != b->GetTime()) return a->GetTime() > b->GetTime();
        return a->Txid() < b->Txid();
    }
};

struct EntryTimeLess {
    bool operator()(const MempoolEntry* a, const MempoolEntry* b) const
    {
        if (a->GetTime() != b->GetTime()) return a->GetTime() < b->GetTime();
        return a->Txid() < b->Txid();
    }
};

/** Salted so that peers cannot aim txids at one bucket. */
struct SaltedHasher {
    uint64_t k0;
    uint64_t k1;
    size_t operator()(const uint256& h) const { return size_t(SipHashUint256(k0, k1, h)); }
};

} // namespace

const char* RemovalReasonToString(RemovalReason reason)
{
    switch (reason) {
    case RemovalReason::EXPIRY: return "expiry";
    case RemovalReason::SIZELIMIT: return "sizelimit";
    case RemovalReason::REORG: return "reorg";
    case RemovalReason::BLOCK: return "block";
    case RemovalReason::CONFLICT: return "conflict";
    case RemovalReason::REPLACED: return "replaced";
    }
    return "unknown";
}

MempoolLimits MempoolLimits::NoLimits()
{
    constexpr int64_t no_limit = std::numeric_limits<int64_t>::max();
    return MempoolLimits{no_limit, no_limit, no_limit, no_limit};
}

struct TxMemPool::Impl {
    explicit Impl(TxMemPool& pool_in)
        : pool(pool_in), salt0(GetRandUint64()), salt1(GetRandUint64()), by_txid(0, SaltedHasher{salt0, salt1}),
          by_wtxid(0, SaltedHasher{salt0, salt1})
    {
    }

    TxMemPool& pool;
    uint64_t salt0;
    uint64_t salt1;
    std::unordered_map<uint256, std::unique_ptr<MempoolEntry>, SaltedHasher> by_txid;
    std::unordered_map<uint256, MempoolEntry*, SaltedHasher> by_wtxid;
    /** Outpoint -> the in-pool transaction spending it. Ordered so that the
     *  spenders of one txid's outputs are adjacent (finding children). */
    std::map<OutPoint, const MempoolEntry*> spenders;
    std::set<const MempoolEntry*, DescendantScoreLess> by_score;
    AncestorScoreIndex by_ancestor_score;
    std::set<const MempoolEntry*, EntryTimeLess> by_time;

    int64_t total_vsize{0};
    Amount total_fee{0};
    /** Sum of the entries' own DynamicMemoryUsage(). */
    size_t entries_usage{0};
    /** Elements in all parent and child sets. */
    size_t link_count{0};

    /** Core's rolling minimum fee, in sat/kvB (a double so that it decays smoothly). */
    double rolling_min_fee{0};
    int64_t last_rolling_update{0};
    bool block_since_bump{false};

    std::vector<MempoolObserver*> observers;

    MempoolEntry* Find(const uint256& txid) const
    {
        auto it = by_txid.find(txid);
        return it == by_txid.end() ? nullptr : it->second.get();
    }

    /** Changes something by_score sorts on. */
    template <typename F> void Modify(const MempoolEntry* e, F&& change)
    {
        by_score.erase(e);
        change(*Mut(e));
        by_score.insert(e);
    }

    /** Changes something by_ancestor_score sorts on. */
    template <typename F> void ModifyAncestors(const MempoolEntry* e, F&& change)
    {
        by_ancestor_score.erase(e);
        change(*Mut(e));
        by_ancestor_score.insert(e);
    }

    void Link(const MempoolEntry* parent, const MempoolEntry* child)
    {
        if (Mut(parent)->m_children.insert(child).second) ++link_count;
        if (Mut(child)->m_parents.insert(parent).second) ++link_count;
    }

    /** Every in-pool ancestor reachable through the parent links (not `e`). */
    MempoolEntrySet Ancestors(const MempoolEntry* e) const
    {
        MempoolEntrySet out;
        std::vector<const MempoolEntry*> stack(e->m_parents.begin(), e->m_parents.end());
        while (!stack.empty()) {
            const MempoolEntry* cur = stack.back();
            stack.pop_back();
            if (!out.insert(cur).second) continue;
            for (const MempoolEntry* p : cur->m_parents) {
                if (!out.count(p)) stack.push_back(p);
            }
        }
        return out;
    }

    /** Adds `e` and its descendants to `out`. As Core's CalculateDescendants,
     *  an entry already in `out` is assumed to have its descendants there too. */
    void CollectDescendants(const MempoolEntry* e, MempoolEntrySet& out) const
    {
        if (out.count(e)) return;
        std::vector<const MempoolEntry*> stack{e};
        while (!stack.empty()) {
            const MempoolEntry* cur = stack.back();
            stack.pop_back();
            if (!out.insert(cur).second) continue;
            for (const MempoolEntry* c : cur->m_children) {
                if (!out.count(c)) stack.push_back(c);
            }
        }
    }

    void RecomputeAncestorTotals(const MempoolEntry* e) const
    {
        MempoolEntry& m = *Mut(e);
        m.m_count_with_ancestors = 1;
        m.m_size_with_ancestors = m.m_vsize;
        m.m_mod_fees_with_ancestors = m.GetModifiedFee();
        m.m_sigops_with_ancestors = m.m_sigop_cost;
        for (const MempoolEntry* a : Ancestors(e)) {
            m.m_count_with_ancestors += 1;
            m.m_size_with_ancestors += a->GetTxSize();
            m.m_mod_fees_with_ancestors = SaturatingAdd(m.m_mod_fees_with_ancestors, a->GetModifiedFee());
            m.m_sigops_with_ancestors += a->GetSigOpCost();
        }
    }

    void RecomputeDescendantTotals(MempoolEntry& m) const
    {
        MempoolEntrySet descendants;
        CollectDescendants(&m, descendants);
        m.m_count_with_descendants = 0;
        m.m_size_with_descendants = 0;
        m.m_mod_fees_with_descendants = 0;
        for (const MempoolEntry* d : descendants) {
            m.m_count_with_descendants += 1;
            m.m_size_with_descendants += d->GetTxSize();
            m.m_mod_fees_with_descendants = SaturatingAdd(m.m_mod_fees_with_descendants, d->GetModifiedFee());
        }
    }

    /** Takes one entry out of every index and frees it; links and totals of
     *  the others must already have been updated (RemoveStaged). */
    void RemoveUnchecked(const MempoolEntry* e, RemovalReason reason)
    {
        // Core increments the sequence for every removal, reported or not.
        const uint64_t sequence = pool.m_sequence++;
        const TransactionRef tx = e->GetSharedTx();
        const uint256 txid = e->Txid();
        if (reason != RemovalReason::BLOCK) {
            for (MempoolObserver* o : observers) o->TransactionRemoved(tx, reason, sequence);
        }
        for (const TxIn& in : tx->vin) {
            auto it = spenders.find(in.prevout);
            if (it != spenders.end() && it->second == e) spenders.erase(it);
        }
        if (pool.m_unbroadcast.erase(txid)) {
            LogDebug(LogCategory::MEMPOOL, "Removed {} from set of unbroadcast txns before confirmation that txn was sent out",
                     txid.GetHex());
        }
        total_vsize -= e->GetTxSize();
        total_fee -= e->GetFee();
        entries_usage -= e->DynamicMemoryUsage();
        link_count -= e->m_parents.size() + e->m_children.size();
        by_score.erase(e);
        by_ancestor_score.erase(e);
        by_time.erase(e);
        by_wtxid.erase(e->Wtxid());
        by_txid.erase(txid); // frees the entry
        ++pool.m_transactions_updated;
        if (reason != RemovalReason::BLOCK && pool.m_opts.estimator) pool.m_opts.estimator->RemoveTx(txid);
    }

    /** Core's RemoveStaged. `update_descendants`: the staged entries leave
     *  without their descendants (confirmed in a block), whose ancestor
     *  totals lose them. Otherwise every descendant must be staged too. */
    void RemoveStaged(const MempoolEntrySet& stage, bool update_descendants, RemovalReason reason)
    {
        if (update_descendants) {
            for (const MempoolEntry* r : stage) {
                MempoolEntrySet descendants;
                CollectDescendants(r, descendants);
                descendants.erase(r);
                for (const MempoolEntry* d : descendants) {
                    ModifyAncestors(d, [&](MempoolEntry& m) {
                        m.m_count_with_ancestors -= 1;
                        m.m_size_with_ancestors -= r->GetTxSize();
                        m.m_mod_fees_with_ancestors = SaturatingAdd(m.m_mod_fees_with_ancestors, -r->GetModifiedFee());
                        m.m_sigops_with_ancestors -= r->GetSigOpCost();
                    });
                }
            }
        }
        // Ancestors lose the entry from their descendant totals, parents
        // from their children. Parent links stay until the entry is freed,
        // so that later walks upwards still see every ancestor.
        for (const MempoolEntry* r : stage) {
            for (const MempoolEntry* a : Ancestors(r)) {
                Modify(a, [&](MempoolEntry& m) {
                    m.m_count_with_descendants -= 1;
                    m.m_size_with_descendants -= r->GetTxSize();
                    m.m_mod_fees_with_descendants = SaturatingAdd(m.m_mod_fees_with_descendants, -r->GetModifiedFee());
                });
            }
            for (const MempoolEntry* p : r->m_parents) {
                if (Mut(p)->m_children.erase(r)) --link_count;
            }
        }
        for (const MempoolEntry* r : stage) {
            for (const MempoolEntry* c : r->m_children) {
                if (Mut(c)->m_parents.erase(r)) --link_count;
            }
        }
        for (const MempoolEntry* r : stage) RemoveUnchecked(r, reason);
    }

    void RemoveRecursive(const Transaction& tx, RemovalReason reason)
    {
        MempoolEntrySet roots;
        if (const MempoolEntry* e = Find(tx.GetTxid())) {
            roots.insert(e);
        } else {
            // Not in the pool (e.g. not re-accepted after a reorg): its
            // in-pool spenders still have to go.
            for (uint32_t n = 0; n < tx.vout.size(); ++n) {
                auto it = spenders.find(OutPoint(tx.GetTxid(), n));
                if (it != spenders.end()) roots.insert(it->second);
            }
        }
        MempoolEntrySet stage;
        for (const MempoolEntry* e : roots) CollectDescendants(e, stage);
        RemoveStaged(stage, false, reason);
    }

    /** In-pool transactions spending an input of `tx` (a block's), with
     *  their descendants; their prioritisation goes too. */
    void RemoveConflicts(const Transaction& tx)
    {
        for (const TxIn& in : tx.vin) {
            auto it = spenders.find(in.prevout);
            if (it == spenders.end()) continue;
            const TransactionRef conflict = it->second->GetSharedTx();
            if (conflict->GetTxid() == tx.GetTxid()) continue;
            pool.ClearPrioritisation(conflict->GetTxid());
            RemoveRecursive(*conflict, RemovalReason::CONFLICT);
        }
    }

    void TrackPackageRemoved(const FeeRate& rate)
    {
        if (double(rate.GetFeePerK()) > rolling_min_fee) {
            rolling_min_fee = double(rate.GetFeePerK());
            block_since_bump = false;
        }
    }

    size_t Usage() const
    {
        return by_txid.size() * ENTRY_OVERHEAD + entries_usage + link_count * LINK_USAGE +
               spenders.size() * SPENDER_USAGE + pool.m_deltas.size() * DELTA_USAGE +
               (by_txid.bucket_count() + by_wtxid.bucket_count()) * sizeof(void*);
    }
};

TxMemPool::TxMemPool(MempoolOptions options) : m_opts(std::move(options)), m_impl(std::make_unique<Impl>(*this))
{
    m_impl->last_rolling_update = GetTime();
}

TxMemPool::~TxMemPool() = default;

void TxMemPool::AddObserver(MempoolObserver* observer)
{
    if (observer) m_impl->observers.push_back(observer);
}

void TxMemPool::RemoveObserver(MempoolObserver* observer)
{
    auto& v = m_impl->observers;
    v.erase(std::remove(v.begin(), v.end(), observer), v.end());
}

// ---- queries ----

size_t TxMemPool::Size() const { return m_impl->by_txid.size(); }
int64_t TxMemPool::TotalTxSize() const { return m_impl->total_vsize; }
Amount TxMemPool::TotalFee() const { return m_impl->total_fee; }
size_t TxMemPool::DynamicMemoryUsage() const { return m_impl->Usage(); }
bool TxMemPool::Exists(const uint256& txid) const { return m_impl->by_txid.count(txid) != 0; }
bool TxMemPool::ExistsWtxid(const uint256& wtxid) const { return m_impl->by_wtxid.count(wtxid) != 0; }
const MempoolEntry* TxMemPool::Get(const uint256& txid) const { return m_impl->Find(txid); }

const MempoolEntry* TxMemPool::GetByWtxid(const uint256& wtxid) const
{
    auto it = m_impl->by_wtxid.find(wtxid);
    return it == m_impl->by_wtxid.end() ? nullptr : it->second;
}

TransactionRef TxMemPool::GetTx(const uint256& txid) const
{
    const MempoolEntry* e = m_impl->Find(txid);
    return e ? e->GetSharedTx() : nullptr;
}

const MempoolEntry* TxMemPool::GetSpender(const OutPoint& outpoint) const
{
    auto it = m_impl->spenders.find(outpoint);
    return it == m_impl->spenders.end() ? nullptr : it->second;
}

bool TxMemPool::HasNoInputsOf(const Transaction& tx) const
{
    for (const TxIn& in : tx.vin) {
        if (Exists(in.prevout.hash)) return false;
    }
    return true;
}

std::vector<const MempoolEntry*> TxMemPool::EntriesTopological() const
{
    std::vector<const MempoolEntry*> out;
    out.reserve(m_impl->by_txid.size());
    for (const auto& [txid, e] : m_impl->by_txid) out.push_back(e.get());
    // A parent always has fewer ancestors than its child.
    std::sort(out.begin(), out.end(), [](const MempoolEntry* a, const MempoolEntry* b) {
        if (a->GetCountWithAncestors() != b->GetCountWithAncestors()) {
            return a->GetCountWithAncestors() < b->GetCountWithAncestors();
        }
        if (a->GetSequence() != b->GetSequence()) return a->GetSequence() < b->GetSequence();
        return a->Txid() < b->Txid();
    });
    return out;
}

const AncestorScoreIndex& TxMemPool::EntriesByAncestorScore() const
{
    return m_impl->by_ancestor_score;
}

std::vector<TxMempoolInfo> TxMemPool::InfoAll() const
{
    std::vector<TxMempoolInfo> out;
    for (const MempoolEntry* e : EntriesTopological()) {
        out.push_back(TxMempoolInfo{e->GetSharedTx(), e->GetTime(), e->GetFee(), e->GetTxSize(), e->GetFeeDelta()});
    }
    return out;
}

MempoolEntrySet TxMemPool::GetAncestors(const MempoolEntry& entry) const
{
    return m_impl->Ancestors(&entry);
}

MempoolEntrySet TxMemPool::GetDescendants(const MempoolEntry& entry) const
{
    MempoolEntrySet out;
    m_impl->CollectDescendants(&entry, out);
    return out;
}

bool TxMemPool::CompareDepthAndScore(const uint256& wtxid_a, const uint256& wtxid_b) const
{
    const MempoolEntry* b = GetByWtxid(wtxid_b);
    if (!b) return false;
    const MempoolEntry* a = GetByWtxid(wtxid_a);
    if (!a) return true;
    if (a->GetCountWithAncestors() != b->GetCountWithAncestors()) {
        return a->GetCountWithAncestors() < b->GetCountWithAncestors();
    }
    // Core's CompareTxMemPoolEntryByScore: base fee, so that prioritisation
    // does not show in the order of announcements.
    const double f1 = double(a->GetFee()) * double(b->GetTxSize());
    const double f2 = double(b->GetFee()) * double(a->GetTxSize());
    if (f1 == f2) return b->Txid() < a->Txid();
    return f1 > f2;
}

namespace {

/** Core's CalculateAncestorsAndCheckLimits: walks up from `staged` (the
 *  in-pool parents of `entry_count` new transactions of `entry_size` vbytes
 *  in total), checking every limit as it goes. */
std::optional<MempoolEntrySet> WalkAncestorsWithLimits(int64_t entry_size, size_t entry_count,
                                                       MempoolEntrySet staged, const MempoolLimits& limits,
                                                       std::string& error)
{
    int64_t total_size_with_ancestors = entry_size;
    MempoolEntrySet ancestors;
    while (!staged.empty()) {
        const MempoolEntry* stage = *staged.begin();
        staged.erase(staged.begin());
        ancestors.insert(stage);
        total_size_with_ancestors += stage->GetTxSize();

        if (stage->GetSizeWithDescendants() + entry_size > limits.descendant_size_vbytes) {
            error = fmt::format("exceeds descendant size limit for tx {} [limit: {}]", stage->Txid().GetHex(),
                                limits.descendant_size_vbytes);
            return std::nullopt;
        } else if (int64_t(stage->GetCountWithDescendants()) + int64_t(entry_count) > limits.descendant_count) {
            error = fmt::format("too many descendants for tx {} [limit: {}]", stage->Txid().GetHex(),
                                limits.descendant_count);
            return std::nullopt;
        } else if (total_size_with_ancestors > limits.ancestor_size_vbytes) {
            error = fmt::format("exceeds ancestor size limit [limit: {}]", limits.ancestor_size_vbytes);
            return std::nullopt;
        }
        for (const MempoolEntry* parent : stage->Parents()) {
            if (!ancestors.count(parent)) staged.insert(parent);
            if (int64_t(staged.size() + ancestors.size() + entry_count) > limits.ancestor_count) {
                error = fmt::format("too many unconfirmed ancestors [limit: {}]", limits.ancestor_count);
                return std::nullopt;
            }
        }
    }
    return ancestors;
}

} // namespace

std::optional<MempoolEntrySet> TxMemPool::CalculateAncestorsAndCheckLimits(const Transaction& tx, int64_t vsize,
                                                                           const MempoolLimits& limits,
                                                                           std::string& error) const
{
    MempoolEntrySet staged;
    for (const TxIn& in : tx.vin) {
        if (const MempoolEntry* parent = m_impl->Find(in.prevout.hash)) {
            staged.insert(parent);
            if (int64_t(staged.size()) + 1 > limits.ancestor_count) {
                error = fmt::format("too many unconfirmed parents [limit: {}]", limits.ancestor_count);
                return std::nullopt;
            }
        }
    }
    return WalkAncestorsWithLimits(vsize, 1, std::move(staged), limits, error);
}

bool TxMemPool::CheckPackageLimits(const std::vector<TransactionRef>& package, int64_t total_vsize,
                                   const MempoolLimits& limits, std::string& error) const
{
    const int64_t count = int64_t(package.size());
    if (count > limits.ancestor_count) {
        error = fmt::format("package count {} exceeds ancestor count limit [limit: {}]", count, limits.ancestor_count);
        return false;
    } else if (count > limits.descendant_count) {
        error = fmt::format("package count {} exceeds descendant count limit [limit: {}]", count,
                            limits.descendant_count);
        return false;
    } else if (total_vsize > limits.ancestor_size_vbytes) {
        error = fmt::format("package size {} exceeds ancestor size limit [limit: {}]", total_vsize,
                            limits.ancestor_size_vbytes);
        return false;
    } else if (total_vsize > limits.descendant_size_vbytes) {
        error = fmt::format("package size {} exceeds descendant size limit [limit: {}]", total_vsize,
                            limits.descendant_size_vbytes);
        return false;
    }
    MempoolEntrySet staged;
    for (const TransactionRef& tx : package) {
        for (const TxIn& in : tx->vin) {
            if (const MempoolEntry* parent = m_impl->Find(in.prevout.hash)) {
                staged.insert(parent);
                if (int64_t(staged.size()) + count > limits.ancestor_count) {
                    error = fmt::format("too many unconfirmed parents [limit: {}]", limits.ancestor_count);
                    return false;
                }
            }
        }
    }
    // The package counted as one transaction may overestimate the totals,
    // hence Core's "possibly".
    std::string walk_error;
    if (!WalkAncestorsWithLimits(total_vsize, package.size(), std::move(staged), limits, walk_error)) {
        error = "possibly " + walk_error;
        return false;
    }
    return true;
}

// ---- changes ----

const MempoolEntry* TxMemPool::AddUnchecked(const MempoolEntry& entry_in, bool valid_for_estimation)
{
    Impl& m = *m_impl;
    const Transaction& tx = entry_in.GetTx();
    const uint256 txid = tx.GetTxid();
    // Refuse before changing anything: the caller broke its promise.
    if (m.by_txid.count(txid) || m.by_wtxid.count(tx.GetWtxid())) {
        throw std::logic_error("TxMemPool::AddUnchecked: " + txid.GetHex() + " is already in the mempool");
    }
    for (const TxIn& in : tx.vin) {
        auto it = m.spenders.find(in.prevout);
        if (it != m.spenders.end()) {
            throw std::logic_error("TxMemPool::AddUnchecked: " + txid.GetHex() + " spends " + in.prevout.ToString() +
                                   ", already spent by " + it->second->Txid().GetHex());
        }
    }

    auto owned = std::make_unique<MempoolEntry>(entry_in);
    MempoolEntry* e = owned.get();
    e->m_parents.clear();
    e->m_children.clear();
    auto delta = m_deltas.find(txid);
    e->m_fee_delta = delta == m_deltas.end() ? 0 : ClampedDelta(e->m_fee, delta->second);
    if (e->m_entry_sequence == MempoolEntry::NEXT_SEQUENCE) e->m_entry_sequence = m_sequence;
    e->m_count_with_ancestors = 1;
    e->m_size_with_ancestors = e->m_vsize;
    e->m_mod_fees_with_ancestors = e->GetModifiedFee();
    e->m_sigops_with_ancestors = e->m_sigop_cost;
    e->m_count_with_descendants = 1;
    e->m_size_with_descendants = e->m_vsize;
    e->m_mod_fees_with_descendants = e->GetModifiedFee();

    m.by_txid.emplace(txid, std::move(owned));
    m.by_wtxid.emplace(e->Wtxid(), e);
    for (const TxIn& in : tx.vin) m.spenders.emplace(in.prevout, e);

    // Parents, then every ancestor gains this entry as a descendant.
    for (const TxIn& in : tx.vin) {
        if (const MempoolEntry* parent = m.Find(in.prevout.hash)) m.Link(parent, e);
    }
    const MempoolEntrySet ancestors = m.Ancestors(e);
    for (const MempoolEntry* a : ancestors) {
        m.Modify(a, [&](MempoolEntry& am) {
            am.m_count_with_descendants += 1;
            am.m_size_with_descendants += e->m_vsize;
            am.m_mod_fees_with_descendants = SaturatingAdd(am.m_mod_fees_with_descendants, e->GetModifiedFee());
        });
    }
    m.RecomputeAncestorTotals(e);

    // In-pool spenders of this transaction's outputs: only when it comes
    // back from a disconnected block. Core links those later in
    // UpdateTransactionsFromBlock; here the links and the totals of the
    // entries concerned are made exact at once.
    MempoolEntrySet children;
    for (auto it = m.spenders.lower_bound(OutPoint(txid, 0)); it != m.spenders.end() && it->first.hash == txid; ++it) {
        children.insert(it->second);
    }
    if (!children.empty()) {
        for (const MempoolEntry* c : children) m.Link(e, c);
        MempoolEntrySet descendants;
        m.CollectDescendants(e, descendants);
        descendants.erase(e);
        // They gain this entry and its ancestors (some may already be theirs).
        for (const MempoolEntry* d : descendants) {
            m.ModifyAncestors(d, [&](MempoolEntry&) { m.RecomputeAncestorTotals(d); });
        }
        // This entry and its ancestors gain the descendants.
        m.RecomputeDescendantTotals(*e);
        for (const MempoolEntry* a : ancestors) m.Modify(a, [&](MempoolEntry& am) { m.RecomputeDescendantTotals(am); });
    }

    m.by_score.insert(e);
    m.by_ancestor_score.insert(e);
    m.by_time.insert(e);
    m.total_vsize += e->m_vsize;
    m.total_fee += e->m_fee;
    m.entries_usage += e->DynamicMemoryUsage();
    ++m_transactions_updated;

    if (m_opts.estimator) {
        m_opts.estimator->ProcessTransaction(txid, e->m_vsize, e->m_fee, e->m_entry_height, valid_for_estimation);
    }
    const uint64_t sequence = m_sequence++;
    for (MempoolObserver* o : m.observers) o->TransactionAdded(*e, sequence);
    return e;
}

void TxMemPool::RemoveRecursive(const Transaction& tx, RemovalReason reason)
{
    // `tx` may be an entry's own transaction, freed during the removal.
    const TransactionRef keep = GetTx(tx.GetTxid());
    m_impl->RemoveRecursive(tx, reason);
}

void TxMemPool::RemoveStaged(const MempoolEntrySet& entries, RemovalReason reason)
{
    MempoolEntrySet stage;
    for (const MempoolEntry* e : entries) m_impl->CollectDescendants(e, stage);
    m_impl->RemoveStaged(stage, false, reason);
}

void TxMemPool::RemoveForBlock(const std::vector<TransactionRef>& vtx, unsigned height)
{
    Impl& m = *m_impl;
    // The estimator learns which of its transactions confirmed before they leave.
    if (m_opts.estimator) {
        std::vector<uint256> confirmed;
        for (const TransactionRef& tx : vtx) {
            if (Exists(tx->GetTxid())) confirmed.push_back(tx->GetTxid());
        }
        m_opts.estimator->ProcessBlock(height, confirmed);
    }
    for (const TransactionRef& tx : vtx) {
        if (const MempoolEntry* e = m.Find(tx->GetTxid())) {
            MempoolEntrySet stage{e};
            m.RemoveStaged(stage, true, RemovalReason::BLOCK);
        }
        m.RemoveConflicts(*tx);
        ClearPrioritisation(tx->GetTxid());
    }
    m.last_rolling_update = GetTime();
    m.block_since_bump = true;
}

void TxMemPool::RemoveForReorg(const std::function<bool(const MempoolEntry&)>& should_remove)
{
    // A snapshot: the callback may call UpdateLockPoints.
    MempoolEntrySet stage;
    for (const MempoolEntry* e : EntriesTopological()) {
        if (should_remove(*e)) m_impl->CollectDescendants(e, stage);
    }
    m_impl->RemoveStaged(stage, false, RemovalReason::REORG);
}

void TxMemPool::UpdateLockPoints(const MempoolEntry& entry, const LockPoints& lp)
{
    Mut(&entry)->m_lock_points = lp;
}

int TxMemPool::Expire(int64_t now)
{
    Impl& m = *m_impl;
    const int64_t cutoff = now - m_opts.expiry_seconds;
    MempoolEntrySet stage;
    for (const MempoolEntry* e : m.by_time) {
        if (e->GetTime() >= cutoff) break;
        m.CollectDescendants(e, stage);
    }
    m.RemoveStaged(stage, false, RemovalReason::EXPIRY);
    return int(stage.size());
}

void TxMemPool::TrimToSize(size_t limit, std::vector<OutPoint>* no_spends_remaining)
{
    Impl& m = *m_impl;
    unsigned removed_count = 0;
    FeeRate max_removed{0};
    while (!m.by_txid.empty() && m.Usage() > limit) {
        const MempoolEntry* worst = *m.by_score.begin();
        // The new floor is the feerate of the evicted package plus the
        // incremental relay feerate, so that nothing paying what was just
        // evicted gets back in before a block.
        FeeRate removed(worst->GetModFeesWithDescendants(), worst->GetSizeWithDescendants());
        removed += m_opts.incremental_relay_feerate;
        m.TrackPackageRemoved(removed);
        max_removed = std::max(max_removed, removed);

        MempoolEntrySet stage;
        m.CollectDescendants(worst, stage);
        removed_count += unsigned(stage.size());
        std::vector<TransactionRef> txs;
        if (no_spends_remaining) {
            for (const MempoolEntry* e : stage) txs.push_back(e->GetSharedTx());
        }
        m.RemoveStaged(stage, false, RemovalReason::SIZELIMIT);
        for (const TransactionRef& tx : txs) {
            for (const TxIn& in : tx->vin) {
                if (!Exists(in.prevout.hash)) no_spends_remaining->push_back(in.prevout);
            }
        }
    }
    if (max_removed > FeeRate(0)) {
        LogDebug(LogCategory::MEMPOOL, "Removed {} txn, rolling minimum fee bumped to {}", removed_count,
                 max_removed.ToString());
    }
}

FeeRate TxMemPool::GetMinFee() const
{
    Impl& m = *m_impl;
    if (!m.block_since_bump || m.rolling_min_fee == 0) return FeeRate(Amount(std::llround(m.rolling_min_fee)));

    const int64_t now = GetTime();
    if (now > m.last_rolling_update + 10) {
        double halflife = ROLLING_FEE_HALFLIFE;
        const size_t usage = m.Usage();
        const size_t limit = size_t(std::max<int64_t>(m_opts.max_size_bytes, 0));
        if (usage < limit / 4) {
            halflife /= 4;
        } else if (usage < limit / 2) {
            halflife /= 2;
        }
        m.rolling_min_fee = m.rolling_min_fee / std::pow(2.0, double(now - m.last_rolling_update) / halflife);
        m.last_rolling_update = now;
        if (m.rolling_min_fee < double(m_opts.incremental_relay_feerate.GetFeePerK()) / 2) {
            m.rolling_min_fee = 0;
            return FeeRate(0);
        }
    }
    return std::max(FeeRate(Amount(std::llround(m.rolling_min_fee))), m_opts.incremental_relay_feerate);
}

void TxMemPool::Clear()
{
    Impl& m = *m_impl;
    // Core's _clear: no notifications. The estimator forgets the entries so
    // that it does not wait for them forever.
    if (m_opts.estimator) {
        for (const auto& [txid, e] : m.by_txid) m_opts.estimator->RemoveTx(txid);
    }
    m.by_score.clear();
    m.by_ancestor_score.clear();
    m.by_time.clear();
    m.spenders.clear();
    m.by_wtxid.clear();
    m.by_txid.clear();
    m.total_vsize = 0;
    m.total_fee = 0;
    m.entries_usage = 0;
    m.link_count = 0;
    m.last_rolling_update = GetTime();
    m.block_since_bump = false;
    m.rolling_min_fee = 0;
    ++m_transactions_updated;
}

// ---- prioritisation ----

void TxMemPool::PrioritiseTransaction(const uint256& txid, Amount delta)
{
    Impl& m = *m_impl;
    Amount& total = m_deltas[txid];
    total = SaturatingAdd(total, delta);
    const MempoolEntry* e = m.Find(txid);
    if (e) {
        // Its own fee and both its totals change: out of both fee orders at once.
        Amount change = 0;
        m.Modify(e, [&](MempoolEntry& em) {
            m.ModifyAncestors(e, [&](MempoolEntry&) {
                const Amount old_modified = em.GetModifiedFee();
                em.m_fee_delta = ClampedDelta(em.m_fee, total);
                change = SaturatingDifference(em.GetModifiedFee(), old_modified);
                em.m_mod_fees_with_ancestors = SaturatingAdd(em.m_mod_fees_with_ancestors, change);
                em.m_mod_fees_with_descendants = SaturatingAdd(em.m_mod_fees_with_descendants, change);
            });
        });
        for (const MempoolEntry* a : m.Ancestors(e)) {
            m.Modify(a, [&](MempoolEntry& am) {
                am.m_mod_fees_with_descendants = SaturatingAdd(am.m_mod_fees_with_descendants, change);
            });
        }
        MempoolEntrySet descendants;
        m.CollectDescendants(e, descendants);
        descendants.erase(e);
        for (const MempoolEntry* d : descendants) {
            m.ModifyAncestors(d, [&](MempoolEntry& dm) {
                dm.m_mod_fees_with_ancestors = SaturatingAdd(dm.m_mod_fees_with_ancestors, change);
            });
        }
        ++m_transactions_updated;
    }
    if (total == 0) {
        m_deltas.erase(txid);
        LogInfo("PrioritiseTransaction: {} ({}in mempool) delta cleared", txid.GetHex(), e ? "" : "not ");
    } else {
        LogInfo("PrioritiseTransaction: {} ({}in mempool) fee += {}, new delta={}", txid.GetHex(), e ? "" : "not ",
                FormatMoney(delta), FormatMoney(total));
    }
}

Amount TxMemPool::GetFeeDelta(const uint256& txid) const
{
    auto it = m_deltas.find(txid);
    return it == m_deltas.end() ? 0 : it->second;
}

void TxMemPool::ClearPrioritisation(const uint256& txid)
{
    m_deltas.erase(txid);
}

// ---- unbroadcast set ----

void TxMemPool::AddUnbroadcastTx(const uint256& txid)
{
    // Only transactions actually in the pool wait for a first announcement.
    if (Exists(txid)) m_unbroadcast.insert(txid);
}

void TxMemPool::RemoveUnbroadcastTx(const uint256& txid)
{
    m_unbroadcast.erase(txid);
}

// ---- consistency ----

void TxMemPool::Check() const
{
    const Impl& m = *m_impl;
    auto fail = [](const std::string& what) { throw std::logic_error("TxMemPool::Check: " + what); };
    const size_t n = m.by_txid.size();
    if (m.by_wtxid.size() != n || m.by_score.size() != n || m.by_ancestor_score.size() != n || m.by_time.size() != n) {
        fail("index sizes differ");
    }

    int64_t total_vsize = 0;
    Amount total_fee = 0;
    size_t entries_usage = 0;
    size_t link_count = 0;
    size_t inputs = 0;
    for (const auto& [txid, owned] : m.by_txid) {
        const MempoolEntry* e = owned.get();
        const std::string name = txid.GetHex();
        if (e->Txid() != txid) fail(name + ": filed under another txid");
        auto w = m.by_wtxid.find(e->Wtxid());
        if (w == m.by_wtxid.end() || w->second != e) fail(name + ": wtxid index wrong");
        // (A set finds an entry by its current key: a stale key hides it.)
        if (!m.by_score.count(e) || !m.by_ancestor_score.count(e) || !m.by_time.count(e)) {
            fail(name + ": missing from an ordered index");
        }

        // Parents from the inputs, and the spender index.
        MempoolEntrySet parents;
        for (const TxIn& in : e->GetTx().vin) {
            ++inputs;
            auto s = m.spenders.find(in.prevout);
            if (s == m.spenders.end() || s->second != e) fail(name + ": spender of " + in.prevout.ToString() + " wrong");
            if (const MempoolEntry* p = m.Find(in.prevout.hash)) parents.insert(p);
        }
        if (parents != e->m_parents) fail(name + ": parent links wrong");
        for (const MempoolEntry* p : parents) {
            if (!p->m_children.count(e)) fail(name + ": parent " + p->Txid().GetHex() + " does not list it as child");
        }
        // Children from the spender index.
        MempoolEntrySet children;
        for (auto s = m.spenders.lower_bound(OutPoint(txid, 0)); s != m.spenders.end() && s->first.hash == txid; ++s) {
            children.insert(s->second);
        }
        if (children != e->m_children) fail(name + ": child links wrong");
        link_count += e->m_parents.size() + e->m_children.size();

        // Totals, recomputed by walking the links.
        const MempoolEntrySet ancestors = m.Ancestors(e);
        if (ancestors.count(e)) fail(name + ": is its own ancestor");
        uint64_t count = 1;
        int64_t size = e->GetTxSize();
        Amount fees = e->GetModifiedFee();
        int64_t sigops = e->GetSigOpCost();
        for (const MempoolEntry* a : ancestors) {
            ++count;
            size += a->GetTxSize();
            fees = SaturatingAdd(fees, a->GetModifiedFee());
            sigops += a->GetSigOpCost();
        }
        if (count != e->GetCountWithAncestors() || size != e->GetSizeWithAncestors() ||
            fees != e->GetModFeesWithAncestors() || sigops != e->GetSigOpCostWithAncestors()) {
            fail(name + ": ancestor totals wrong");
        }
        MempoolEntrySet descendants;
        m.CollectDescendants(e, descendants);
        count = 0;
        size = 0;
        fees = 0;
        for (const MempoolEntry* d : descendants) {
            ++count;
            size += d->GetTxSize();
            fees = SaturatingAdd(fees, d->GetModifiedFee());
        }
        if (count != e->GetCountWithDescendants() || size != e->GetSizeWithDescendants() ||
            fees != e->GetModFeesWithDescendants()) {
            fail(name + ": descendant totals wrong");
        }
        total_vsize += e->GetTxSize();
        total_fee += e->GetFee();
        entries_usage += e->DynamicMemoryUsage();
    }
    if (inputs != m.spenders.size()) fail("spender index has entries of transactions not in the pool");
    if (total_vsize != m.total_vsize) fail("total size wrong");
    if (total_fee != m.total_fee) fail("total fee wrong");
    if (entries_usage != m.entries_usage) fail("memory usage wrong");
    if (link_count != m.link_count) fail("link count wrong");
    // The eviction order is what a fresh sort would give.
    const DescendantScoreLess less;
    for (auto it = m.by_score.begin(); it != m.by_score.end() && std::next(it) != m.by_score.end(); ++it) {
        if (!less(*it, *std::next(it))) fail("eviction order stale at " + (*it)->Txid().GetHex());
    }
    // So is the mining order, and it holds exactly the pool's entries.
    const MempoolEntryAncestorScoreOrder better;
    for (auto it = m.by_ancestor_score.begin(); it != m.by_ancestor_score.end(); ++it) {
        if (m.Find((*it)->Txid()) != *it) fail("ancestor score index holds an entry not in the pool");
        if (std::next(it) != m.by_ancestor_score.end() && !better(*it, *std::next(it))) {
            fail("ancestor score order stale at " + (*it)->Txid().GetHex());
        }
    }
}

} // namespace cairn
