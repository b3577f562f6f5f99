#!/usr/bin/env python3
"""addconnection opens automatic connection types within the node's own
limits (Core's AddConnection): 8 outbound full-relay, 2 block-relay-only,
11 automatic outbound in all (the last slot is the feeler's, or an extra
peer's); beyond that "Already at capacity for specified connection type"
(-34). At its targets the node drops none of them (extra-peer eviction only
acts above them), and a slot freed by a disconnect can be used again."""

import time

from test_framework.p2p import P2PInterface
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, wait_until

CAPACITY = "Error: Already at capacity for specified connection type."


class P2PAddConnectionsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-peertimeout=999999999"]]

    def types(self):
        counts = {}
        for p in self.nodes[0].getpeerinfo():
            counts[p["connection_type"]] = counts.get(p["connection_type"], 0) + 1
        return counts

    def run_test(self):
        node = self.nodes[0]
        self.log.info("8 outbound full-relay connections, then the type is at capacity")
        full = [node.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
                for _ in range(8)]
        assert_raises_rpc_error(-34, CAPACITY, node.addconnection, "127.0.0.1:1", "outbound-full-relay", False)

        self.log.info("2 block-relay-only, then that type is at capacity")
        for _ in range(2):
            node.add_outbound_p2p_connection(P2PInterface(), connection_type="block-relay-only")
        assert_raises_rpc_error(-34, CAPACITY, node.addconnection, "127.0.0.1:1", "block-relay-only", False)
        assert_equal(self.types(), {"outbound-full-relay": 8, "block-relay-only": 2})

        self.log.info("one more automatic slot: an addr-fetch takes it, then every automatic type is refused")
        node.add_outbound_p2p_connection(P2PInterface(), connection_type="addr-fetch")
        for conn_type in ["addr-fetch", "feeler"]:
            assert_raises_rpc_error(-34, CAPACITY, node.addconnection, "127.0.0.1:1", conn_type, False)

        self.log.info("at the targets no peer is dropped as extra (mock time moved past the checks)")
        mocktime = int(time.time())
        with node.assert_debug_log([], unexpected_msgs=["disconnecting extra", "chosen for eviction"], timeout=3):
            for _ in range(3):
                mocktime += 60
                node.setmocktime(mocktime)
                for p in full:
                    p.sync_with_ping()
            time.sleep(1)
        assert_equal(self.types()["outbound-full-relay"], 8)

        self.log.info("a full-relay peer leaves: its slot can be taken again")
        full[0].peer_disconnect()
        wait_until(lambda: self.types().get("outbound-full-relay") == 7, 30, what="the node saw the disconnect")
        node.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
        assert_equal(self.types()["outbound-full-relay"], 8)

        self.log.info("inbound and manual are not addconnection types")
        for conn_type in ["inbound", "manual"]:
            assert_raises_rpc_error(-8, None, node.addconnection, "127.0.0.1:1", conn_type, False)
        node.disconnect_p2ps()


if __name__ == "__main__":
    P2PAddConnectionsTest().main()
