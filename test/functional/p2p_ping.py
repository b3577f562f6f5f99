#!/usr/bin/env python3
"""Ping/pong bookkeeping as in Bitcoin Core (net_processing MaybeSendPing and the "pong" handler).

With the node's clock mocked: a ping right after the handshake, then one every
2 minutes (PING_INTERVAL) once the last one was answered; a pong that is short or
has nonce 0 cancels the outstanding ping, a pong with another nonce or without a
ping changes nothing, and none of these disconnects; getpeerinfo shows pingwait
while a ping is outstanding and pingtime/minping after a matching pong; a peer
that leaves a ping unanswered for 20 minutes (TIMEOUT_INTERVAL) is disconnected,
unless -peertimeout is longer than the connection's age (Core's way to keep idle
peers in tests that move mock time far).
"""

import time

from test_framework.messages import msg_pong
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal

PING_INTERVAL = 2 * 60
TIMEOUT_INTERVAL = 20 * 60


class ShortPong(msg_pong):
    def serialize(self):
        return b""


class SilentPeer(P2PInterface):
    def on_ping(self, message):
        pass  # never answers the node's pings


class P2PPingTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        # Below TIMEOUT_INTERVAL so that the inactivity checks are running, as in Core's test.
        self.extra_args = [["-debug=net", "-peertimeout=1"]]

    def forward(self, seconds):
        self.mocktime += seconds
        self.nodes[0].setmocktime(self.mocktime)

    def check_ping_fields(self, pingtime, minping, pingwait):
        info = self.nodes[0].getpeerinfo()[0]
        assert_equal(info.get("pingtime"), pingtime)
        assert_equal(info.get("minping"), minping)
        assert_equal(info.get("pingwait"), pingwait)

    def take_ping(self, peer):
        """Waits for the node's next ping and returns its nonce."""
        peer.wait_until(lambda: "ping" in peer.last_message, what="a ping from the node")
        with p2p_lock:
            return peer.last_message.pop("ping").nonce

    def run_test(self):
        node = self.nodes[0]
        self.mocktime = int(time.time())
        self.forward(0)

        self.log.info("The node pings right after the handshake; pingwait counts the mock time")
        peer = node.add_p2p_connection(SilentPeer())
        first = self.take_ping(peer)
        assert first != 0
        self.forward(3)
        self.check_ping_fields(None, None, 3)

        self.log.info("A pong without nonce cancels the ping (no disconnect)")
        # Core's line: the nonce expected (hex, before it is cleared), the one received, the payload size.
        with node.assert_debug_log(["pong peer=0: Short payload, %x expected, 0 received, 0 bytes" % first]):
            peer.send_and_ping(ShortPong())
        self.check_ping_fields(None, None, None)

        self.log.info("A pong without a ping outstanding is ignored")
        with node.assert_debug_log(["pong peer=0: Unsolicited pong without ping, 0 expected, 0 received, 8 bytes"]):
            peer.send_and_ping(msg_pong(0))
        self.check_ping_fields(None, None, None)
        assert "ping" not in peer.last_message  # no new ping before PING_INTERVAL

        self.log.info("After PING_INTERVAL a new ping; a pong with another nonce leaves it outstanding")
        self.forward(PING_INTERVAL + 1)
        nonce = self.take_ping(peer)
        self.forward(9)
        wrong = (nonce - 1) & 0xffffffffffffffff
        with node.assert_debug_log(["pong peer=0: Nonce mismatch, %x expected, %x received, 8 bytes" % (nonce, wrong)]):
            peer.send_and_ping(msg_pong(wrong))
        self.check_ping_fields(None, None, 9)
        assert peer.is_connected

        self.log.info("A pong with nonce 0 cancels the ping")
        with node.assert_debug_log(["pong peer=0: Nonce zero, %x expected, 0 received, 8 bytes" % nonce]):
            peer.send_and_ping(msg_pong(0))
        self.check_ping_fields(None, None, None)

        self.log.info("A matching pong: pingtime and minping in seconds of mock time")
        self.forward(PING_INTERVAL + 1)
        nonce = self.take_ping(peer)
        self.forward(29)
        with node.assert_debug_log([], unexpected_msgs=["pong peer=0"]):
            peer.send_and_ping(msg_pong(nonce))
        self.check_ping_fields(29, 29, None)

        self.log.info("A faster round trip lowers minping; a slower one only changes pingtime")
        self.forward(PING_INTERVAL + 1)
        nonce = self.take_ping(peer)
        self.forward(9)
        peer.send_and_ping(msg_pong(nonce))
        self.check_ping_fields(9, 9, None)
        self.forward(PING_INTERVAL + 1)
        nonce = self.take_ping(peer)
        self.forward(15)
        peer.send_and_ping(msg_pong(nonce))
        self.check_ping_fields(15, 9, None)

        self.log.info("The next ping comes PING_INTERVAL after the last one was sent, not earlier")
        self.forward(PING_INTERVAL - 15 - 1)
        peer.sync_with_ping()
        peer.sync_with_ping()
        assert "ping" not in peer.last_message
        self.forward(2)
        nonce = self.take_ping(peer)
        peer.send_and_ping(msg_pong(nonce))
        # A round trip of 0 s (the mock clock stood still): Core shows "pingtime" only when it is above 0,
        # "minping" whenever one was measured (rpc/net.cpp getpeerinfo).
        # As Core, a zero round trip shows no "pingtime".
        self.check_ping_fields(None, 0, None)

        self.log.info("The ping RPC makes the node ping at once")
        assert "ping" not in peer.last_message
        node.ping()
        self.take_ping(peer)

        self.log.info("A ping left unanswered for 20 minutes disconnects the peer (the peer's own pings do not help)")
        with node.assert_debug_log(["ping timeout: 1201.000000s"]):
            self.forward(TIMEOUT_INTERVAL // 2)
            peer.sync_with_ping()  # keeps the socket's receive clock fresh: the ping timeout alone drops the peer
            assert peer.is_connected
            self.forward(TIMEOUT_INTERVAL // 2 + 1)
            peer.wait_for_disconnect(timeout=10)

        self.log.info("A -peertimeout longer than the connection's age turns the ping timeout off")
        # Core checks the ping timeout only where the inactivity checks run (MaybeSendPing asks
        # CConnman::ShouldRunInactivityChecks): tests that move mock time far keep idle peers with a
        # large -peertimeout, as Core's own p2p_ping.py notes for its -peertimeout=1.
        self.restart_node(0, ["-debug=net", "-peertimeout=999999999"])
        self.mocktime = int(time.time())
        self.forward(0)
        peer = node.add_p2p_connection(SilentPeer())
        self.take_ping(peer)
        with node.assert_debug_log([], unexpected_msgs=["ping timeout"]):
            for _ in range(3):
                self.forward(TIMEOUT_INTERVAL // 2)
                peer.sync_with_ping()
                peer.sync_with_ping()
        assert peer.is_connected
        assert node.getpeerinfo()[0]["pingwait"] >= 3 * (TIMEOUT_INTERVAL // 2)


if __name__ == "__main__":
    P2PPingTest().main()
