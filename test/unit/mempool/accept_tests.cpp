// Mempool acceptance on a real regtest chain: valid spends, every reject
// reason of PreChecks we can provoke, script failures, the pool's size
// limit, packages, and the pool following the chain through a reorg.
#include "mempool/accept.h"

#include "consensus/script/script_error.h"
#include "test/unit/mempool/accept_test_env.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

BOOST_AUTO_TEST_SUITE(accept_tests)

BOOST_AUTO_TEST_CASE(valid_spend_and_duplicates)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    const TransactionRef tx = env.Pay(coin, 1000);

    // test_accept checks everything and adds nothing.
    const size_t sigs_before = env.Chainman().SigCache().size();
    MempoolAcceptResult test = env.Submit(tx, /*test_accept=*/true);
    BOOST_CHECK(IsValid(test));
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);

    MempoolAcceptResult r = env.Submit(tx);
    BOOST_REQUIRE_MESSAGE(IsValid(r), r.state.ToString());
    BOOST_CHECK(env.InPool(tx));
    BOOST_REQUIRE(r.base_fees && r.vsize && r.effective_feerate && r.effective_includes);
    BOOST_CHECK_EQUAL(*r.base_fees, 1000);
    BOOST_CHECK_EQUAL(*r.vsize, GetVirtualTransactionSize(*tx));
    BOOST_CHECK(*r.effective_feerate == FeeRate(1000, *r.vsize));
    BOOST_CHECK(r.effective_includes->size() == 1 && r.effective_includes->front() == tx->GetWtxid());
    // The signature was verified and remembered for block validation.
    BOOST_CHECK_GT(env.Chainman().SigCache().size(), sigs_before);

    // The same transaction again.
    r = env.Submit(tx);
    BOOST_CHECK_EQUAL(Reason(r), "txn-already-in-mempool");
    BOOST_CHECK(r.state.GetResult() == TxResult::CONFLICT);

    // Same txid, another witness (scripts are not even looked at).
    MutableTransaction malleated = ToMutable(*tx);
    malleated.vin[0].witness.stack.push_back(Bytes{0x01});
    r = env.Submit(MakeTransactionRef(std::move(malleated)));
    BOOST_CHECK_EQUAL(Reason(r), "txn-same-nonwitness-data-in-mempool");
    BOOST_CHECK(r.state.GetResult() == TxResult::CONFLICT);
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(prechecks_rejects)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();

    // A coinbase is never accepted on its own.
    MempoolAcceptResult r = env.Submit(env.blocks.back().vtx[0]);
    BOOST_CHECK_EQUAL(Reason(r), "coinbase");
    BOOST_CHECK(r.state.GetResult() == TxResult::CONSENSUS);

    // Missing input (an orphan, as far as we know).
    Utxo missing = coin;
    missing.outpoint.n = 7;
    r = env.Submit(env.Pay(missing, 1000));
    BOOST_CHECK_EQUAL(Reason(r), "bad-txns-inputs-missingorspent");
    BOOST_CHECK(r.state.GetResult() == TxResult::MISSING_INPUTS);

    // Context-free failure (CheckTransaction): no outputs.
    {
        MutableTransaction tx = CreateSpend({coin}, {});
        r = env.Submit(MakeTransactionRef(std::move(tx)));
        BOOST_CHECK_EQUAL(Reason(r), "bad-txns-vout-empty");
    }

    // tx-size-small: one witness input and one pay-to-anchor output is 64
    // non-witness bytes.
    {
        const Script anchor = Script() << OP_1 << Bytes{0x4e, 0x73};
        MutableTransaction tx = CreateSpend({coin}, {TxOut(1000, anchor)});
        const TransactionRef signed_tx = env.Sign(tx, {coin});
        BOOST_REQUIRE_EQUAL(signed_tx->GetStrippedSize(), 64U);
        r = env.Submit(signed_tx);
        BOOST_CHECK_EQUAL(Reason(r), "tx-size-small");
        BOOST_CHECK(r.state.GetResult() == TxResult::NOT_STANDARD);
    }

    // Dust: two dust outputs are non-standard; one is allowed only at zero fee.
    {
        MutableTransaction tx = CreateSpend({coin}, {TxOut(coin.out.value - 2000, env.spk), TxOut(100, env.spk),
                                                     TxOut(100, env.spk)});
        r = env.Submit(env.Sign(tx, {coin}));
        BOOST_CHECK_EQUAL(Reason(r), "dust");
        BOOST_CHECK(r.state.GetResult() == TxResult::NOT_STANDARD);

        MutableTransaction one = CreateSpend({coin}, {TxOut(coin.out.value - 2000, env.spk), TxOut(100, env.spk)});
        r = env.Submit(env.Sign(one, {coin}));
        BOOST_CHECK_EQUAL(Reason(r), "dust");
        BOOST_CHECK_EQUAL(r.state.GetDebugMessage(), "tx with dust output must be 0-fee");
    }

    // Non-standard version.
    r = env.Submit(env.Pay(coin, 1000, /*version=*/4));
    BOOST_CHECK_EQUAL(Reason(r), "version");

    // nLockTime: the next block is at height tip + 1.
    {
        MutableTransaction tx = SpendTo(coin, env.spk, coin.out.value - 1000);
        tx.vin[0].sequence = TxIn::SEQUENCE_FINAL - 1;
        tx.locktime = uint32_t(env.Height() + 1);
        r = env.Submit(env.Sign(tx, {coin}));
        BOOST_CHECK_EQUAL(Reason(r), "non-final");
        BOOST_CHECK(r.state.GetResult() == TxResult::PREMATURE_SPEND);
        // With every input final the lock time is ignored.
        tx.vin[0].sequence = TxIn::SEQUENCE_FINAL;
        BOOST_CHECK(IsValid(env.Submit(env.Sign(tx, {coin}), true)));
        tx.vin[0].sequence = TxIn::SEQUENCE_FINAL - 1;
        tx.locktime = uint32_t(env.Height());
        BOOST_CHECK(IsValid(env.Submit(env.Sign(tx, {coin}), true)));
    }

    // Fees: nothing, then one satoshi too little.
    {
        const TransactionRef free_tx = env.Pay(coin, 0);
        r = env.Submit(free_tx);
        BOOST_CHECK_EQUAL(Reason(r), "min relay fee not met");
        BOOST_CHECK(r.state.GetResult() == TxResult::MEMPOOL_POLICY);
        const int64_t vsize = GetVirtualTransactionSize(*free_tx);
        const Amount needed = FeeRate(DEFAULT_MIN_RELAY_TX_FEE).GetFee(vsize);
        BOOST_CHECK_EQUAL(r.state.GetDebugMessage(), "0 < " + std::to_string(needed));
        r = env.Submit(env.Pay(coin, needed - 1));
        BOOST_CHECK_EQUAL(Reason(r), "min relay fee not met");
        BOOST_CHECK(IsValid(env.Submit(env.Pay(coin, needed), true)));
    }

    // Premature spend of a coinbase (height tip - 98: 99 confirmations at tip + 1).
    r = env.Submit(env.Pay(env.CoinbaseAt(env.Height() - 98), 1000));
    BOOST_CHECK_EQUAL(Reason(r), "bad-txns-premature-spend-of-coinbase");
    BOOST_CHECK(r.state.GetResult() == TxResult::PREMATURE_SPEND);
    BOOST_CHECK(IsValid(env.Submit(env.Pay(env.CoinbaseAt(env.Height() - 99), 1000), true)));

    // Outputs above inputs.
    {
        MutableTransaction tx = SpendTo(coin, env.spk, coin.out.value + 1);
        r = env.Submit(env.Sign(tx, {coin}));
        BOOST_CHECK_EQUAL(Reason(r), "bad-txns-in-belowout");
        BOOST_CHECK(r.state.GetResult() == TxResult::CONSENSUS);
    }
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);
}

