// Each block-level rule of the validation engine, on regtest, through
// ProcessNewBlock: the exact reject reason Bitcoin Core gives, a tip that
// does not move, and what the block tree remembers about the block.
#include "consensus/block_check.h"
#include "consensus/consensus.h"
#include "consensus/merkle.h"
#include "consensus/subsidy.h"
#include "crypto/hash.h"
#include "script/destination.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

const std::string EVAL_FALSE =
    "block-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)";

/** What the block tree must remember about a rejected block. */
enum class Fate {
    FAILED,      // stored in the tree and marked BLOCK_FAILED_VALID
    NOT_IN_TREE, // refused before its header entered the tree (bad header, or CheckBlock failed)
    NOT_FAILED,  // a body that does not match its header: the header must stay usable
};

struct Env {
    TempDir dir{"cairn_rules"};
    std::unique_ptr<const ChainParams> params;
    ChainBuilder builder;
    TestNode node;
    std::vector<Block> chain; // chain[h - 1] is the active block at height h

    explicit Env(const ChainParamsOptions& opts = {}, TestNode::Options node_opts = {})
        : params(CreateChainParams(ChainType::REGTEST, opts)), builder(*params), node(*params, dir.path(), node_opts)
    {
    }

    uint256 Tip() const { return chain.empty() ? params->consensus.genesis_hash : chain.back().GetHash(); }
    int Height() const { return int(chain.size()); }
    int64_t TipMtp() { return node->Tip()->GetMedianTimePast(); }

    Block Next(const std::vector<MutableTransaction>& txs = {}, const BlockOptions& options = {})
    {
        return builder.CreateBlock(Tip(), txs, options);
    }
    void Accept(const Block& block)
    {
        BOOST_REQUIRE_EQUAL(node.Submit(block), "");
        BOOST_REQUIRE(node->TipHash() == block.GetHash());
        chain.push_back(block);
    }
    void Extend(int n)
    {
        for (int i = 0; i < n; ++i) Accept(Next());
    }
    /** The coinbase output of the active block at `height`. */
    Utxo Coinbase(int height) const { return OutputOf(*chain.at(height - 1).vtx[0]); }

    void Reject(const Block& block, const std::string& reason, Fate fate)
    {
        const uint256 tip = node->TipHash();
        const uint256 hash = block.GetHash();
        BOOST_CHECK_EQUAL(node.Submit(block), reason);
        BOOST_CHECK(node->TipHash() == tip);
        const uint32_t status = node.Status(hash);
        switch (fate) {
        case Fate::FAILED:
            BOOST_CHECK_MESSAGE(status & BLOCK_FAILED_VALID, reason << ": not marked failed, status " << status);
            break;
        case Fate::NOT_IN_TREE:
            BOOST_CHECK_MESSAGE(!node.InTree(hash), reason << ": in the block tree, status " << status);
            break;
        case Fate::NOT_FAILED:
            BOOST_CHECK_MESSAGE(!(status & BLOCK_FAILED_MASK), reason << ": marked failed, status " << status);
            BOOST_CHECK_MESSAGE(!(status & BLOCK_HAVE_DATA), reason << ": the mutated body was stored");
            break;
        }
    }
};

/** A copy of `block` with one more coinbase output, finalized again. */
Block WithCoinbaseOutput(ChainBuilder& builder, Block block, const TxOut& out)
{
    MutableTransaction cb = ToMutable(*block.vtx[0]);
    cb.vout.insert(cb.vout.begin() + 1, out); // before any witness commitment
    block.vtx[0] = MakeTransactionRef(std::move(cb));
    builder.Finalize(block);
    return block;
}

Script Repeat(Opcode op, size_t n)
{
    return Script(Bytes(n, op));
}

/** Replaces transaction i of a block without touching the header. */
void SwapTx(Block& block, size_t i, const MutableTransaction& tx)
{
    block.vtx.at(i) = MakeTransactionRef(tx);
}

} // namespace

BOOST_AUTO_TEST_SUITE(block_rules_tests)

