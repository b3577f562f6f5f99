// Package selection on a real TxMemPool filled with AddUnchecked: order by
// ancestor fee rate with modified fees, a child paying for its parent
// (CPFP), entries re-scored once their ancestors are in, parents before
// children, the weight and sigop budgets, -blockmintxfee, prioritisation,
// lock-time finality and the give-up rule when the block is nearly full.
// The transactions only need to link up in the pool: their inputs are
// made up, since selection never looks at the chain.
#include "consensus/tx_check.h"
#include "mempool/tx_mempool.h"
#include "mining/package_selection.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace cairn;

namespace {

constexpr int HEIGHT = 200;
constexpr int64_t CUTOFF = 1'700'000'000; // the parent's median time past

struct Pool {
    TxMemPool pool{MempoolOptions{}};
    uint32_t counter{0};

    /** A transaction spending `inputs` (made-up outpoints when empty) into
     *  `outputs` outputs, with `pad` extra bytes in its first output script. */
    TransactionRef MakeTx(std::vector<OutPoint> inputs = {}, int outputs = 1, size_t pad = 0, uint32_t locktime = 0,
                          uint32_t sequence = TxIn::SEQUENCE_FINAL)
    {
        MutableTransaction tx;
        if (inputs.empty()) {
            uint256 h;
            const uint32_t n = ++counter;
            std::copy_n(reinterpret_cast<const uint8_t*>(&n), 4, h.begin());
            inputs.emplace_back(h, 0);
        }
        for (const OutPoint& in : inputs) {
            TxIn txin;
            txin.prevout = in;
            txin.sequence = sequence;
            tx.vin.push_back(txin);
        }
        for (int i = 0; i < outputs; ++i) {
            Script spk;
            spk << OP_TRUE;
            if (i == 0 && pad) spk.Append(Bytes(pad, 0x51));
            tx.vout.emplace_back(1000, spk);
        }
        tx.locktime = locktime;
        return MakeTransactionRef(std::move(tx));
    }

    /** Adds `tx` paying `fee` with `sigops`; its vsize is the real one. */
    const MempoolEntry* Add(const TransactionRef& tx, Amount fee, int64_t sigops = 0)
    {
        const int64_t vsize = (GetTransactionWeight(*tx) + 3) / 4;
        std::lock_guard lock(pool.GetMutex());
        return pool.AddUnchecked(MempoolEntry(tx, fee, /*time=*/0, /*entry_height=*/HEIGHT - 1, MempoolEntry::NEXT_SEQUENCE,
                                              /*spends_coinbase=*/false, sigops, LockPoints{}, vsize));
    }

    PackageSelection Select(const BlockAssemblerOptions& options = {})
    {
        std::lock_guard lock(pool.GetMutex());
        return SelectPackages(pool, HEIGHT, CUTOFF, ClampOptions(options));
    }

    static int64_t VSize(const TransactionRef& tx) { return (GetTransactionWeight(*tx) + 3) / 4; }
};

std::vector<uint256> Txids(const PackageSelection& s)
{
    std::vector<uint256> out;
    for (const TemplateTx& t : s.txs) out.push_back(t.tx->GetTxid());
    return out;
}

OutPoint Out(const TransactionRef& tx, uint32_t n = 0) { return OutPoint(tx->GetTxid(), n); }

} // namespace

BOOST_AUTO_TEST_SUITE(package_selection_tests)

BOOST_AUTO_TEST_CASE(empty_pool)
{
    Pool p;
    const PackageSelection s = p.Select();
    BOOST_CHECK(s.txs.empty());
    BOOST_CHECK_EQUAL(s.block_weight, DEFAULT_BLOCK_RESERVED_WEIGHT);
    BOOST_CHECK_EQUAL(s.block_sigops_cost, DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS);
    BOOST_CHECK_EQUAL(s.fees, 0);
}

BOOST_AUTO_TEST_CASE(higher_fee_rate_first)
{
    Pool p;
    const auto low = p.MakeTx(), mid = p.MakeTx(), high = p.MakeTx();
    p.Add(low, 1000);
    p.Add(high, 30000);
    p.Add(mid, 5000, /*sigops=*/4);
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{high->GetTxid(), mid->GetTxid(), low->GetTxid()}));
    BOOST_CHECK_EQUAL(s.fees, 36000);
    BOOST_CHECK_EQUAL(s.txs[1].fee, 5000);
    BOOST_CHECK_EQUAL(s.txs[1].sigop_cost, 4);
    BOOST_CHECK_EQUAL(s.block_sigops_cost, DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS + 4);
    BOOST_CHECK_EQUAL(s.block_weight, DEFAULT_BLOCK_RESERVED_WEIGHT + GetTransactionWeight(*low) +
                                          GetTransactionWeight(*mid) + GetTransactionWeight(*high));
    BOOST_CHECK_EQUAL(s.packages_selected, 3);
}

