// Tests for net/tx_download.h: what is requested from whom and when, the
// recent-rejects filter and its reset, orphans and their parents, block
// connection, 1-parent-1-child packages, and the per-peer limits. The
// mempool is a set of ids behind the InPool callback.
#include "net/tx_download.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace cairn;

namespace {

constexpr int64_t S = 1'000'000;

uint256 H(uint8_t a, uint8_t b = 0)
{
    uint256 h;
    h.data()[0] = a;
    h.data()[1] = b;
    h.data()[31] = 0x99;
    return h;
}

TransactionRef MakeTx(const std::vector<OutPoint>& prevouts, uint32_t n_out, uint8_t tag, bool witness = false)
{
    MutableTransaction m;
    for (const OutPoint& p : prevouts) {
        TxIn in;
        in.prevout = p;
        m.vin.push_back(in);
    }
    if (witness) m.vin[0].witness.stack = {Bytes{tag}};
    for (uint32_t i = 0; i < n_out; ++i) m.vout.emplace_back(1000, Script(Bytes{0x51, tag}));
    m.locktime = tag;
    return std::make_shared<const Transaction>(std::move(m));
}

/** A download manager over a pretend mempool. */
struct Fixture {
    std::set<uint256> pool; // txids and wtxids
    TxDownloadManager dl{[this](const GenTxid& g) { return pool.count(g.hash) > 0; }, /*deterministic=*/true};

    void Accept(const TransactionRef& tx)
    {
        pool.insert(tx->GetTxid());
        pool.insert(tx->GetWtxid());
        dl.MempoolAcceptedTx(tx);
    }
};

TxValidationState Invalid(TxResult r)
{
    TxValidationState s;
    s.Invalid(r, "test-reason");
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tx_download_tests)

BOOST_AUTO_TEST_CASE(request_delays)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    f.dl.ConnectedPeer(2, {.preferred = false, .relay_permissions = false, .wtxid_relay = true});
    f.dl.ConnectedPeer(3, {.preferred = true, .relay_permissions = false, .wtxid_relay = false});

    // Preferred peer: at once. Inbound: after 2 s.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(2, GenTxid::Wtxid(H(1)), 0));
    BOOST_CHECK(f.dl.GetRequestsToSend(2, S).empty());
    BOOST_CHECK_EQUAL(f.dl.GetRequestsToSend(2, NONPREF_PEER_TX_DELAY).size(), 1u);
    BOOST_CHECK(!f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(H(2)), 0));
    BOOST_CHECK_EQUAL(f.dl.GetRequestsToSend(1, 0).size(), 1u);

    // A txid announcement while wtxid-relay peers exist waits 2 s too.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(3, GenTxid::Txid(H(3)), 0));
    BOOST_CHECK(f.dl.GetRequestsToSend(3, S).empty());
    const auto req = f.dl.GetRequestsToSend(3, TXID_RELAY_DELAY);
    BOOST_REQUIRE_EQUAL(req.size(), 1u);
    BOOST_CHECK(req[0] == GenTxid::Txid(H(3)));

    // Requested from one peer at a time: a second announcer waits for the timeout.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(H(1)), 3 * S));
    BOOST_CHECK(f.dl.GetRequestsToSend(1, 3 * S).empty());
    BOOST_CHECK_EQUAL(f.dl.GetRequestsToSend(1, 2 * S + GETDATA_TX_INTERVAL).size(), 1u);

    // A notfound hands it on at once.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(2, GenTxid::Wtxid(H(4)), 70 * S));
    BOOST_CHECK(!f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(H(4)), 70 * S));
    BOOST_CHECK_EQUAL(f.dl.GetRequestsToSend(1, 70 * S).size(), 1u);
    BOOST_CHECK(f.dl.GetRequestsToSend(2, 72 * S).empty());
    f.dl.ReceivedNotFound(1, {H(4)});
    BOOST_CHECK_EQUAL(f.dl.GetRequestsToSend(2, 72 * S).size(), 1u);

    // An unknown peer's announcements are not tracked.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(9, GenTxid::Wtxid(H(5)), 0));
    BOOST_CHECK_EQUAL(f.dl.Requests().Count(9), 0u);
    f.dl.Requests().SanityCheck();
}