BOOST_AUTO_TEST_CASE(bip68_and_confirmed_duplicates)
{
    AcceptEnv env;
    const TransactionRef parent = env.Pay(env.Coinbase(), 1000);
    MutableTransaction mparent = ToMutable(*parent);
    env.Mine({mparent});
    const Utxo out = OutputOf(*parent, 0);

    // Confirmed at the tip: a relative lock of 1 block is met by tip + 1, 2 is not.
    MutableTransaction child = SpendTo(out, env.spk, out.out.value - 1000);
    child.vin[0].sequence = 2;
    MempoolAcceptResult r = env.Submit(env.Sign(child, {out}));
    BOOST_CHECK_EQUAL(Reason(r), "non-BIP68-final");
    BOOST_CHECK(r.state.GetResult() == TxResult::PREMATURE_SPEND);
    child.vin[0].sequence = 1;
    r = env.Submit(env.Sign(child, {out}));
    BOOST_CHECK_MESSAGE(IsValid(r), r.state.ToString());

    // The confirmed parent again: its inputs are spent, its outputs exist.
    r = env.Submit(parent);
    BOOST_CHECK_EQUAL(Reason(r), "txn-already-known");
}

BOOST_AUTO_TEST_CASE(script_failures)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();

    // A consensus failure (a corrupted signature) and a policy-only one are
    // reported alike since Core 30, as NOT_STANDARD.
    MutableTransaction bad = ToMutable(*env.Pay(coin, 1000));
    Bytes& sig = bad.vin[0].witness.stack[0];
    sig[sig.size() - 2] ^= 0x01;
    MempoolAcceptResult r = env.Submit(MakeTransactionRef(bad));
    BOOST_CHECK_EQUAL(Reason(r), "mempool-script-verify-flag-failed (" + ScriptErrorString(ScriptError::SIG_NULLFAIL) + ")");
    BOOST_CHECK(r.state.GetResult() == TxResult::NOT_STANDARD);
    BOOST_CHECK(r.state.GetDebugMessage().find("input 0 of " + bad.GetTxid().GetHex()) == 0);

    // Witness stripped: the transaction may be fine with its witness.
    MutableTransaction stripped = ToMutable(*env.Pay(coin, 1000));
    stripped.vin[0].witness.stack.clear();
    r = env.Submit(MakeTransactionRef(stripped));
    // (P2WPKH wants exactly two witness items: a "mismatch" in Core's words.)
    BOOST_CHECK_EQUAL(Reason(r), "mempool-script-verify-flag-failed (Witness program hash mismatch)");
    BOOST_CHECK(r.state.GetResult() == TxResult::WITNESS_STRIPPED);

    // Policy only: an executed OP_NOP1 in a P2WSH script is valid by
    // consensus but discouraged.
    const Script nop_script = Script() << OP_NOP1 << OP_TRUE;
    const Script nop_spk = GetScriptForDestination(WitnessV0ScriptHash(nop_script));
    MutableTransaction fund = CreateSpend({coin}, {TxOut(coin.out.value - 1000, nop_spk)});
    const TransactionRef funding = env.Sign(fund, {coin});
    r = env.Submit(funding);
    BOOST_REQUIRE_MESSAGE(IsValid(r), r.state.ToString());
    const Utxo nop_out = OutputOf(*funding, 0);
    MutableTransaction spend = SpendTo(nop_out, env.spk, nop_out.out.value - 1000);
    spend.vin[0].witness.stack = {nop_script.bytes()};
    r = env.Submit(MakeTransactionRef(spend));
    BOOST_CHECK_EQUAL(Reason(r), "mempool-script-verify-flag-failed (NOPx reserved for soft-fork upgrades)");
    BOOST_CHECK(r.state.GetResult() == TxResult::NOT_STANDARD);
    BOOST_CHECK_EQUAL(env.PoolSize(), 1U);
}