BOOST_AUTO_TEST_CASE(child_pays_for_parent)
{
    Pool p;
    const auto parent = p.MakeTx();
    const auto child = p.MakeTx({Out(parent)});
    const auto other = p.MakeTx();
    p.Add(parent, 100);    // alone, the worst
    p.Add(other, 5000);    // better than the parent alone ...
    p.Add(child, 20000);   // ... but the parent with its child beats it
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{parent->GetTxid(), child->GetTxid(), other->GetTxid()}));
    BOOST_CHECK_EQUAL(s.packages_selected, 2);
    // The fees reported are each transaction's own.
    BOOST_CHECK_EQUAL(s.txs[0].fee, 100);
    BOOST_CHECK_EQUAL(s.txs[1].fee, 20000);
}

BOOST_AUTO_TEST_CASE(child_ranked_by_lower_of_own_and_package_rate)
{
    // A rich parent does not carry a poor child: once the parent is in, the
    // child is re-scored on its own and goes after a mid-rate transaction.
    Pool p;
    const auto parent = p.MakeTx();
    const auto child = p.MakeTx({Out(parent)});
    const auto mid = p.MakeTx();
    p.Add(parent, 50000);
    p.Add(child, 200);
    p.Add(mid, 5000);
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{parent->GetTxid(), mid->GetTxid(), child->GetTxid()}));
    BOOST_CHECK_EQUAL(s.descendants_updated, 1);
}

BOOST_AUTO_TEST_CASE(modified_entry_scored_without_included_ancestors)
{
    // B spends A and C. A goes in first on its own; B's package is then only
    // B and C, whose rate beats D's although B with both ancestors would not.
    Pool p;
    const auto a = p.MakeTx(), c = p.MakeTx(), d = p.MakeTx();
    const auto b = p.MakeTx({Out(a), Out(c)});
    p.Add(a, 100000);
    p.Add(c, 0);
    p.Add(b, 9000);
    p.Add(d, 3000);
    const PackageSelection s = p.Select();
    // A; then {C, B} (9000 over two transactions) beats D (3000 over one).
    BOOST_REQUIRE_EQUAL(s.txs.size(), 4u);
    BOOST_CHECK(s.txs[0].tx->GetTxid() == a->GetTxid());
    BOOST_CHECK(s.txs[1].tx->GetTxid() == c->GetTxid());
    BOOST_CHECK(s.txs[2].tx->GetTxid() == b->GetTxid());
    BOOST_CHECK(s.txs[3].tx->GetTxid() == d->GetTxid());
}

BOOST_AUTO_TEST_CASE(parents_before_children)
{
    // A chain of three selected through its last member: ancestor-count order.
    Pool p;
    const auto g = p.MakeTx();
    const auto f = p.MakeTx({Out(g)});
    const auto c = p.MakeTx({Out(f)});
    p.Add(c, 90000);
    p.Add(f, 0);
    p.Add(g, 0);
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{g->GetTxid(), f->GetTxid(), c->GetTxid()}));
    BOOST_CHECK_EQUAL(s.packages_selected, 1);
}

BOOST_AUTO_TEST_CASE(weight_limit)
{
    Pool p;
    // Three transactions of about 10,000 weight units each.
    const auto a = p.MakeTx({}, 1, 2450), b = p.MakeTx({}, 1, 2450), c = p.MakeTx({}, 1, 2450);
    p.Add(a, 30000);
    p.Add(b, 20000);
    p.Add(c, 10000);
    const int64_t w = GetTransactionWeight(*a);
    BOOST_REQUIRE(w > 9900 && w < 10100);

    BlockAssemblerOptions opts;
    opts.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + 2 * w + 100;
    PackageSelection s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{a->GetTxid(), b->GetTxid()}));
    BOOST_CHECK(s.block_weight < opts.block_max_weight);

    // The limit is exclusive: exactly two transactions' room leaves out the second.
    opts.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + 4 * Pool::VSize(a) + 4 * Pool::VSize(b);
    s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{a->GetTxid()}));

    // A package that does not fit is skipped, and a smaller one after it still goes in.
    const auto small = p.MakeTx();
    p.Add(small, 100);
    opts.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + w + 1000;
    s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{a->GetTxid(), small->GetTxid()}));

    // -blockreservedweight counts against the same budget.
    opts = {};
    opts.block_reserved_weight = MAX_BLOCK_WEIGHT - w + 100;
    s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{small->GetTxid()}));
    BOOST_CHECK_EQUAL(s.block_weight, opts.block_reserved_weight + GetTransactionWeight(*small));
}

