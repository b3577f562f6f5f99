// Tests for net/orphanage.h: announcements, work sets, block and peer
// removal, and Core 30's limits (latency score and per-peer reserved usage),
// with SanityCheck after every change.
#include "consensus/tx_check.h"
#include "net/orphanage.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace cairn;

namespace {

uint256 Hash(uint8_t a, uint8_t b = 0)
{
    uint256 h;
    h.data()[0] = a;
    h.data()[1] = b;
    h.data()[31] = 0x77;
    return h;
}

/** A transaction spending `prevouts`, with `n_out` outputs; `tag` makes it unique;
 *  `witness` gives its first input a witness (so txid != wtxid). */
TransactionRef MakeTx(const std::vector<OutPoint>& prevouts, uint32_t n_out, uint8_t tag, bool witness = false,
                      size_t extra_script = 0)
{
    MutableTransaction m;
    for (const OutPoint& p : prevouts) {
        TxIn in;
        in.prevout = p;
        m.vin.push_back(in);
    }
    if (witness && !m.vin.empty()) m.vin[0].witness.stack = {Bytes{tag, 1, 2, 3}};
    for (uint32_t i = 0; i < n_out; ++i) {
        Bytes spk{0x51, tag};
        spk.resize(spk.size() + extra_script, 0x61);
        m.vout.emplace_back(1000, Script(spk));
    }
    m.locktime = tag;
    return std::make_shared<const Transaction>(std::move(m));
}

TransactionRef Orphan(uint8_t tag, size_t n_inputs = 1)
{
    std::vector<OutPoint> prevouts;
    for (size_t i = 0; i < n_inputs; ++i) prevouts.emplace_back(Hash(tag, uint8_t(i)), 0);
    return MakeTx(prevouts, 1, tag);
}

uint64_t First(uint64_t) { return 0; }

} // namespace

BOOST_AUTO_TEST_SUITE(orphanage_tests)

BOOST_AUTO_TEST_CASE(add_announcers_and_erase)
{
    TxOrphanage o;
    const TransactionRef a = Orphan(1);
    const TransactionRef b = MakeTx({{Hash(2), 0}}, 1, 2, /*witness=*/true);
    BOOST_CHECK(a->GetTxid() == a->GetWtxid());
    BOOST_CHECK(b->GetTxid() != b->GetWtxid());

    BOOST_CHECK(o.AddTx(a, 0));
    BOOST_CHECK(!o.AddTx(a, 0)); // same announcement
    BOOST_CHECK(!o.AddTx(a, 1)); // new announcer of a known orphan
    BOOST_CHECK(o.AddTx(b, 1));
    o.SanityCheck();
    BOOST_CHECK_EQUAL(o.CountUniqueOrphans(), 2u);
    BOOST_CHECK_EQUAL(o.CountAnnouncements(), 3u);
    BOOST_CHECK(o.HaveTx(b->GetWtxid()));
    BOOST_CHECK(!o.HaveTx(b->GetTxid())); // looked up by wtxid only
    BOOST_CHECK(o.HaveTxFromPeer(a->GetWtxid(), 1));
    BOOST_CHECK(!o.HaveTxFromPeer(b->GetWtxid(), 0));
    BOOST_CHECK(o.GetTx(a->GetWtxid()) == a);
    BOOST_CHECK(!o.GetTx(Hash(9)));

    BOOST_CHECK(o.AddAnnouncer(b->GetWtxid(), 2));
    BOOST_CHECK(!o.AddAnnouncer(b->GetWtxid(), 2));
    BOOST_CHECK(!o.AddAnnouncer(Hash(9), 2)); // unknown: nothing to copy
    BOOST_CHECK_EQUAL(o.AnnouncementsFromPeer(2), 1u);
    BOOST_CHECK_EQUAL(o.UsageByPeer(1), GetTransactionWeight(*a) + GetTransactionWeight(*b));
    // Usage is counted once per orphan, however many announced it.
    BOOST_CHECK_EQUAL(o.TotalOrphanUsage(), GetTransactionWeight(*a) + GetTransactionWeight(*b));
    o.SanityCheck();

    const auto all = o.GetOrphanTransactions();
    BOOST_REQUIRE_EQUAL(all.size(), 2u);
    for (const auto& info : all) {
        BOOST_CHECK((info.announcers == std::set<NodeId>{0, 1} && info.tx == a) ||
                    (info.announcers == std::set<NodeId>{1, 2} && info.tx == b));
    }

    // A peer leaving takes only what no one else announced.
    o.EraseForPeer(1);
    o.SanityCheck();
    BOOST_CHECK(o.HaveTx(a->GetWtxid()));
    BOOST_CHECK(o.HaveTx(b->GetWtxid()));
    o.EraseForPeer(0);
    BOOST_CHECK(!o.HaveTx(a->GetWtxid()));
    BOOST_CHECK(o.EraseTx(b->GetWtxid()));
    BOOST_CHECK(!o.EraseTx(b->GetWtxid()));
    o.SanityCheck();
    BOOST_CHECK_EQUAL(o.CountAnnouncements(), 0u);
    BOOST_CHECK_EQUAL(o.TotalOrphanUsage(), 0);
    BOOST_CHECK_EQUAL(o.TotalLatencyScore(), 0u);
}

