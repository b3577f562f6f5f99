// The pool's storage: links and ancestor/descendant totals through chains,
// diamonds, removals, blocks (with conflicts), prioritisation and reorg
// re-additions; the ancestor-score index block assembly walks; eviction by
// descendant score and the rolling minimum fee;
// expiry; Core's limit messages; observers' sequence numbers; the fee
// estimator's feed. Check() runs after every change.
#include "mempool/tx_mempool.h"
#include "policy/fee_estimator.h"
#include "test/unit/mempool/mempool_test_util.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <stdexcept>

using namespace cairn;
using namespace cairn::test;

namespace {

struct PoolSetup {
    MempoolOptions opts;
    std::unique_ptr<TxMemPool> pool;
    std::unique_lock<std::mutex> lock;

    explicit PoolSetup(MempoolOptions o = {}) : opts(o), pool(std::make_unique<TxMemPool>(o)), lock(pool->GetMutex()) {}
    ~PoolSetup() { SetMockTime(0); }

    const MempoolEntry* Add(const TransactionRef& tx, Amount fee, int64_t vsize, int64_t time = 0)
    {
        const MempoolEntry* e = pool->AddUnchecked(MakeEntry(tx, fee, vsize, time));
        pool->Check();
        return e;
    }
    const MempoolEntry* E(const TransactionRef& tx) const { return pool->Get(tx->GetTxid()); }
};

void CheckTotals(const MempoolEntry* e, uint64_t anc_count, int64_t anc_size, Amount anc_fees, uint64_t desc_count,
                 int64_t desc_size, Amount desc_fees)
{
    BOOST_REQUIRE(e);
    BOOST_CHECK_EQUAL(e->GetCountWithAncestors(), anc_count);
    BOOST_CHECK_EQUAL(e->GetSizeWithAncestors(), anc_size);
    BOOST_CHECK_EQUAL(e->GetModFeesWithAncestors(), anc_fees);
    BOOST_CHECK_EQUAL(e->GetCountWithDescendants(), desc_count);
    BOOST_CHECK_EQUAL(e->GetSizeWithDescendants(), desc_size);
    BOOST_CHECK_EQUAL(e->GetModFeesWithDescendants(), desc_fees);
}

} // namespace

BOOST_AUTO_TEST_SUITE(tx_mempool_tests)

BOOST_AUTO_TEST_CASE(chain_totals_and_links)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(1)}, 1, /*witness=*/true);
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(b->GetTxid(), 0)});
    s.Add(a, 1000, 100);
    s.Add(b, 2000, 200);
    s.Add(c, 3000, 300);

    CheckTotals(s.E(a), 1, 100, 1000, 3, 600, 6000);
    CheckTotals(s.E(b), 2, 300, 3000, 2, 500, 5000);
    CheckTotals(s.E(c), 3, 600, 6000, 1, 300, 3000);
    BOOST_CHECK_EQUAL(s.E(c)->GetSigOpCostWithAncestors(), 12);
    BOOST_CHECK(s.E(b)->Parents() == MempoolEntrySet{s.E(a)});
    BOOST_CHECK(s.E(b)->Children() == MempoolEntrySet{s.E(c)});
    BOOST_CHECK(s.E(a)->Parents().empty());

    BOOST_CHECK_EQUAL(s.pool->Size(), 3U);
    BOOST_CHECK_EQUAL(s.pool->TotalTxSize(), 600);
    BOOST_CHECK_EQUAL(s.pool->TotalFee(), 6000);
    BOOST_CHECK(s.pool->GetAncestors(*s.E(c)) == (MempoolEntrySet{s.E(a), s.E(b)}));
    BOOST_CHECK(s.pool->GetDescendants(*s.E(a)) == (MempoolEntrySet{s.E(a), s.E(b), s.E(c)}));
    BOOST_CHECK(s.pool->GetSpender(OutPoint(a->GetTxid(), 0)) == s.E(b));
    BOOST_CHECK(s.pool->GetSpender(ConfirmedCoin(1)) == s.E(a));
    BOOST_CHECK(!s.pool->GetSpender(OutPoint(c->GetTxid(), 0)));
    BOOST_CHECK(!s.pool->HasNoInputsOf(*c));
    BOOST_CHECK(s.pool->HasNoInputsOf(*a));

    // Lookups by txid and wtxid (they differ for the witness transaction).
    BOOST_CHECK(a->GetTxid() != a->GetWtxid());
    BOOST_CHECK(s.pool->GetByWtxid(a->GetWtxid()) == s.E(a));
    BOOST_CHECK(!s.pool->ExistsWtxid(a->GetTxid()));
    BOOST_CHECK(s.pool->GetTx(b->GetTxid()) == b);

    const auto topo = s.pool->EntriesTopological();
    BOOST_REQUIRE_EQUAL(topo.size(), 3U);
    BOOST_CHECK(topo[0] == s.E(a) && topo[1] == s.E(b) && topo[2] == s.E(c));
    const auto infos = s.pool->InfoAll();
    BOOST_REQUIRE_EQUAL(infos.size(), 3U);
    BOOST_CHECK(infos[2].tx == c);
    BOOST_CHECK_EQUAL(infos[2].fee, 3000);
    BOOST_CHECK_EQUAL(infos[2].vsize, 300);
    BOOST_CHECK(s.pool->DynamicMemoryUsage() > 0);
}

