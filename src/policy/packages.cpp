#include "policy/packages.h"

#include "consensus/tx_check.h"
#include "crypto/sha256.h"

#include <algorithm>
#include <set>

namespace cairn {

namespace {

std::set<uint256> TxidsOf(std::span<const TransactionRef> txns)
{
    std::set<uint256> txids;
    for (const TransactionRef& tx : txns) txids.insert(tx->GetTxid());
    return txids;
}

/** IsTopoSortedPackage with `later` holding the txids of all of `txns`
 *  (consumed). */
bool IsTopoSorted(const Package& txns, std::set<uint256>& later)
{
    // `later` holds this transaction and every one after it: spending any
    // of them means a parent comes after its child (or a tx spends itself).
    for (const TransactionRef& tx : txns) {
        for (const TxIn& in : tx->vin) {
            if (later.count(in.prevout.hash)) return false;
        }
        later.erase(tx->GetTxid());
    }
    return true;
}

} // namespace

bool IsTopoSortedPackage(const Package& txns)
{
    std::set<uint256> later = TxidsOf(txns);
    return IsTopoSorted(txns, later);
}

bool IsConsistentPackage(const Package& txns)
{
    std::set<OutPoint> inputs_seen;
    for (const TransactionRef& tx : txns) {
        if (tx->vin.empty()) return false;
        for (const TxIn& in : tx->vin) {
            if (inputs_seen.count(in.prevout)) return false;
        }
        // Added only after the whole transaction is checked, so that a
        // duplicate inside one transaction is left to CheckTransaction.
        for (const TxIn& in : tx->vin) inputs_seen.insert(in.prevout);
    }
    return true;
}

bool IsWellFormedPackage(const Package& txns, PackageValidationState& state, bool require_sorted)
{
    if (txns.size() > MAX_PACKAGE_COUNT) {
        return state.Invalid(PackageResult::PCKG_POLICY, "package-too-many-transactions");
    }

    int64_t total_weight = 0;
    for (const TransactionRef& tx : txns) total_weight += GetTransactionWeight(*tx);
    // A single transaction is better reported on its own weight.
    if (txns.size() > 1 && total_weight > MAX_PACKAGE_WEIGHT) {
        return state.Invalid(PackageResult::PCKG_POLICY, "package-too-large");
    }

    // By txid, which also catches the same transaction with another witness.
    std::set<uint256> later = TxidsOf(txns);
    if (later.size() != txns.size()) {
        return state.Invalid(PackageResult::PCKG_POLICY, "package-contains-duplicates");
    }

    // Unsorted packages would fail on missing inputs anyway; this says why.
    if (require_sorted && !IsTopoSorted(txns, later)) {
        return state.Invalid(PackageResult::PCKG_POLICY, "package-not-sorted");
    }

    if (!IsConsistentPackage(txns)) {
        return state.Invalid(PackageResult::PCKG_POLICY, "conflict-in-package");
    }
    return true;
}

bool IsChildWithParents(const Package& package)
{
    if (package.size() < 2) return false;
    const Transaction& child = *package.back();
    std::set<uint256> input_txids;
    for (const TxIn& in : child.vin) input_txids.insert(in.prevout.hash);
    return std::all_of(package.begin(), package.end() - 1,
                       [&](const TransactionRef& tx) { return input_txids.count(tx->GetTxid()) > 0; });
}

bool IsChildWithParentsTree(const Package& package)
{
    if (!IsChildWithParents(package)) return false;
    const std::set<uint256> parent_txids = TxidsOf(std::span(package).first(package.size() - 1));
    return std::none_of(package.begin(), package.end() - 1, [&](const TransactionRef& tx) {
        return std::any_of(tx->vin.begin(), tx->vin.end(),
                           [&](const TxIn& in) { return parent_txids.count(in.prevout.hash) > 0; });
    });
}

uint256 GetPackageHash(const std::vector<TransactionRef>& transactions)
{
    std::vector<uint256> wtxids;
    wtxids.reserve(transactions.size());
    for (const TransactionRef& tx : transactions) wtxids.push_back(tx->GetWtxid());
    // Ascending as numbers, i.e. as their hex is displayed: compare the
    // stored (little-endian) bytes from the last one down.
    std::sort(wtxids.begin(), wtxids.end(), [](const uint256& a, const uint256& b) {
        return std::lexicographical_compare(std::make_reverse_iterator(a.end()), std::make_reverse_iterator(a.begin()),
                                            std::make_reverse_iterator(b.end()), std::make_reverse_iterator(b.begin()));
    });
    Sha256 hasher;
    for (const uint256& wtxid : wtxids) hasher.Write(wtxid.span());
    uint256 out;
    hasher.Finalize(out.data());
    return out;
}

} // namespace cairn