BOOST_AUTO_TEST_CASE(parents_and_heavy_orphans)
{
    TxOrphanage o;
    const TransactionRef t = MakeTx({{Hash(5), 1}, {Hash(3), 0}, {Hash(5), 0}}, 1, 7);
    BOOST_CHECK(o.AddTx(t, 0));
    const auto parents = o.GetParentTxids(t->GetWtxid());
    BOOST_REQUIRE(parents);
    BOOST_CHECK(*parents == (std::vector<uint256>{std::min(Hash(3), Hash(5)), std::max(Hash(3), Hash(5))}));
    BOOST_CHECK(!o.GetParentTxids(Hash(1)));

    // Heavier than a standard transaction: refused.
    const TransactionRef heavy = MakeTx({{Hash(8), 0}}, 1, 8, false, 100'001);
    BOOST_CHECK_GT(GetTransactionWeight(*heavy), 400'000);
    BOOST_CHECK(!o.AddTx(heavy, 0));
    BOOST_CHECK(!o.HaveTx(heavy->GetWtxid()));
    o.SanityCheck();
}

BOOST_AUTO_TEST_CASE(erase_for_block)
{
    TxOrphanage o;
    const TransactionRef spends_x = MakeTx({{Hash(1), 0}}, 1, 1);
    const TransactionRef spends_y = MakeTx({{Hash(2), 0}, {Hash(2), 1}}, 1, 2);
    const TransactionRef unrelated = MakeTx({{Hash(3), 0}}, 1, 3);
    BOOST_CHECK(o.AddTx(spends_x, 0));
    BOOST_CHECK(o.AddTx(spends_y, 1));
    BOOST_CHECK(o.AddTx(unrelated, 1));
    // The block has spends_x itself and a conflict with spends_y (same second input).
    const TransactionRef conflict = MakeTx({{Hash(2), 1}}, 1, 9);
    BOOST_CHECK_EQUAL(o.EraseForBlock({spends_x, conflict}), 2u);
    o.SanityCheck();
    BOOST_CHECK(!o.HaveTx(spends_x->GetWtxid()));
    BOOST_CHECK(!o.HaveTx(spends_y->GetWtxid()));
    BOOST_CHECK(o.HaveTx(unrelated->GetWtxid()));
}

BOOST_AUTO_TEST_CASE(work_set_and_children)
{
    TxOrphanage o;
    const TransactionRef parent = MakeTx({{Hash(1), 0}}, 2, 1);
    const TransactionRef child1 = MakeTx({{parent->GetTxid(), 0}}, 1, 2);
    const TransactionRef child2 = MakeTx({{parent->GetTxid(), 1}, {Hash(4), 0}}, 1, 3);
    const TransactionRef other = MakeTx({{Hash(5), 0}}, 1, 4);
    BOOST_CHECK(o.AddTx(child1, 7));
    BOOST_CHECK(o.AddTx(other, 7));
    BOOST_CHECK(o.AddTx(child2, 7));
    BOOST_CHECK(!o.HaveTxToReconsider(7));
    BOOST_CHECK(!o.GetTxToReconsider(7));

    // Newest first among equals.
    auto children = o.GetChildrenFromSamePeer(*parent, 7);
    BOOST_REQUIRE_EQUAL(children.size(), 2u);
    BOOST_CHECK(children[0].wtxid == child2->GetWtxid());
    BOOST_CHECK(children[1].wtxid == child1->GetWtxid());
    BOOST_CHECK(o.GetChildrenFromSamePeer(*parent, 8).empty());

    // The parent arrives: both children are queued, each once.
    const auto queued = o.AddChildrenToWorkSet(*parent, First);
    BOOST_CHECK_EQUAL(queued.size(), 2u);
    BOOST_CHECK(o.AddChildrenToWorkSet(*parent, First).empty());
    o.SanityCheck();
    BOOST_CHECK(o.HaveTxToReconsider(7));
    BOOST_CHECK(!o.HaveTxToReconsider(8));

    std::set<uint256> got;
    while (TransactionRef t = o.GetTxToReconsider(7)) got.insert(t->GetWtxid());
    BOOST_CHECK(got == (std::set<uint256>{child1->GetWtxid(), child2->GetWtxid()}));
    BOOST_CHECK(!o.HaveTxToReconsider(7));
    // Taken from the work set, still orphans (a parent may still be missing).
    BOOST_CHECK(o.HaveTx(child2->GetWtxid()));
    o.SanityCheck();

    // Reconsiderable children come first in the 1p1c candidate list.
    BOOST_CHECK(o.AddChildrenToWorkSet(*MakeTx({}, 0, 0), First).empty()); // no outputs: nothing
    const TransactionRef parent2 = MakeTx({{Hash(6), 0}}, 1, 6);
    const TransactionRef other_parent = MakeTx({{Hash(7), 0}}, 1, 7);
    const TransactionRef old_child = MakeTx({{parent2->GetTxid(), 0}, {other_parent->GetTxid(), 0}}, 1, 10);
    const TransactionRef new_child = MakeTx({{parent2->GetTxid(), 0}, {Hash(11), 0}}, 1, 11);
    BOOST_CHECK(o.AddTx(old_child, 9));
    BOOST_CHECK(o.AddTx(new_child, 9));
    children = o.GetChildrenFromSamePeer(*parent2, 9);
    BOOST_REQUIRE_EQUAL(children.size(), 2u);
    BOOST_CHECK(children[0].wtxid == new_child->GetWtxid());
    // Its other parent arrives: old_child is now reconsiderable and comes first.
    BOOST_CHECK_EQUAL(o.AddChildrenToWorkSet(*other_parent, First).size(), 1u);
    o.SanityCheck();
    children = o.GetChildrenFromSamePeer(*parent2, 9);
    BOOST_REQUIRE_EQUAL(children.size(), 2u);
    BOOST_CHECK(children[0].wtxid == old_child->GetWtxid());
    BOOST_CHECK(children[1].wtxid == new_child->GetWtxid());
}

BOOST_AUTO_TEST_CASE(random_announcer_does_the_work)
{
    TxOrphanage o;
    const TransactionRef parent = MakeTx({{Hash(1), 0}}, 1, 1);
    const TransactionRef child = MakeTx({{parent->GetTxid(), 0}}, 1, 2);
    BOOST_CHECK(o.AddTx(child, 3));
    BOOST_CHECK(o.AddAnnouncer(child->GetWtxid(), 5));
    // rand picks the second announcer (peer 5).
    const auto queued = o.AddChildrenToWorkSet(*parent, [](uint64_t n) { return n - 1; });
    BOOST_REQUIRE_EQUAL(queued.size(), 1u);
    BOOST_CHECK_EQUAL(queued[0].second, 5);
    BOOST_CHECK(!o.HaveTxToReconsider(3));
    BOOST_CHECK(o.HaveTxToReconsider(5));
    // The chosen peer leaving loses the work; the orphan stays with peer 3.
    o.EraseForPeer(5);
    o.SanityCheck();
    BOOST_CHECK(o.HaveTx(child->GetWtxid()));
    BOOST_CHECK_EQUAL(o.AddChildrenToWorkSet(*parent, First).size(), 1u);
    BOOST_CHECK(o.HaveTxToReconsider(3));
}

BOOST_AUTO_TEST_CASE(latency_score_limit)
{
    // A global latency score of 10: each peer's share is 10 / peers.
    TxOrphanage o(/*max_global_latency_score=*/10, /*reserved_usage_per_peer=*/1'000'000);
    std::vector<TransactionRef> from_a;
    for (uint8_t i = 0; i < 10; ++i) {
        from_a.push_back(Orphan(uint8_t(10 + i)));
        BOOST_CHECK(o.AddTx(from_a.back(), 1));
        o.SanityCheck();
    }
    BOOST_CHECK_EQUAL(o.TotalLatencyScore(), 10u);
    BOOST_CHECK_EQUAL(o.CountUniqueOrphans(), 10u);
    BOOST_CHECK_EQUAL(o.MaxPeerLatencyScore(), 10u);

    // A second peer's orphan: over the limit, and the first peer, using
    // twice its share (10 of 5), loses its oldest, not the newcomer.
    const TransactionRef b1 = Orphan(50);
    BOOST_CHECK(o.AddTx(b1, 2));
    o.SanityCheck();
    BOOST_CHECK_EQUAL(o.TotalLatencyScore(), 10u);
    BOOST_CHECK(o.HaveTx(b1->GetWtxid()));
    BOOST_CHECK(!o.HaveTx(from_a[0]->GetWtxid()));
    BOOST_CHECK(o.HaveTx(from_a[1]->GetWtxid()));
    BOOST_CHECK_EQUAL(o.AnnouncementsFromPeer(1), 9u);

    // Many inputs weigh more: 25 inputs score 3.
    const TransactionRef wide = Orphan(60, 25);
    BOOST_CHECK(o.AddTx(wide, 2));
    o.SanityCheck();
    BOOST_CHECK_EQUAL(o.LatencyScoreFromPeer(2), 4u);
    BOOST_CHECK_EQUAL(o.TotalLatencyScore(), 10u);
    BOOST_CHECK_EQUAL(o.AnnouncementsFromPeer(1), 6u);
    BOOST_CHECK(o.HaveTx(wide->GetWtxid()));

    // Peer 2 spamming only evicts its own orphans once peer 1 is within its share.
    for (uint8_t i = 0; i < 20; ++i) {
        o.AddTx(Orphan(uint8_t(100 + i)), 2);
        o.SanityCheck();
    }
    BOOST_CHECK_EQUAL(o.AnnouncementsFromPeer(1), 5u);
    for (size_t i = 5; i < 10; ++i) BOOST_CHECK(o.HaveTx(from_a[i]->GetWtxid()));
}

BOOST_AUTO_TEST_CASE(usage_limit)
{
    const TransactionRef probe = Orphan(1);
    const int64_t w = GetTransactionWeight(*probe);
    // Room for three orphans per peer.
    TxOrphanage o(/*max_global_latency_score=*/3000, /*reserved_usage_per_peer=*/3 * w);
    std::vector<TransactionRef> txs;
    for (uint8_t i = 0; i < 5; ++i) {
        txs.push_back(Orphan(uint8_t(20 + i)));
        BOOST_CHECK_EQUAL(GetTransactionWeight(*txs.back()), w);
        o.AddTx(txs.back(), 4);
        o.SanityCheck();
    }
    BOOST_CHECK_EQUAL(o.CountUniqueOrphans(), 3u);
    BOOST_CHECK(!o.HaveTx(txs[0]->GetWtxid()));
    BOOST_CHECK(!o.HaveTx(txs[1]->GetWtxid()));
    BOOST_CHECK(o.HaveTx(txs[4]->GetWtxid()));
    // Another announcing peer raises the global limit.
    BOOST_CHECK_EQUAL(o.MaxGlobalUsage(), 3 * w);
    o.AddTx(Orphan(40), 5);
    BOOST_CHECK_EQUAL(o.MaxGlobalUsage(), 6 * w);
    BOOST_CHECK_EQUAL(o.CountUniqueOrphans(), 4u);
    // When that peer goes, the limit falls back and nothing exceeds it.
    o.EraseForPeer(5);
    o.SanityCheck();
    BOOST_CHECK_EQUAL(o.CountUniqueOrphans(), 3u);
}

BOOST_AUTO_TEST_CASE(reconsiderable_evicted_last)
{
    TxOrphanage o(/*max_global_latency_score=*/3, /*reserved_usage_per_peer=*/1'000'000);
    const TransactionRef parent = MakeTx({{Hash(1), 0}}, 1, 1);
    const TransactionRef oldest = MakeTx({{parent->GetTxid(), 0}}, 1, 2);
    BOOST_CHECK(o.AddTx(oldest, 1));
    BOOST_CHECK(o.AddTx(Orphan(3), 1));
    BOOST_CHECK(o.AddTx(Orphan(4), 1));
    o.AddChildrenToWorkSet(*parent, First);
    // Over the limit: the oldest is waiting to be reconsidered, so the next oldest goes.
    BOOST_CHECK(o.AddTx(Orphan(5), 1));
    o.SanityCheck();
    BOOST_CHECK(o.HaveTx(oldest->GetWtxid()));
    BOOST_CHECK(!o.HaveTx(Orphan(3)->GetWtxid()));
}

BOOST_AUTO_TEST_SUITE_END()
