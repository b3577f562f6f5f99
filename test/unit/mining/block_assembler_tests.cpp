// Block templates on regtest: the coinbase (BIP 34 height push, time lock
// at the previous height, subsidy plus fees, witness commitment with its
// reserved value), header fields (version bits, -blockversion, time against
// median time past and the mockable clock, bits), templates filled from a
// mempool, the engine's verdict on the template, and the nonce search.
#include "consensus/block_check.h"
#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "consensus/subsidy.h"
#include "consensus/tx_check.h"
#include "consensus/versionbits.h"
#include "crypto/hash.h"
#include "mempool/tx_mempool.h"
#include "mining/block_assembler.h"
#include "mining/pow_solve.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/hex.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <limits>

using namespace cairn;
using namespace cairn::test;

namespace {

struct Env {
    TempDir dir{"cairn_mining"};
    std::unique_ptr<const ChainParams> params;
    TestNode node;
    Script payee{P2WSHOpTrueScript()};

    explicit Env(const ChainParamsOptions& opts = {})
        : params(CreateChainParams(ChainType::REGTEST, opts)), node(*params, dir.path())
    {
    }
    ~Env() { SetMockTime(0); }

    BlockTemplate Template(std::span<const TemplateTx> txs = {}, bool test_validity = true)
    {
        std::lock_guard lock(node->GetMutex());
        return BlockAssembler(node.Chainman()).CreateNewBlock(payee, txs, test_validity);
    }
    /** Solves a template and submits it; returns the block. */
    Block Mine(std::span<const TemplateTx> txs = {})
    {
        Block block = Template(txs).block;
        uint64_t tries = 1000;
        BOOST_REQUIRE(SolveProofOfWork(block, params->consensus, tries) == SolveResult::SOLVED);
        BOOST_REQUIRE_EQUAL(node.Submit(block), "");
        BOOST_REQUIRE(node->TipHash() == block.GetHash());
        return block;
    }
    void MineMany(int n)
    {
        for (int i = 0; i < n; ++i) Mine();
    }
    /** The witness commitment script of a coinbase-and-`block.vtx[1..]` block, computed independently. */
    static Bytes ExpectedCommitment(const Block& block)
    {
        const uint256 root = BlockWitnessMerkleRoot(block);
        Bytes pre(root.begin(), root.end());
        pre.resize(64, 0);
        const uint256 c = Hash256(pre);
        Script script;
        script.Append(ParseHex("6a24aa21a9ed")); // OP_RETURN, a 36-byte push, the BIP 141 tag
        script.Append(c.span());
        return script.bytes();
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(block_assembler_tests)

BOOST_AUTO_TEST_CASE(coinbase_script_sig)
{
    // BIP 34 pushes (OP_1..OP_16 for small heights), then OP_0.
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(1).bytes()), "5100");
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(16).bytes()), "6000");
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(17).bytes()), "011100");
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(127).bytes()), "017f00");
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(128).bytes()), "02800000"); // sign bit needs a second byte
    BOOST_CHECK_EQUAL(HexStr(CoinbaseScriptSig(840000).bytes()), "0340d10c00");
    for (int h : {1, 16, 17, 1000}) {
        const size_t size = CoinbaseScriptSig(h).size();
        BOOST_CHECK(size >= 2 && size <= 100); // bad-cb-length bounds
    }
}