BOOST_AUTO_TEST_CASE(builder_blocks_and_signed_spends_are_valid)
{
    Env env;
    env.Extend(101);
    BOOST_CHECK_EQUAL(env.node->Height(), 101);
    const Key key = TestKey(1);
    const Utxo funds = env.Coinbase(1);
    BOOST_REQUIRE_EQUAL(funds.out.value, 50 * COIN);
    auto coin = env.node->GetCoin(funds.outpoint);
    BOOST_REQUIRE(coin);
    BOOST_CHECK(coin->IsCoinBase());
    BOOST_CHECK_EQUAL(coin->height, 1U);

    MutableTransaction fund = CreateSpend({funds}, {TxOut(10 * COIN, P2PKHScript(key)), TxOut(10 * COIN, P2WPKHScript(key)),
                                                    TxOut(10 * COIN, P2TRScript(key)), TxOut(10 * COIN, P2WSHOpTrueScript()),
                                                    TxOut(9 * COIN, OpTrueScript())});
    SignTransaction(fund, {funds});
    const Block b1 = env.Next({fund});
    BOOST_CHECK_EQUAL(GetWitnessCommitmentIndex(b1), -1); // no witness, no commitment
    env.Accept(b1);
    for (uint32_t n = 0; n < 5; ++n) BOOST_CHECK(env.node->GetCoin(OutputOf(fund, n).outpoint));
    BOOST_CHECK(!env.node->GetCoin(funds.outpoint)); // spent

    std::vector<Utxo> inputs;
    for (uint32_t n = 0; n < 5; ++n) inputs.push_back(OutputOf(fund, n));
    MutableTransaction spend = CreateSpend(inputs, {TxOut(48 * COIN, P2WPKHScript(TestKey(2)))});
    SignTransaction(spend, inputs, {key});
    BOOST_CHECK(spend.HasWitness());
    const Block b2 = env.Next({spend});
    BOOST_CHECK(GetWitnessCommitmentIndex(b2) >= 0);
    env.Accept(b2);
    for (const Utxo& u : inputs) BOOST_CHECK(!env.node->GetCoin(u.outpoint));
    BOOST_CHECK(env.node->GetCoin(OutputOf(spend).outpoint));
    BOOST_CHECK_EQUAL(env.node->Height(), 103);
}

BOOST_AUTO_TEST_CASE(bad_cb_amount)
{
    Env env;
    env.Extend(101);
    const Amount subsidy = GetBlockSubsidy(102, env.params->consensus);
    MutableTransaction tx = SpendTo(env.Coinbase(1), OpTrueScript(), 49 * COIN); // 1 BTC fee
    // Claiming one satoshi more than subsidy plus fees.
    env.Reject(env.Next({tx}, {.coinbase_value = subsidy + COIN + 1}), "bad-cb-amount", Fate::FAILED);
    env.Reject(env.Next({}, {.coinbase_value = subsidy + 1}), "bad-cb-amount", Fate::FAILED);
    // Exactly subsidy plus fees is fine.
    env.Accept(env.Next({tx}, {.coinbase_value = subsidy + COIN}));
    // Regtest halves every 150 blocks.
    BOOST_CHECK_EQUAL(GetBlockSubsidy(150, env.params->consensus), 25 * COIN);
}

BOOST_AUTO_TEST_CASE(bad_txns_inputs_missingorspent)
{
    Env env;
    env.Extend(102);
    const std::string reason = "bad-txns-inputs-missingorspent";
    // An input that never existed.
    Utxo ghost{OutPoint(Hash256(AsBytes(std::string_view("nothing"))), 0), TxOut(COIN, OpTrueScript())};
    env.Reject(env.Next({SpendTo(ghost, OpTrueScript())}), reason, Fate::FAILED);
    // Two transactions of one block spending the same coin.
    const Utxo c1 = env.Coinbase(1);
    env.Reject(env.Next({SpendTo(c1, OpTrueScript(), 20 * COIN), SpendTo(c1, OpTrueScript(), 30 * COIN)}), reason,
               Fate::FAILED);
    // Spending an output created by a later transaction of the same block.
    MutableTransaction parent = SpendTo(c1, OpTrueScript());
    MutableTransaction child = SpendTo(OutputOf(parent), OpTrueScript());
    env.Reject(env.Next({child, parent}), reason, Fate::FAILED);
    // A coin spent in an earlier block.
    env.Accept(env.Next({SpendTo(c1, OpTrueScript(), 20 * COIN)}));
    env.Reject(env.Next({SpendTo(c1, OpTrueScript(), 30 * COIN)}), reason, Fate::FAILED);
    // The same output index past the end of a real transaction.
    Utxo past{OutPoint(c1.outpoint.hash, 1), c1.out};
    env.Reject(env.Next({SpendTo(past, OpTrueScript())}), reason, Fate::FAILED);
}

BOOST_AUTO_TEST_CASE(coinbase_maturity)
{
    Env env;
    env.Extend(99);
    const Utxo cb = env.Coinbase(1);
    // In block 100 the coinbase of block 1 has 99 confirmations: too early.
    env.Reject(env.Next({SpendTo(cb, OpTrueScript())}), "bad-txns-premature-spend-of-coinbase", Fate::FAILED);
    env.Extend(1);
    // In block 101 it has 100: spendable.
    env.Accept(env.Next({SpendTo(cb, OpTrueScript())}));
    BOOST_CHECK(!env.node->GetCoin(cb.outpoint));
    // The outputs of a transaction spending a coinbase are not coinbase outputs: no maturity.
    const Utxo spent_out = OutputOf(*env.chain.back().vtx[1]);
    BOOST_CHECK(!env.node->GetCoin(spent_out.outpoint)->IsCoinBase());
    env.Accept(env.Next({SpendTo(spent_out, OpTrueScript())}));
}

