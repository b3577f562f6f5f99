// Tests for net/tx_request.h: one request per transaction at a time,
// preferred peers first, delays, expiry, responses, disconnections, the
// clock moving backwards, and a randomised run checking every invariant.
#include "net/tx_request.h"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace cairn;

namespace {

uint256 H(uint8_t a)
{
    uint256 h;
    h.data()[0] = a;
    h.data()[31] = 0x42;
    return h;
}

constexpr int64_t S = 1'000'000; // one second in microseconds

} // namespace

BOOST_AUTO_TEST_SUITE(tx_request_tests)

BOOST_AUTO_TEST_CASE(delay_request_and_expiry)
{
    TxRequestTracker t(/*deterministic=*/true);
    t.ReceivedInv(1, GenTxid::Wtxid(H(1)), /*preferred=*/false, 2 * S);
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.Count(1), 1u);
    BOOST_CHECK_EQUAL(t.CountCandidates(1), 1u);
    BOOST_CHECK(t.GetRequestable(1, 1 * S).empty()); // not yet
    auto req = t.GetRequestable(1, 2 * S);
    BOOST_REQUIRE_EQUAL(req.size(), 1u);
    BOOST_CHECK(req[0] == GenTxid::Wtxid(H(1)));
    t.RequestedTx(1, H(1), 2 * S + 60 * S);
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.CountInFlight(1), 1u);
    BOOST_CHECK_EQUAL(t.CountCandidates(1), 0u);

    // Another peer announces: not asked while the first request is pending.
    t.ReceivedInv(2, GenTxid::Txid(H(1)), /*preferred=*/true, 2 * S);
    BOOST_CHECK(t.GetRequestable(2, 10 * S).empty());
    t.SanityCheck();

    // The request expires: reported, and the other peer gets its turn.
    std::vector<std::pair<NodeId, GenTxid>> expired;
    req = t.GetRequestable(2, 62 * S, &expired);
    BOOST_REQUIRE_EQUAL(expired.size(), 1u);
    BOOST_CHECK_EQUAL(expired[0].first, 1);
    BOOST_CHECK(expired[0].second == GenTxid::Wtxid(H(1)));
    BOOST_REQUIRE_EQUAL(req.size(), 1u);
    BOOST_CHECK(req[0] == GenTxid::Txid(H(1))); // as peer 2 announced it
    BOOST_CHECK_EQUAL(t.CountInFlight(1), 0u);
    BOOST_CHECK_EQUAL(t.Count(1), 1u); // COMPLETED, kept
    t.SanityCheck();

    // The same peer announcing again is ignored while the txhash is tracked.
    t.ReceivedInv(1, GenTxid::Wtxid(H(1)), false, 0);
    BOOST_CHECK_EQUAL(t.Count(1), 1u);
    BOOST_CHECK(t.GetRequestable(1, 63 * S).empty());

    // Peer 2 answers: everything about H(1) is forgotten.
    t.RequestedTx(2, H(1), 200 * S);
    t.ReceivedResponse(2, H(1));
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.Size(), 0u);
    BOOST_CHECK_EQUAL(t.Count(1), 0u);
}

BOOST_AUTO_TEST_CASE(preferred_first_and_notfound)
{
    TxRequestTracker t(/*deterministic=*/true);
    // Non-preferred announced first, but both ready at the same time.
    t.ReceivedInv(1, GenTxid::Wtxid(H(2)), /*preferred=*/false, 0);
    t.ReceivedInv(2, GenTxid::Wtxid(H(2)), /*preferred=*/true, 0);
    BOOST_CHECK(t.GetRequestable(1, S).empty());
    auto req = t.GetRequestable(2, S);
    BOOST_REQUIRE_EQUAL(req.size(), 1u);
    t.RequestedTx(2, H(2), 61 * S);
    // notfound from peer 2: peer 1 is asked next, at once.
    t.ReceivedResponse(2, H(2));
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.GetRequestable(1, S).size(), 1u);
    std::vector<NodeId> peers;
    t.GetCandidatePeers(H(2), peers);
    BOOST_CHECK(peers == std::vector<NodeId>{1});

    // A preferred peer becoming ready later takes over a non-requested BEST.
    t.ReceivedInv(3, GenTxid::Wtxid(H(3)), false, 0);
    t.ReceivedInv(4, GenTxid::Wtxid(H(3)), true, 5 * S);
    BOOST_CHECK_EQUAL(t.GetRequestable(3, S).size(), 1u);
    BOOST_CHECK_EQUAL(t.GetRequestable(3, 5 * S).size(), 0u);
    BOOST_CHECK_EQUAL(t.GetRequestable(4, 5 * S).size(), 1u);
    t.SanityCheck();
}