BOOST_AUTO_TEST_CASE(already_have_and_rejects)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    const TransactionRef tx = MakeTx({{H(50), 0}}, 1, 1, /*witness=*/true);
    f.pool.insert(tx->GetWtxid());
    BOOST_CHECK(f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(tx->GetWtxid()), 0));
    BOOST_CHECK(f.dl.GetRequestsToSend(1, 0).empty());
    f.pool.clear();

    // A rejected transaction is not fetched again, by wtxid; its txid still is.
    BOOST_CHECK(!f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(tx->GetWtxid()), 0));
    const auto [validate, package] = f.dl.ReceivedTx(1, tx);
    BOOST_CHECK(validate);
    BOOST_CHECK(!package);
    f.dl.MempoolRejectedTx(tx, Invalid(TxResult::MEMPOOL_POLICY), 1, true, 0);
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Wtxid(tx->GetWtxid()), false));
    BOOST_CHECK(!f.dl.AlreadyHaveTx(GenTxid::Txid(tx->GetTxid()), false));
    BOOST_CHECK(f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(tx->GetWtxid()), 0));
    BOOST_CHECK(!f.dl.ReceivedTx(1, tx).first); // dropped without validation
    // A new tip gives it another chance.
    f.dl.ActiveTipChange();
    BOOST_CHECK(!f.dl.AlreadyHaveTx(GenTxid::Wtxid(tx->GetWtxid()), false));

    // Non-standard inputs do not depend on the witness: the txid is rejected too.
    f.dl.MempoolRejectedTx(tx, Invalid(TxResult::INPUTS_NOT_STANDARD), 1, true, 0);
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Txid(tx->GetTxid()), false));
    f.dl.ActiveTipChange();
    // A stripped witness is not remembered at all.
    f.dl.MempoolRejectedTx(tx, Invalid(TxResult::WITNESS_STRIPPED), 1, true, 0);
    BOOST_CHECK(!f.dl.AlreadyHaveTx(GenTxid::Wtxid(tx->GetWtxid()), false));
}

BOOST_AUTO_TEST_CASE(orphan_parent_fetch_and_resolution)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    f.dl.ConnectedPeer(2, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    const TransactionRef parent = MakeTx({{H(60), 0}}, 1, 1);
    const TransactionRef child = MakeTx({{parent->GetTxid(), 0}}, 1, 2, /*witness=*/true);

    // The child arrives first from peer 1 (peer 2 announced it too).
    BOOST_CHECK(!f.dl.AddTxAnnouncement(2, GenTxid::Wtxid(child->GetWtxid()), 0));
    BOOST_CHECK(f.dl.ReceivedTx(1, child).first);
    const RejectedTxTodo todo = f.dl.MempoolRejectedTx(child, Invalid(TxResult::MISSING_INPUTS), 1, true, 0);
    BOOST_CHECK(todo.unique_parents == std::vector<uint256>{parent->GetTxid()});
    BOOST_CHECK(f.dl.Orphanage().HaveTx(child->GetWtxid()));
    BOOST_CHECK(f.dl.Orphanage().HaveTxFromPeer(child->GetWtxid(), 2));
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Wtxid(child->GetWtxid()), false));
    // The parent is requested by txid (after the txid delay: wtxid peers exist).
    BOOST_CHECK(f.dl.GetRequestsToSend(1, 0).empty());
    auto req = f.dl.GetRequestsToSend(1, TXID_RELAY_DELAY);
    BOOST_REQUIRE_EQUAL(req.size(), 1u);
    BOOST_CHECK(req[0] == GenTxid::Txid(parent->GetTxid()));

    // The parent arrives and is accepted: the child is queued for reconsideration.
    BOOST_CHECK(f.dl.ReceivedTx(1, parent).first);
    f.Accept(parent);
    const bool work = f.dl.HaveMoreWork(1) || f.dl.HaveMoreWork(2);
    BOOST_CHECK(work);
    TransactionRef again = f.dl.GetTxToReconsider(1);
    if (!again) again = f.dl.GetTxToReconsider(2);
    BOOST_CHECK(again == child);
    f.Accept(child);
    BOOST_CHECK(!f.dl.Orphanage().HaveTx(child->GetWtxid()));
    BOOST_CHECK_EQUAL(f.dl.Requests().Size(), 0u);
}

BOOST_AUTO_TEST_CASE(orphan_with_rejected_parent)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    const TransactionRef parent = MakeTx({{H(61), 0}}, 1, 1);
    const TransactionRef child = MakeTx({{parent->GetTxid(), 0}}, 1, 2, true);
    f.dl.MempoolRejectedTx(parent, Invalid(TxResult::CONSENSUS), 1, true, 0);
    const RejectedTxTodo todo = f.dl.MempoolRejectedTx(child, Invalid(TxResult::MISSING_INPUTS), 1, true, 0);
    BOOST_CHECK(todo.unique_parents.empty());
    BOOST_CHECK(!f.dl.Orphanage().HaveTx(child->GetWtxid()));
    // Whatever its witness, the child is not fetched again.
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Txid(child->GetTxid()), false));
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Wtxid(child->GetWtxid()), false));
}