BOOST_AUTO_TEST_CASE(entry_sequence_kept_or_assigned)
{
    // Acceptance passes the pool's sequence, or 0 for a transaction of a
    // disconnected block (Core: it can be served to peers that heard of it
    // before); NEXT_SEQUENCE takes the pool's at insertion.
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(1)});
    auto b = MakeTx({ConfirmedCoin(2)});
    s.Add(a, 1000, 100);
    const uint64_t before = s.pool->GetSequence();
    BOOST_CHECK_EQUAL(s.E(a)->GetSequence(), before - 1);
    s.pool->AddUnchecked(MempoolEntry(b, 1000, GetTime(), 100, /*entry_sequence=*/0, false, 4, LockPoints{}, 100));
    BOOST_CHECK_EQUAL(s.E(b)->GetSequence(), 0U);
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), before + 1);
    // Topological order: both without ancestors, the re-added one first.
    const auto topo = s.pool->EntriesTopological();
    BOOST_REQUIRE_EQUAL(topo.size(), 2U);
    BOOST_CHECK(topo[0] == s.E(b));
}

BOOST_AUTO_TEST_CASE(diamond_counts_shared_ancestor_once)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(2)}, 2);
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(a->GetTxid(), 1)});
    auto d = MakeTx({OutPoint(b->GetTxid(), 0), OutPoint(c->GetTxid(), 0)});
    s.Add(a, 100, 100);
    s.Add(b, 200, 200);
    s.Add(c, 300, 300);
    s.Add(d, 400, 400);

    CheckTotals(s.E(a), 1, 100, 100, 4, 1000, 1000);
    CheckTotals(s.E(b), 2, 300, 300, 2, 600, 600);
    CheckTotals(s.E(c), 2, 400, 400, 2, 700, 700);
    CheckTotals(s.E(d), 4, 1000, 1000, 1, 400, 400);
    BOOST_CHECK(s.E(d)->Parents() == (MempoolEntrySet{s.E(b), s.E(c)}));
    BOOST_CHECK(s.E(a)->Children() == (MempoolEntrySet{s.E(b), s.E(c)}));

    // Removing one side: d goes with it, a keeps c.
    s.pool->RemoveRecursive(*b, RemovalReason::REPLACED);
    s.pool->Check();
    BOOST_CHECK(!s.pool->Exists(b->GetTxid()) && !s.pool->Exists(d->GetTxid()));
    CheckTotals(s.E(a), 1, 100, 100, 2, 400, 400);
    CheckTotals(s.E(c), 2, 400, 400, 1, 300, 300);
    BOOST_CHECK(!s.pool->GetSpender(OutPoint(a->GetTxid(), 0)));
}

BOOST_AUTO_TEST_CASE(remove_recursive_and_staged)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(3)}, 2);
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(b->GetTxid(), 0)});
    auto x = MakeTx({OutPoint(a->GetTxid(), 1)});
    s.Add(a, 1000, 100);
    s.Add(b, 1000, 100);
    s.Add(c, 1000, 100);
    s.Add(x, 1000, 100);

    s.pool->RemoveRecursive(*b, RemovalReason::CONFLICT);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 2U);
    CheckTotals(s.E(a), 1, 100, 1000, 2, 200, 2000);

    // A transaction not in the pool: its in-pool spenders still go.
    auto gone = MakeTx({ConfirmedCoin(4)}, 2);
    auto orphan_child = MakeTx({OutPoint(gone->GetTxid(), 1)});
    s.Add(orphan_child, 500, 100);
    s.pool->RemoveRecursive(*gone, RemovalReason::REORG);
    s.pool->Check();
    BOOST_CHECK(!s.pool->Exists(orphan_child->GetTxid()));

    // RemoveStaged takes descendants along.
    s.pool->RemoveStaged(MempoolEntrySet{s.E(a)}, RemovalReason::REPLACED);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 0U);
    BOOST_CHECK_EQUAL(s.pool->TotalTxSize(), 0);
    BOOST_CHECK_EQUAL(s.pool->TotalFee(), 0);
}