BOOST_AUTO_TEST_CASE(order_disconnect_forget)
{
    TxRequestTracker t(/*deterministic=*/true);
    for (uint8_t i = 10; i > 0; --i) t.ReceivedInv(1, GenTxid::Txid(H(i)), true, 0);
    t.ReceivedInv(2, GenTxid::Txid(H(5)), true, 0);
    const auto req = t.GetRequestable(1, 0);
    BOOST_REQUIRE_EQUAL(req.size(), 10u);
    // In announcement order, not hash order.
    for (size_t i = 0; i < req.size(); ++i) BOOST_CHECK(req[i].hash == H(uint8_t(10 - i)));
    for (const GenTxid& g : req) t.RequestedTx(1, g.hash, 60 * S);
    BOOST_CHECK_EQUAL(t.CountInFlight(1), 10u);
    BOOST_CHECK(t.GetRequestable(2, 0).empty());

    // Peer 1 disconnects: peer 2 is asked for the one it announced; the rest is forgotten.
    t.DisconnectedPeer(1);
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.Count(1), 0u);
    BOOST_CHECK_EQUAL(t.Size(), 1u);
    BOOST_CHECK_EQUAL(t.GetRequestable(2, 0).size(), 1u);

    t.ForgetTxHash(H(5));
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.Size(), 0u);
    BOOST_CHECK(t.GetRequestable(2, 0).empty());
}

BOOST_AUTO_TEST_CASE(requested_out_of_turn_and_clock_backwards)
{
    TxRequestTracker t(/*deterministic=*/true);
    t.ReceivedInv(1, GenTxid::Wtxid(H(7)), true, 0);
    t.ReceivedInv(2, GenTxid::Wtxid(H(7)), false, 10 * S);
    BOOST_CHECK_EQUAL(t.GetRequestable(1, S).size(), 1u);
    // Requesting from the delayed peer anyway: the chosen one steps aside.
    t.RequestedTx(2, H(7), 60 * S);
    t.SanityCheck();
    BOOST_CHECK_EQUAL(t.CountInFlight(2), 1u);
    BOOST_CHECK(t.GetRequestable(1, S).empty());
    // A request for something never announced by that peer does nothing.
    t.RequestedTx(3, H(7), 60 * S);
    t.RequestedTx(1, H(8), 60 * S);
    t.SanityCheck();

    TxRequestTracker u(/*deterministic=*/true);
    u.ReceivedInv(1, GenTxid::Wtxid(H(9)), true, 5 * S);
    BOOST_CHECK_EQUAL(u.GetRequestable(1, 6 * S).size(), 1u);
    // The clock goes back before the request time: it waits again.
    BOOST_CHECK(u.GetRequestable(1, 4 * S).empty());
    u.SanityCheck();
    BOOST_CHECK_EQUAL(u.GetRequestable(1, 5 * S).size(), 1u);
}

BOOST_AUTO_TEST_CASE(random_priority_is_per_node)
{
    TxRequestTracker a, b;
    // Preferred always beats non-preferred; otherwise a keyed order.
    BOOST_CHECK_GT(a.ComputePriority(H(1), 1, true), a.ComputePriority(H(1), 2, false));
    bool differs = false;
    for (uint8_t i = 0; i < 32 && !differs; ++i) {
        differs = (a.ComputePriority(H(i), 1, false) < a.ComputePriority(H(i), 2, false)) !=
                  (b.ComputePriority(H(i), 1, false) < b.ComputePriority(H(i), 2, false));
    }
    BOOST_CHECK(differs);
}

BOOST_AUTO_TEST_CASE(randomised_invariants)
{
    for (int deterministic = 0; deterministic < 2; ++deterministic) {
        TxRequestTracker t(deterministic != 0);
        std::mt19937_64 rng(1234 + deterministic);
        int64_t now = 0;
        for (int step = 0; step < 4000; ++step) {
            const NodeId peer = NodeId(rng() % 6);
            const uint256 h = H(uint8_t(rng() % 24));
            switch (rng() % 9) {
            case 0:
            case 1:
            case 2:
                t.ReceivedInv(peer, {bool(rng() % 2), h}, bool(rng() % 2), now + int64_t(rng() % 5) * S);
                break;
            case 3: {
                for (const GenTxid& g : t.GetRequestable(peer, now)) {
                    if (rng() % 2) t.RequestedTx(peer, g.hash, now + int64_t(rng() % 70) * S);
                }
                break;
            }
            case 4: t.ReceivedResponse(peer, h); break;
            case 5:
                if (rng() % 8 == 0) t.DisconnectedPeer(peer);
                break;
            case 6:
                if (rng() % 8 == 0) t.ForgetTxHash(h);
                break;
            case 7: t.RequestedTx(peer, h, now + 30 * S); break;
            case 8:
                // Mostly forwards, sometimes back.
                now += rng() % 10 == 0 ? -int64_t(rng() % 3) * S : int64_t(rng() % 4) * S;
                t.GetRequestable(peer, now);
                break;
            }
            t.SanityCheck();
        }
        // Every txhash is requested from at most one peer at a time.
        std::map<uint256, int> requested;
        for (NodeId p = 0; p < 6; ++p) {
            for (const GenTxid& g : t.GetRequestable(p, now)) BOOST_CHECK_EQUAL(++requested[g.hash], 1);
        }
        for (NodeId p = 0; p < 6; ++p) t.DisconnectedPeer(p);
        t.SanityCheck();
        BOOST_CHECK_EQUAL(t.Size(), 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
