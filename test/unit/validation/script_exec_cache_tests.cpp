// The script execution cache: entries keyed by (wtxid, flags), filled by
// mempool acceptance and by checking a block, trusted by ConnectBlock in
// place of running a transaction's scripts, never filled by a failure.
#include "validation/script_exec_cache.h"

#include "consensus/script/script_flags.h"
#include "crypto/random.h"
#include "test/unit/mempool/accept_test_env.h"
#include "validation/chainstate_manager.h"

#include <boost/test/unit_test.hpp>

#include <mutex>

using namespace cairn;
using namespace cairn::test;

namespace {

uint256 RandomHash()
{
    uint256 h;
    GetRandBytes(MutableByteSpan(h.data(), 32));
    return h;
}

/** The flags the mempool caches with: the tip's. On regtest past height
 *  110 every deployment is active, so the next block's are the same. */
ScriptFlags TipFlags(AcceptEnv& env)
{
    std::lock_guard lock(env.Chainman().GetMutex());
    return env.Chainman().GetBlockScriptFlags(*env.Chainman().ActiveChain().Tip());
}

/** TestBlockValidity of a block with `txs` on the tip: "" or the reject reason. */
std::string CheckOnTip(AcceptEnv& env, const std::vector<MutableTransaction>& txs)
{
    const Block block = env.builder.CreateBlock(env.TipHash(), txs);
    std::lock_guard lock(env.Chainman().GetMutex());
    BlockValidationState state;
    if (env.Chainman().TestBlockValidity(block, state)) return "";
    return state.GetRejectReason();
}

bool Cached(AcceptEnv& env, const Transaction& tx, ScriptFlags flags)
{
    ScriptExecutionCache& cache = env.Chainman().ScriptExecCache();
    return cache.Get(cache.Entry(tx, flags), /*erase=*/false);
}

/** The same spend with one bit of its signature flipped (still well-formed). */
TransactionRef Corrupted(const Transaction& tx)
{
    MutableTransaction bad = ToMutable(tx);
    bad.vin[0].witness.stack[0][10] ^= 1;
    return MakeTransactionRef(std::move(bad));
}

constexpr ScriptFlags FLAGS = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;

} // namespace

BOOST_AUTO_TEST_SUITE(script_exec_cache_tests)

BOOST_AUTO_TEST_CASE(entry_by_wtxid_and_flags)
{
    MutableTransaction mtx;
    mtx.vin.emplace_back();
    mtx.vin[0].prevout = OutPoint(RandomHash(), 0);
    mtx.vin[0].witness.stack = {Bytes{1, 2, 3}};
    mtx.vout.emplace_back(COIN, OpTrueScript());
    const Transaction tx(mtx);
    // Same txid, another witness: another wtxid.
    mtx.vin[0].witness.stack = {Bytes{1, 2, 4}};
    const Transaction malleated(mtx);
    BOOST_REQUIRE(tx.GetTxid() == malleated.GetTxid());

    ScriptExecutionCache cache(1 << 20), other(1 << 20);
    const uint256 entry = cache.Entry(tx, FLAGS);
    BOOST_CHECK(entry == cache.Entry(tx, FLAGS));
    BOOST_CHECK(entry != cache.Entry(tx, FLAGS | SCRIPT_VERIFY_NULLDUMMY));
    BOOST_CHECK(entry != cache.Entry(tx, SCRIPT_VERIFY_NONE));
    BOOST_CHECK(entry != cache.Entry(malleated, FLAGS));
    // Each cache has its own salt.
    BOOST_CHECK(entry != other.Entry(tx, FLAGS));

    BOOST_CHECK(!cache.Get(entry, false));
    cache.Add(entry);
    BOOST_CHECK(cache.Get(entry, false));
    BOOST_CHECK(!cache.Get(cache.Entry(tx, FLAGS | SCRIPT_VERIFY_NULLDUMMY), false));
    BOOST_CHECK(!cache.Get(cache.Entry(malleated, FLAGS), false));
    BOOST_CHECK(!other.Get(other.Entry(tx, FLAGS), false));
    cache.Add(entry);
    BOOST_CHECK_EQUAL(cache.size(), 1U);
    // Checking a block keeps an entry, connecting one consumes it.
    BOOST_CHECK(cache.Get(entry, /*erase=*/false));
    BOOST_CHECK(cache.Get(entry, /*erase=*/true));
    BOOST_CHECK(!cache.Get(entry, false));
    BOOST_CHECK_EQUAL(cache.size(), 0U);

    // Bounded like the signature cache it shares its storage with.
    ScriptExecutionCache small(64 * 1024);
    for (int i = 0; i < 5000; ++i) small.Add(RandomHash());
    BOOST_CHECK_LE(small.size(), 64U * 1024 / 16);
    BOOST_CHECK_GE(small.size(), 64U * 1024 / 128);
}

