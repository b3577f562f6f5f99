// Package rules (src/policy/packages.cpp): every IsWellFormedPackage reason
// and its order, the topology helpers and the package hash.
#include "policy/packages.h"

#include "consensus/tx_check.h"
#include "crypto/hash.h"
#include "test/unit/policy/policy_test_util.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace cairn;
using namespace cairn::policy_test;

namespace {

/** A transaction with no in-package parent, distinct for each `seed`. */
TransactionRef Root(uint32_t seed, size_t n_out = 2)
{
    MutableTransaction tx = Spending({OutPoint(HashOf(seed + 500), 0)}, {});
    for (size_t i = 0; i < n_out; ++i) tx.vout.emplace_back(10000, P2WPKH());
    return MakeTransactionRef(std::move(tx));
}

/** A transaction spending output `n` of each of `parents`. */
TransactionRef Child(const std::vector<TransactionRef>& parents, uint32_t n = 0)
{
    std::vector<OutPoint> prevouts;
    for (const TransactionRef& p : parents) prevouts.emplace_back(p->GetTxid(), n);
    return MakeTransactionRef(Spending(prevouts, {TxOut(5000, P2WPKH())}));
}

std::string WellFormedReason(const Package& p, bool require_sorted = true)
{
    PackageValidationState state;
    const bool ok = IsWellFormedPackage(p, state, require_sorted);
    BOOST_CHECK_EQUAL(ok, state.IsValid());
    if (ok) return "ok";
    BOOST_CHECK(state.GetResult() == PackageResult::PCKG_POLICY);
    return state.GetRejectReason();
}

} // namespace

BOOST_AUTO_TEST_SUITE(policy_packages_tests)

BOOST_AUTO_TEST_CASE(limits)
{
    BOOST_CHECK_EQUAL(MAX_PACKAGE_COUNT, 25U);
    BOOST_CHECK_EQUAL(MAX_PACKAGE_WEIGHT, 404000U);
    PackageValidationState state;
    BOOST_CHECK(state.GetResult() == PackageResult::PCKG_RESULT_UNSET);
}

BOOST_AUTO_TEST_CASE(well_formed_packages_pass)
{
    const TransactionRef p1 = Root(1), p2 = Root(2);
    BOOST_CHECK_EQUAL(WellFormedReason({}), "ok");
    BOOST_CHECK_EQUAL(WellFormedReason({p1}), "ok");
    BOOST_CHECK_EQUAL(WellFormedReason({p1, p2, Child({p1, p2})}), "ok");
    Package full;
    for (uint32_t i = 0; i < MAX_PACKAGE_COUNT; ++i) full.push_back(Root(i));
    BOOST_CHECK_EQUAL(WellFormedReason(full), "ok");
}

BOOST_AUTO_TEST_CASE(package_too_many_transactions)
{
    Package p;
    for (uint32_t i = 0; i <= MAX_PACKAGE_COUNT; ++i) p.push_back(Root(i));
    BOOST_CHECK_EQUAL(WellFormedReason(p), "package-too-many-transactions");
    // Checked before anything else, duplicates included.
    p.back() = p.front();
    BOOST_CHECK_EQUAL(WellFormedReason(p), "package-too-many-transactions");
}

BOOST_AUTO_TEST_CASE(package_too_large)
{
    // Two transactions padded with witness data to 202,000 weight each.
    auto heavy = [](uint32_t seed, int64_t target) {
        MutableTransaction tx = Spending({OutPoint(HashOf(seed + 900), 0)}, {TxOut(10000, P2WPKH())});
        tx.vin[0].witness.stack = {Bytes(150000, 0)};
        const int64_t w = GetTransactionWeight(Transaction(tx));
        tx.vin[0].witness.stack[0].resize(size_t(150000 + target - w));
        BOOST_REQUIRE_EQUAL(GetTransactionWeight(Transaction(tx)), target);
        return MakeTransactionRef(std::move(tx));
    };
    const TransactionRef a = heavy(1, 202000), b = heavy(2, 202000), c = heavy(3, 202001);
    BOOST_CHECK_EQUAL(WellFormedReason({a, b}), "ok");
    BOOST_CHECK_EQUAL(WellFormedReason({a, c}), "package-too-large");
    // One transaction alone is judged on its own weight elsewhere.
    const TransactionRef huge = heavy(4, 500000);
    BOOST_CHECK_EQUAL(WellFormedReason({huge}), "ok");
    // Weight comes before duplicates.
    BOOST_CHECK_EQUAL(WellFormedReason({c, c}), "package-too-large");
}

BOOST_AUTO_TEST_CASE(package_contains_duplicates)
{
    const TransactionRef p1 = Root(1);
    BOOST_CHECK_EQUAL(WellFormedReason({p1, p1}), "package-contains-duplicates");
    // Same txid, different witness: still a duplicate.
    MutableTransaction with_witness(MutableTransaction{p1->version, p1->vin, p1->vout, p1->locktime});
    with_witness.vin[0].witness.stack = {Bytes{1}};
    const TransactionRef p1w = MakeTransactionRef(std::move(with_witness));
    BOOST_REQUIRE(p1w->GetTxid() == p1->GetTxid() && p1w->GetWtxid() != p1->GetWtxid());
    BOOST_CHECK_EQUAL(WellFormedReason({p1, p1w}), "package-contains-duplicates");
    // Before the sort order.
    const TransactionRef child = Child({p1});
    BOOST_CHECK_EQUAL(WellFormedReason({child, p1, p1}), "package-contains-duplicates");
}