BOOST_AUTO_TEST_CASE(chain_limit)
{
    AcceptEnv env;
    Utxo prev = env.Coinbase();
    std::vector<TransactionRef> chain;
    for (int i = 0; i < 25; ++i) {
        chain.push_back(env.Pay(prev, 1000));
        MempoolAcceptResult r = env.Submit(chain.back());
        BOOST_REQUIRE_MESSAGE(IsValid(r), std::to_string(i) + ": " + r.state.ToString());
        prev = OutputOf(*chain.back(), 0);
    }
    MempoolAcceptResult r = env.Submit(env.Pay(prev, 1000));
    BOOST_CHECK_EQUAL(Reason(r), "too-long-mempool-chain");
    BOOST_CHECK(r.state.GetResult() == TxResult::MEMPOOL_POLICY);
    BOOST_CHECK_EQUAL(r.state.GetDebugMessage(), "too many unconfirmed ancestors [limit: 25]");
    BOOST_CHECK_EQUAL(env.AncestorCount(chain.back()), 25U);
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(cpfp_carve_out)
{
    AcceptEnv env;
    // A parent with two outputs; 24 descendants hang off the first.
    const TransactionRef parent = env.Split({env.Coinbase()}, 2, 1000);
    BOOST_REQUIRE(IsValid(env.Submit(parent)));
    Utxo prev = OutputOf(*parent, 0);
    for (int i = 0; i < 24; ++i) {
        const TransactionRef tx = env.Pay(prev, 1000);
        BOOST_REQUIRE(IsValid(env.Submit(tx)));
        prev = OutputOf(*tx, 0);
    }
    // The parent has 25 in its descendant set: a small child of the second
    // output with no other unconfirmed ancestor still gets in, once.
    const TransactionRef carve = env.Pay(OutputOf(*parent, 1), 1000);
    MempoolAcceptResult r = env.Submit(carve);
    BOOST_CHECK_MESSAGE(IsValid(r), r.state.ToString());
    BOOST_CHECK_EQUAL(env.Submit(env.Pay(OutputOf(*carve, 0), 1000)).state.GetRejectReason(), "too-long-mempool-chain");
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(mempool_full)
{
    // A pool too small for even one transaction: each is accepted, then trimmed.
    MempoolOptions options;
    options.max_size_bytes = 1000;
    AcceptEnv env(options);
    const TransactionRef tx = env.Pay(env.Coinbase(), 1000);
    MempoolAcceptResult r = env.Submit(tx);
    BOOST_CHECK_EQUAL(Reason(r), "mempool full");
    BOOST_CHECK(r.state.GetResult() == TxResult::RECONSIDERABLE);
    BOOST_CHECK(!env.InPool(tx));

    // The eviction raised the pool's minimum fee: the same feerate is now refused.
    r = env.Submit(env.Pay(env.Coinbase(), 1000));
    BOOST_CHECK_EQUAL(Reason(r), "mempool min fee not met");
    BOOST_CHECK(r.state.GetResult() == TxResult::RECONSIDERABLE);
    BOOST_CHECK(r.effective_feerate.has_value());
}

BOOST_AUTO_TEST_CASE(packages)
{
    AcceptEnv env;
    const TransactionRef a = env.Pay(env.Coinbase(), 1000);
    const TransactionRef b = env.Pay(OutputOf(*a, 0), 1000);
    const TransactionRef unrelated = env.Pay(env.Coinbase(), 1000);

    // testmempoolaccept of a parent and child: each as if the earlier were in.
    PackageMempoolAcceptResult res = env.SubmitPackage({a, b}, /*test_accept=*/true);
    BOOST_CHECK(res.state.IsValid());
    BOOST_REQUIRE_EQUAL(res.results.size(), 2U);
    BOOST_CHECK(IsValid(res.results.at(a->GetWtxid())) && IsValid(res.results.at(b->GetWtxid())));
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);

    // Badly formed packages fail as a whole, without per-transaction results.
    res = env.SubmitPackage({b, a});
    BOOST_CHECK_EQUAL(res.state.GetRejectReason(), "package-not-sorted");
    BOOST_CHECK(res.results.empty());
    res = env.SubmitPackage({a, unrelated});
    BOOST_CHECK_EQUAL(res.state.GetRejectReason(), "package-not-child-with-parents");
    res = env.SubmitPackage({});
    BOOST_CHECK(res.state.IsInvalid());

    // A non-TRUC zero-fee parent cannot be paid for by its child: the min
    // relay fee is per transaction.
    const TransactionRef zero = env.Pay(env.Coinbase(), 0);
    const TransactionRef bump = env.Pay(OutputOf(*zero, 0), 20000);
    res = env.SubmitPackage({zero, bump});
    BOOST_CHECK_EQUAL(res.state.GetRejectReason(), "transaction failed");
    BOOST_CHECK_EQUAL(Reason(res.results.at(zero->GetWtxid())), "min relay fee not met");
    BOOST_CHECK_EQUAL(Reason(res.results.at(bump->GetWtxid())), "bad-txns-inputs-missingorspent");
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);

    // A child with its parents, the parent already in the pool.
    BOOST_REQUIRE(IsValid(env.Submit(a)));
    res = env.SubmitPackage({a, b});
    BOOST_CHECK_MESSAGE(res.state.IsValid(), res.state.ToString());
    BOOST_CHECK(res.results.at(a->GetWtxid()).type == MempoolAcceptResult::ResultType::MEMPOOL_ENTRY);
    BOOST_CHECK(IsValid(res.results.at(b->GetWtxid())));
    BOOST_CHECK(env.InPool(b));

    // submitpackage's maxfeerate.
    const TransactionRef rich = env.Pay(env.Coinbase(), 100000);
    res = env.SubmitPackage({rich}, false, FeeRate(1000));
    BOOST_CHECK_EQUAL(Reason(res.results.at(rich->GetWtxid())), "max feerate exceeded");
    BOOST_CHECK(!env.InPool(rich));
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(reorg_returns_transactions)
{
    AcceptEnv env;
    // x is mined in block 111; y spends x; z spends the coinbase of block 12,
    // mature only while block 111 is the tip.
    const TransactionRef x = env.Pay(env.Coinbase(), 1000);
    BOOST_REQUIRE(IsValid(env.Submit(x)));
    const Block block = env.Mine({ToMutable(*x)});
    BOOST_CHECK(!env.InPool(x));
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);

    const TransactionRef y = env.Pay(OutputOf(*x, 0), 1000);
    BOOST_REQUIRE(IsValid(env.Submit(y)));
    const TransactionRef z = env.Pay(env.CoinbaseAt(env.Height() - 99), 1000);
    BOOST_REQUIRE_MESSAGE(IsValid(env.Submit(z)), "z");
    BOOST_CHECK_EQUAL(env.AncestorCount(y), 1U);

    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().InvalidateBlock(state, block.GetHash()));
    BOOST_CHECK_EQUAL(env.Height(), 110);
    // x is back, as y's parent; z would be a premature coinbase spend now.
    BOOST_CHECK(env.InPool(x));
    BOOST_CHECK(env.InPool(y));
    BOOST_CHECK(!env.InPool(z));
    BOOST_CHECK_EQUAL(env.AncestorCount(y), 2U);
    env.CheckPool();
    {
        std::lock_guard lock(env.Chainman().GetMutex());
        BOOST_CHECK_EQUAL(env.sync->QueuedCount(), 0U);
    }

    BOOST_REQUIRE(env.Chainman().ReconsiderBlock(state, block.GetHash()));
    BOOST_CHECK(env.TipHash() == block.GetHash());
    BOOST_CHECK(!env.InPool(x));
    BOOST_CHECK(env.InPool(y));
    BOOST_CHECK_EQUAL(env.AncestorCount(y), 1U);
    env.CheckPool();
}