BOOST_AUTO_TEST_CASE(bad_blk_sigops_legacy)
{
    Env env;
    env.Extend(101);
    // MAX_BLOCK_SIGOPS_COST / 4 = 20000 legacy sigops, counted over every
    // scriptSig and scriptPubKey of the block, spent or not.
    MutableTransaction tx = CreateSpend({env.Coinbase(1)}, {TxOut(COIN, Repeat(OP_CHECKSIG, 10001)),
                                                            TxOut(COIN, OpTrueScript())});
    Block over = WithCoinbaseOutput(env.builder, env.Next({tx}), TxOut(0, Repeat(OP_CHECKSIG, 10000)));
    env.Reject(over, "bad-blk-sigops", Fate::NOT_IN_TREE);
    // A bare CHECKMULTISIG counts 20: 1000 of them and one CHECKSIG are too many.
    Script ms;
    ms.Append(Repeat(OP_CHECKMULTISIG, 1000)).Append(Repeat(OP_CHECKSIG, 1));
    env.Reject(WithCoinbaseOutput(env.builder, env.Next(), TxOut(0, ms)), "bad-blk-sigops", Fate::NOT_IN_TREE);
    // Exactly 20000 is allowed.
    tx.vout[0].script_pubkey = Repeat(OP_CHECKSIG, 10000);
    env.Accept(WithCoinbaseOutput(env.builder, env.Next({tx}), TxOut(0, Repeat(OP_CHECKSIG, 10000))));
    env.Accept(WithCoinbaseOutput(env.builder, env.Next(), TxOut(0, Repeat(OP_CHECKMULTISIG, 1000))));
}

BOOST_AUTO_TEST_CASE(bad_blk_sigops_cost_with_witness)
{
    Env env;
    env.Extend(101);
    // A witness script counting 190 * 20 = 3800 sigops that never runs them.
    Script witness_script = Script() << OP_0 << OP_IF;
    witness_script.Append(Repeat(OP_CHECKMULTISIG, 190)) << OP_ENDIF << OP_1;
    const Script p2wsh = GetScriptForDestination(WitnessV0ScriptHash(witness_script));
    MutableTransaction fund = SpendTo(env.Coinbase(1), p2wsh);
    env.Accept(env.Next({fund}));

    MutableTransaction spend = SpendTo(OutputOf(fund), OpTrueScript());
    spend.vin[0].witness.stack = {witness_script.bytes()};
    // 19051 legacy sigops pass CheckBlock's count (76204 <= 80000) but the
    // cost with the witness sigops is 76204 + 3800 > 80000.
    env.Reject(WithCoinbaseOutput(env.builder, env.Next({spend}), TxOut(0, Repeat(OP_CHECKSIG, 19051))), "bad-blk-sigops",
               Fate::FAILED);
    // 19050 * 4 + 3800 = 80000 exactly.
    env.Accept(WithCoinbaseOutput(env.builder, env.Next({spend}), TxOut(0, Repeat(OP_CHECKSIG, 19050))));
    BOOST_CHECK(!env.node->GetCoin(OutputOf(fund).outpoint));
}

BOOST_AUTO_TEST_CASE(bad_txnmrklroot)
{
    Env env;
    env.Extend(101);
    const Block real = env.Next({SpendTo(env.Coinbase(1), OpTrueScript())});
    // Same header, different transactions.
    Block mutated = real;
    MutableTransaction other = SpendTo(env.Coinbase(1), OpTrueScript(), 40 * COIN);
    SwapTx(mutated, 1, other);
    BOOST_REQUIRE(mutated.GetHash() == real.GetHash());
    env.Reject(mutated, "bad-txnmrklroot", Fate::NOT_FAILED);
    // The header is still good: the real block is accepted.
    env.Accept(real);
    BOOST_CHECK(env.node->GetCoin(OutputOf(*real.vtx[1]).outpoint));
}

BOOST_AUTO_TEST_CASE(bad_txns_duplicate_cve_2012_2459)
{
    Env env;
    env.Extend(101);
    MutableTransaction a = SpendTo(env.Coinbase(1), OpTrueScript());
    MutableTransaction b = SpendTo(OutputOf(a), OpTrueScript());
    const Block real = env.Next({a, b}); // three transactions: the last is paired with itself
    Block mutated = real;
    mutated.vtx.push_back(mutated.vtx.back());
    BOOST_REQUIRE(BlockMerkleRoot(mutated) == real.merkle_root);
    BOOST_REQUIRE(mutated.GetHash() == real.GetHash());
    env.Reject(mutated, "bad-txns-duplicate", Fate::NOT_FAILED);
    env.Accept(real);
    BOOST_CHECK(env.node->GetCoin(OutputOf(b).outpoint));
    BOOST_CHECK(!env.node->GetCoin(OutputOf(a).outpoint));
}

