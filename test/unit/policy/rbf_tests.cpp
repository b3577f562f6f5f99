// Replacement rules over plain data (src/policy/rbf.cpp), with Core's
// exact messages.
#include "policy/rbf.h"

#include "test/unit/policy/policy_test_util.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::policy_test;

BOOST_AUTO_TEST_SUITE(policy_rbf_tests)

BOOST_AUTO_TEST_CASE(pays_for_rbf)
{
    const uint256 txid = HashOf(77);
    const std::string id = txid.GetHex();
    const FeeRate incremental{100};
    // Enough: the same fees plus 0.1 sat/vB of its 200 vbytes.
    BOOST_CHECK(!PaysForRBF(10000, 10020, 200, incremental, txid));
    BOOST_CHECK(!PaysForRBF(0, 20, 200, incremental, txid));
    // Rule 3: less than the evicted transactions paid.
    BOOST_CHECK_EQUAL(PaysForRBF(10000, 9999, 200, incremental, txid).value_or(""),
                      "rejecting replacement " + id + ", less fees than conflicting txs; 0.00009999 < 0.0001");
    // Rule 4: not enough on top for its own relay.
    BOOST_CHECK_EQUAL(PaysForRBF(10000, 10019, 200, incremental, txid).value_or(""),
                      "rejecting replacement " + id + ", not enough additional fees to relay; 0.00000019 < 0.0000002");
    BOOST_CHECK_EQUAL(PaysForRBF(10000, 10000, 200, FeeRate{1000}, txid).value_or(""),
                      "rejecting replacement " + id + ", not enough additional fees to relay; 0.00 < 0.000002");
    // Rounded up: 141 vbytes at 0.1 sat/vB need 15 sat.
    BOOST_CHECK(PaysForRBF(0, 14, 141, incremental, txid));
    BOOST_CHECK(!PaysForRBF(0, 15, 141, incremental, txid));
    // A zero incremental fee only asks for no loss.
    BOOST_CHECK(!PaysForRBF(500, 500, 1000, FeeRate{0}, txid));
}

BOOST_AUTO_TEST_CASE(replacement_candidates)
{
    BOOST_CHECK_EQUAL(MAX_REPLACEMENT_CANDIDATES, 100U);
    const uint256 txid = HashOf(3);
    const std::vector<uint64_t> ok{50, 50}, over{50, 51}, first_over{101, 1};
    BOOST_CHECK(!CheckReplacementCandidates(ok, txid));
    BOOST_CHECK(!CheckReplacementCandidates({}, txid));
    BOOST_CHECK_EQUAL(CheckReplacementCandidates(over, txid).value_or(""),
                      "rejecting replacement " + txid.GetHex() + "; too many potential replacements (101 > 100)");
    // The running count stops at the first conflict that goes over.
    BOOST_CHECK_EQUAL(CheckReplacementCandidates(first_over, txid).value_or(""),
                      "rejecting replacement " + txid.GetHex() + "; too many potential replacements (101 > 100)");
}

BOOST_AUTO_TEST_CASE(pays_more_than_conflicts)
{
    const uint256 txid = HashOf(4);
    const std::vector<FeeRate> conflicts{FeeRate{1000}, FeeRate{2000}};
    BOOST_CHECK(!PaysMoreThanConflicts(conflicts, FeeRate{2001}, txid));
    BOOST_CHECK_EQUAL(PaysMoreThanConflicts(conflicts, FeeRate{2000}, txid).value_or(""),
                      "rejecting replacement " + txid.GetHex() +
                          "; new feerate 0.00002000 BTC/kvB <= old feerate 0.00002000 BTC/kvB");
    BOOST_CHECK_EQUAL(PaysMoreThanConflicts(conflicts, FeeRate{500}, txid).value_or(""),
                      "rejecting replacement " + txid.GetHex() +
                          "; new feerate 0.00000500 BTC/kvB <= old feerate 0.00001000 BTC/kvB");
}

BOOST_AUTO_TEST_CASE(entries_and_txids_disjoint)
{
    const uint256 txid = HashOf(5), a = HashOf(6), b = HashOf(7);
    const std::vector<uint256> ancestors{a, b};
    BOOST_CHECK(!EntriesAndTxidsDisjoint(ancestors, {HashOf(8)}, txid));
    BOOST_CHECK_EQUAL(EntriesAndTxidsDisjoint(ancestors, {b}, txid).value_or(""),
                      txid.GetHex() + " spends conflicting transaction " + b.GetHex());
}

BOOST_AUTO_TEST_CASE(has_no_new_unconfirmed)
{
    const uint256 conflict_parent = HashOf(10), unconfirmed = HashOf(11), confirmed = HashOf(12);
    const auto in_mempool = [&](const uint256& h) { return h == conflict_parent || h == unconfirmed; };
    const Transaction ok(Spending({OutPoint(conflict_parent, 0), OutPoint(confirmed, 1)}, {TxOut(1, P2WPKH())}));
    BOOST_CHECK(!HasNoNewUnconfirmed(ok, {conflict_parent}, in_mempool));
    const Transaction bad(
        Spending({OutPoint(conflict_parent, 0), OutPoint(confirmed, 1), OutPoint(unconfirmed, 0)}, {TxOut(1, P2WPKH())}));
    BOOST_CHECK_EQUAL(HasNoNewUnconfirmed(bad, {conflict_parent}, in_mempool).value_or(""),
                      "replacement " + bad.GetTxid().GetHex() + " adds unconfirmed input, idx 2");
    // Spending another output of a conflict's unconfirmed parent is fine.
    BOOST_CHECK(!HasNoNewUnconfirmed(bad, {conflict_parent, unconfirmed}, in_mempool));
}

BOOST_AUTO_TEST_SUITE_END()