BOOST_AUTO_TEST_CASE(sigop_limit)
{
    Pool p;
    const auto a = p.MakeTx(), b = p.MakeTx(), c = p.MakeTx();
    p.Add(a, 30000, 40000);
    p.Add(b, 20000, 39600); // 400 + 40000 + 39600 reaches the limit exactly: refused
    p.Add(c, 10000, 39599);
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{a->GetTxid(), c->GetTxid()}));
    BOOST_CHECK_EQUAL(s.block_sigops_cost, MAX_BLOCK_SIGOPS_COST - 1);
}

BOOST_AUTO_TEST_CASE(block_min_fee_rate)
{
    Pool p;
    const auto zero = p.MakeTx(), low = p.MakeTx(), high = p.MakeTx();
    p.Add(zero, 0);
    p.Add(low, 30);
    p.Add(high, 5000);
    const int64_t vsize = Pool::VSize(low);
    BOOST_REQUIRE(vsize < 1000);

    // The default (1 sat/kvB, fees rounded up to a satoshi) leaves out only the free one.
    PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{high->GetTxid(), low->GetTxid()}));

    // A higher floor stops at the first package below it.
    BlockAssemblerOptions opts;
    opts.block_min_fee_rate = FeeRate(30 * 1000 / vsize + 1);
    s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{high->GetTxid()}));
    opts.block_min_fee_rate = FeeRate(30, vsize); // exactly the low one's rate (rounded down)
    s = p.Select(opts);
    BOOST_CHECK_EQUAL(s.txs.size(), 2u);

    // No floor: the free one too; a negative modified fee is still refused.
    opts.block_min_fee_rate = FeeRate(0);
    s = p.Select(opts);
    BOOST_CHECK_EQUAL(s.txs.size(), 3u);
    {
        std::lock_guard lock(p.pool.GetMutex());
        p.pool.PrioritiseTransaction(zero->GetTxid(), -1);
    }
    s = p.Select(opts);
    BOOST_CHECK_EQUAL(s.txs.size(), 2u);
}

BOOST_AUTO_TEST_CASE(prioritisation_changes_the_order)
{
    Pool p;
    const auto a = p.MakeTx(), b = p.MakeTx();
    p.Add(a, 5000);
    p.Add(b, 1000);
    BOOST_CHECK(Txids(p.Select()) == (std::vector<uint256>{a->GetTxid(), b->GetTxid()}));
    {
        std::lock_guard lock(p.pool.GetMutex());
        p.pool.PrioritiseTransaction(b->GetTxid(), 10000);
    }
    const PackageSelection s = p.Select();
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{b->GetTxid(), a->GetTxid()}));
    // The coinbase claims real fees only.
    BOOST_CHECK_EQUAL(s.txs[0].fee, 1000);
    BOOST_CHECK_EQUAL(s.fees, 6000);

    // A delta set before the transaction arrives applies when it does; a
    // prioritised parent lifts its child's package.
    const auto parent = p.MakeTx();
    const auto child = p.MakeTx({Out(parent)});
    {
        std::lock_guard lock(p.pool.GetMutex());
        p.pool.PrioritiseTransaction(parent->GetTxid(), 100000);
    }
    p.Add(parent, 0);
    p.Add(child, 0);
    const PackageSelection s2 = p.Select();
    // The parent goes first; its child alone then pays nothing and is left
    // out by the fee floor.
    BOOST_CHECK(Txids(s2) == (std::vector<uint256>{parent->GetTxid(), b->GetTxid(), a->GetTxid()}));
}

