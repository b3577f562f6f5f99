// Chain selection on regtest: competing branches, deep reorganisations
// through a coins cache far smaller than the reorg, invalidateblock,
// reconsiderblock, preciousblock, restarts, blocks out of order, and
// invalid blocks inside a better branch. After every change of chain the
// UTXO set must be exactly that of a fresh node that only ever saw the
// winning chain (hash_serialized_3 of the flushed set).
#include "consensus/subsidy.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <set>

using namespace cairn;
using namespace cairn::test;

namespace {

using Blocks = std::vector<Block>;

Blocks Concat(const Blocks& a, const Blocks& b)
{
    Blocks out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

std::vector<BlockHeader> Headers(const Blocks& blocks)
{
    std::vector<BlockHeader> out;
    for (const Block& b : blocks) out.push_back(b.header());
    return out;
}

struct Env {
    TempDir dir{"cairn_reorg"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    std::unique_ptr<TestNode> node;

    explicit Env(TestNode::Options options = {}) : node(std::make_unique<TestNode>(*params, dir.path(), options)) {}

    TestNode& Node() { return *node; }
    ChainstateManager& Chainman() { return node->Chainman(); }

    /** The UTXO hash of a fresh node (default cache) fed `blocks` in order; its tip must be the last block. */
    uint256 FreshUtxoHash(const Blocks& blocks)
    {
        TempDir fresh_dir("cairn_reorg_fresh");
        TestNode fresh(*params, fresh_dir.path());
        BOOST_REQUIRE_EQUAL(fresh.SubmitAll(blocks), "");
        BOOST_REQUIRE(fresh->TipHash() == (blocks.empty() ? params->consensus.genesis_hash : blocks.back().GetHash()));
        return fresh.UtxoHash();
    }

    /** The node's tip is `expected` and its UTXO set is that of `chain` alone. */
    void CheckChain(const Blocks& chain)
    {
        BOOST_REQUIRE(!chain.empty());
        BOOST_CHECK_EQUAL(Chainman().TipHash().GetHex(), chain.back().GetHash().GetHex());
        BOOST_CHECK_EQUAL(Chainman().Height(), builder.Height(chain.back().GetHash()));
        BOOST_CHECK_EQUAL(node->UtxoHash().GetHex(), FreshUtxoHash(chain).GetHex());
    }

    /** `n` blocks on `parent`, block i carrying the transactions make(i, height) returns. */
    template <typename F> Blocks Branch(uint256 parent, int n, F make)
    {
        Blocks out;
        for (int i = 0; i < n; ++i) {
            const int height = builder.Height(parent) + 1;
            out.push_back(builder.CreateBlock(parent, make(i, height)));
            parent = out.back().GetHash();
        }
        return out;
    }
    Blocks Branch(const uint256& parent, int n)
    {
        return Branch(parent, n, [](int, int) { return std::vector<MutableTransaction>{}; });
    }
};

/** The coinbase output of a block. */
Utxo CoinbaseOf(const Block& block)
{
    return OutputOf(*block.vtx[0]);
}

} // namespace

BOOST_AUTO_TEST_SUITE(reorg_tests)

BOOST_AUTO_TEST_CASE(heavier_branch_wins)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    // Both branches spend the coinbase of block 1, differently.
    const Utxo cb1 = CoinbaseOf(base[0]);
    const MutableTransaction to_a = SpendTo(cb1, P2WPKHScript(TestKey(1)));
    const MutableTransaction to_b = SpendTo(cb1, P2WPKHScript(TestKey(2)));
    Blocks a = env.Branch(base.back().GetHash(), 2, [&](int i, int) {
        return i == 0 ? std::vector<MutableTransaction>{to_a} : std::vector<MutableTransaction>{};
    });
    Blocks b = env.Branch(base.back().GetHash(), 3, [&](int i, int) {
        return i == 0 ? std::vector<MutableTransaction>{to_b} : std::vector<MutableTransaction>{};
    });
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");
    env.CheckChain(Concat(base, a));
    BOOST_CHECK(env.Chainman().GetCoin(OutputOf(to_a).outpoint));

    // Equal work does not switch: the first seen stays.
    BOOST_REQUIRE_EQUAL(env.Node().Submit(b[0]), "");
    BOOST_REQUIRE_EQUAL(env.Node().Submit(b[1]), "");
    BOOST_CHECK(env.Chainman().TipHash() == a.back().GetHash());
    // More work does.
    BOOST_REQUIRE_EQUAL(env.Node().Submit(b[2]), "");
    env.CheckChain(Concat(base, b));
    BOOST_CHECK(!env.Chainman().GetCoin(OutputOf(to_a).outpoint));
    BOOST_CHECK(env.Chainman().GetCoin(OutputOf(to_b).outpoint));

    // And back again when branch A overtakes.
    const Blocks a_more = env.Branch(a.back().GetHash(), 2);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a_more), "");
    a = Concat(a, a_more);
    env.CheckChain(Concat(base, a));
    BOOST_CHECK(env.Chainman().GetCoin(OutputOf(to_a).outpoint));
    BOOST_CHECK(!env.Chainman().GetCoin(OutputOf(to_b).outpoint));
    // Every block of both branches stays stored and valid.
    for (const Block& blk : Concat(a, b)) {
        const uint32_t status = env.Node().Status(blk.GetHash());
        BOOST_CHECK(status & BLOCK_HAVE_DATA);
        BOOST_CHECK(!(status & BLOCK_FAILED_MASK));
    }
}