BOOST_AUTO_TEST_CASE(remove_for_block_with_conflict_and_staying_descendants)
{
    PoolSetup s;
    RecordingObserver obs;
    s.pool->AddObserver(&obs);
    auto a = MakeTx({ConfirmedCoin(5)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(b->GetTxid(), 0)});
    auto x = MakeTx({ConfirmedCoin(6)});
    auto x2 = MakeTx({OutPoint(x->GetTxid(), 0)});
    s.Add(a, 1000, 100);
    s.Add(b, 2000, 200);
    s.Add(c, 3000, 300);
    s.Add(x, 4000, 400);
    s.Add(x2, 5000, 500);
    s.pool->PrioritiseTransaction(a->GetTxid(), 10);
    s.pool->PrioritiseTransaction(x->GetTxid(), 20);
    s.pool->Check();
    const uint64_t seq_before = s.pool->GetSequence();
    const unsigned updated_before = s.pool->GetTransactionsUpdated();
    obs.events.clear();

    // The block confirms a and spends x's input with another transaction.
    auto y = MakeTx({ConfirmedCoin(6)});
    s.pool->RemoveForBlock({a, y}, 101);
    s.pool->Check();

    BOOST_CHECK(!s.pool->Exists(a->GetTxid()));
    BOOST_CHECK(!s.pool->Exists(x->GetTxid()) && !s.pool->Exists(x2->GetTxid()));
    // b and c stay; they no longer count a.
    CheckTotals(s.E(b), 1, 200, 2000, 2, 500, 5000);
    CheckTotals(s.E(c), 2, 500, 5000, 1, 300, 3000);
    BOOST_CHECK(s.E(b)->Parents().empty());
    // Deltas of the mined transaction and of the conflict are gone.
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(a->GetTxid()), 0);
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(x->GetTxid()), 0);
    BOOST_CHECK(s.pool->GetDeltas().empty());

    // Three removals use three sequence numbers; the BLOCK one is not reported.
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), seq_before + 3);
    BOOST_CHECK_EQUAL(s.pool->GetTransactionsUpdated(), updated_before + 3);
    BOOST_REQUIRE_EQUAL(obs.events.size(), 2U);
    for (const auto& ev : obs.events) {
        BOOST_CHECK(!ev.added);
        BOOST_CHECK(ev.reason == RemovalReason::CONFLICT);
        BOOST_CHECK(ev.txid == x->GetTxid() || ev.txid == x2->GetTxid());
        BOOST_CHECK(ev.sequence == seq_before + 1 || ev.sequence == seq_before + 2);
    }
    BOOST_CHECK(obs.events[0].sequence + 1 == obs.events[1].sequence);
}

BOOST_AUTO_TEST_CASE(prioritisation_moves_totals)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(7)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(b->GetTxid(), 0)});
    // A delta set before the transaction arrives applies when it does.
    s.pool->PrioritiseTransaction(c->GetTxid(), 50);
    s.Add(a, 1000, 100);
    s.Add(b, 1000, 100);
    s.Add(c, 1000, 100);
    BOOST_CHECK_EQUAL(s.E(c)->GetFeeDelta(), 50);
    BOOST_CHECK_EQUAL(s.E(c)->GetModifiedFee(), 1050);
    CheckTotals(s.E(a), 1, 100, 1000, 3, 300, 3050);

    const unsigned updated = s.pool->GetTransactionsUpdated();
    s.pool->PrioritiseTransaction(b->GetTxid(), 500);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->GetTransactionsUpdated(), updated + 1);
    CheckTotals(s.E(a), 1, 100, 1000, 3, 300, 3550);
    CheckTotals(s.E(b), 2, 200, 2500, 2, 200, 2550);
    CheckTotals(s.E(c), 3, 300, 3550, 1, 100, 1050);
    BOOST_CHECK_EQUAL(s.E(b)->GetFee(), 1000);
    BOOST_CHECK_EQUAL(s.pool->TotalFee(), 3000); // base fees

    // Back to zero: the map forgets it.
    s.pool->PrioritiseTransaction(b->GetTxid(), -500);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(b->GetTxid()), 0);
    BOOST_CHECK(!s.pool->GetDeltas().count(b->GetTxid()));
    CheckTotals(s.E(a), 1, 100, 1000, 3, 300, 3050);

    // Negative deltas and absurd ones do not break the totals' consistency.
    s.pool->PrioritiseTransaction(a->GetTxid(), -5000);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.E(a)->GetModifiedFee(), -4000);
    BOOST_CHECK_EQUAL(s.E(c)->GetModFeesWithAncestors(), -4000 + 1000 + 1050);
    s.pool->PrioritiseTransaction(a->GetTxid(), std::numeric_limits<Amount>::max());
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(a->GetTxid()), std::numeric_limits<Amount>::max() - 5000);
    BOOST_CHECK_EQUAL(s.E(a)->GetModifiedFee(), std::numeric_limits<Amount>::max() - 4000);
    s.pool->PrioritiseTransaction(a->GetTxid(), std::numeric_limits<Amount>::max());
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.E(a)->GetModifiedFee(), std::numeric_limits<Amount>::max());

    s.pool->ClearPrioritisation(c->GetTxid());
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(c->GetTxid()), 0);
}

