// Tests for net/outbound_eviction.h: which outbound peer goes when an extra
// one was opened (Core's EvictExtraOutboundPeers).
#include "net/outbound_eviction.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

/** Nine peers, ids 0-8, connected at 100 + id, none ever announcing a block. */
std::vector<OutboundCandidate> Peers(int n)
{
    std::vector<OutboundCandidate> v;
    for (int i = 0; i < n; ++i) {
        OutboundCandidate c;
        c.id = i;
        c.connected = 100 + i;
        v.push_back(c);
    }
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(outbound_eviction_tests)

BOOST_AUTO_TEST_CASE(full_relay_oldest_announcement_goes_youngest_on_tie)
{
    auto peers = Peers(9);
    // Nobody announced anything: the youngest goes.
    BOOST_CHECK_EQUAL(ChooseExtraFullRelayPeer(peers)->id, 8);
    // Everyone announced except peer 3: it goes, though older.
    for (auto& p : peers) p.last_block = 5000 + p.id;
    peers[3].last_block = 0;
    BOOST_CHECK_EQUAL(ChooseExtraFullRelayPeer(peers)->id, 3);
    // Two with the same oldest announcement: the younger of them.
    peers[3].last_block = 5000;
    peers[6].last_block = 5000;
    BOOST_CHECK_EQUAL(ChooseExtraFullRelayPeer(peers)->id, 6);
    // Peer 6 protected: of the two left at 5000 (0 and 3), the younger.
    peers[6].is_protected = true;
    BOOST_CHECK_EQUAL(ChooseExtraFullRelayPeer(peers)->id, 3);
    // And the only peer on its network is never chosen.
    peers[3].only_on_network = true;
    BOOST_CHECK_EQUAL(ChooseExtraFullRelayPeer(peers)->id, 0);
}

BOOST_AUTO_TEST_CASE(full_relay_all_protected_none)
{
    auto peers = Peers(9);
    for (auto& p : peers) p.is_protected = p.id < 4;
    for (auto& p : peers) p.only_on_network = p.id >= 4;
    BOOST_CHECK(!ChooseExtraFullRelayPeer(peers));
    BOOST_CHECK(!ChooseExtraFullRelayPeer({}));
}

BOOST_AUTO_TEST_CASE(block_relay_youngest_unless_it_brought_a_block)
{
    auto peers = Peers(3);
    BOOST_CHECK_EQUAL(ChooseExtraBlockRelayPeer(peers)->id, 2);
    // The youngest gave us a block more recently than the second youngest: the second goes.
    peers[2].last_block = 700;
    peers[1].last_block = 600;
    BOOST_CHECK_EQUAL(ChooseExtraBlockRelayPeer(peers)->id, 1);
    // Equal times: the youngest.
    peers[1].last_block = 700;
    BOOST_CHECK_EQUAL(ChooseExtraBlockRelayPeer(peers)->id, 2);
    // The oldest peer's history does not matter.
    peers[0].last_block = 900;
    BOOST_CHECK_EQUAL(ChooseExtraBlockRelayPeer(peers)->id, 2);
    // Order of the input does not matter.
    std::swap(peers[0], peers[2]);
    BOOST_CHECK_EQUAL(ChooseExtraBlockRelayPeer(peers)->id, 2);
    BOOST_CHECK(!ChooseExtraBlockRelayPeer({}));
}

BOOST_AUTO_TEST_CASE(dropped_only_after_min_connect_time_and_no_download)
{
    OutboundCandidate p;
    p.connected = 1000;
    BOOST_CHECK(!MayDropExtraPeer(p, 1000 + MINIMUM_CONNECT_TIME - 1));
    BOOST_CHECK(MayDropExtraPeer(p, 1000 + MINIMUM_CONNECT_TIME));
    p.blocks_in_flight = 1;
    BOOST_CHECK(!MayDropExtraPeer(p, 5000));
}

BOOST_AUTO_TEST_SUITE_END()
