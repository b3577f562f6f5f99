#!/usr/bin/env python3
"""Inbound peers that do not finish the handshake within -peertimeout are dropped (Core's InactivityCheck).

Four inbound peers connect while the node's clock is mocked:
  peer=0 sends version but never verack          -> "version handshake timeout"
  peer=1 sends only a ping, no version           -> "socket no message in first N seconds, never sent to peer"
  peer=2 sends nothing                           -> "... never received from peer, never sent to peer"
  peer=3 completes the handshake                 -> stays
Nothing happens until more than -peertimeout (3 s of mock time) has passed; then the
first three are disconnected with the log lines Bitcoin Core prints, the fourth stays.
"""

import time

from test_framework.messages import msg_ping
from test_framework.p2p import P2PInterface
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

PEER_TIMEOUT = 3

# Bitcoin Core's wording (net.cpp InactivityCheck, with CNode::DisconnectMsg(): "disconnecting peer=N").
# Core's lines (InactivityCheck with CNode::DisconnectMsg).
EXPECTED_LOGS = [
    "version handshake timeout, disconnecting peer=0",
    "socket no message in first %d seconds, never sent to peer, disconnecting peer=1" % PEER_TIMEOUT,
    "socket no message in first %d seconds, never received from peer, never sent to peer, disconnecting peer=2"
    % PEER_TIMEOUT,
]


class NoVerackPeer(P2PInterface):
    def on_version(self, message):
        pass  # never answer with verack (nor wtxidrelay): the handshake stays open


class P2PTimeoutsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-peertimeout=%d" % PEER_TIMEOUT]]

    def forward(self, seconds):
        self.mocktime += seconds
        self.nodes[0].setmocktime(self.mocktime)

    def run_test(self):
        node = self.nodes[0]
        self.mocktime = int(time.time())
        self.forward(0)

        self.log.info("Connect: version without verack, ping without version, nothing at all, a full handshake")
        with node.assert_debug_log(["connection from 127.0.0.1", "accepted, peer=0"]):
            no_verack = node.add_p2p_connection(NoVerackPeer(), wait_for_verack=False)
        with node.assert_debug_log(["accepted, peer=1"]):
            no_version = node.add_p2p_connection(P2PInterface(), send_version=False, wait_for_verack=False)
        with node.assert_debug_log(["accepted, peer=2"]):
            no_send = node.add_p2p_connection(P2PInterface(), send_version=False, wait_for_verack=False)
        full = node.add_p2p_connection(P2PInterface())
        no_verack.wait_until(lambda: "version" in no_verack.last_message, what="the node's version")
        no_version.send_message(msg_ping())

        self.log.info("Until more than -peertimeout has passed nobody is dropped")
        # Core runs the inactivity checks only once connected time + -peertimeout < now (net.cpp
        # ShouldRunInactivityChecks), so at exactly connected + 3 s all four are still there.
        # As Core, the checks start strictly after connected + -peertimeout.
        self.forward(PEER_TIMEOUT)
        full.sync_with_ping()
        time.sleep(0.5)  # a few rounds of the socket thread at this mock time
        assert_equal(len(node.getpeerinfo()), 4)
        for p in (no_verack, no_version, no_send, full):
            assert p.is_connected
        # The node never talks first to an inbound peer that sent no version.
        assert_equal(no_version.message_count["version"], 0)
        assert_equal(no_send.message_count["version"], 0)

        self.log.info("After -peertimeout the three incomplete handshakes are dropped with Core's log lines")
        no_verack.send_message(msg_ping())
        no_version.send_message(msg_ping())
        with node.assert_debug_log(EXPECTED_LOGS, unexpected_msgs=["disconnecting peer=3", "Disconnecting peer=3"], timeout=10):
            self.forward(1)
            no_verack.wait_for_disconnect(timeout=10)
            no_version.wait_for_disconnect(timeout=10)
            no_send.wait_for_disconnect(timeout=10)

        self.log.info("The peer that finished its handshake stays")
        full.sync_with_ping()
        assert full.is_connected
        wait_until(lambda: len(node.getpeerinfo()) == 1, 10, what="only the complete peer left")
        assert_equal(node.getpeerinfo()[0]["id"], 3)
        node.disconnect_p2ps()


if __name__ == "__main__":
    P2PTimeoutsTest().main()