BOOST_AUTO_TEST_CASE(deep_reorg_through_a_tiny_coins_cache)
{
    // 1 MiB of -dbcache leaves about 640 KiB for the coins cache; each branch
    // block creates 400 coins, so a reorg of 30 blocks cannot fit: the cache
    // is written to LevelDB (and emptied) in the middle of it.
    Env env({.db_cache_bytes = size_t(1) << 20});
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    // Block i of a branch spends the coinbase of block i + 1 into 400 outputs,
    // and (after the first) one output of its parent's transaction.
    auto fan_out = [&](int first_coinbase, Amount tag) {
        return [&base, first_coinbase, tag, prev = std::optional<MutableTransaction>()](int i, int) mutable {
            std::vector<Utxo> inputs{CoinbaseOf(base.at(first_coinbase + i))};
            if (prev) inputs.push_back(OutputOf(*prev, 7));
            const Amount total = 50 * COIN + (prev ? prev->vout[7].value : 0);
            std::vector<TxOut> outs(400, TxOut(total / 400 - tag, OpTrueScript()));
            MutableTransaction tx = CreateSpend(inputs, outs);
            prev = tx;
            return std::vector<MutableTransaction>{tx};
        };
    };
    const Blocks a = env.Branch(base.back().GetHash(), 30, fan_out(0, 1));
    const Blocks b = env.Branch(base.back().GetHash(), 31, fan_out(0, 2));
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");
    env.CheckChain(Concat(base, a));

    // Record where the coins database stands each time a block is connected
    // (BlockChecked runs inside the connection, under the engine's lock).
    std::vector<uint256> db_best;
    env.Node().Notifications().on_block_checked = [&](const Block&, const std::string&) {
        db_best.push_back(env.Chainman().CoinsDatabase().GetBestBlock());
    };
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(b), "");
    env.Node().Notifications().on_block_checked = nullptr;
    BOOST_REQUIRE_EQUAL(db_best.size(), b.size()); // the 31 blocks of b were connected one by one
    // The database was written while disconnecting a (the first block of b
    // found it at a block of a below a's tip) and again while connecting b
    // (later blocks found it at a block of b below b's tip).
    auto index_in = [](const Blocks& blocks, const uint256& h) {
        for (size_t i = 0; i < blocks.size(); ++i) {
            if (blocks[i].GetHash() == h) return int(i);
        }
        return -1;
    };
    BOOST_CHECK_GE(index_in(a, db_best.front()), 0);
    BOOST_CHECK_LT(index_in(a, db_best.front()), int(a.size()) - 1);
    int flushed_during_connect = 0;
    for (const uint256& h : db_best) {
        const int i = index_in(b, h);
        if (i >= 0 && i < int(b.size()) - 1) ++flushed_during_connect;
    }
    BOOST_CHECK_GT(flushed_during_connect, 0);
    env.CheckChain(Concat(base, b));

    // All the way back (a is now 32 long) and again through the small cache.
    const Blocks a_more = env.Branch(a.back().GetHash(), 2, fan_out(30, 3));
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a_more), "");
    env.CheckChain(Concat(Concat(base, a), a_more));
    // A restart on the small cache finds the same.
    const uint256 before = env.Node().UtxoHash();
    env.Node().Restart();
    BOOST_CHECK(env.Chainman().TipHash() == a_more.back().GetHash());
    BOOST_CHECK(env.Node().UtxoHash() == before);
}