BOOST_AUTO_TEST_CASE(malleated_64_byte_body_does_not_poison_the_header)
{
    // A block of two transactions has the merkle root Hash256(txid0 || txid1).
    // If those 64 bytes parse as a transaction, a block with that single
    // "transaction" has the same header. It fails CheckBlock (bad-cb-missing)
    // and must not make the real block unacceptable: Bitcoin Core never
    // marks a block invalid for a CheckBlock failure for that reason.
    Env env;
    env.Extend(101);
    const int height = env.Height() + 1;
    const Amount subsidy = GetBlockSubsidy(height, env.params->consensus);
    // Grind txid0[4] == 0x01 (one input), txid1[9] == 13 (scriptSig length,
    // making the sequence, a zero output count and the lock time end at byte 64)
    // and txid1[27] == 0x00 (no outputs).
    MutableTransaction cb;
    do cb = env.builder.CreateCoinbase(height, OpTrueScript(), subsidy);
    while (cb.GetTxid().data()[4] != 0x01);
    MutableTransaction t1;
    for (Amount v = 0;; ++v) {
        t1 = SpendTo(env.Coinbase(1), OpTrueScript(), 50 * COIN - v);
        const uint256 id = t1.GetTxid();
        if (id.data()[9] == 13 && id.data()[27] == 0) break;
    }
    const Block real = env.Next({t1}, {.coinbase = cb});
    const uint256 txid0 = cb.GetTxid(), txid1 = t1.GetTxid();
    Bytes raw(txid0.begin(), txid0.end());
    raw.insert(raw.end(), txid1.begin(), txid1.end());
    Reader r(raw);
    MutableTransaction fake = DeserializeMutableTransaction(r, false);
    BOOST_REQUIRE(r.empty());
    BOOST_REQUIRE(SerializeTransactionBytes(fake, false) == raw);
    Block mutated = real;
    mutated.vtx = {MakeTransactionRef(fake)};
    BOOST_REQUIRE(BlockMerkleRoot(mutated) == real.merkle_root);
    BOOST_REQUIRE(mutated.GetHash() == real.GetHash());

    const uint256 tip = env.node->TipHash();
    BOOST_CHECK_EQUAL(env.node.Submit(mutated), "bad-cb-missing");
    BOOST_CHECK(env.node->TipHash() == tip);
    BOOST_CHECK(!(env.node.Status(real.GetHash()) & BLOCK_FAILED_MASK));
    env.Accept(real);
}

BOOST_AUTO_TEST_CASE(bad_cb_height)
{
    Env env;
    env.Extend(2);
    const int height = 3;
    const Amount subsidy = GetBlockSubsidy(height, env.params->consensus);
    auto coinbase = [&](const Script& sig) {
        MutableTransaction cb = env.builder.CreateCoinbase(height, OpTrueScript(), subsidy);
        cb.vin[0].script_sig = sig;
        return cb;
    };
    env.Reject(env.Next({}, {.coinbase = coinbase(Script().PushInt(4) << OP_0)}), "bad-cb-height", Fate::FAILED);
    // 3 must be OP_3, not a one-byte data push (Script() << 3 in Bitcoin Core).
    env.Reject(env.Next({}, {.coinbase = coinbase(Script() << Bytes{3} << OP_0)}), "bad-cb-height", Fate::FAILED);
    env.Reject(env.Next({}, {.coinbase = coinbase(Script() << OP_0 << OP_3)}), "bad-cb-height", Fate::FAILED);
    // Anything may follow the height.
    env.Accept(env.Next({}, {.coinbase = coinbase(Script().PushInt(3) << Bytes{0xde, 0xad})}));
    env.Extend(20);
    // Past 16 the height is a minimal number push: 24 = 0x01 0x18.
    BOOST_REQUIRE_EQUAL(env.Height(), 23);
    MutableTransaction cb24 = env.builder.CreateCoinbase(24, OpTrueScript(), subsidy);
    cb24.vin[0].script_sig = Script() << Bytes{24, 0} << OP_0; // 2-byte push: not minimal
    env.Reject(env.Next({}, {.coinbase = cb24}), "bad-cb-height", Fate::FAILED);
    cb24.vin[0].script_sig = Script() << Bytes{24} << OP_0;
    env.Accept(env.Next({}, {.coinbase = cb24}));
}

