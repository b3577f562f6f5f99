#include "mempool/truc.h"

#include <algorithm>
#include <fmt/format.h>
#include <vector>

namespace cairn {

namespace {

// Both functions are written for these limits: one parent, one child.
static_assert(TRUC_ANCESTOR_LIMIT == 2);
static_assert(TRUC_DESCENDANT_LIMIT == 2);

std::string TxName(const Transaction& tx)
{
    return fmt::format("{} (wtxid={})", tx.GetTxid().GetHex(), tx.GetWtxid().GetHex());
}

std::string CannotSpendNonTruc(const Transaction& tx, const Transaction& parent)
{
    return fmt::format("version=3 tx {} cannot spend from non-version=3 tx {}", TxName(tx), TxName(parent));
}

std::string CannotSpendTruc(const Transaction& tx, const Transaction& parent)
{
    return fmt::format("non-version=3 tx {} cannot spend from version=3 tx {}", TxName(tx), TxName(parent));
}

std::string TooManyAncestors(const Transaction& tx)
{
    return fmt::format("tx {} would have too many ancestors", TxName(tx));
}

std::string ExceedsDescendantLimit(const uint256& txid, const uint256& wtxid)
{
    return fmt::format("tx {} (wtxid={}) would exceed descendant count limit", txid.GetHex(), wtxid.GetHex());
}

std::string TooBig(const Transaction& tx, int64_t vsize)
{
    return fmt::format("version=3 tx {} is too big: {} > {} virtual bytes", TxName(tx), vsize, TRUC_MAX_VSIZE);
}

std::string ChildTooBig(const Transaction& tx, int64_t vsize)
{
    return fmt::format("version=3 child tx {} is too big: {} > {} virtual bytes", TxName(tx), vsize,
                       TRUC_CHILD_MAX_VSIZE);
}

/** Indices of the transactions before `tx` in the (sorted) package that it spends. */
std::vector<size_t> InPackageParents(const Package& package, const Transaction& tx)
{
    std::set<uint256> spent;
    for (const TxIn& in : tx.vin) spent.insert(in.prevout.hash);
    std::vector<size_t> parents;
    for (size_t i = 0; i < package.size(); ++i) {
        if (package[i].get() == &tx) break;
        if (spent.count(package[i]->GetTxid())) parents.push_back(i);
    }
    return parents;
}

} // namespace

std::optional<std::pair<std::string, TransactionRef>> SingleTRUCChecks(const TransactionRef& ptx,
                                                                        const MempoolEntrySet& ancestors,
                                                                        const std::set<uint256>& direct_conflicts,
                                                                        int64_t vsize)
{
    const Transaction& tx = *ptx;
    // Inheritance: TRUC spends only TRUC, non-TRUC only non-TRUC.
    for (const MempoolEntry* entry : ancestors) {
        const bool parent_truc = entry->GetTx().version == TRUC_VERSION;
        if (tx.version != TRUC_VERSION && parent_truc) {
            return std::make_pair(CannotSpendTruc(tx, entry->GetTx()), nullptr);
        }
        if (tx.version == TRUC_VERSION && !parent_truc) {
            return std::make_pair(CannotSpendNonTruc(tx, entry->GetTx()), nullptr);
        }
    }
    if (tx.version != TRUC_VERSION) return std::nullopt;

    if (vsize > TRUC_MAX_VSIZE) return std::make_pair(TooBig(tx, vsize), nullptr);
    if (ancestors.size() + 1 > TRUC_ANCESTOR_LIMIT) return std::make_pair(TooManyAncestors(tx), nullptr);
    if (ancestors.empty()) return std::nullopt;

    if (vsize > TRUC_CHILD_MAX_VSIZE) return std::make_pair(ChildTooBig(tx, vsize), nullptr);

    // The parent may have no other child, unless this transaction replaces it.
    const MempoolEntry& parent = **ancestors.begin();
    const MempoolEntrySet& children = parent.Children();
    const bool child_replaced = std::any_of(children.begin(), children.end(), [&](const MempoolEntry* child) {
        return direct_conflicts.count(child->Txid()) != 0;
    });
    if (parent.GetCountWithDescendants() + 1 > TRUC_DESCENDANT_LIMIT && !child_replaced) {
        // Sibling eviction is only considered for the simple shape: the parent
        // has exactly one child, and that child has no other ancestor (a reorg
        // can produce other shapes).
        const bool consider_sibling = parent.GetCountWithDescendants() == 2 && children.size() == 1 &&
                                      (*children.begin())->GetCountWithAncestors() == 2;
        return std::make_pair(ExceedsDescendantLimit(parent.Txid(), parent.Wtxid()),
                              consider_sibling ? (*children.begin())->GetSharedTx() : nullptr);
    }
    return std::nullopt;
}

std::optional<std::string> PackageTRUCChecks(const TransactionRef& ptx, int64_t vsize, const Package& package,
                                             const MempoolEntrySet& ancestors)
{
    const Transaction& tx = *ptx;
    const std::vector<size_t> package_parents = InPackageParents(package, tx);

    if (tx.version != TRUC_VERSION) {
        for (const MempoolEntry* entry : ancestors) {
            if (entry->GetTx().version == TRUC_VERSION) return CannotSpendTruc(tx, entry->GetTx());
        }
        for (size_t i : package_parents) {
            if (package[i]->version == TRUC_VERSION) return CannotSpendTruc(tx, *package[i]);
        }
        return std::nullopt;
    }

    // SingleTRUCChecks (run in PreChecks) already bounds the size.
    if (vsize > TRUC_MAX_VSIZE) return TooBig(tx, vsize);
    if (ancestors.size() + package_parents.size() + 1 > TRUC_ANCESTOR_LIMIT) return TooManyAncestors(tx);
    if (ancestors.empty() && package_parents.empty()) return std::nullopt;

    if (vsize > TRUC_CHILD_MAX_VSIZE) return ChildTooBig(tx, vsize);

    // Exactly one parent, in the pool or in the package.
    struct Parent {
        uint256 txid, wtxid;
        uint32_t version;
        bool has_pool_descendant;
        const Transaction* tx;
    };
    const Parent parent = [&] {
        if (!ancestors.empty()) {
            const MempoolEntry& e = **ancestors.begin();
            return Parent{e.Txid(), e.Wtxid(), e.GetTx().version, e.GetCountWithDescendants() > 1, &e.GetTx()};
        }
        const Transaction& p = *package[package_parents.front()];
        return Parent{p.GetTxid(), p.GetWtxid(), p.version, false, &p};
    }();
    if (parent.version != TRUC_VERSION) return CannotSpendNonTruc(tx, *parent.tx);

    for (const TransactionRef& other : package) {
        if (other.get() == &tx) continue;
        for (const TxIn& in : other->vin) {
            // Another package transaction spending the same parent: a sibling.
            if (in.prevout.hash == parent.txid) return ExceedsDescendantLimit(parent.txid, parent.wtxid);
            // A child of this transaction would be a third generation.
            if (in.prevout.hash == tx.GetTxid()) return TooManyAncestors(*other);
        }
    }
    if (parent.has_pool_descendant) return ExceedsDescendantLimit(parent.txid, parent.wtxid);
    return std::nullopt;
}

} // namespace cairn
