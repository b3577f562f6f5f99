#!/usr/bin/env python3
"""Initial headers sync: one peer at a time, and its timeout (Bitcoin Core's rules).

While our best header is more than a day old, headers are asked of one peer
only; each block announced by inv brings in one more peer (the first to
announce it). The sync peer must bring our best header near today within
15 minutes plus 1 ms per block interval since that header; otherwise, if
another preferred (outbound) peer exists, it is disconnected ("Timeout
downloading headers") and another one is asked; a noban peer only loses its
sync role. Times are moved with setmocktime; -peertimeout keeps the idle
framework connections open across the jumps.
"""

import math
import random
import time

from test_framework.messages import CInv, MSG_BLOCK, msg_headers, msg_inv
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

HEADERS_DOWNLOAD_TIMEOUT_BASE = 15 * 60
HEADERS_DOWNLOAD_TIMEOUT_PER_HEADER_MS = 1
POW_TARGET_SPACING = 10 * 60


def headers_timeout(best_header_time, now):
    """The latest the timeout can be (rounded up to whole seconds)."""
    per_header = math.ceil(HEADERS_DOWNLOAD_TIMEOUT_PER_HEADER_MS / 1000 * (now - best_header_time) / POW_TARGET_SPACING)
    return now + HEADERS_DOWNLOAD_TIMEOUT_BASE + per_header


class P2PInitialHeadersSyncTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-peertimeout=999999999"]]

    def num_peers(self):
        return len(self.nodes[0].getpeerinfo())

    def got_getheaders(self, peers):
        with p2p_lock:
            return [p for p in peers if "getheaders" in p.last_message]

    def announce_random_block(self, peers):
        inv = msg_inv([CInv(MSG_BLOCK, random.randrange(1 << 256))])
        for p in peers:
            p.send_and_ping(inv)

    def test_one_sync_peer(self):
        node = self.nodes[0]
        self.log.info("Headers are asked of the first peer only")
        genesis = int(node.getbestblockhash(), 16)
        peer1 = node.add_p2p_connection(P2PInterface())
        peer1.wait_for_getheaders(block_hash=genesis)
        # An empty answer lets further getheaders go to this peer.
        peer1.send_message(msg_headers())
        peer2 = node.add_p2p_connection(P2PInterface())
        peer3 = node.add_p2p_connection(P2PInterface())
        peers = [peer1, peer2, peer3]
        for p in peers:
            p.sync_with_ping()
        assert_equal(self.got_getheaders([peer2, peer3]), [])

        self.log.info("A block announced by all: the sync peer and one more get a getheaders")
        self.announce_random_block(peers)
        peer1.wait_for_getheaders(block_hash=genesis)
        peer1.send_message(msg_headers())
        [extra] = self.got_getheaders([peer2, peer3])
        extra.send_message(msg_headers())

        self.log.info("Another block: the remaining peer gets one too")
        self.announce_random_block(peers)
        peer1.wait_for_getheaders(block_hash=genesis)
        remaining = peer3 if extra is peer2 else peer2
        remaining.wait_for_getheaders(block_hash=genesis)
        node.disconnect_p2ps()

    def setup_timeout_peers(self):
        node = self.nodes[0]
        with node.assert_debug_log(["initial getheaders (0) to peer=0"]):
            peer1 = node.add_p2p_connection(P2PInterface())
            peer1.wait_for_getheaders(block_hash=int(node.getbestblockhash(), 16))
        # Outbound, hence preferred: without one, the inbound sync peer is kept.
        peer2 = node.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
        assert_equal(self.num_peers(), 2)
        assert_equal(self.got_getheaders([peer2]), [])
        return peer1, peer2

    def trigger_timeout(self):
        node = self.nodes[0]
        best_header_time = node.getblockheader(node.getbestblockhash())["time"]
        timeout = headers_timeout(best_header_time, self.mocktime)
        self.log.info("Just before the timeout nothing happens")
        node.setmocktime(timeout - 60)
        for p in node.p2ps:
            p.sync_with_ping()
        assert_equal(self.num_peers(), 2)
        node.setmocktime(timeout + 1)

    def test_normal_peer_timeout(self):
        node = self.nodes[0]
        self.log.info("A stalling sync peer is disconnected and another peer takes over")
        self.restart_node(0)
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        peer1, peer2 = self.setup_timeout_peers()
        with node.assert_debug_log(["Timeout downloading headers, disconnecting peer=0"], timeout=30):
            self.trigger_timeout()
            peer1.wait_for_disconnect()
        wait_until(lambda: self.num_peers() == 1, 30, what="one peer left")
        peer2.wait_for_getheaders(block_hash=int(node.getbestblockhash(), 16))
        node.disconnect_p2ps()

    def test_noban_peer_timeout(self):
        node = self.nodes[0]
        self.log.info("A noban sync peer only loses its role; one peer is asked again")
        self.restart_node(0, ["-debug=net", "-peertimeout=999999999", "-whitelist=noban@127.0.0.1"])
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        peer1, peer2 = self.setup_timeout_peers()
        with p2p_lock:
            peer1.last_message.pop("getheaders", None)
        with node.assert_debug_log(["Timeout downloading headers from noban peer, not disconnecting peer=0"],
                                   timeout=30):
            self.trigger_timeout()
            wait_until(lambda: len(self.got_getheaders([peer1, peer2])) == 1, 30, what="a new sync peer")
        peer1.sync_with_ping()
        peer2.sync_with_ping()
        assert_equal(self.num_peers(), 2)
        assert_equal(len(self.got_getheaders([peer1, peer2])), 1)
        node.disconnect_p2ps()

    def run_test(self):
        self.test_one_sync_peer()
        self.test_normal_peer_timeout()
        self.test_noban_peer_timeout()


if __name__ == "__main__":
    P2PInitialHeadersSyncTest().main()