BOOST_AUTO_TEST_CASE(witness_commitment_rules)
{
    Env env;
    env.Extend(101);
    MutableTransaction fund = CreateSpend({env.Coinbase(1)}, {TxOut(10 * COIN, P2WSHOpTrueScript()),
                                                              TxOut(10 * COIN, P2WSHOpTrueScript()),
                                                              TxOut(10 * COIN, OpTrueScript())});
    env.Accept(env.Next({fund}));

    MutableTransaction wspend = SpendTo(OutputOf(fund, 0), OpTrueScript());
    SignTransaction(wspend, {OutputOf(fund, 0)});
    const Block real = env.Next({wspend});
    BOOST_REQUIRE(GetWitnessCommitmentIndex(real) >= 0);

    // The reserved value must be a single 32-byte item.
    Block mutated = real;
    MutableTransaction cb = ToMutable(*real.vtx[0]);
    cb.vin[0].witness.stack = {Bytes(33, 0)};
    SwapTx(mutated, 0, cb);
    BOOST_REQUIRE(mutated.GetHash() == real.GetHash());
    env.Reject(mutated, "bad-witness-nonce-size", Fate::NOT_FAILED);
    cb.vin[0].witness.stack = {Bytes(32, 0), Bytes(32, 0)};
    SwapTx(mutated, 0, cb);
    env.Reject(mutated, "bad-witness-nonce-size", Fate::NOT_FAILED);
    cb.vin[0].witness.stack.clear();
    SwapTx(mutated, 0, cb);
    env.Reject(mutated, "bad-witness-nonce-size", Fate::NOT_FAILED);

    // A witness that is not the committed one.
    mutated = real;
    MutableTransaction wrong = wspend;
    wrong.vin[0].witness.stack.insert(wrong.vin[0].witness.stack.begin(), Bytes{1});
    SwapTx(mutated, 1, wrong);
    BOOST_REQUIRE(mutated.GetHash() == real.GetHash());
    env.Reject(mutated, "bad-witness-merkle-match", Fate::NOT_FAILED);
    // Another reserved value changes the commitment too.
    mutated = real;
    cb = ToMutable(*real.vtx[0]);
    cb.vin[0].witness.stack = {Bytes(32, 1)};
    SwapTx(mutated, 0, cb);
    env.Reject(mutated, "bad-witness-merkle-match", Fate::NOT_FAILED);
    env.Accept(real);

    // Witness data in a block without a commitment.
    const Block plain = env.Next({SpendTo(OutputOf(fund, 2), OpTrueScript())});
    BOOST_REQUIRE_EQUAL(GetWitnessCommitmentIndex(plain), -1);
    mutated = plain;
    MutableTransaction with_witness = ToMutable(*plain.vtx[1]);
    with_witness.vin[0].witness.stack = {Bytes{1}};
    SwapTx(mutated, 1, with_witness);
    BOOST_REQUIRE(mutated.GetHash() == plain.GetHash());
    env.Reject(mutated, "unexpected-witness", Fate::NOT_FAILED);
    env.Accept(plain);

    // A commitment with nothing but the coinbase to commit to is fine.
    env.Accept(env.Next({}, {.witness_commitment = true}));
}

BOOST_AUTO_TEST_CASE(bad_blk_weight)
{
    Env env;
    env.Extend(101);
    MutableTransaction fund = CreateSpend({env.Coinbase(1)}, {TxOut(10 * COIN, P2WSHOpTrueScript()),
                                                              TxOut(10 * COIN, P2WSHOpTrueScript())});
    env.Accept(env.Next({fund}));

    // A witness item sized so that the block weighs `weight` (witness bytes
    // count once, so the weight grows one for one with the item).
    auto block_of_weight = [&](const Utxo& in, int64_t weight) {
        MutableTransaction tx = SpendTo(in, OpTrueScript());
        tx.vin[0].witness.stack = {Bytes(100000, 0), OpTrueScript().bytes()};
        Block probe = env.Next({tx});
        const int64_t item = 100000 + (weight - GetBlockWeight(probe));
        tx.vin[0].witness.stack[0].assign(size_t(item), 0);
        Block block = env.Next({tx});
        BOOST_REQUIRE_EQUAL(GetBlockWeight(block), weight);
        return block;
    };
    env.Reject(block_of_weight(OutputOf(fund, 0), MAX_BLOCK_WEIGHT + 1), "bad-blk-weight", Fate::FAILED);
    // At the limit the weight is fine; the oversized stack item then fails the script.
    env.Reject(block_of_weight(OutputOf(fund, 1), MAX_BLOCK_WEIGHT),
               "block-script-verify-flag-failed (Push value size limit exceeded)", Fate::FAILED);
}

BOOST_AUTO_TEST_CASE(bad_txns_nonfinal_locktime)
{
    Env env;
    env.Extend(105);
    const int height = env.Height() + 1;
    auto locked = [&](int coinbase_height, uint32_t locktime, uint32_t sequence) {
        MutableTransaction tx = SpendTo(env.Coinbase(coinbase_height), OpTrueScript());
        tx.locktime = locktime;
        tx.vin[0].sequence = sequence;
        return tx;
    };
    // A height lock time must be below the block's height.
    env.Reject(env.Next({locked(1, height, 0xfffffffe)}), "bad-txns-nonfinal", Fate::FAILED);
    // Final sequences switch the lock time off.
    env.Accept(env.Next({locked(1, height + 1000, TxIn::SEQUENCE_FINAL)}));
    env.Accept(env.Next({locked(2, height, 0xfffffffe)})); // now at height + 1

    // A time lock time is compared with the median time past of the
    // previous block (BIP 113), not with the block's own later time.
    const int64_t mtp = env.TipMtp();
    const Block too_early = env.Next({locked(3, uint32_t(mtp), 0)});
    BOOST_REQUIRE(int64_t(too_early.time) > mtp);
    env.Reject(too_early, "bad-txns-nonfinal", Fate::FAILED);
    env.Accept(env.Next({locked(3, uint32_t(mtp - 1), 0)}));
    // 499999999 is still a height (far ahead); 500000000 is a time (1985, long past).
    env.Reject(env.Next({locked(4, LOCKTIME_THRESHOLD - 1, 0)}), "bad-txns-nonfinal", Fate::FAILED);
    env.Accept(env.Next({locked(4, LOCKTIME_THRESHOLD, 0)}));
}