BOOST_AUTO_TEST_CASE(prioritisation_changes_eviction_order)
{
    PoolSetup s;
    auto low = MakeTx({ConfirmedCoin(8)});
    auto high = MakeTx({ConfirmedCoin(9)});
    s.Add(low, 100, 100);
    s.Add(high, 10'000, 100);
    s.pool->PrioritiseTransaction(low->GetTxid(), 100'000);
    s.pool->Check();
    // Room for one: the one that now scores lower goes.
    s.pool->TrimToSize(s.pool->DynamicMemoryUsage() - 1);
    s.pool->Check();
    BOOST_CHECK(s.pool->Exists(low->GetTxid()));
    BOOST_CHECK(!s.pool->Exists(high->GetTxid()));
}

BOOST_AUTO_TEST_CASE(trim_evicts_lowest_descendant_score_and_raises_min_fee)
{
    PoolSetup s;
    SetMockTime(1'700'000'000);
    RecordingObserver obs;
    s.pool->AddObserver(&obs);
    // Feerates in sat/kvB: cheap 2000, mid 5000, parent 1000 but with a
    // child paying 9000 (package 5000... descendant score is the max of its
    // own 1000 and 5000), rich 20000.
    auto cheap = MakeTx({ConfirmedCoin(10)});
    auto mid = MakeTx({ConfirmedCoin(11)});
    auto parent = MakeTx({ConfirmedCoin(12)});
    auto child = MakeTx({OutPoint(parent->GetTxid(), 0)});
    auto rich = MakeTx({ConfirmedCoin(13)});
    s.Add(cheap, 200, 100);
    s.Add(mid, 500, 100, GetTime() - 10);
    s.Add(parent, 100, 100, GetTime() - 5);
    s.Add(child, 900, 100);
    s.Add(rich, 2000, 100);
    BOOST_CHECK(s.pool->GetMinFee() == FeeRate(0));

    const size_t full = s.pool->DynamicMemoryUsage();
    std::vector<OutPoint> no_spends;
    s.pool->TrimToSize(full - 1, &no_spends);
    s.pool->Check();
    BOOST_CHECK(!s.pool->Exists(cheap->GetTxid()));
    BOOST_CHECK_EQUAL(s.pool->Size(), 4U);
    BOOST_REQUIRE_EQUAL(no_spends.size(), 1U);
    BOOST_CHECK(no_spends[0] == ConfirmedCoin(10));
    // 2000 sat/kvB evicted + 100 incremental.
    BOOST_CHECK(s.pool->GetMinFee() == FeeRate(2100));
    BOOST_CHECK(obs.events.back().reason == RemovalReason::SIZELIMIT);

    // Next: parent (package 5000, entered at -5) ties with mid (5000,
    // entered at -10): on a tie the newer goes first, with its child.
    no_spends.clear();
    s.pool->TrimToSize(s.pool->DynamicMemoryUsage() - 1, &no_spends);
    s.pool->Check();
    BOOST_CHECK(!s.pool->Exists(parent->GetTxid()) && !s.pool->Exists(child->GetTxid()));
    BOOST_CHECK(s.pool->Exists(mid->GetTxid()));
    // The child's input was the parent's output, gone with it: both outpoints listed.
    BOOST_CHECK_EQUAL(no_spends.size(), 2U);
    BOOST_CHECK(s.pool->GetMinFee() == FeeRate(5100));

    // Everything: the floor stays at the highest evicted package.
    s.pool->TrimToSize(0);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 0U);
    BOOST_CHECK(s.pool->GetMinFee() == FeeRate(20100));
}

BOOST_AUTO_TEST_CASE(min_fee_decays_only_after_a_block)
{
    const int64_t t0 = 1'700'000'000;
    SetMockTime(t0);
    PoolSetup p;
    auto tx = MakeTx({ConfirmedCoin(14)});
    p.Add(tx, 100'000, 100); // 1'000'000 sat/kvB
    p.pool->TrimToSize(0);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(1'000'100));

    // No block since the bump: no decay, however long.
    SetMockTime(t0 + 100'000);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(1'000'100));

    // A block; the pool is empty (below a quarter of its limit), so the
    // half-life is 12 h / 4 = 3 h.
    p.pool->RemoveForBlock({}, 1);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(1'000'100)); // no time passed
    SetMockTime(t0 + 100'000 + 3 * 3600);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(500'050));
    SetMockTime(t0 + 100'000 + 6 * 3600);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(250'025));
    // Within 10 seconds of the last update nothing moves.
    SetMockTime(t0 + 100'000 + 6 * 3600 + 10);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(250'025));

    // Decayed to 2500 * 2^-... : below incremental/2 (50) it snaps to 0;
    // between 50 and 100 it reads as the incremental feerate.
    // 250025 / 2^12 = 61.04 -> max(61, 100) = 100.
    SetMockTime(t0 + 100'000 + 6 * 3600 + 12 * 3 * 3600);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(100));
    SetMockTime(t0 + 100'000 + 6 * 3600 + 13 * 3 * 3600);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(0));
    SetMockTime(t0 + 200'000 + 6 * 3600 + 13 * 3 * 3600);
    BOOST_CHECK(p.pool->GetMinFee() == FeeRate(0));
}

BOOST_AUTO_TEST_CASE(min_fee_halflife_follows_usage)
{
    const int64_t t0 = 1'700'000'000;
    SetMockTime(t0);
    PoolSetup s;
    // Two transactions; the limit is set so that one of them fills between
    // a quarter and a half of it after the other is evicted.
    auto a = MakeTx({ConfirmedCoin(15)});
    auto b = MakeTx({ConfirmedCoin(16)});
    s.Add(a, 1000, 100);
    const size_t one = s.pool->DynamicMemoryUsage();
    s.Add(b, 100'000, 100);
    s.pool->TrimToSize(s.pool->DynamicMemoryUsage() - 1); // evicts a
    BOOST_REQUIRE(s.pool->Exists(b->GetTxid()));
    const FeeRate bumped = s.pool->GetMinFee();
    BOOST_CHECK(bumped == FeeRate(10'100));

    MempoolOptions opts;
    opts.max_size_bytes = int64_t(one * 3); // one entry: a third of the limit
    PoolSetup q(opts);
    q.Add(a, 1000, 100);
    q.Add(b, 100'000, 100);
    q.pool->TrimToSize(q.pool->DynamicMemoryUsage() - 1);
    BOOST_REQUIRE_EQUAL(q.pool->Size(), 1U);
    BOOST_REQUIRE(q.pool->DynamicMemoryUsage() >= size_t(opts.max_size_bytes) / 4);
    BOOST_REQUIRE(q.pool->DynamicMemoryUsage() < size_t(opts.max_size_bytes) / 2);
    q.pool->RemoveForBlock({}, 1);
    SetMockTime(t0 + 6 * 3600); // half-life 6 h
    BOOST_CHECK(q.pool->GetMinFee() == FeeRate(5050));
}

BOOST_AUTO_TEST_CASE(expire_takes_descendants)
{
    MempoolOptions opts;
    opts.expiry_seconds = 1000;
    PoolSetup s(opts);
    const int64_t now = 1'700'000'000;
    auto old_parent = MakeTx({ConfirmedCoin(17)});
    auto young_child = MakeTx({OutPoint(old_parent->GetTxid(), 0)});
    auto young = MakeTx({ConfirmedCoin(18)});
    auto edge = MakeTx({ConfirmedCoin(19)});
    s.Add(old_parent, 1000, 100, now - 2000);
    s.Add(young_child, 1000, 100, now - 10);
    s.Add(young, 1000, 100, now - 10);
    s.Add(edge, 1000, 100, now - 1000); // exactly at the cutoff: stays
    RecordingObserver obs;
    s.pool->AddObserver(&obs);

    BOOST_CHECK_EQUAL(s.pool->Expire(now), 2);
    s.pool->Check();
    BOOST_CHECK(!s.pool->Exists(old_parent->GetTxid()) && !s.pool->Exists(young_child->GetTxid()));
    BOOST_CHECK(s.pool->Exists(young->GetTxid()) && s.pool->Exists(edge->GetTxid()));
    BOOST_REQUIRE_EQUAL(obs.events.size(), 2U);
    BOOST_CHECK(obs.events[0].reason == RemovalReason::EXPIRY);
    BOOST_CHECK_EQUAL(s.pool->Expire(now), 0);
    BOOST_CHECK_EQUAL(s.pool->Expire(now + 1), 1);
}

BOOST_AUTO_TEST_CASE(limit_error_strings)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(20)}, 3);
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({OutPoint(b->GetTxid(), 0)});
    auto sib = MakeTx({OutPoint(a->GetTxid(), 1)});
    s.Add(a, 1000, 1000);
    s.Add(b, 1000, 2000);
    s.Add(c, 1000, 3000);
    s.Add(sib, 1000, 500);

    std::string error;
    auto child_of_c = MakeTx({OutPoint(c->GetTxid(), 0)});
    // Within limits: the ancestors.
    auto ok = s.pool->CalculateAncestorsAndCheckLimits(*child_of_c, 100, s.opts.limits, error);
    BOOST_REQUIRE(ok);
    BOOST_CHECK(*ok == (MempoolEntrySet{s.E(a), s.E(b), s.E(c)}));
    auto unrelated = MakeTx({ConfirmedCoin(21)});
    ok = s.pool->CalculateAncestorsAndCheckLimits(*unrelated, 100, s.opts.limits, error);
    BOOST_REQUIRE(ok);
    BOOST_CHECK(ok->empty());

    MempoolLimits limits;
    limits.ancestor_count = 3;
    BOOST_CHECK(!s.pool->CalculateAncestorsAndCheckLimits(*child_of_c, 100, limits, error));
    BOOST_CHECK_EQUAL(error, "too many unconfirmed ancestors [limit: 3]");

    limits = MempoolLimits{};
    limits.ancestor_size_vbytes = 6000;
    BOOST_CHECK(!s.pool->CalculateAncestorsAndCheckLimits(*child_of_c, 100, limits, error));
    BOOST_CHECK_EQUAL(error, "exceeds ancestor size limit [limit: 6000]");

    // a has 4 descendants (itself, b, c, sib) totalling 6500 vbytes.
    auto second_child_of_a = MakeTx({OutPoint(a->GetTxid(), 2)});
    limits = MempoolLimits{};
    limits.descendant_count = 4;
    BOOST_CHECK(!s.pool->CalculateAncestorsAndCheckLimits(*second_child_of_a, 100, limits, error));
    BOOST_CHECK_EQUAL(error, "too many descendants for tx " + a->GetTxid().GetHex() + " [limit: 4]");

    limits = MempoolLimits{};
    limits.descendant_size_vbytes = 6550;
    BOOST_CHECK(!s.pool->CalculateAncestorsAndCheckLimits(*second_child_of_a, 100, limits, error));
    BOOST_CHECK_EQUAL(error, "exceeds descendant size limit for tx " + a->GetTxid().GetHex() + " [limit: 6550]");
    BOOST_CHECK(s.pool->CalculateAncestorsAndCheckLimits(*second_child_of_a, 50, limits, error));

    auto two_parents = MakeTx({OutPoint(c->GetTxid(), 0), OutPoint(sib->GetTxid(), 0)});
    limits = MempoolLimits{};
    limits.ancestor_count = 2;
    BOOST_CHECK(!s.pool->CalculateAncestorsAndCheckLimits(*two_parents, 100, limits, error));
    BOOST_CHECK_EQUAL(error, "too many unconfirmed parents [limit: 2]");

    BOOST_CHECK(s.pool->CalculateAncestorsAndCheckLimits(*two_parents, 1'000'000, MempoolLimits::NoLimits(), error));

    // Packages: counted as one transaction of the package's size.
    std::string perror;
    BOOST_CHECK(s.pool->CheckPackageLimits({child_of_c}, 100, s.opts.limits, perror));
    limits = MempoolLimits{};
    limits.ancestor_count = 1;
    BOOST_CHECK(!s.pool->CheckPackageLimits({unrelated, child_of_c}, 200, limits, perror));
    BOOST_CHECK_EQUAL(perror, "package count 2 exceeds ancestor count limit [limit: 1]");
    limits = MempoolLimits{};
    limits.descendant_size_vbytes = 150;
    BOOST_CHECK(!s.pool->CheckPackageLimits({unrelated}, 200, limits, perror));
    BOOST_CHECK_EQUAL(perror, "package size 200 exceeds descendant size limit [limit: 150]");
    limits = MempoolLimits{};
    limits.ancestor_count = 4;
    BOOST_CHECK(!s.pool->CheckPackageLimits({unrelated, child_of_c}, 200, limits, perror));
    BOOST_CHECK_EQUAL(perror, "possibly too many unconfirmed ancestors [limit: 4]");
}

BOOST_AUTO_TEST_CASE(observers_and_sequence_numbers)
{
    PoolSetup s;
    RecordingObserver obs;
    s.pool->AddObserver(&obs);
    auto a = MakeTx({ConfirmedCoin(22)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), 1U); // Core starts at 1
    const unsigned updated = s.pool->GetTransactionsUpdated();
    s.Add(a, 1000, 100);
    s.Add(b, 1000, 100);
    BOOST_CHECK_EQUAL(s.E(a)->GetSequence(), 1U);
    BOOST_CHECK_EQUAL(s.E(b)->GetSequence(), 2U);
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), 3U);
    BOOST_CHECK_EQUAL(s.pool->GetTransactionsUpdated(), updated + 2);
    BOOST_REQUIRE_EQUAL(obs.events.size(), 2U);
    BOOST_CHECK(obs.events[0].added && obs.events[0].txid == a->GetTxid() && obs.events[0].sequence == 1);
    BOOST_CHECK(obs.events[1].added && obs.events[1].txid == b->GetTxid() && obs.events[1].sequence == 2);

    s.pool->RemoveRecursive(*a, RemovalReason::REPLACED);
    BOOST_REQUIRE_EQUAL(obs.events.size(), 4U);
    BOOST_CHECK(!obs.events[2].added && obs.events[2].sequence == 3);
    BOOST_CHECK(!obs.events[3].added && obs.events[3].sequence == 4);
    BOOST_CHECK(obs.events[2].reason == RemovalReason::REPLACED);
    // Removal order: by txid, as Core's entry sets.
    BOOST_CHECK(obs.events[2].txid < obs.events[3].txid);
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), 5U);
    BOOST_CHECK_EQUAL(s.pool->GetTransactionsUpdated(), updated + 4);

    s.pool->RemoveObserver(&obs);
    s.Add(MakeTx({ConfirmedCoin(23)}), 1000, 100);
    BOOST_CHECK_EQUAL(obs.events.size(), 4U);
    BOOST_CHECK_EQUAL(s.pool->GetSequence(), 6U);
    BOOST_CHECK_EQUAL(std::string(RemovalReasonToString(RemovalReason::SIZELIMIT)), "sizelimit");
}