BOOST_AUTO_TEST_CASE(reorg_to_conflicting_branch)
{
    AcceptEnv env;
    const Utxo coin = env.Coinbase();
    const TransactionRef x = env.Pay(coin, 1000);
    const TransactionRef child = env.Pay(OutputOf(*x, 0), 1000);
    const uint256 fork = env.TipHash();
    const Block a = env.Mine({ToMutable(*x)});
    BOOST_REQUIRE(IsValid(env.Submit(child)));

    // A longer branch from the fork spends the same coin differently: x
    // cannot come back, and its child leaves with it.
    const TransactionRef x2 = env.Pay(coin, 2000);
    Block b1 = env.builder.CreateBlock(fork, {ToMutable(*x2)});
    Block b2 = env.builder.CreateBlock(b1.GetHash());
    BOOST_CHECK_EQUAL(env.node->Submit(b1), "");
    BOOST_CHECK(env.TipHash() == a.GetHash());
    BOOST_CHECK_EQUAL(env.node->Submit(b2), "");
    BOOST_CHECK(env.TipHash() == b2.GetHash());
    BOOST_CHECK(!env.InPool(x));
    BOOST_CHECK(!env.InPool(child));
    BOOST_CHECK_EQUAL(env.PoolSize(), 0U);
    env.CheckPool();
}

BOOST_AUTO_TEST_SUITE_END()