BOOST_AUTO_TEST_CASE(template_on_genesis)
{
    Env env;
    const BlockTemplate t = env.Template();
    const Block& b = t.block;
    BOOST_CHECK_EQUAL(t.height, 1);
    BOOST_CHECK(b.prev_block == env.params->consensus.genesis_hash);
    BOOST_CHECK_EQUAL(b.bits, 0x207fffffu);
    BOOST_CHECK_EQUAL(b.nonce, 0u);
    {
        std::lock_guard lock(env.node->GetMutex());
        BOOST_CHECK_EQUAL(b.version, env.node->VersionBits().ComputeBlockVersion(env.node->ActiveChain().Tip(), env.params->consensus));
    }
    BOOST_CHECK_EQUAL(b.version & int32_t(VERSIONBITS_TOP_MASK), VERSIONBITS_TOP_BITS);
    BOOST_CHECK(b.merkle_root == BlockMerkleRoot(b));
    BOOST_CHECK(t.tx_fees.empty());

    BOOST_REQUIRE_EQUAL(b.vtx.size(), 1u);
    const Transaction& cb = *b.vtx[0];
    BOOST_CHECK(cb.IsCoinBase());
    BOOST_CHECK_EQUAL(HexStr(cb.vin[0].script_sig.bytes()), "5100");
    // Time-locked to the previous height, with a sequence that lets the lock count.
    BOOST_CHECK_EQUAL(cb.vin[0].sequence, 0xfffffffeu);
    BOOST_CHECK_EQUAL(cb.locktime, 0u);
    BOOST_REQUIRE_EQUAL(cb.vout.size(), 2u);
    BOOST_CHECK_EQUAL(cb.vout[0].value, 50 * COIN);
    BOOST_CHECK(cb.vout[0].script_pubkey == env.payee);
    // Segwit is active from genesis on regtest: a commitment even with no witness transaction.
    BOOST_CHECK_EQUAL(GetWitnessCommitmentIndex(b), 1);
    BOOST_CHECK_EQUAL(cb.vout[1].value, 0);
    BOOST_CHECK_EQUAL(HexStr(cb.vout[1].script_pubkey.bytes()), HexStr(Env::ExpectedCommitment(b)));
    BOOST_CHECK(t.coinbase_commitment == cb.vout[1].script_pubkey);
    BOOST_REQUIRE_EQUAL(cb.vin[0].witness.stack.size(), 1u);
    BOOST_CHECK(cb.vin[0].witness.stack[0] == Bytes(32, 0));

    // Valid as it stands except for the proof of work.
    BlockValidationState state;
    std::lock_guard lock(env.node->GetMutex());
    BOOST_CHECK_MESSAGE(env.node->TestBlockValidity(b, state, /*check_pow=*/false), state.ToString());
}

BOOST_AUTO_TEST_CASE(mined_templates_extend_the_chain)
{
    Env env;
    for (int h = 1; h <= 20; ++h) {
        const Block b = env.Mine();
        BOOST_CHECK_EQUAL(env.node->Height(), h);
        BOOST_CHECK(CoinbaseScriptSig(h) == b.vtx[0]->vin[0].script_sig);
    }
    const auto stats = GetLastTemplateStats();
    BOOST_REQUIRE(stats);
    BOOST_CHECK_EQUAL(stats->weight, DEFAULT_BLOCK_RESERVED_WEIGHT);
    BOOST_CHECK_EQUAL(stats->num_txs, 0u);
}

BOOST_AUTO_TEST_CASE(subsidy_halves)
{
    // Regtest halves every 150 blocks.
    Env env;
    env.MineMany(148);
    BOOST_CHECK_EQUAL(env.Template().block.vtx[0]->vout[0].value, 50 * COIN); // height 149
    env.Mine();
    const BlockTemplate t = env.Template();
    BOOST_CHECK_EQUAL(t.height, 150);
    BOOST_CHECK_EQUAL(t.block.vtx[0]->vout[0].value, 25 * COIN);
    BOOST_CHECK_EQUAL(t.block.vtx[0]->vout[0].value, GetBlockSubsidy(150, env.params->consensus));
}

BOOST_AUTO_TEST_CASE(transactions_and_fees)
{
    Env env;
    const Block first = env.Mine();
    env.MineMany(100); // the first coinbase matures
    const Utxo coin = OutputOf(*first.vtx[0]);
    const Amount fee = 12345;

    MutableTransaction spend = SpendTo(coin, P2WSHOpTrueScript(), coin.out.value - fee);
    SignTransaction(spend, std::vector<Utxo>{coin});
    MutableTransaction child = SpendTo(OutputOf(spend), OpTrueScript(), coin.out.value - fee - 1000);
    SignTransaction(child, std::vector<Utxo>{OutputOf(spend)});
    const std::vector<TemplateTx> txs{{MakeTransactionRef(spend), fee}, {MakeTransactionRef(child), 1000}};

    const BlockTemplate t = env.Template(txs);
    const Block& b = t.block;
    BOOST_REQUIRE_EQUAL(b.vtx.size(), 3u);
    BOOST_CHECK(b.vtx[1]->GetTxid() == spend.GetTxid());
    BOOST_CHECK(b.vtx[2]->GetTxid() == child.GetTxid());
    BOOST_CHECK(t.tx_fees == (std::vector<Amount>{fee, 1000}));
    BOOST_CHECK_EQUAL(b.vtx[0]->vout[0].value, GetBlockSubsidy(102, env.params->consensus) + fee + 1000);
    // The commitment now covers real witnesses.
    BOOST_CHECK(b.vtx[1]->HasWitness());
    BOOST_CHECK_EQUAL(HexStr(b.vtx[0]->vout[1].script_pubkey.bytes()), HexStr(Env::ExpectedCommitment(b)));
    const auto stats = GetLastTemplateStats();
    BOOST_REQUIRE(stats);
    BOOST_CHECK_EQUAL(stats->num_txs, 2u);
    BOOST_CHECK_EQUAL(stats->weight, DEFAULT_BLOCK_RESERVED_WEIGHT + GetTransactionWeight(*b.vtx[1]) +
                                         GetTransactionWeight(*b.vtx[2]));

    // A caller that overstates a fee gets a coinbase the engine refuses.
    const std::vector<TemplateTx> lying{{MakeTransactionRef(spend), fee + 1}};
    BOOST_CHECK_EXCEPTION(env.Template(lying), std::runtime_error, [](const std::runtime_error& e) {
        return std::string(e.what()).starts_with("CreateNewBlock: TestBlockValidity failed: bad-cb-amount");
    });
    // Out of order: the child first.
    const std::vector<TemplateTx> reversed{txs[1], txs[0]};
    BOOST_CHECK_EXCEPTION(env.Template(reversed), std::runtime_error, [](const std::runtime_error& e) {
        return std::string(e.what()).find("bad-txns-inputs-missingorspent") != std::string::npos;
    });
    // Without the check the template is still built (for callers that test it themselves).
    BOOST_CHECK_EQUAL(env.Template(reversed, /*test_validity=*/false).block.vtx.size(), 3u);

    const Block mined = env.Mine(txs);
    BOOST_CHECK_EQUAL(env.node->Height(), 102);
    BOOST_CHECK(!env.node->GetCoin(coin.outpoint));
    BOOST_CHECK(env.node->GetCoin(OutPoint(child.GetTxid(), 0)));
    (void)mined;
}