BOOST_AUTO_TEST_CASE(only_final_transactions)
{
    Pool p;
    constexpr uint32_t NONFINAL = TxIn::SEQUENCE_FINAL - 1;
    // Height locks: final below the new block's height.
    const auto at_height = p.MakeTx({}, 1, 0, HEIGHT - 1, NONFINAL);
    const auto too_high = p.MakeTx({}, 1, 0, HEIGHT, NONFINAL);
    // Time locks: against the parent's median time past.
    const auto past = p.MakeTx({}, 1, 0, CUTOFF - 1, NONFINAL);
    const auto future = p.MakeTx({}, 1, 0, CUTOFF, NONFINAL);
    // A final sequence disables the lock.
    const auto disabled = p.MakeTx({}, 1, 0, HEIGHT + 100, TxIn::SEQUENCE_FINAL);
    // The child of a non-final transaction waits with it.
    const auto child = p.MakeTx({Out(too_high)});
    p.Add(at_height, 1000);
    p.Add(too_high, 1000);
    p.Add(past, 1000);
    p.Add(future, 1000);
    p.Add(disabled, 1000);
    p.Add(child, 90000);
    const PackageSelection s = p.Select();
    std::vector<uint256> got = Txids(s), want{at_height->GetTxid(), past->GetTxid(), disabled->GetTxid()};
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    BOOST_CHECK(got == want);
}

BOOST_AUTO_TEST_CASE(gives_up_when_nearly_full)
{
    // One large transaction nearly fills the block; then more than
    // MAX_CONSECUTIVE_FAILURES that do not fit; then a small one that would.
    Pool p;
    const auto big = p.MakeTx({}, 1, 20000);
    p.Add(big, 10'000'000);
    const int64_t big_weight = GetTransactionWeight(*big);
    std::vector<TransactionRef> misfits;
    for (int i = 0; i < MAX_CONSECUTIVE_FAILURES + 1; ++i) {
        misfits.push_back(p.MakeTx({}, 1, 1000));
        p.Add(misfits.back(), 100000); // about 100 sat/vB
    }
    const auto small = p.MakeTx();
    p.Add(small, 100); // lower rate than every misfit

    BlockAssemblerOptions opts;
    // Room for `small` but not for a misfit, and within BLOCK_FULL_ENOUGH_WEIGHT_DELTA of full.
    opts.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + big_weight + 4 * Pool::VSize(small) + 400;
    BOOST_REQUIRE(4 * Pool::VSize(misfits[0]) > 4 * Pool::VSize(small) + 400);
    PackageSelection s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{big->GetTxid()}));

    // With one misfit fewer the search reaches the small one.
    {
        std::lock_guard lock(p.pool.GetMutex());
        p.pool.RemoveRecursive(*misfits.back(), RemovalReason::EXPIRY);
    }
    s = p.Select(opts);
    BOOST_CHECK(Txids(s) == (std::vector<uint256>{big->GetTxid(), small->GetTxid()}));
}

BOOST_AUTO_TEST_CASE(clamped_options)
{
    BlockAssemblerOptions o;
    o.block_max_weight = 10;
    o.block_reserved_weight = 100;
    BlockAssemblerOptions c = ClampOptions(o);
    BOOST_CHECK_EQUAL(c.block_reserved_weight, MINIMUM_BLOCK_RESERVED_WEIGHT);
    BOOST_CHECK_EQUAL(c.block_max_weight, MINIMUM_BLOCK_RESERVED_WEIGHT);
    o.block_max_weight = 2 * MAX_BLOCK_WEIGHT;
    o.block_reserved_weight = 9000;
    c = ClampOptions(o);
    BOOST_CHECK_EQUAL(c.block_max_weight, MAX_BLOCK_WEIGHT);
    BOOST_CHECK_EQUAL(c.block_reserved_weight, 9000);

    // A reserved weight above -blockmaxweight leaves no room at all.
    Pool p;
    p.Add(p.MakeTx(), 5000);
    o = {};
    o.block_max_weight = 5000;
    o.block_reserved_weight = 6000;
    BOOST_CHECK(p.Select(o).txs.empty());
}

BOOST_AUTO_TEST_CASE(parse_money)
{
    BOOST_CHECK_EQUAL(*ParseMoney("0.00001"), 1000);
    BOOST_CHECK_EQUAL(*ParseMoney("1"), COIN);
    BOOST_CHECK_EQUAL(*ParseMoney(" 1.5 "), COIN + COIN / 2);
    BOOST_CHECK_EQUAL(*ParseMoney(".5"), COIN / 2);
    BOOST_CHECK_EQUAL(*ParseMoney("1."), COIN);
    BOOST_CHECK_EQUAL(*ParseMoney("0.00000001"), 1);
    BOOST_CHECK_EQUAL(*ParseMoney("21000000"), 21000000 * COIN);
    for (const char* bad : {"", " ", "-1", "+1", "1e-5", "0.000000001", "1 2", "abc", "21000000.00000001",
                            "12345678901", "1.2.3", "0x10"}) {
        BOOST_CHECK_MESSAGE(!ParseMoney(bad), bad);
    }
}

BOOST_AUTO_TEST_SUITE_END()