BOOST_AUTO_TEST_CASE(budget_split_between_caches)
{
    // -maxsigcachesize (signature_cache_bytes) is shared half and half, as
    // in Core: each cache holds what a set of half the budget holds.
    constexpr size_t BUDGET = 256 * 1024;
    const auto params = CreateChainParams(ChainType::REGTEST);
    TempDir dir{"cairn_script_exec_cache"};
    ChainstateOptions opts;
    opts.datadir = dir.path();
    opts.params = params.get();
    opts.memory_only = true;
    opts.signature_cache_bytes = BUDGET;
    ChainstateManager chainman(opts);
    const size_t half = SaltedHashSet(BUDGET / 2).MaxEntries();
    BOOST_REQUIRE_LT(half, 20000U);
    for (int i = 0; i < 20000; ++i) {
        chainman.ScriptExecCache().Add(RandomHash());
        chainman.SigCache().Add(RandomHash());
    }
    BOOST_CHECK_EQUAL(chainman.ScriptExecCache().size(), half);
    BOOST_CHECK_EQUAL(chainman.SigCache().size(), half);
}

// A transaction accepted to the mempool is cached under the tip's consensus
// flags; connecting its block then runs none of its scripts. Connecting a
// block consumes signature-cache entries for every signature it verifies,
// so the signature cache keeping its size across the connection proves no
// signature of the transaction was checked. The control transaction, whose
// script entry is dropped first, loses its signature entry the same way.
BOOST_AUTO_TEST_CASE(mempool_then_block_skips_scripts)
{
    AcceptEnv env;
    const ScriptFlags flags = TipFlags(env);
    ChainstateManager& chainman = env.Chainman();
    ScriptExecutionCache& cache = chainman.ScriptExecCache();

    const TransactionRef tx = env.Pay(env.Coinbase(), 1000);
    const size_t entries_before = cache.size();
    const MempoolAcceptResult r = env.Submit(tx);
    BOOST_REQUIRE_MESSAGE(IsValid(r), r.state.ToString());
    BOOST_CHECK(Cached(env, *tx, flags));
    BOOST_CHECK_EQUAL(cache.size(), entries_before + 1);
    // Only under these flags.
    BOOST_CHECK(!Cached(env, *tx, flags & ~SCRIPT_VERIFY_NULLDUMMY));

    // The template check finds the entry and keeps it.
    const size_t sigs = chainman.SigCache().size();
    BOOST_REQUIRE_GT(sigs, 0U);
    BOOST_CHECK_EQUAL(CheckOnTip(env, {ToMutable(*tx)}), "");
    BOOST_CHECK(Cached(env, *tx, flags));
    BOOST_CHECK_EQUAL(chainman.SigCache().size(), sigs);

    // The connection consumes the script entry and leaves the signature alone.
    env.Mine({ToMutable(*tx)});
    BOOST_CHECK(!env.InPool(tx));
    BOOST_CHECK(!Cached(env, *tx, flags));
    BOOST_CHECK_EQUAL(chainman.SigCache().size(), sigs);

    // Control: the same path without the script entry verifies the signature,
    // consuming its signature-cache entry.
    const TransactionRef tx2 = env.Pay(env.Coinbase(), 1000);
    BOOST_REQUIRE(IsValid(env.Submit(tx2)));
    const size_t sigs2 = chainman.SigCache().size();
    BOOST_REQUIRE(cache.Get(cache.Entry(*tx2, flags), /*erase=*/true));
    env.Mine({ToMutable(*tx2)});
    BOOST_CHECK_EQUAL(chainman.SigCache().size(), sigs2 - 1);
}