BOOST_AUTO_TEST_CASE(regenerate_commitments)
{
    Env env;
    const Block first = env.Mine();
    env.MineMany(100);
    const Utxo coin = OutputOf(*first.vtx[0]);
    MutableTransaction spend = SpendTo(coin, OpTrueScript());
    SignTransaction(spend, std::vector<Utxo>{coin});

    // generateblock's way: an empty template, then the transactions.
    Block b = env.Template().block;
    const Bytes empty_commitment = b.vtx[0]->vout[1].script_pubkey.bytes();
    b.vtx.push_back(MakeTransactionRef(spend));
    RegenerateCommitments(b, /*segwit_active=*/true);
    BOOST_REQUIRE_EQUAL(b.vtx[0]->vout.size(), 2u); // replaced, not added
    BOOST_CHECK(b.vtx[0]->vout[1].script_pubkey.bytes() != empty_commitment);
    BOOST_CHECK_EQUAL(HexStr(b.vtx[0]->vout[1].script_pubkey.bytes()), HexStr(Env::ExpectedCommitment(b)));
    BOOST_CHECK(b.merkle_root == BlockMerkleRoot(b));
    uint64_t tries = 1000;
    BOOST_REQUIRE(SolveProofOfWork(b, env.params->consensus, tries) == SolveResult::SOLVED);
    BOOST_CHECK_EQUAL(env.node.Submit(b), "");
    BOOST_CHECK(env.node->TipHash() == b.GetHash());
}

BOOST_AUTO_TEST_CASE(no_commitment_before_segwit)
{
    ChainParamsOptions opts;
    opts.activation_heights[BuriedDeployment::SEGWIT] = 5;
    Env env(opts);
    for (int h = 1; h <= 6; ++h) {
        const Block b = env.Mine();
        const bool segwit = h >= 5;
        BOOST_CHECK_EQUAL(GetWitnessCommitmentIndex(b) != -1, segwit);
        BOOST_CHECK_EQUAL(b.vtx[0]->vout.size(), segwit ? 2u : 1u);
        BOOST_CHECK_EQUAL(b.vtx[0]->HasWitness(), segwit);
    }
}

BOOST_AUTO_TEST_CASE(time_follows_the_mockable_clock)
{
    Env env;
    env.MineMany(11);
    int64_t mtp;
    {
        std::lock_guard lock(env.node->GetMutex());
        mtp = env.node->ActiveChain().Tip()->GetMedianTimePast();
    }
    const int64_t future = GetTime() + 1000;
    SetMockTime(future);
    BOOST_CHECK_EQUAL(int64_t(env.Template().block.time), future);
    // A clock behind the chain: one second past the median time past.
    SetMockTime(mtp - 10);
    BOOST_CHECK_EQUAL(int64_t(env.Template().block.time), mtp + 1);
    SetMockTime(0);
    const int64_t now = GetTime();
    const int64_t t = env.Template().block.time;
    BOOST_CHECK(t >= now && t <= now + 5);

    // UpdateTime never moves a header backwards.
    BlockHeader h;
    h.time = uint32_t(now + 5000);
    std::lock_guard lock(env.node->GetMutex());
    UpdateTime(h, *env.node->ActiveChain().Tip(), env.params->consensus, now);
    BOOST_CHECK_EQUAL(int64_t(h.time), now + 5000);
    BOOST_CHECK_EQUAL(GetMinimumTime(*env.node->ActiveChain().Tip(), env.params->consensus), mtp + 1);
}