BOOST_AUTO_TEST_CASE(readded_parent_links_existing_children)
{
    // After a reorg, a transaction of a disconnected block comes back while
    // its spenders are already in the pool.
    PoolSetup s;
    auto g = MakeTx({ConfirmedCoin(24)});
    auto p = MakeTx({OutPoint(g->GetTxid(), 0)}, 2);
    auto c1 = MakeTx({OutPoint(p->GetTxid(), 0)});
    auto c2 = MakeTx({OutPoint(p->GetTxid(), 1), OutPoint(c1->GetTxid(), 0)});
    auto other = MakeTx({ConfirmedCoin(25)});
    auto c3 = MakeTx({OutPoint(c2->GetTxid(), 0), OutPoint(other->GetTxid(), 0)});
    s.Add(other, 50, 50);
    s.Add(c1, 100, 100);
    s.Add(c2, 200, 200);
    s.Add(c3, 300, 300);
    s.Add(g, 10, 10);
    s.Add(p, 1000, 1000); // Add() runs Check()

    CheckTotals(s.E(p), 2, 1010, 1010, 4, 1600, 1600);
    CheckTotals(s.E(g), 1, 10, 10, 5, 1610, 1610);
    CheckTotals(s.E(c2), 4, 1310, 1310, 2, 500, 500);
    CheckTotals(s.E(c3), 6, 1660, 1660, 1, 300, 300);
    BOOST_CHECK(s.E(p)->Children() == (MempoolEntrySet{s.E(c1), s.E(c2)}));

    // The eviction order saw the new totals: removals keep everything exact.
    s.pool->RemoveForBlock({g, p}, 10);
    s.pool->Check();
    CheckTotals(s.E(c3), 4, 650, 650, 1, 300, 300);
}

