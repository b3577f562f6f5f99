// Replacement (full RBF, Core 30): the rules end to end on a regtest chain,
// package RBF, and the feerate-diagram comparison on its own.
#include "mempool/rbf.h"

#include "test/unit/mempool/accept_test_env.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

BOOST_AUTO_TEST_SUITE(rbf_tests)

BOOST_AUTO_TEST_CASE(replace_conflict)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    // No BIP 125 signal needed: every conflict may be replaced.
    const TransactionRef original = env.Pay(coin, 1000);
    BOOST_REQUIRE(IsValid(env.Submit(original)));
    const TransactionRef child = env.Pay(OutputOf(*original, 0), 1000);
    BOOST_REQUIRE(IsValid(env.Submit(child)));

    // Same feerate: rule 6 (another output script, the same size).
    const Script other = P2WPKHScript(TestKey(2));
    MempoolAcceptResult r = env.Submit(env.PayTo(coin, 1000, other));
    BOOST_CHECK_EQUAL(Reason(r), "insufficient fee");
    BOOST_CHECK(r.state.GetResult() == TxResult::RECONSIDERABLE);
    BOOST_CHECK(r.state.GetDebugMessage().find("new feerate") != std::string::npos);

    // A higher feerate, but less than original + child pay: rule 3.
    r = env.Submit(env.Pay(coin, 1500));
    BOOST_CHECK_EQUAL(Reason(r), "insufficient fee");
    BOOST_CHECK(r.state.GetDebugMessage().find("less fees than conflicting txs; 0.000015 < 0.00002") !=
                std::string::npos);

    // Pays for what it evicts, but not for its own relay: rule 4 (incremental 0.1 sat/vB).
    const TransactionRef barely = env.Pay(coin, 2000);
    r = env.Submit(barely);
    BOOST_CHECK_EQUAL(Reason(r), "insufficient fee");
    BOOST_CHECK(r.state.GetDebugMessage().find("not enough additional fees to relay") != std::string::npos);

    // Enough: the original and its child leave.
    const TransactionRef replacement = env.Pay(coin, 2000 + FeeRate(100).GetFee(GetVirtualTransactionSize(*barely)));
    r = env.Submit(replacement);
    BOOST_REQUIRE_MESSAGE(IsValid(r), r.state.ToString());
    BOOST_CHECK_EQUAL(r.replaced_transactions.size(), 2U);
    BOOST_CHECK(env.InPool(replacement));
    BOOST_CHECK(!env.InPool(original));
    BOOST_CHECK(!env.InPool(child));
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(replacement_rules)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    const Utxo other = env.Coinbase();
    const TransactionRef original = env.Pay(coin, 1000);
    const TransactionRef unconfirmed = env.Pay(other, 1000);
    BOOST_REQUIRE(IsValid(env.Submit(original)));
    BOOST_REQUIRE(IsValid(env.Submit(unconfirmed)));

    // Rule 2: a new unconfirmed input.
    const TransactionRef adds = env.Split({coin, OutputOf(*unconfirmed, 0)}, 1, 50000);
    MempoolAcceptResult r = env.Submit(adds);
    BOOST_CHECK_EQUAL(Reason(r), "replacement-adds-unconfirmed");
    BOOST_CHECK(r.state.GetResult() == TxResult::MEMPOOL_POLICY);

    // Spending the transaction it replaces.
    const TransactionRef self = env.Split({coin, OutputOf(*original, 0)}, 1, 50000);
    r = env.Submit(self);
    BOOST_CHECK_EQUAL(Reason(r), "bad-txns-spends-conflicting-tx");
    BOOST_CHECK(r.state.GetResult() == TxResult::CONSENSUS);

    // A test of a replacement replaces nothing.
    r = env.Submit(env.Pay(coin, 50000), /*test_accept=*/true);
    BOOST_CHECK(IsValid(r));
    BOOST_CHECK(r.replaced_transactions.empty());
    BOOST_CHECK(env.InPool(original));
}