BOOST_AUTO_TEST_CASE(package_not_sorted)
{
    const TransactionRef p1 = Root(1), p2 = Root(2);
    const TransactionRef child = Child({p1, p2});
    BOOST_CHECK_EQUAL(WellFormedReason({child, p1, p2}), "package-not-sorted");
    BOOST_CHECK_EQUAL(WellFormedReason({p1, child, p2}), "package-not-sorted");
    BOOST_CHECK_EQUAL(WellFormedReason({p1, child, p2}, /*require_sorted=*/false), "ok");
    BOOST_CHECK(!IsTopoSortedPackage({child, p1, p2}));
    BOOST_CHECK(IsTopoSortedPackage({p2, p1, child}));
    // Grandparent chain sorted, and reversed.
    const TransactionRef mid = Child({p1}), last = Child({mid});
    BOOST_CHECK(IsTopoSortedPackage({p1, mid, last}));
    BOOST_CHECK(!IsTopoSortedPackage({p1, last, mid}));
}

BOOST_AUTO_TEST_CASE(conflict_in_package)
{
    const TransactionRef p1 = Root(1, 1);
    // Two children of p1 spending the same output.
    const TransactionRef c1 = Child({p1});
    const TransactionRef c2 = MakeTransactionRef(Spending({OutPoint(p1->GetTxid(), 0)}, {TxOut(4000, P2WPKH())}));
    BOOST_CHECK_EQUAL(WellFormedReason({p1, c1, c2}), "conflict-in-package");
    BOOST_CHECK(!IsConsistentPackage({p1, c1, c2}));
    // Sorting is checked first.
    BOOST_CHECK_EQUAL(WellFormedReason({c1, p1, c2}), "package-not-sorted");
    BOOST_CHECK_EQUAL(WellFormedReason({c1, p1, c2}, false), "conflict-in-package");
    // A transaction without inputs cannot be checked for conflicts.
    const TransactionRef no_inputs = MakeTransactionRef(Spending({}, {TxOut(1, P2WPKH())}));
    BOOST_CHECK_EQUAL(WellFormedReason({p1, no_inputs}), "conflict-in-package");
    // A duplicate input inside one transaction is CheckTransaction's to report.
    const TransactionRef dup_in = MakeTransactionRef(
        Spending({OutPoint(HashOf(7), 0), OutPoint(HashOf(7), 0)}, {TxOut(1, P2WPKH())}));
    BOOST_CHECK(IsConsistentPackage({dup_in}));
    BOOST_CHECK(IsConsistentPackage({p1, c1}));
}

BOOST_AUTO_TEST_CASE(child_with_parents)
{
    const TransactionRef p1 = Root(1), p2 = Root(2);
    const TransactionRef child = Child({p1, p2});
    BOOST_CHECK(!IsChildWithParents({}));
    BOOST_CHECK(!IsChildWithParents({p1}));
    BOOST_CHECK(IsChildWithParents({p1, child}));
    BOOST_CHECK(IsChildWithParents({p1, p2, child}));
    BOOST_CHECK(IsChildWithParents({p2, p1, child})); // parents in any order
    BOOST_CHECK(!IsChildWithParents({p1, p2, Child({p1})})); // p2 is no parent of the last
    BOOST_CHECK(!IsChildWithParents({p1, p2}));
    BOOST_CHECK(IsChildWithParentsTree({p1, p2, child}));

    // Parent and grandparent both spent by the child: a child with parents,
    // but not a tree (one parent spends another).
    const TransactionRef mid = Child({p1}, 1);
    const TransactionRef joint = MakeTransactionRef(
        Spending({OutPoint(p1->GetTxid(), 0), OutPoint(mid->GetTxid(), 0)}, {TxOut(1000, P2WPKH())}));
    BOOST_CHECK(IsChildWithParents({p1, mid, joint}));
    BOOST_CHECK(!IsChildWithParentsTree({p1, mid, joint}));
    // Grandparent, parent, child in a line: the child does not spend the grandparent.
    BOOST_CHECK(!IsChildWithParents({p1, mid, Child({mid})}));
    BOOST_CHECK(!IsChildWithParentsTree({p1, mid, Child({mid})}));
}

BOOST_AUTO_TEST_CASE(package_hash)
{
    const TransactionRef a = Root(1), b = Root(2), c = Root(3);
    const uint256 h = GetPackageHash({a, b, c});
    BOOST_CHECK(h == GetPackageHash({c, a, b}));
    BOOST_CHECK(h == GetPackageHash({b, c, a}));
    BOOST_CHECK(h != GetPackageHash({a, b}));

    // Single SHA-256 of the stored wtxid bytes, ordered as their hex reads.
    std::vector<uint256> wtxids{a->GetWtxid(), b->GetWtxid(), c->GetWtxid()};
    std::sort(wtxids.begin(), wtxids.end(), [](const uint256& x, const uint256& y) { return x.GetHex() < y.GetHex(); });
    Bytes concat;
    for (const uint256& w : wtxids) concat.insert(concat.end(), w.begin(), w.end());
    BOOST_CHECK(h == Sha256Single(concat));

    // Witnesses matter: the hash is over wtxids.
    MutableTransaction aw{a->version, a->vin, a->vout, a->locktime};
    aw.vin[0].witness.stack = {Bytes{9}};
    BOOST_CHECK(h != GetPackageHash({MakeTransactionRef(aw), b, c}));
    // An empty package hashes the empty string.
    BOOST_CHECK(GetPackageHash({}) == Sha256Single({}));
    BOOST_CHECK_EQUAL(GetPackageHash({}).GetHex(),
                      "55b852781b9995a44c939b64e441ae2724b96f99c8f4fb9a141cfc9842c4b0e3");
}

BOOST_AUTO_TEST_SUITE_END()
