#!/usr/bin/env python3
"""Outbound peers must keep up with our tip (Bitcoin Core's ConsiderEviction), and the stale-tip check.

An outbound full-relay (or block-relay-only) peer whose best known block has
less work than our tip gets 20 minutes (CHAIN_SYNC_TIMEOUT) to show a chain
with at least the work our tip had when the clock started; then one
getheaders and two more minutes (HEADERS_RESPONSE_TIME); then it is
disconnected ("Outbound peer has old chain"). A peer that catches up with
that mark in time gets a new clock against the new tip. The first four
full-relay peers that showed a chain as good as ours are protected for good.
Also: with no new tip for 30 minutes the node logs "Potential stale tip
detected" (it would try an extra outbound peer). Times are moved with
setmocktime; -peertimeout keeps idle framework connections open.
"""

import time

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.messages import CBlockHeader, from_hex, msg_headers
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import wait_until

CHAIN_SYNC_TIMEOUT = 20 * 60
HEADERS_RESPONSE_TIME = 2 * 60


class P2POutboundEvictionTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-peertimeout=999999999"]]

    def header(self, blockhash):
        return from_hex(CBlockHeader(), self.nodes[0].getblockheader(blockhash, False))

    def settle(self, peers):
        # The timers run in SendMessages, right after a peer's message is
        # processed, so a pong can arrive before they ran. The handler takes
        # one message per peer per round: once the second pong is back, the
        # round that processed the first ping (and its SendMessages, at the
        # current mock time) is over.
        for p in peers:
            p.sync_with_ping()
            p.sync_with_ping()

    def advance(self, seconds, peers):
        self.mocktime += seconds
        self.nodes[0].setmocktime(self.mocktime)
        self.settle(peers)

    def mine(self):
        return self.nodes[0].generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)[0]

    def connect(self):
        return self.nodes[0].add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")

    def test_unprotected(self):
        node = self.nodes[0]
        self.log.info("An outbound peer that never sends headers: getheaders after 20 min, disconnected 2 min later")
        peer = self.connect()
        self.advance(CHAIN_SYNC_TIMEOUT + 1, [peer])
        peer.wait_for_getheaders()
        with node.assert_debug_log(["Outbound peer has old chain, best known block = <none>, disconnecting peer="]):
            self.advance(HEADERS_RESPONSE_TIME + 1, [])
            peer.wait_for_disconnect()

        self.log.info("An outbound peer stuck one block behind our tip: disconnected the same way")
        tip = self.header(node.getbestblockhash())
        parent = self.header("%064x" % tip.hashPrevBlock)
        peer = self.connect()
        peer.send_and_ping(msg_headers([parent]))
        with p2p_lock:
            peer.last_message.pop("getheaders", None)
        with node.assert_debug_log(["sending getheaders to outbound peer=", "to verify chain work"]):
            self.advance(CHAIN_SYNC_TIMEOUT + 1, [peer])
            peer.wait_for_getheaders()
        with node.assert_debug_log(["Outbound peer has old chain, best known block = %s" % parent.hash]):
            self.advance(HEADERS_RESPONSE_TIME + 1, [])
            peer.wait_for_disconnect()

        self.log.info("A peer that keeps catching up with the tip it was measured against stays")
        peer = self.connect()
        best = self.mine()
        self.settle([peer])
        for _ in range(5):
            previous = self.header(best)
            best = self.mine()
            self.settle([peer])
            with p2p_lock:
                peer.last_message.pop("getheaders", None)
            self.advance(CHAIN_SYNC_TIMEOUT + 1, [peer])
            peer.wait_for_getheaders()
            # One block behind again, but at the mark: a new clock against today's tip.
            peer.send_and_ping(msg_headers([previous]))
            self.settle([peer])
        self.log.info("and one that catches up with our tip is left alone")
        peer.send_and_ping(msg_headers([self.header(best)]))
        self.advance(CHAIN_SYNC_TIMEOUT + 1, [peer])
        self.advance(HEADERS_RESPONSE_TIME + 1, [peer])
        assert peer.is_connected
        node.disconnect_p2ps()

    def test_protected(self):
        node = self.nodes[0]
        self.log.info("The first four outbound peers with our tip are protected, the fifth is not")
        tip = self.header(node.getbestblockhash())
        peers = []
        for _ in range(5):
            peer = self.connect()
            peer.send_and_ping(msg_headers([tip]))
            peers.append(peer)
        ids = sorted(p["id"] for p in node.getpeerinfo())
        for i in ids[:4]:
            assert node.debug_log_contains("Protecting outbound peer=%d from eviction" % i)
        assert not node.debug_log_contains("Protecting outbound peer=%d from eviction" % ids[4])
        self.log.info("After a new block none of them catches up; only the unprotected one is disconnected")
        self.mine()
        self.settle(peers)  # the clocks start at this mock time
        with p2p_lock:
            peers[4].last_message.pop("getheaders", None)
        self.advance(CHAIN_SYNC_TIMEOUT + 1, peers)
        peers[4].wait_for_getheaders()
        self.advance(HEADERS_RESPONSE_TIME + 1, peers[:4])
        peers[4].wait_for_disconnect()
        for p in peers[:4]:
            p.sync_with_ping()
            assert p.is_connected
        node.disconnect_p2ps()

    def test_stale_tip(self):
        node = self.nodes[0]
        self.log.info("No new tip for 30 minutes: potential stale tip")
        self.mine()
        with node.assert_debug_log(["Potential stale tip detected, will try using extra outbound peer"], timeout=10):
            self.mocktime += 3 * 10 * 60 + 60
            node.setmocktime(self.mocktime)
        self.log.info("A new tip: no longer stale")
        self.mine()
        with node.assert_debug_log([], unexpected_msgs=["Potential stale tip detected"], timeout=3):
            self.mocktime += 10 * 60 + 1
            node.setmocktime(self.mocktime)
            time.sleep(1)

    def run_test(self):
        node = self.nodes[0]
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        node.generatetoaddress(10, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        self.test_unprotected()
        self.test_protected()
        self.test_stale_tip()
        wait_until(lambda: node.getconnectioncount() == 0, 30, what="no peers left")


if __name__ == "__main__":
    P2POutboundEvictionTest().main()
