#!/usr/bin/env python3
"""-seednode, as in Bitcoin Core: with an empty address table the node
makes an addr-fetch connection to the seed node, asks it for addresses,
keeps them and disconnects once a real answer (more than one address)
came.

The addresses it learns are public ones that the node then dials
on its own: a SOCKS5 proxy on a closed local port takes those dials (and
fails them at once, which does not count against the addresses), so that
the test talks to nothing but 127.0.0.1. The seed node, a local address,
is dialled directly, as Core does."""

import time

from test_framework.messages import NODE_NETWORK, NODE_WITNESS, CAddress, msg_addr
from test_framework.p2p import P2PInterface, listen
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class SeedNodeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        assert_equal(node.getnodeaddresses(0), [])
        listener = listen(P2PInterface)
        try:
            self.log.info("An empty table: the seed node gets an addr-fetch connection and a getaddr")
            with node.assert_debug_log(["Empty addrman, adding seednode (127.0.0.1:%d) to addrfetch" % listener.port],
                                       timeout=20):
                self.restart_node(0, ["-seednode=127.0.0.1:%d" % listener.port, "-debug=net",
                                      "-proxy=127.0.0.1:1"])
                node = self.nodes[0]
                seed = listener.wait_for_peers(1)[0]
            seed.wait_for_verack()
            seed.wait_for_message("getaddr")
            assert_equal([p["connection_type"] for p in node.getpeerinfo()], ["addr-fetch"])

            self.log.info("One address (a self-announcement) is not enough to hang up")
            now = int(time.time())
            seed.send_and_ping(msg_addr([CAddress("8.8.8.8", 8333, NODE_NETWORK | NODE_WITNESS, now)]))
            assert seed.is_connected
            assert "addr-fetch" in [p["connection_type"] for p in node.getpeerinfo()]

            self.log.info("A real answer is kept and the connection closed")
            # Each in its own /16 group: addresses of one group from one source share a bucket of the new
            # table, where two may take the same slot and one be dropped.
            learned = ["9.9.9.9", "1.1.1.1", "4.2.2.2"]
            addrs = [CAddress(a, 8333, NODE_NETWORK | NODE_WITNESS, now) for a in learned]
            with node.assert_debug_log(["addrfetch connection completed, disconnecting peer="], timeout=20):
                seed.send_message(msg_addr(addrs))
                seed.wait_for_disconnect()
            wait_until(lambda: len(node.getnodeaddresses(0)) == 4, 10, what="addresses from the seed node")
            assert_equal(sorted(a["address"] for a in node.getnodeaddresses(0)),
                         sorted(learned + ["8.8.8.8"]))
        finally:
            listener.close()


if __name__ == "__main__":
    SeedNodeTest().main()