BOOST_AUTO_TEST_CASE(coinbase_locked_to_previous_height)
{
    Env env;
    env.MineMany(5);
    const Block b = env.Mine();
    BOOST_CHECK_EQUAL(b.vtx[0]->locktime, 5u);
    BOOST_CHECK_EQUAL(b.vtx[0]->vin[0].sequence, TxIn::SEQUENCE_FINAL - 1);
}

BOOST_AUTO_TEST_CASE(block_version_override)
{
    Env env;
    BlockAssemblerOptions opts;
    opts.block_version = 1337;
    std::lock_guard lock(env.node->GetMutex());
    const BlockTemplate t = BlockAssembler(env.node.Chainman(), opts).CreateNewBlock(env.payee);
    BOOST_CHECK_EQUAL(t.block.version, 1337);
}

BOOST_AUTO_TEST_CASE(template_from_mempool)
{
    Env env;
    const Block first = env.Mine();
    env.MineMany(100); // the first coinbase matures
    const Utxo coin = OutputOf(*first.vtx[0]);
    const Amount fee = 5000, child_fee = 20000;

    MutableTransaction spend = SpendTo(coin, P2WSHOpTrueScript(), coin.out.value - fee);
    SignTransaction(spend, std::vector<Utxo>{coin});
    MutableTransaction child = SpendTo(OutputOf(spend), P2WSHOpTrueScript(), coin.out.value - fee - child_fee);
    SignTransaction(child, std::vector<Utxo>{OutputOf(spend)});
    // Not final in the next block (height 102): left for later.
    MutableTransaction locked = SpendTo(OutputOf(child), P2WSHOpTrueScript(), coin.out.value - fee - child_fee - 1000);
    locked.vin[0].sequence = TxIn::SEQUENCE_FINAL - 1;
    locked.locktime = 102;
    SignTransaction(locked, std::vector<Utxo>{OutputOf(child)});

    TxMemPool pool{MempoolOptions{}};
    {
        std::lock_guard lock(pool.GetMutex());
        for (const auto& [mtx, f] : {std::pair{&spend, fee}, std::pair{&child, child_fee}, std::pair{&locked, Amount{1000}}}) {
            const TransactionRef tx = MakeTransactionRef(*mtx);
            pool.AddUnchecked(MempoolEntry(tx, f, 0, 101, MempoolEntry::NEXT_SEQUENCE, mtx == &spend, /*sigop_cost=*/1, LockPoints{},
                                           (GetTransactionWeight(*tx) + 3) / 4));
        }
    }

    BlockTemplate t;
    {
        std::lock_guard lock(env.node->GetMutex());
        t = BlockAssembler(env.node.Chainman(), &pool, BlockAssemblerOptions{}).CreateNewBlock(env.payee);
    }
    const Block& b = t.block;
    BOOST_REQUIRE_EQUAL(b.vtx.size(), 3u);
    BOOST_CHECK(b.vtx[1]->GetTxid() == spend.GetTxid()); // the parent first: the child pays for it
    BOOST_CHECK(b.vtx[2]->GetTxid() == child.GetTxid());
    BOOST_CHECK(t.tx_fees == (std::vector<Amount>{fee, child_fee}));
    BOOST_CHECK(t.tx_sigops == (std::vector<int64_t>{1, 1}));
    BOOST_CHECK_EQUAL(t.coinbase_sigops, 0);
    BOOST_CHECK_EQUAL(b.vtx[0]->vout[0].value, GetBlockSubsidy(102, env.params->consensus) + fee + child_fee);
    BOOST_CHECK_EQUAL(HexStr(b.vtx[0]->vout[1].script_pubkey.bytes()), HexStr(Env::ExpectedCommitment(b)));
    const auto stats = GetLastTemplateStats();
    BOOST_REQUIRE(stats);
    BOOST_CHECK_EQUAL(stats->num_txs, 2u);
    BOOST_CHECK_EQUAL(stats->weight, DEFAULT_BLOCK_RESERVED_WEIGHT + GetTransactionWeight(*b.vtx[1]) +
                                         GetTransactionWeight(*b.vtx[2]));

    // It is a valid block once solved.
    Block solved = b;
    uint64_t tries = 1000;
    BOOST_REQUIRE(SolveProofOfWork(solved, env.params->consensus, tries) == SolveResult::SOLVED);
    BOOST_CHECK_EQUAL(env.node.Submit(solved), "");
    BOOST_CHECK(env.node->TipHash() == solved.GetHash());

    // A pool-less assembler gives an empty template.
    std::lock_guard lock(env.node->GetMutex());
    BOOST_CHECK_EQUAL(BlockAssembler(env.node.Chainman()).CreateNewBlock(env.payee).block.vtx.size(), 1u);
}