BOOST_AUTO_TEST_CASE(bad_txns_nonfinal_bip68_height)
{
    Env env;
    env.Extend(101);
    std::vector<TxOut> outs(4, TxOut(10 * COIN, OpTrueScript()));
    MutableTransaction fund = CreateSpend({env.Coinbase(1)}, outs);
    env.Accept(env.Next({fund})); // the coins are at height 102
    auto spend = [&](uint32_t n, uint32_t version, uint32_t sequence) {
        MutableTransaction tx = SpendTo(OutputOf(fund, n), OpTrueScript());
        tx.version = version;
        tx.vin[0].sequence = sequence;
        return tx;
    };
    // A 3-block relative lock on a coin of height 102 first allows height 105.
    env.Reject(env.Next({spend(0, 2, 3)}), "bad-txns-nonfinal", Fate::FAILED);
    // Version 1 ignores it; so does the disable flag; a lock of 0 is always met.
    env.Accept(env.Next({spend(1, 1, 3), spend(2, 2, TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG | 3), spend(3, 2, 0)})); // 103
    env.Reject(env.Next({spend(0, 2, 3)}), "bad-txns-nonfinal", Fate::FAILED);
    env.Extend(1); // 104
    env.Accept(env.Next({spend(0, 2, 3)})); // 105
}

BOOST_AUTO_TEST_CASE(bad_txns_nonfinal_bip68_time)
{
    Env env;
    env.Extend(101);
    MutableTransaction fund = SpendTo(env.Coinbase(1), OpTrueScript());
    env.Accept(env.Next({fund})); // the coin is at height 102
    // BIP 68: a time lock of 2 * 512 seconds counts from the median time past
    // of the block before the coin's, to that of the block before the spend's.
    const int64_t coin_mtp = env.node->Lookup(env.chain.at(100).GetHash())->GetMedianTimePast();
    MutableTransaction tx = SpendTo(OutputOf(fund), OpTrueScript());
    tx.vin[0].sequence = TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG | 2;
    // Block times rise by 150 s, except that one block is timestamped one
    // second before the lock ends and the next one at its end, so that the
    // previous block's median time past hits both values exactly.
    const int64_t end = coin_mtp + 1024;
    int rejected = 0;
    bool one_second_short = false;
    int64_t waited_when_accepted = -1;
    for (;;) {
        const int64_t prev_time = env.builder.Time(env.Tip());
        const int64_t time = prev_time == end - 1 ? end : prev_time < end - 1 ? std::min(prev_time + 150, end - 1) : prev_time + 150;
        const int64_t waited = env.TipMtp() - coin_mtp;
        const Block block = env.Next({tx}, {.time = uint32_t(time)});
        if (waited >= 1024) {
            env.Accept(block);
            waited_when_accepted = waited;
            break;
        }
        one_second_short |= waited == 1023;
        env.Reject(block, "bad-txns-nonfinal", Fate::FAILED);
        ++rejected;
        env.Accept(env.Next({}, {.time = uint32_t(time)}));
        BOOST_REQUIRE(rejected < 50);
    }
    BOOST_CHECK(one_second_short);
    BOOST_CHECK_EQUAL(waited_when_accepted, 1024);
    BOOST_CHECK_GT(rejected, 3);
    BOOST_CHECK(!env.node->GetCoin(OutputOf(fund).outpoint));
}

BOOST_AUTO_TEST_CASE(bad_txns_bip30)
{
    // With BIP 34 moved out of reach, a coinbase can repeat an earlier one.
    ChainParamsOptions opts;
    opts.activation_heights[BuriedDeployment::HEIGHTINCB] = 10000;
    Env env(opts);
    MutableTransaction cb;
    cb.version = 1;
    cb.vin.resize(1);
    cb.vin[0].script_sig = Script() << OP_0 << OP_0;
    cb.vout.emplace_back(COIN, OpTrueScript());
    env.Accept(env.Next({}, {.coinbase = cb}));
    // Its output is unspent: the same coinbase again would overwrite it.
    env.Reject(env.Next({}, {.coinbase = cb}), "bad-txns-BIP30", Fate::FAILED);
    // Once every output of the first copy is spent, the repeat is allowed.
    env.Extend(99);
    const Utxo first = env.Coinbase(1);
    BOOST_REQUIRE(first.outpoint.hash == cb.GetTxid());
    env.Accept(env.Next({SpendTo(first, OpTrueScript())})); // 101
    env.Accept(env.Next({}, {.coinbase = cb}));                // 102
    auto coin = env.node->GetCoin(OutPoint(cb.GetTxid(), 0));
    BOOST_REQUIRE(coin);
    BOOST_CHECK_EQUAL(coin->height, 102U);
    // With BIP 34 at its regtest height the same coinbase fails the height rule first.
    Env bip34;
    bip34.Reject(bip34.Next({}, {.coinbase = cb}), "bad-cb-height", Fate::FAILED);
}