// A hit is trusted in place of the scripts: a block whose transaction has
// a broken signature fails, until an entry for exactly that transaction
// and the block's flags is planted. Connecting consumes the entry.
BOOST_AUTO_TEST_CASE(connect_block_trusts_entry)
{
    AcceptEnv env;
    const ScriptFlags flags = TipFlags(env);
    ScriptExecutionCache& cache = env.Chainman().ScriptExecCache();
    const TransactionRef bad = Corrupted(*env.Pay(env.Coinbase(), 1000));
    const std::vector<MutableTransaction> txs{ToMutable(*bad)};

    const std::string reason = CheckOnTip(env, txs);
    BOOST_CHECK_MESSAGE(reason.starts_with("block-script-verify-flag-failed"), reason);
    BOOST_CHECK(!Cached(env, *bad, flags));

    // An entry under other flags does not help.
    cache.Add(cache.Entry(*bad, flags & ~SCRIPT_VERIFY_NULLDUMMY));
    BOOST_CHECK(CheckOnTip(env, txs).starts_with("block-script-verify-flag-failed"));

    cache.Add(cache.Entry(*bad, flags));
    BOOST_CHECK_EQUAL(CheckOnTip(env, txs), "");
    BOOST_CHECK(Cached(env, *bad, flags));
    env.Mine(txs);
    BOOST_CHECK(!Cached(env, *bad, flags));
}

// Nothing that failed is cached: not a transaction with a bad signature,
// not one failing only the standard flags (it never reaches the consensus
// check). Checking a block with the latter stores it, since it is valid by
// consensus; a block that fails stores nothing.
BOOST_AUTO_TEST_CASE(failures_never_cached)
{
    AcceptEnv env;
    const ScriptFlags flags = TipFlags(env);
    ScriptExecutionCache& cache = env.Chainman().ScriptExecCache();

    const TransactionRef bad = Corrupted(*env.Pay(env.Coinbase(), 1000));
    const size_t entries = cache.size();
    MempoolAcceptResult r = env.Submit(bad);
    BOOST_CHECK_MESSAGE(Reason(r).starts_with("mempool-script-verify-flag-failed"), Reason(r));
    BOOST_CHECK(!Cached(env, *bad, flags));
    BOOST_CHECK(!Cached(env, *bad, STANDARD_SCRIPT_VERIFY_FLAGS));
    BOOST_CHECK_EQUAL(cache.size(), entries);

    // An output whose witness script uses OP_NOP1: spending it is valid by
    // consensus but discouraged by policy.
    const Script witness_script = Script() << OP_NOP1 << OP_TRUE;
    const Script p2wsh = GetScriptForDestination(WitnessV0ScriptHash(witness_script));
    const Utxo coin = env.Coinbase();
    const MutableTransaction fund = SpendTo(coin, p2wsh, coin.out.value - 1000);
    MutableTransaction signed_fund = fund;
    SignTransaction(signed_fund, std::vector<Utxo>{coin}, {env.key});
    env.Mine({signed_fund});
    MutableTransaction spend = SpendTo(OutputOf(signed_fund), env.spk, coin.out.value - 2000);
    spend.vin[0].witness.stack = {witness_script.bytes()};
    const TransactionRef nop = MakeTransactionRef(spend);

    r = env.Submit(nop);
    BOOST_CHECK_MESSAGE(Reason(r).starts_with("mempool-script-verify-flag-failed"), Reason(r));
    BOOST_CHECK(!Cached(env, *nop, flags));
    BOOST_CHECK_EQUAL(cache.size(), entries);

    // A failing block stores nothing, not even its valid transactions.
    BOOST_CHECK(CheckOnTip(env, {spend, ToMutable(*bad)}).starts_with("block-script-verify-flag-failed"));
    BOOST_CHECK(!Cached(env, *nop, flags));
    BOOST_CHECK_EQUAL(cache.size(), entries);
    // A block checked successfully stores what it verified.
    BOOST_CHECK_EQUAL(CheckOnTip(env, {spend}), "");
    BOOST_CHECK(Cached(env, *nop, flags));
    BOOST_CHECK_EQUAL(cache.size(), entries + 1);
}

BOOST_AUTO_TEST_SUITE_END()