BOOST_AUTO_TEST_CASE(invalidate_and_reconsider)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    const Blocks a = env.Branch(base.back().GetHash(), 5, [&](int i, int) {
        return std::vector<MutableTransaction>{SpendTo(CoinbaseOf(base[i]), P2WSHOpTrueScript())};
    });
    const Blocks b = env.Branch(base.back().GetHash(), 4, [&](int i, int) {
        return std::vector<MutableTransaction>{SpendTo(CoinbaseOf(base[i + 1]), OpTrueScript())};
    });
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(b), "");
    env.CheckChain(Concat(base, a));

    // invalidateblock a[3]: a[3] and a[4] leave; b, with 4 blocks, has more work than a[0..2].
    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().InvalidateBlock(state, a[3].GetHash()));
    env.CheckChain(Concat(base, b));
    BOOST_CHECK(env.Node().Status(a[3].GetHash()) & BLOCK_FAILED_VALID);
    BOOST_CHECK(env.Node().Status(a[4].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_CHECK(!(env.Node().Status(a[2].GetHash()) & BLOCK_FAILED_MASK));
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == b.back().GetHash());
    // Invalidate b as well: back to a[2].
    BOOST_REQUIRE(env.Chainman().InvalidateBlock(state, b[0].GetHash()));
    env.CheckChain(Concat(base, Blocks(a.begin(), a.begin() + 3)));
    // A block on an invalidated one is refused.
    BOOST_CHECK_EQUAL(env.Node().Submit(env.builder.CreateBlock(a[4].GetHash())), "bad-prevblk");

    // reconsiderblock a[4] clears a[3] too (an ancestor) and restores the tip.
    BOOST_REQUIRE(env.Chainman().ReconsiderBlock(state, a[4].GetHash()));
    env.CheckChain(Concat(base, a));
    BOOST_CHECK(!(env.Node().Status(a[3].GetHash()) & BLOCK_FAILED_MASK));
    BOOST_CHECK(env.Node().Status(b[0].GetHash()) & BLOCK_FAILED_VALID); // not related: still invalid

    // Invalidating the fork point's child on a moves to b once b is reconsidered.
    BOOST_REQUIRE(env.Chainman().ReconsiderBlock(state, b[0].GetHash()));
    BOOST_CHECK(env.Chainman().TipHash() == a.back().GetHash());
    BOOST_REQUIRE(env.Chainman().InvalidateBlock(state, a[0].GetHash()));
    env.CheckChain(Concat(base, b));
    // Invalid state survives a restart.
    env.Node().Restart();
    env.CheckChain(Concat(base, b));
    BOOST_CHECK(env.Node().Status(a[0].GetHash()) & BLOCK_FAILED_VALID);
    BOOST_CHECK(env.Node().Status(a[4].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_REQUIRE(env.Chainman().ReconsiderBlock(state, a[0].GetHash()));
    env.CheckChain(Concat(base, a));
}

BOOST_AUTO_TEST_CASE(precious_block)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    const Blocks a = env.Branch(base.back().GetHash(), 2, [&](int i, int) {
        return std::vector<MutableTransaction>{SpendTo(CoinbaseOf(base[i]), P2WSHOpTrueScript())};
    });
    const Blocks b = env.Branch(base.back().GetHash(), 2);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(b), "");
    BOOST_CHECK(env.Chainman().TipHash() == a.back().GetHash()); // first seen

    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().PreciousBlock(state, b.back().GetHash()));
    env.CheckChain(Concat(base, b));
    BOOST_REQUIRE(env.Chainman().PreciousBlock(state, a.back().GetHash()));
    env.CheckChain(Concat(base, a));
    BOOST_REQUIRE(env.Chainman().PreciousBlock(state, b.back().GetHash()));
    BOOST_CHECK(env.Chainman().TipHash() == b.back().GetHash());
    // A block with less work than the tip cannot be preferred.
    BOOST_REQUIRE(env.Chainman().PreciousBlock(state, a[0].GetHash()));
    BOOST_CHECK(env.Chainman().TipHash() == b.back().GetHash());
    // More work always wins over a preference.
    const Blocks a3 = env.Branch(a.back().GetHash(), 1);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a3), "");
    env.CheckChain(Concat(Concat(base, a), a3));
    BOOST_REQUIRE(env.Chainman().PreciousBlock(state, b.back().GetHash()));
    BOOST_CHECK(env.Chainman().TipHash() == a3.back().GetHash());
}