BOOST_AUTO_TEST_CASE(bad_signatures)
{
    const Key key = TestKey(7);
    for (int threads : {0, 2}) {
        BOOST_TEST_CONTEXT("script threads " << threads)
        {
            Env env({}, {.script_threads = threads});
            env.Extend(101);
            MutableTransaction fund = CreateSpend({env.Coinbase(1)}, {TxOut(10 * COIN, P2PKHScript(key)),
                                                                      TxOut(10 * COIN, P2WPKHScript(key)),
                                                                      TxOut(10 * COIN, P2TRScript(key))});
            env.Accept(env.Next({fund}));
            std::vector<MutableTransaction> good;
            for (uint32_t n = 0; n < 3; ++n) {
                MutableTransaction tx = SpendTo(OutputOf(fund, n), OpTrueScript());
                SignTransaction(tx, {OutputOf(fund, n)}, {key});
                good.push_back(tx);
            }
            // P2PKH: a signature that does not verify leaves false on the stack.
            MutableTransaction bad = good[0];
            Bytes sig(bad.vin[0].script_sig.begin() + 1, bad.vin[0].script_sig.begin() + 1 + bad.vin[0].script_sig[0]);
            sig[sig.size() - 2] ^= 1; // the last byte of S
            bad.vin[0].script_sig = Script() << sig << key.GetPubKey().span();
            env.Reject(env.Next({bad}), EVAL_FALSE, Fate::FAILED);
            // P2WPKH likewise.
            bad = good[1];
            bad.vin[0].witness.stack[0][bad.vin[0].witness.stack[0].size() - 2] ^= 1;
            env.Reject(env.Next({bad}), EVAL_FALSE, Fate::FAILED);
            // P2TR key path: a bad Schnorr signature is its own error.
            bad = good[2];
            bad.vin[0].witness.stack[0][10] ^= 1;
            env.Reject(env.Next({bad}), "block-script-verify-flag-failed (Invalid Schnorr signature)", Fate::FAILED);
            // Signed by another key (for an output paying to that key).
            bad = good[2];
            SignTransaction(bad, std::vector<TxOut>{TxOut(10 * COIN, P2TRScript(TestKey(8)))}, {TestKey(8)});
            BOOST_REQUIRE(bad.vin[0].witness != good[2].vin[0].witness);
            env.Reject(env.Next({bad}), "block-script-verify-flag-failed (Invalid Schnorr signature)", Fate::FAILED);
            // The good ones together.
            env.Accept(env.Next(good));
            for (uint32_t n = 0; n < 3; ++n) BOOST_CHECK(!env.node->GetCoin(OutputOf(fund, n).outpoint));
        }
    }
}

BOOST_AUTO_TEST_CASE(header_rules)
{
    Env env;
    env.Extend(11);
    // time-too-old: not after the median time past of the last 11 blocks.
    const int64_t mtp = env.TipMtp();
    env.Reject(env.Next({}, {.time = uint32_t(mtp)}), "time-too-old", Fate::NOT_IN_TREE);
    env.Reject(env.Next({}, {.time = uint32_t(mtp - 1000)}), "time-too-old", Fate::NOT_IN_TREE);
    env.Accept(env.Next({}, {.time = uint32_t(mtp + 1)}));

    // bad-diffbits: regtest never retargets.
    env.Reject(env.Next({}, {.bits = 0x207ffffe}), "bad-diffbits", Fate::NOT_IN_TREE);
    // high-hash: the hash does not meet the claimed target.
    Block weak = env.Next();
    env.builder.SolveInvalid(weak);
    env.Reject(weak, "high-hash", Fate::NOT_IN_TREE);
    // Obsolete versions once BIP 34, 66 and 65 are active.
    env.Reject(env.Next({}, {.version = 3}), "bad-version(0x00000003)", Fate::NOT_IN_TREE);
    env.Accept(env.Next({}, {.version = 4}));

    // prev-blk-not-found: an unknown parent.
    Block orphan = env.Next();
    orphan.prev_block = Hash256(AsBytes(std::string_view("no such block")));
    env.builder.Solve(orphan);
    env.Reject(orphan, "prev-blk-not-found", Fate::NOT_IN_TREE);

    // bad-prevblk: the parent is known to be invalid.
    const Block bad = env.Next({}, {.coinbase_value = 50 * COIN + 1});
    env.Reject(bad, "bad-cb-amount", Fate::FAILED);
    env.Reject(env.builder.CreateBlock(bad.GetHash()), "bad-prevblk", Fate::NOT_IN_TREE);
    // A known-invalid block sent again.
    env.Reject(bad, "duplicate-invalid", Fate::FAILED);
    // The chain goes on.
    env.Extend(1);
    BOOST_CHECK_EQUAL(env.node->Height(), 14);
}