BOOST_AUTO_TEST_CASE(ancestor_score_index_follows_every_change)
{
    // Block assembly's order: the lower of own and package fee rate, best
    // first, equal rates by txid. Every change that moves an entry's
    // ancestor totals moves it in the index (Check() verifies the order).
    PoolSetup s;
    auto order = [&] {
        const AncestorScoreIndex& index = s.pool->EntriesByAncestorScore();
        return std::vector<const MempoolEntry*>(index.begin(), index.end());
    };
    using Order = std::vector<const MempoolEntry*>;
    auto a = MakeTx({ConfirmedCoin(40)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto x = MakeTx({ConfirmedCoin(41)});
    s.Add(a, 1000, 100); // 10 sat/vB
    s.Add(b, 5000, 100); // 50 alone, 30 with a: ranked at 30
    s.Add(x, 4000, 100); // 40
    BOOST_CHECK(order() == (Order{s.E(x), s.E(b), s.E(a)}));

    // Prioritising a parent raises its child's package rate too.
    s.pool->PrioritiseTransaction(a->GetTxid(), 8000); // a: 90; b: min(50, 70), now above x
    s.pool->Check();
    BOOST_CHECK(order() == (Order{s.E(a), s.E(b), s.E(x)}));
    s.pool->PrioritiseTransaction(a->GetTxid(), -8500); // a: 5; b: min(50, 27.5)
    s.pool->Check();
    BOOST_CHECK(order() == (Order{s.E(x), s.E(b), s.E(a)}));

    // The parent is mined: the child's package is itself alone (50, above x).
    s.pool->RemoveForBlock({a}, 101);
    s.pool->Check();
    BOOST_CHECK(order() == (Order{s.E(b), s.E(x)}));

    // A reorg brings the parent back (its delta went with the block): b is
    // ranked at 30 again, below x; then a negative delta makes b and a tie
    // at 10, which the lower txid breaks.
    s.Add(a, 1000, 100);
    BOOST_CHECK(order() == (Order{s.E(x), s.E(b), s.E(a)}));
    s.pool->PrioritiseTransaction(b->GetTxid(), -4000);
    s.pool->Check();
    const bool a_first = a->GetTxid() < b->GetTxid();
    BOOST_CHECK(order() == (a_first ? Order{s.E(x), s.E(a), s.E(b)} : Order{s.E(x), s.E(b), s.E(a)}));

    // Amounts whose cross products do not fit a double still order strictly.
    s.pool->PrioritiseTransaction(x->GetTxid(), std::numeric_limits<Amount>::max() / 2);
    s.pool->PrioritiseTransaction(b->GetTxid(), std::numeric_limits<Amount>::max() / 2 - 1);
    s.pool->Check();
    BOOST_CHECK(order().front() == s.E(x));

    // Replaced: the entries leave the index with their descendants.
    s.pool->RemoveStaged(MempoolEntrySet{s.E(a)}, RemovalReason::REPLACED);
    s.pool->Check();
    BOOST_CHECK(order() == (Order{s.E(x)}));
    s.pool->Clear();
    BOOST_CHECK(order().empty());
}

BOOST_AUTO_TEST_CASE(add_unchecked_refuses_double_spends)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(26)});
    s.Add(a, 1000, 100);
    auto rival = MakeTx({ConfirmedCoin(26)});
    BOOST_CHECK_THROW(s.pool->AddUnchecked(MakeEntry(rival, 2000, 100)), std::logic_error);
    BOOST_CHECK_THROW(s.pool->AddUnchecked(MakeEntry(a, 2000, 100)), std::logic_error);
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 1U);
}