BOOST_AUTO_TEST_CASE(timewarp_floor_on_every_network)
{
    // Templates respect BIP 94's floor at period starts even where it is not enforced.
    Env env;
    env.MineMany(142);
    SetMockTime(GetTime() + 7000); // the last block of the period far ahead of the others
    env.Mine();
    std::lock_guard lock(env.node->GetMutex());
    const BlockIndex& tip = *env.node->ActiveChain().Tip();
    BOOST_CHECK(!env.params->consensus.enforce_BIP94);
    BOOST_REQUIRE(tip.GetBlockTime() - MAX_TIMEWARP > tip.GetMedianTimePast() + 1);
    BOOST_CHECK_EQUAL(GetMinimumTime(tip, env.params->consensus), tip.GetBlockTime() - MAX_TIMEWARP);
}

BOOST_AUTO_TEST_CASE(bip94_minimum_time)
{
    ChainParamsOptions opts;
    opts.enforce_bip94 = true;
    Env env(opts);
    // Regtest periods are 144 blocks: the block at 144 starts one.
    env.MineMany(143);
    std::lock_guard lock(env.node->GetMutex());
    const BlockIndex& tip = *env.node->ActiveChain().Tip();
    BOOST_CHECK_EQUAL(GetMinimumTime(tip, env.params->consensus),
                      std::max(tip.GetMedianTimePast() + 1, tip.GetBlockTime() - MAX_TIMEWARP));
}

BOOST_AUTO_TEST_CASE(solve_proof_of_work)
{
    Env env;
    const ConsensusParams& params = env.params->consensus;
    Block b = env.Template().block;

    uint64_t tries = 0;
    BOOST_CHECK(SolveProofOfWork(b, params, tries) == SolveResult::OUT_OF_TRIES);
    BOOST_CHECK_EQUAL(b.nonce, 0u);

    tries = 1000;
    BOOST_REQUIRE(SolveProofOfWork(b, params, tries) == SolveResult::SOLVED);
    BOOST_CHECK(CheckProofOfWork(b.GetHash(), b.bits, params));
    BOOST_CHECK_EQUAL(tries, 1000 - b.nonce); // one try per failed nonce
    // Already solved: nothing to do.
    const uint32_t nonce = b.nonce;
    BOOST_REQUIRE(SolveProofOfWork(b, params, tries) == SolveResult::SOLVED);
    BOOST_CHECK_EQUAL(b.nonce, nonce);

    // The last nonce is never tried: a new template is needed.
    b.nonce = std::numeric_limits<uint32_t>::max();
    tries = 10;
    BOOST_CHECK(SolveProofOfWork(b, params, tries) == SolveResult::NONCE_SPACE);
    BOOST_CHECK_EQUAL(tries, 10u);

    // A real target is out of reach: the budget runs out.
    b.nonce = 0;
    b.bits = 0x1d00ffff;
    tries = 500;
    BOOST_CHECK(SolveProofOfWork(b, params, tries) == SolveResult::OUT_OF_TRIES);
    BOOST_CHECK_EQUAL(tries, 0u);
    BOOST_CHECK_EQUAL(b.nonce, 500u);

    // The interrupt stops it too.
    b.nonce = 0;
    tries = 1000000;
    int polls = 0;
    BOOST_CHECK(SolveProofOfWork(b, params, tries, [&] { return ++polls > 3; }) == SolveResult::OUT_OF_TRIES);
    BOOST_CHECK_EQUAL(b.nonce, 3u);
}

BOOST_AUTO_TEST_CASE(test_block_validity_needs_the_tip)
{
    Env env;
    const Block stale = env.Template().block;
    env.payee = OpTrueScript(); // so that the mined block differs from `stale`
    env.Mine();
    BlockValidationState state;
    std::lock_guard lock(env.node->GetMutex());
    BOOST_CHECK(!env.node->TestBlockValidity(stale, state, /*check_pow=*/false));
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "inconclusive-not-best-prevblk");
    // Nothing was stored for it.
    BOOST_CHECK(env.node->Tree().Lookup(stale.GetHash()) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
