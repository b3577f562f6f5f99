#!/usr/bin/env python3
"""Outbound peers must offer the services we connected to them for (Core's
ExpectServicesFromConn): full-relay, block-relay-only and addr-fetch
connections to a peer without NODE_NETWORK are dropped after its version;
a feeler is not (it only tests that the address answers, and ends itself
after the handshake), nor is a peer offering NETWORK and WITNESS.
A NODE_NETWORK_LIMITED peer is wanted only while our tip is younger than
143 block intervals (Core's GetDesirableServiceFlags): before that, it could
not serve the blocks we lack."""

import time

from test_framework.address import ADDRESS_BCRT1_UNSPENDABLE
from test_framework.messages import NODE_NETWORK, NODE_NETWORK_LIMITED, NODE_WITNESS
from test_framework.p2p import P2PInterface, listen
from test_framework.test_framework import CairnTestFramework

LACKING = "does not offer the expected services"
FEELER_DONE = "feeler connection completed"


class P2POutboundServicesTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net"]]

    def connect(self, conn_type, services, expected, unexpected):
        node = self.nodes[0]
        peer = P2PInterface()
        listener = listen(lambda: peer, net=node.chain, services=services)
        try:
            with node.assert_debug_log(expected, unexpected_msgs=unexpected):
                node.addconnection("127.0.0.1:%d" % listener.port, conn_type, False)
                listener.wait_for_peers(1)
                peer.wait_for_disconnect()
        finally:
            listener.close()

    def run_test(self):
        for conn_type in ["outbound-full-relay", "block-relay-only", "addr-fetch"]:
            self.log.info("%s to a peer offering WITNESS only: disconnected for its services" % conn_type)
            self.connect(conn_type, NODE_WITNESS, [LACKING], [])

        self.log.info("a feeler to the same peer completes its handshake (then ends itself)")
        self.connect("feeler", NODE_WITNESS, [FEELER_DONE], [LACKING])
        self.log.info("and a feeler to a peer with no services at all")
        self.connect("feeler", 0, [FEELER_DONE], [LACKING])

        limited = NODE_NETWORK_LIMITED | NODE_WITNESS
        self.log.info("a NETWORK_LIMITED peer while our tip (genesis, 2011) is old: dropped, NETWORK expected")
        self.connect("outbound-full-relay", limited, [LACKING + " (00000408 offered, 00000009 expected)"], [])
        self.log.info("the same peer once our tip is recent: kept")
        node = self.nodes[0]
        node.setmocktime(int(time.time()))
        node.generatetoaddress(1, ADDRESS_BCRT1_UNSPENDABLE)
        peer = node.add_outbound_p2p_connection(P2PInterface(), services=limited)
        peer.sync_with_ping()
        assert peer.is_connected
        self.log.info("and dropped again when the tip is 143 block intervals old (Core's limit)")
        tip_time = node.getblockheader(node.getbestblockhash())["time"]
        node.setmocktime(tip_time + 143 * 600)
        self.connect("outbound-full-relay", limited, [LACKING + " (00000408 offered, 00000009 expected)"], [])
        node.setmocktime(tip_time + 143 * 600 - 1)
        kept = node.add_outbound_p2p_connection(P2PInterface(), services=limited)
        kept.sync_with_ping()
        assert kept.is_connected
        node.setmocktime(0)

        self.log.info("an outbound full-relay peer offering NETWORK and WITNESS stays")
        peer = self.nodes[0].add_outbound_p2p_connection(P2PInterface(), services=NODE_NETWORK | NODE_WITNESS)
        peer.sync_with_ping()
        assert peer.is_connected


if __name__ == "__main__":
    P2POutboundServicesTest().main()