BOOST_AUTO_TEST_CASE(script_flag_exception_applies_to_its_block_only)
{
    // Mainnet's two exception blocks (BIP 16, taproot) cannot be rebuilt in a
    // test; the mechanism can: a block spending a P2SH output whose redeem
    // script fails is invalid, unless the chain lists its hash as an
    // exception with P2SH off, as mainnet does for block 170060.
    const Script redeem = Script() << OP_0;
    const Script p2sh = GetScriptForDestination(ScriptHash(redeem));
    std::unique_ptr<const ChainParams> base = CreateChainParams(ChainType::REGTEST, {});
    ChainBuilder builder(*base);
    std::vector<Block> blocks = builder.CreateChain(base->consensus.genesis_hash, 101);
    MutableTransaction fund = SpendTo(OutputOf(*blocks[0].vtx[0]), p2sh);
    blocks.push_back(builder.CreateBlock(blocks.back().GetHash(), {fund}));
    MutableTransaction spend = SpendTo(OutputOf(fund), OpTrueScript());
    spend.vin[0].script_sig = Script() << redeem.span();
    const Block bad = builder.CreateBlock(blocks.back().GetHash(), {spend});

    {
        TempDir dir{"cairn_flag_exc_none"};
        TestNode node(*base, dir.path());
        BOOST_REQUIRE_EQUAL(node.SubmitAll(blocks), "");
        BOOST_CHECK_EQUAL(node.Submit(bad), EVAL_FALSE);
    }
    {
        auto params = std::make_unique<ChainParams>(*base);
        params->consensus.script_flag_exceptions.emplace(bad.GetHash(), SCRIPT_VERIFY_NONE);
        TempDir dir{"cairn_flag_exc"};
        TestNode node(*params, dir.path());
        BOOST_REQUIRE_EQUAL(node.SubmitAll(blocks), "");
        BOOST_CHECK_EQUAL(node.Submit(bad), "");
        BOOST_CHECK(node->TipHash() == bad.GetHash());
        // The exception replaces P2SH/WITNESS/TAPROOT only: the buried deployments
        // (all active from genesis on regtest) still add their flags, as in Core.
        const BlockIndex* index = node->Lookup(bad.GetHash());
        BOOST_REQUIRE(index);
        BOOST_CHECK_EQUAL(node->GetBlockScriptFlags(*index),
                          SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY |
                              SCRIPT_VERIFY_CHECKSEQUENCEVERIFY | SCRIPT_VERIFY_NULLDUMMY);
        // The same spend in any other block is still invalid.
        MutableTransaction again = SpendTo(OutputOf(fund), P2WSHOpTrueScript());
        again.vin[0].script_sig = Script() << redeem.span();
        std::vector<Block> fork = {builder.CreateBlock(blocks.back().GetHash(), {again})};
        fork.push_back(builder.CreateBlock(fork[0].GetHash()));
        node.SubmitAll(fork);
        BOOST_CHECK(node.Status(fork[0].GetHash()) & BLOCK_FAILED_VALID);
        BOOST_CHECK(node->TipHash() == bad.GetHash());
    }
}

BOOST_AUTO_TEST_CASE(buried_deployment_flags_turn_on_at_their_heights)
{
    // -testactivationheight puts each buried deployment at its own height:
    // each one's script flag must appear at exactly that block, in the flags
    // ConnectBlock checks with (P2SH, WITNESS and TAPROOT from genesis, as Core).
    ChainParamsOptions opts;
    opts.activation_heights = {{BuriedDeployment::DERSIG, 3},
                               {BuriedDeployment::CLTV, 5},
                               {BuriedDeployment::CSV, 7},
                               {BuriedDeployment::SEGWIT, 9}};
    Env env(opts);
    env.Extend(10);
    for (int h = 1; h <= 10; ++h) {
        const BlockIndex* index = env.node->Lookup(env.chain[h - 1].GetHash());
        BOOST_REQUIRE(index);
        ScriptFlags expected = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;
        if (h >= 3) expected |= SCRIPT_VERIFY_DERSIG;
        if (h >= 5) expected |= SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY;
        if (h >= 7) expected |= SCRIPT_VERIFY_CHECKSEQUENCEVERIFY;
        if (h >= 9) expected |= SCRIPT_VERIFY_NULLDUMMY;
        BOOST_CHECK_MESSAGE(env.node->GetBlockScriptFlags(*index) == expected,
                            "height " << h << ": flags " << env.node->GetBlockScriptFlags(*index) << ", expected "
                                      << expected);
    }
}

BOOST_AUTO_TEST_SUITE_END()