BOOST_AUTO_TEST_CASE(too_many_replacements)
{
    AcceptEnv env;
    // 101 confirmed outputs, each spent by its own pool transaction; one
    // replacement conflicting with all of them would evict 101.
    const TransactionRef fanout = env.Split({env.Coinbase()}, 101, 100000);
    env.Mine({ToMutable(*fanout)});
    std::vector<Utxo> outs;
    for (uint32_t i = 0; i < 101; ++i) {
        outs.push_back(OutputOf(*fanout, i));
        BOOST_REQUIRE(IsValid(env.Submit(env.Pay(outs.back(), 1000))));
    }
    const TransactionRef replacement = env.Split(outs, 1, 10 * COIN);
    MempoolAcceptResult r = env.Submit(replacement);
    BOOST_CHECK_EQUAL(Reason(r), "too many potential replacements");
    BOOST_CHECK(r.state.GetResult() == TxResult::MEMPOOL_POLICY);
    BOOST_CHECK(r.state.GetDebugMessage().find("(101 > 100)") != std::string::npos);
    BOOST_CHECK_EQUAL(env.PoolSize(), 101U);
}

BOOST_AUTO_TEST_CASE(package_rbf)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    const TransactionRef original = env.Pay(coin, 1000);
    BOOST_REQUIRE(IsValid(env.Submit(original)));

    // The new parent alone pays less than the original; with its child the
    // package pays more, at a higher feerate than the parent alone.
    const TransactionRef parent = env.Pay(coin, 500);
    const TransactionRef child = env.Pay(OutputOf(*parent, 0), 20000);
    MempoolAcceptResult alone = env.Submit(parent);
    BOOST_CHECK_EQUAL(Reason(alone), "insufficient fee");

    PackageMempoolAcceptResult res = env.SubmitPackage({parent, child});
    BOOST_REQUIRE_MESSAGE(res.state.IsValid(), res.state.ToString());
    const MempoolAcceptResult& pr = res.results.at(parent->GetWtxid());
    BOOST_CHECK(IsValid(pr));
    BOOST_CHECK_EQUAL(pr.replaced_transactions.size(), 1U);
    BOOST_REQUIRE(pr.effective_includes);
    BOOST_CHECK_EQUAL(pr.effective_includes->size(), 2U);
    BOOST_CHECK(env.InPool(parent) && env.InPool(child) && !env.InPool(original));
    env.CheckPool();

    // A package that does not beat what it would replace.
    const TransactionRef parent2 = env.Pay(coin, 600);
    const TransactionRef child2 = env.Pay(OutputOf(*parent2, 0), 1000);
    res = env.SubmitPackage({parent2, child2});
    BOOST_CHECK(res.state.IsInvalid());
    BOOST_CHECK_EQUAL(res.state.GetRejectReason(), "package RBF failed: insufficient anti-DoS fees");
    BOOST_CHECK(env.InPool(parent) && env.InPool(child));
}

BOOST_AUTO_TEST_CASE(feerate_diagrams)
{
    using Chunks = std::vector<FeeFrac>;
    // Identical diagrams.
    BOOST_CHECK(CompareChunks(Chunks{{100, 10}}, Chunks{{100, 10}}) == std::partial_ordering::equivalent);
    // Same size, more fee.
    BOOST_CHECK(CompareChunks(Chunks{{200, 10}}, Chunks{{100, 10}}) == std::partial_ordering::greater);
    BOOST_CHECK(CompareChunks(Chunks{{100, 10}}, Chunks{{200, 10}}) == std::partial_ordering::less);
    // The shorter diagram is extended flat: more total fee in more size wins.
    BOOST_CHECK(CompareChunks(Chunks{{100, 10}, {50, 10}}, Chunks{{100, 10}}) == std::partial_ordering::greater);
    // Higher first chunk but lower total: unordered.
    BOOST_CHECK(CompareChunks(Chunks{{150, 10}}, Chunks{{100, 10}, {100, 10}}) == std::partial_ordering::unordered);
    // Same total, front-loaded fee is better.
    BOOST_CHECK(CompareChunks(Chunks{{150, 10}, {50, 10}}, Chunks{{200, 20}}) == std::partial_ordering::greater);

    BOOST_CHECK(CompareFeerate(FeeFrac{1, 3}, FeeFrac{2, 6}) == std::strong_ordering::equal);
    BOOST_CHECK(CompareFeerate(FeeFrac{MAX_MONEY, 1}, FeeFrac{MAX_MONEY - 1, 1}) == std::strong_ordering::greater);
    // Replacing nothing with something is an improvement.
    BOOST_CHECK(!ImprovesFeerateDiagram({}, FeeFrac{1000, 100}));
}

BOOST_AUTO_TEST_SUITE_END()