BOOST_AUTO_TEST_CASE(restart_keeps_tip_and_utxo_set)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 105);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    const Blocks a = env.Branch(base.back().GetHash(), 3, [&](int i, int) {
        return std::vector<MutableTransaction>{SpendTo(CoinbaseOf(base[i]), P2WPKHScript(TestKey(3)))};
    });
    const Blocks b = env.Branch(base.back().GetHash(), 4, [&](int i, int) {
        return std::vector<MutableTransaction>{SpendTo(CoinbaseOf(base[i + 2]), P2TRScript(TestKey(4)))};
    });
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(b), "");
    const uint256 hash = env.Node().UtxoHash();
    env.Node().Restart();
    BOOST_CHECK(env.Chainman().TipHash() == b.back().GetHash());
    BOOST_CHECK_EQUAL(env.Chainman().Height(), 109);
    BOOST_CHECK(env.Node().UtxoHash() == hash);
    env.CheckChain(Concat(base, b));
    // Without an explicit flush first: the manager flushes when it is destroyed.
    const Blocks a_more = env.Branch(a.back().GetHash(), 2);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a_more), "");
    const uint256 tip = env.Chainman().TipHash();
    env.Node().Restart();
    BOOST_CHECK(env.Chainman().TipHash() == tip);
    env.CheckChain(Concat(Concat(base, a), a_more));
    // The side branch is still known and stored after the restart.
    BOOST_CHECK(env.Node().Status(b.back().GetHash()) & BLOCK_HAVE_DATA);
}

BOOST_AUTO_TEST_CASE(blocks_out_of_order)
{
    Env env;
    const Blocks chain = env.Branch(env.builder.GenesisHash(), 6);
    // Without its parent's header a block is refused.
    BOOST_CHECK_EQUAL(env.Node().Submit(chain[3]), "prev-blk-not-found");
    // With the headers first (as a peer sends them), blocks may arrive in any order.
    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().ProcessNewBlockHeaders(Headers(chain), state));
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == chain.back().GetHash());
    for (int i = 5; i >= 1; --i) {
        BOOST_REQUIRE_EQUAL(env.Node().Submit(chain[i]), "");
        BOOST_CHECK_EQUAL(env.Chainman().Height(), 0);
        BOOST_CHECK(env.Node().Status(chain[i].GetHash()) & BLOCK_HAVE_DATA);
    }
    BOOST_REQUIRE_EQUAL(env.Node().Submit(chain[0]), "");
    env.CheckChain(chain);
    // The same with a gap in the middle: 1, 2, 4, 5 then 3.
    const Blocks more = env.Branch(chain.back().GetHash(), 5);
    BOOST_REQUIRE(env.Chainman().ProcessNewBlockHeaders(Headers(more), state));
    for (int i : {0, 1, 3, 4}) BOOST_REQUIRE_EQUAL(env.Node().Submit(more[i]), "");
    BOOST_CHECK(env.Chainman().TipHash() == more[1].GetHash());
    BOOST_REQUIRE_EQUAL(env.Node().Submit(more[2]), "");
    env.CheckChain(Concat(chain, more));
}

BOOST_AUTO_TEST_CASE(spends_within_one_block)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    // a -> b -> c, and d spending outputs of a and c, all in one block.
    const Key key = TestKey(5);
    MutableTransaction a = CreateSpend({CoinbaseOf(base[0])}, {TxOut(20 * COIN, P2WPKHScript(key)), TxOut(29 * COIN, OpTrueScript())});
    MutableTransaction b = SpendTo(OutputOf(a, 0), P2TRScript(key), 19 * COIN);
    SignTransaction(b, {OutputOf(a, 0)}, {key});
    MutableTransaction c = SpendTo(OutputOf(b, 0), P2PKHScript(key), 18 * COIN);
    SignTransaction(c, {OutputOf(b, 0)}, {key});
    MutableTransaction d = CreateSpend({OutputOf(a, 1), OutputOf(c, 0)}, {TxOut(46 * COIN, P2WSHOpTrueScript())});
    SignTransaction(d, std::vector<Utxo>{OutputOf(a, 1), OutputOf(c, 0)}, {key});
    const Block block = env.builder.CreateBlock(base.back().GetHash(), {a, b, c, d});
    BOOST_REQUIRE_EQUAL(env.Node().Submit(block), "");
    env.CheckChain(Concat(base, {block}));
    for (const MutableTransaction* tx : {&a, &b, &c}) {
        for (uint32_t n = 0; n < tx->vout.size(); ++n) BOOST_CHECK(!env.Chainman().GetCoin(OutputOf(*tx, n).outpoint));
    }
    auto coin = env.Chainman().GetCoin(OutputOf(d).outpoint);
    BOOST_REQUIRE(coin);
    BOOST_CHECK_EQUAL(coin->out.value, 46 * COIN);
    BOOST_CHECK_EQUAL(coin->height, 102U);
    // Disconnecting the block restores the coinbase it spent, and nothing else.
    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().InvalidateBlock(state, block.GetHash()));
    env.CheckChain(base);
    BOOST_CHECK(env.Chainman().GetCoin(CoinbaseOf(base[0]).outpoint));
    BOOST_CHECK(!env.Chainman().GetCoin(OutputOf(d).outpoint));
}