BOOST_AUTO_TEST_CASE(remove_for_reorg_and_lock_points)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(27)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({ConfirmedCoin(28)});
    s.Add(a, 1000, 100);
    s.Add(b, 1000, 100);
    s.Add(c, 1000, 100);
    LockPoints lp;
    lp.height = 77;
    s.pool->UpdateLockPoints(*s.E(c), lp);
    BOOST_CHECK_EQUAL(s.E(c)->GetLockPoints().height, 77);
    s.pool->RemoveForReorg([&](const MempoolEntry& e) { return e.Txid() == a->GetTxid(); });
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 1U);
    BOOST_CHECK(s.pool->Exists(c->GetTxid()));
}

BOOST_AUTO_TEST_CASE(unbroadcast_clear_and_depth_order)
{
    PoolSetup s;
    auto a = MakeTx({ConfirmedCoin(29)});
    auto b = MakeTx({OutPoint(a->GetTxid(), 0)});
    auto c = MakeTx({ConfirmedCoin(30)});
    s.Add(a, 1000, 100);
    s.Add(b, 5000, 100);
    s.Add(c, 2000, 100);

    s.pool->AddUnbroadcastTx(a->GetTxid());
    s.pool->AddUnbroadcastTx(MakeTx({ConfirmedCoin(31)})->GetTxid()); // not in the pool: ignored
    BOOST_CHECK_EQUAL(s.pool->GetUnbroadcastTxs().size(), 1U);
    BOOST_CHECK(s.pool->IsUnbroadcastTx(a->GetTxid()));

    // Fewer ancestors first, then higher feerate; absent ones first.
    BOOST_CHECK(s.pool->CompareDepthAndScore(c->GetWtxid(), a->GetWtxid()));
    BOOST_CHECK(!s.pool->CompareDepthAndScore(a->GetWtxid(), c->GetWtxid()));
    BOOST_CHECK(s.pool->CompareDepthAndScore(a->GetWtxid(), b->GetWtxid()));
    BOOST_CHECK(s.pool->CompareDepthAndScore(uint256::ONE, a->GetWtxid()));
    BOOST_CHECK(!s.pool->CompareDepthAndScore(a->GetWtxid(), uint256::ONE));

    s.pool->RemoveRecursive(*a, RemovalReason::CONFLICT);
    BOOST_CHECK(s.pool->GetUnbroadcastTxs().empty());

    s.pool->PrioritiseTransaction(c->GetTxid(), 5);
    s.pool->Clear();
    s.pool->Check();
    BOOST_CHECK_EQUAL(s.pool->Size(), 0U);
    BOOST_CHECK_EQUAL(s.pool->TotalTxSize(), 0);
    BOOST_CHECK_EQUAL(s.pool->GetFeeDelta(c->GetTxid()), 5); // deltas survive, as in Core
    s.Add(c, 2000, 100);
    BOOST_CHECK_EQUAL(s.E(c)->GetModifiedFee(), 2005);
}