BOOST_AUTO_TEST_CASE(block_connected)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = false, .relay_permissions = false, .wtxid_relay = false});
    const TransactionRef parent = MakeTx({{H(62), 0}}, 1, 1);
    const TransactionRef orphan = MakeTx({{parent->GetTxid(), 0}}, 1, 2);
    const TransactionRef conflict = MakeTx({{parent->GetTxid(), 0}}, 1, 3);
    const TransactionRef announced = MakeTx({{H(63), 0}}, 1, 4);
    f.dl.MempoolRejectedTx(orphan, Invalid(TxResult::MISSING_INPUTS), 1, true, 0);
    BOOST_CHECK(f.dl.Orphanage().HaveTx(orphan->GetWtxid()));
    BOOST_CHECK(!f.dl.AddTxAnnouncement(1, GenTxid::Txid(announced->GetTxid()), 0));

    Block block;
    block.vtx = {parent, conflict, announced};
    f.dl.BlockConnected(block);
    // The conflicted orphan is gone; confirmed transactions are not requested.
    BOOST_CHECK(!f.dl.Orphanage().HaveTx(orphan->GetWtxid()));
    BOOST_CHECK(f.dl.GetRequestsToSend(1, 10 * S).empty());
    BOOST_CHECK(f.dl.AddTxAnnouncement(1, GenTxid::Txid(announced->GetTxid()), 0));
    // After a reorg they may be needed again.
    f.dl.BlockDisconnected();
    BOOST_CHECK(!f.dl.AlreadyHaveTx(GenTxid::Txid(announced->GetTxid()), false));
}

BOOST_AUTO_TEST_CASE(one_parent_one_child_package)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    const TransactionRef parent = MakeTx({{H(64), 0}}, 1, 1);
    const TransactionRef child = MakeTx({{parent->GetTxid(), 0}}, 1, 2);
    // The child first: an orphan waiting for a parent.
    f.dl.MempoolRejectedTx(child, Invalid(TxResult::MISSING_INPUTS), 1, true, 0);
    // The parent pays too little on its own: try the pair.
    RejectedTxTodo todo = f.dl.MempoolRejectedTx(parent, Invalid(TxResult::RECONSIDERABLE), 1, true, 0);
    BOOST_REQUIRE(todo.package_to_validate);
    BOOST_CHECK(todo.package_to_validate->txns == (Package{parent, child}));
    BOOST_CHECK(todo.package_to_validate->senders == (std::vector<NodeId>{1, 1}));
    // Not downloaded alone again, but found again as a package when it arrives.
    BOOST_CHECK(f.dl.AlreadyHaveTx(GenTxid::Wtxid(parent->GetWtxid()), true));
    const auto [validate, package] = f.dl.ReceivedTx(1, parent);
    BOOST_CHECK(!validate);
    BOOST_CHECK(package);
    // The package failed: not tried again.
    f.dl.MempoolRejectedPackage(todo.package_to_validate->txns);
    BOOST_CHECK(!f.dl.ReceivedTx(1, parent).second);
    // A child from another peer is not used.
    f.dl.ConnectedPeer(2, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    const TransactionRef parent2 = MakeTx({{H(65), 0}}, 1, 5);
    const TransactionRef child2 = MakeTx({{parent2->GetTxid(), 0}}, 1, 6);
    f.dl.MempoolRejectedTx(child2, Invalid(TxResult::MISSING_INPUTS), 2, true, 0);
    todo = f.dl.MempoolRejectedTx(parent2, Invalid(TxResult::RECONSIDERABLE), 1, true, 0);
    BOOST_CHECK(!todo.package_to_validate);
}

BOOST_AUTO_TEST_CASE(announcement_limits)
{
    Fixture f;
    f.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    f.dl.ConnectedPeer(2, {.preferred = true, .relay_permissions = true, .wtxid_relay = true});
    for (size_t i = 0; i < MAX_PEER_TX_ANNOUNCEMENTS + 10; ++i) {
        uint256 h;
        h.data()[0] = uint8_t(i);
        h.data()[1] = uint8_t(i >> 8);
        h.data()[2] = 1;
        f.dl.AddTxAnnouncement(1, GenTxid::Wtxid(h), 0);
        f.dl.AddTxAnnouncement(2, GenTxid::Wtxid(h), 0);
    }
    BOOST_CHECK_EQUAL(f.dl.Requests().Count(1), MAX_PEER_TX_ANNOUNCEMENTS);
    BOOST_CHECK_EQUAL(f.dl.Requests().Count(2), MAX_PEER_TX_ANNOUNCEMENTS + 10); // relay permission

    // With 100 requests in flight, further announcements wait 2 s more.
    Fixture g;
    g.dl.ConnectedPeer(1, {.preferred = true, .relay_permissions = false, .wtxid_relay = true});
    for (uint8_t i = 0; i < MAX_PEER_TX_REQUEST_IN_FLIGHT; ++i) g.dl.AddTxAnnouncement(1, GenTxid::Wtxid(H(i, 7)), 0);
    BOOST_CHECK_EQUAL(g.dl.GetRequestsToSend(1, 0).size(), MAX_PEER_TX_REQUEST_IN_FLIGHT);
    g.dl.AddTxAnnouncement(1, GenTxid::Wtxid(H(200, 8)), 0);
    BOOST_CHECK(g.dl.GetRequestsToSend(1, S).empty());
    BOOST_CHECK_EQUAL(g.dl.GetRequestsToSend(1, OVERLOADED_PEER_TX_DELAY).size(), 1u);

    // Disconnecting forgets everything about the peer.
    f.dl.DisconnectedPeer(1);
    f.dl.DisconnectedPeer(2);
    BOOST_CHECK_EQUAL(f.dl.Requests().Size(), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
