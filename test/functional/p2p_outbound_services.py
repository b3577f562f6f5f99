#!/usr/bin/env python3
"""Outbound peers must offer the services we connected to them for (Core's
ExpectServicesFromConn): full-relay, block-relay-only and addr-fetch
connections to a peer without NODE_NETWORK are dropped after its version;
a feeler is not (it only tests that the address answers, and ends itself
after the handshake), nor is a peer offering NETWORK and WITNESS."""

from test_framework.messages import NODE_NETWORK, NODE_WITNESS
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

        self.log.info("an outbound full-relay peer offering NETWORK and WITNESS stays")
        peer = self.nodes[0].add_outbound_p2p_connection(P2PInterface(), services=NODE_NETWORK | NODE_WITNESS)
        peer.sync_with_ping()
        assert peer.is_connected


if __name__ == "__main__":
    P2POutboundServicesTest().main()
