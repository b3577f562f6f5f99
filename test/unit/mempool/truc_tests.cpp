// TRUC (version 3) rules through acceptance on a regtest chain: inheritance,
// ancestor and descendant limits, sizes, sibling eviction, and packages
// (CPFP of a zero-fee parent, ephemeral dust).
#include "mempool/truc.h"

#include "test/unit/mempool/accept_test_env.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

} // namespace

BOOST_AUTO_TEST_SUITE(truc_tests)

BOOST_AUTO_TEST_CASE(inheritance)
{
    AcceptEnv env;
    const TransactionRef truc_parent = env.Pay(env.Coinbase(), 1000, TRUC_VERSION);
    const TransactionRef plain_parent = env.Pay(env.Coinbase(), 1000);
    BOOST_REQUIRE(IsValid(env.Submit(truc_parent)));
    BOOST_REQUIRE(IsValid(env.Submit(plain_parent)));

    MempoolAcceptResult r = env.Submit(env.Pay(OutputOf(*truc_parent, 0), 1000, 2));
    BOOST_CHECK_EQUAL(Reason(r), "TRUC-violation");
    BOOST_CHECK(r.state.GetResult() == TxResult::MEMPOOL_POLICY);
    BOOST_CHECK(StartsWith(r.state.GetDebugMessage(), "non-version=3 tx "));

    r = env.Submit(env.Pay(OutputOf(*plain_parent, 0), 1000, TRUC_VERSION));
    BOOST_CHECK_EQUAL(Reason(r), "TRUC-violation");
    BOOST_CHECK(StartsWith(r.state.GetDebugMessage(), "version=3 tx "));
    BOOST_CHECK(r.state.GetDebugMessage().find("cannot spend from non-version=3 tx") != std::string::npos);

    // A TRUC child of a TRUC parent, but no grandchild.
    const TransactionRef child = env.Pay(OutputOf(*truc_parent, 0), 1000, TRUC_VERSION);
    BOOST_REQUIRE(IsValid(env.Submit(child)));
    r = env.Submit(env.Pay(OutputOf(*child, 0), 1000, TRUC_VERSION));
    BOOST_CHECK_EQUAL(Reason(r), "TRUC-violation");
    BOOST_CHECK(r.state.GetDebugMessage().find("would have too many ancestors") != std::string::npos);
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(sizes)
{
    AcceptEnv env;
    const TransactionRef parent = env.Split({env.Coinbase()}, 2, 1000, TRUC_VERSION);
    BOOST_REQUIRE(IsValid(env.Submit(parent)));
    // A child of more than 1000 virtual bytes: 40 outputs.
    const TransactionRef big = env.Split({OutputOf(*parent, 0)}, 40, 20000, TRUC_VERSION);
    BOOST_REQUIRE_GT(GetVirtualTransactionSize(*big), TRUC_CHILD_MAX_VSIZE);
    MempoolAcceptResult r = env.Submit(big);
    BOOST_CHECK_EQUAL(Reason(r), "TRUC-violation");
    BOOST_CHECK(StartsWith(r.state.GetDebugMessage(), "version=3 child tx "));
    BOOST_CHECK(r.state.GetDebugMessage().find("is too big") != std::string::npos);
    // Without an unconfirmed parent the same shape is fine.
    BOOST_CHECK(IsValid(env.Submit(env.Split({env.Coinbase()}, 40, 20000, TRUC_VERSION), true)));
}

BOOST_AUTO_TEST_CASE(sibling_eviction)
{
    AcceptEnv env;
    const TransactionRef parent = env.Split({env.Coinbase()}, 2, 1000, TRUC_VERSION);
    BOOST_REQUIRE(IsValid(env.Submit(parent)));
    const TransactionRef first = env.Pay(OutputOf(*parent, 0), 1000, TRUC_VERSION);
    BOOST_REQUIRE(IsValid(env.Submit(first)));

    // A second child spends the other output: no input conflict, but only
    // one child is allowed. At the same fee it cannot evict the first.
    MempoolAcceptResult r = env.Submit(env.Pay(OutputOf(*parent, 1), 1000, TRUC_VERSION));
    BOOST_CHECK_EQUAL(Reason(r), "insufficient fee (including sibling eviction)");
    BOOST_CHECK(r.state.GetResult() == TxResult::RECONSIDERABLE);

    // Paying enough, it replaces its sibling.
    const TransactionRef second = env.Pay(OutputOf(*parent, 1), 5000, TRUC_VERSION);
    r = env.Submit(second);
    BOOST_REQUIRE_MESSAGE(IsValid(r), r.state.ToString());
    BOOST_REQUIRE_EQUAL(r.replaced_transactions.size(), 1U);
    BOOST_CHECK(r.replaced_transactions.front()->GetTxid() == first->GetTxid());
    BOOST_CHECK(!env.InPool(first) && env.InPool(second));

    // Not in a package of several transactions: there the limit just fails.
    const TransactionRef third = env.Pay(OutputOf(*parent, 0), 20000, TRUC_VERSION);
    PackageMempoolAcceptResult res = env.SubmitPackage({third}, /*test_accept=*/true);
    BOOST_CHECK_EQUAL(Reason(res.results.at(third->GetWtxid())), "TRUC-violation");
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(package_cpfp_of_zero_fee_parent)
{
    AcceptEnv env;
    // Alone, a zero-fee TRUC parent is below the minimum relay feerate, but
    // reconsiderable: with a child paying for both it gets in.
    const TransactionRef parent = env.Pay(env.Coinbase(), 0, TRUC_VERSION);
    const TransactionRef child = env.Pay(OutputOf(*parent, 0), 2000, TRUC_VERSION);
    MempoolAcceptResult alone = env.Submit(parent);
    BOOST_CHECK_EQUAL(Reason(alone), "min relay fee not met");
    BOOST_CHECK(alone.state.GetResult() == TxResult::RECONSIDERABLE);

    PackageMempoolAcceptResult res = env.SubmitPackage({parent, child});
    BOOST_REQUIRE_MESSAGE(res.state.IsValid(), res.state.ToString());
    const MempoolAcceptResult& pr = res.results.at(parent->GetWtxid());
    BOOST_REQUIRE_MESSAGE(IsValid(pr), pr.state.ToString());
    BOOST_REQUIRE(pr.effective_feerate && pr.effective_includes);
    const int64_t total_vsize = GetVirtualTransactionSize(*parent) + GetVirtualTransactionSize(*child);
    BOOST_CHECK(*pr.effective_feerate == FeeRate(2000, total_vsize));
    BOOST_CHECK_EQUAL(pr.effective_includes->size(), 2U);
    BOOST_CHECK_EQUAL(*pr.base_fees, 0);
    BOOST_CHECK(env.InPool(parent) && env.InPool(child));

    // The same package again: both already in.
    res = env.SubmitPackage({parent, child});
    BOOST_CHECK(res.state.IsValid());
    BOOST_CHECK(res.results.at(child->GetWtxid()).type == MempoolAcceptResult::ResultType::MEMPOOL_ENTRY);
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(ephemeral_dust)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    // A zero-fee TRUC parent with one dust output (zero value).
    MutableTransaction mparent = CreateSpend({coin}, {TxOut(coin.out.value, env.spk), TxOut(0, P2WSHOpTrueScript())});
    mparent.version = TRUC_VERSION;
    const TransactionRef parent = env.Sign(mparent, {coin});
    const Utxo main_out = OutputOf(*parent, 0);
    const Utxo dust_out = OutputOf(*parent, 1);

    // A child that leaves the dust unspent.
    const TransactionRef lazy = env.Pay(main_out, 2000, TRUC_VERSION);
    PackageMempoolAcceptResult res = env.SubmitPackage({parent, lazy});
    BOOST_CHECK_EQUAL(res.state.GetRejectReason(), "unspent-dust");
    BOOST_CHECK_EQUAL(Reason(res.results.at(lazy->GetWtxid())), "missing-ephemeral-spends");
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);

    // One that sweeps it.
    MutableTransaction mchild = CreateSpend({main_out, dust_out}, {TxOut(main_out.out.value - 2000, env.spk)});
    mchild.version = TRUC_VERSION;
    const TransactionRef child = env.Sign(mchild, {main_out, dust_out});
    res = env.SubmitPackage({parent, child});
    BOOST_CHECK_MESSAGE(res.state.IsValid(), res.state.ToString());
    BOOST_CHECK(env.InPool(parent) && env.InPool(child));
    env.CheckPool();
}

BOOST_AUTO_TEST_SUITE_END()
