// Ephemeral dust (src/policy/ephemeral.cpp): the zero-fee pre-check and the
// package check that every child spends its parents' dust.
#include "policy/ephemeral.h"

#include "policy/policy.h"
#include "test/unit/policy/policy_test_util.h"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace cairn;
using namespace cairn::policy_test;

namespace {

const FeeRate DUST_RATE{DUST_RELAY_TX_FEE};

/** A parent with a 0-value anchor (dust) at index 1 and `extra_dust` more
 *  dust outputs after it. */
TransactionRef DustyParent(uint32_t seed, int extra_dust = 0)
{
    MutableTransaction tx = Spending({OutPoint(HashOf(seed + 300), 0)}, {TxOut(50000, P2WPKH()), TxOut(0, P2A())});
    for (int i = 0; i < extra_dust; ++i) tx.vout.emplace_back(1, P2TR());
    return MakeTransactionRef(std::move(tx));
}

TransactionRef CleanParent(uint32_t seed)
{
    return MakeTransactionRef(Spending({OutPoint(HashOf(seed + 400), 0)}, {TxOut(50000, P2WPKH())}));
}

TransactionRef Spend(const std::vector<OutPoint>& prevouts)
{
    return MakeTransactionRef(Spending(prevouts, {TxOut(40000, P2WPKH())}));
}

const DustLookup NO_MEMPOOL = [](const uint256&) -> std::optional<std::vector<uint32_t>> { return std::nullopt; };

} // namespace

BOOST_AUTO_TEST_SUITE(policy_ephemeral_tests)

BOOST_AUTO_TEST_CASE(precheck_requires_zero_fee_with_dust)
{
    const Transaction dusty(*DustyParent(1));
    const Transaction clean(*CleanParent(1));
    {
        TxValidationState state;
        BOOST_CHECK(PreCheckEphemeralTx(dusty, DUST_RATE, 0, 0, state));
        BOOST_CHECK(state.IsValid());
    }
    for (auto [base, mod] : {std::pair<Amount, Amount>{1, 1}, {1, 0}, {0, 1}, {0, -5}, {-1, 0}}) {
        TxValidationState state;
        BOOST_CHECK(!PreCheckEphemeralTx(dusty, DUST_RATE, base, mod, state));
        BOOST_CHECK(state.GetResult() == TxResult::NOT_STANDARD);
        BOOST_CHECK_EQUAL(state.GetRejectReason(), "dust");
        BOOST_CHECK_EQUAL(state.GetDebugMessage(), "tx with dust output must be 0-fee");
        BOOST_CHECK_EQUAL(state.ToString(), "dust, tx with dust output must be 0-fee");
    }
    // Without dust any fee is fine; at a zero dust rate nothing is dust.
    TxValidationState state;
    BOOST_CHECK(PreCheckEphemeralTx(clean, DUST_RATE, 1000, 1000, state));
    BOOST_CHECK(PreCheckEphemeralTx(dusty, FeeRate{0}, 1000, 1000, state));
    BOOST_CHECK(state.IsValid());
}

BOOST_AUTO_TEST_CASE(child_spending_the_dust_passes)
{
    const TransactionRef parent = DustyParent(1);
    const TransactionRef child = Spend({OutPoint(parent->GetTxid(), 0), OutPoint(parent->GetTxid(), 1)});
    BOOST_CHECK(!FindUnspentEphemeralDust({parent, child}, DUST_RATE, NO_MEMPOOL));
    // Spending only the dust is enough.
    BOOST_CHECK(!FindUnspentEphemeralDust({parent, Spend({OutPoint(parent->GetTxid(), 1)})}, DUST_RATE, NO_MEMPOOL));
    // A package without dust, and an empty one.
    const TransactionRef clean = CleanParent(2);
    BOOST_CHECK(!FindUnspentEphemeralDust({clean, Spend({OutPoint(clean->GetTxid(), 0)})}, DUST_RATE, NO_MEMPOOL));
    BOOST_CHECK(!FindUnspentEphemeralDust({}, DUST_RATE, NO_MEMPOOL));
    // No lookup at all: parents outside the package are taken to have no dust.
    BOOST_CHECK(!FindUnspentEphemeralDust({child}, DUST_RATE, DustLookup{}));
}