BOOST_AUTO_TEST_CASE(invalid_block_inside_a_better_branch)
{
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 101);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    const Blocks a = env.Branch(base.back().GetHash(), 2);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a), "");

    // b: six blocks, the fourth paying itself one satoshi too much.
    Blocks b;
    uint256 parent = base.back().GetHash();
    for (int i = 0; i < 6; ++i) {
        const int height = env.builder.Height(parent) + 1;
        BlockOptions opts;
        if (i == 3) opts.coinbase_value = GetBlockSubsidy(height, env.params->consensus) + 1;
        b.push_back(env.builder.CreateBlock(parent, {SpendTo(CoinbaseOf(base[i]), OpTrueScript())}, opts));
        parent = b.back().GetHash();
    }
    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().ProcessNewBlockHeaders(Headers(b), state));
    // Last block first: nothing connects until b[0] arrives.
    for (int i = 5; i >= 1; --i) BOOST_REQUIRE_EQUAL(env.Node().Submit(b[i]), "");
    BOOST_CHECK(env.Chainman().TipHash() == a.back().GetHash());
    BOOST_REQUIRE_EQUAL(env.Node().Submit(b[0]), "");
    // The engine went for b[5], found b[3] invalid and settled on b[2],
    // which still has more work than a.
    BOOST_CHECK_EQUAL(env.Node().Notifications().Checked(b[3].GetHash()).value_or("(not checked)"), "bad-cb-amount");
    env.CheckChain(Concat(base, Blocks(b.begin(), b.begin() + 3)));
    BOOST_CHECK(env.Node().Status(b[3].GetHash()) & BLOCK_FAILED_VALID);
    BOOST_CHECK(env.Node().Status(b[4].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_CHECK(env.Node().Status(b[5].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == b[2].GetHash());
    // Nothing more can be built on the invalid part.
    BOOST_CHECK_EQUAL(env.Node().Submit(env.builder.CreateBlock(b[5].GetHash())), "bad-prevblk");
    // a can still overtake.
    const Blocks a_more = env.Branch(a.back().GetHash(), 2);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(a_more), "");
    env.CheckChain(Concat(Concat(base, a), a_more));
}

BOOST_AUTO_TEST_CASE(headers_only_descendants_of_an_invalid_block)
{
    // As in Bitcoin Core (since v29): once a block is found invalid, every
    // known descendant is invalid too, including those of which only the
    // header is known; none is the best header, and nothing is accepted on them.
    Env env;
    const Blocks base = env.Branch(env.builder.GenesisHash(), 3);
    BOOST_REQUIRE_EQUAL(env.Node().SubmitAll(base), "");
    Blocks b;
    uint256 parent = base.back().GetHash();
    for (int i = 0; i < 6; ++i) {
        BlockOptions opts;
        if (i == 2) opts.coinbase_value = 50 * COIN + 1;
        b.push_back(env.builder.CreateBlock(parent, {}, opts));
        parent = b.back().GetHash();
    }
    BlockValidationState state;
    BOOST_REQUIRE(env.Chainman().ProcessNewBlockHeaders(Headers(b), state));
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == b.back().GetHash());
    for (int i = 0; i < 3; ++i) BOOST_REQUIRE_EQUAL(env.Node().Submit(b[i]), i == 2 ? "bad-cb-amount" : "");
    BOOST_CHECK(env.Chainman().TipHash() == b[1].GetHash());
    for (int i = 3; i < 6; ++i) BOOST_CHECK(env.Node().Status(b[i].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == b[1].GetHash());
    // A header on the headers-only tip is refused.
    const Block next = env.builder.CreateBlock(b.back().GetHash());
    state = BlockValidationState();
    BOOST_CHECK(!env.Chainman().ProcessNewBlockHeaders({next.header()}, state));
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "bad-prevblk");
    // The same holds after a restart (the flags were written).
    env.Node().Restart();
    BOOST_CHECK(env.Node().Status(b[5].GetHash()) & BLOCK_FAILED_CHILD);
    BOOST_CHECK(env.Chainman().BestHeader()->GetBlockHash() == b[1].GetHash());
}

BOOST_AUTO_TEST_SUITE_END()