BOOST_AUTO_TEST_CASE(fee_estimator_is_fed)
{
    FeeEstimator estimator;
    estimator.ProcessBlock(100, {});
    MempoolOptions opts;
    opts.estimator = &estimator;
    PoolSetup s(opts);
    auto a = MakeTx({ConfirmedCoin(32)});
    auto b = MakeTx({ConfirmedCoin(33)});
    auto c = MakeTx({ConfirmedCoin(34)});
    auto add = [&](const TransactionRef& tx) {
        s.pool->AddUnchecked(MakeEntry(tx, 5000, 200, 0, 4, 100), /*valid_for_estimation=*/true);
    };
    add(a);
    add(b);
    add(c);
    BOOST_CHECK_EQUAL(estimator.TrackedTxCount(), 3U);
    s.pool->RemoveRecursive(*c, RemovalReason::REPLACED);
    BOOST_CHECK_EQUAL(estimator.TrackedTxCount(), 2U);
    s.pool->RemoveForBlock({a}, 101);
    BOOST_CHECK_EQUAL(estimator.BestSeenHeight(), 101U);
    BOOST_CHECK_EQUAL(estimator.TrackedTxCount(), 1U);
    s.pool->Clear();
    BOOST_CHECK_EQUAL(estimator.TrackedTxCount(), 0U);
    // Not valid for estimation: not tracked.
    s.pool->AddUnchecked(MakeEntry(b, 5000, 200, 0, 4, 101), false);
    BOOST_CHECK_EQUAL(estimator.TrackedTxCount(), 0U);
}

BOOST_AUTO_TEST_SUITE_END()