BOOST_AUTO_TEST_CASE(child_leaving_dust_fails)
{
    const TransactionRef parent = DustyParent(1);
    const TransactionRef child = Spend({OutPoint(parent->GetTxid(), 0)});
    const std::optional<size_t> failed = FindUnspentEphemeralDust({parent, child}, DUST_RATE, NO_MEMPOOL);
    BOOST_REQUIRE(failed);
    BOOST_CHECK_EQUAL(*failed, 1U);

    TxValidationState state;
    uint256 wtxid;
    BOOST_CHECK(!CheckEphemeralSpends({parent, child}, DUST_RATE, NO_MEMPOOL, state, wtxid));
    BOOST_CHECK(wtxid == child->GetWtxid());
    BOOST_CHECK(state.GetResult() == TxResult::MEMPOOL_POLICY);
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "missing-ephemeral-spends");
    BOOST_CHECK_EQUAL(state.GetDebugMessage(), "tx " + child->GetTxid().GetHex() + " (wtxid=" +
                                                   child->GetWtxid().GetHex() +
                                                   ") did not spend parent's ephemeral dust");

    // Every dust output must go, not just one of them.
    const TransactionRef two = DustyParent(2, 1);
    BOOST_CHECK(*FindUnspentEphemeralDust({two, Spend({OutPoint(two->GetTxid(), 1)})}, DUST_RATE, NO_MEMPOOL) == 1);
    BOOST_CHECK(!FindUnspentEphemeralDust({two, Spend({OutPoint(two->GetTxid(), 1), OutPoint(two->GetTxid(), 2)})},
                                          DUST_RATE, NO_MEMPOOL));
}

BOOST_AUTO_TEST_CASE(first_failing_child_is_reported)
{
    const TransactionRef p1 = DustyParent(1), p2 = DustyParent(2);
    const TransactionRef good = Spend({OutPoint(p1->GetTxid(), 1)});
    const TransactionRef bad1 = Spend({OutPoint(p2->GetTxid(), 0)});
    const TransactionRef bad2 = Spend({OutPoint(p2->GetTxid(), 0), OutPoint(p1->GetTxid(), 0)});
    BOOST_CHECK(*FindUnspentEphemeralDust({p1, p2, good, bad1, bad2}, DUST_RATE, NO_MEMPOOL) == 3);
    BOOST_CHECK(*FindUnspentEphemeralDust({p1, p2, bad2, bad1}, DUST_RATE, NO_MEMPOOL) == 2);
    // Two parents with dust: the child must spend both.
    const TransactionRef both = Spend({OutPoint(p1->GetTxid(), 1), OutPoint(p2->GetTxid(), 1)});
    BOOST_CHECK(!FindUnspentEphemeralDust({p1, p2, both}, DUST_RATE, NO_MEMPOOL));
    const TransactionRef one = Spend({OutPoint(p1->GetTxid(), 1), OutPoint(p2->GetTxid(), 0)});
    BOOST_CHECK(*FindUnspentEphemeralDust({p1, p2, one}, DUST_RATE, NO_MEMPOOL) == 2);
}

BOOST_AUTO_TEST_CASE(parents_in_the_mempool_come_from_the_lookup)
{
    const TransactionRef in_pool = DustyParent(5);
    int lookups = 0;
    std::vector<uint256> looked_up;
    const DustLookup mempool = [&](const uint256& txid) -> std::optional<std::vector<uint32_t>> {
        ++lookups;
        looked_up.push_back(txid);
        if (txid == in_pool->GetTxid()) return GetDust(*in_pool, DUST_RATE);
        return std::nullopt;
    };
    const TransactionRef leaves = Spend({OutPoint(in_pool->GetTxid(), 0)});
    BOOST_CHECK(*FindUnspentEphemeralDust({leaves}, DUST_RATE, mempool) == 0);
    const TransactionRef spends = Spend({OutPoint(in_pool->GetTxid(), 0), OutPoint(in_pool->GetTxid(), 1)});
    lookups = 0;
    BOOST_CHECK(!FindUnspentEphemeralDust({spends}, DUST_RATE, mempool));
    BOOST_CHECK_EQUAL(lookups, 1); // one look-up per distinct parent
    // A parent in the package is never looked up (only its own, outside, parent is).
    const TransactionRef parent = DustyParent(6);
    looked_up.clear();
    BOOST_CHECK(!FindUnspentEphemeralDust({parent, Spend({OutPoint(parent->GetTxid(), 1)})}, DUST_RATE, mempool));
    BOOST_CHECK(looked_up == std::vector<uint256>{parent->vin[0].prevout.hash});

    TxValidationState state;
    uint256 wtxid;
    BOOST_CHECK(CheckEphemeralSpends({spends}, DUST_RATE, mempool, state, wtxid));
    BOOST_CHECK(state.IsValid());
    BOOST_CHECK(wtxid.IsNull());
}

BOOST_AUTO_TEST_SUITE_END()
