#!/usr/bin/env python3
"""Block sync between cairnd nodes over P2P: headers-first download from a
peer that mined the chain, -connect and the addnode RPC, announcements of
new blocks, a reorganisation propagating, and the network RPCs' view of it."""

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, p2p_port, wait_until

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE, script_to_p2sh


# Different payees on the two sides of the fork, so their blocks differ.
ADDR_A = ADDRESS_BCRT1_P2WSH_OP_TRUE
ADDR_B = script_to_p2sh(b"\x51")


class P2PSyncTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 3

    def setup_nodes(self):
        self.add_nodes(self.num_nodes)
        # node0 listens; node1 reaches it with -connect; node2 listens and is joined by the addnode RPC.
        self.start_node(0, ["-listen=1", "-bind=127.0.0.1", "-debug=net"])
        self.start_node(1, ["-connect=127.0.0.1:%d" % p2p_port(0), "-debug=net"])
        self.start_node(2, ["-listen=1", "-bind=127.0.0.1", "-debug=net"])

    def wait_for_tip(self, nodes, tip, timeout=30):
        wait_until(lambda: all(n.getbestblockhash() == tip for n in nodes), timeout,
                   what="tip %s on all nodes: %s" % (tip, [n.getbestblockhash() for n in nodes]))

    def run_test(self):
        n0, n1, n2 = self.nodes
        self.log.info("-connect: node1 connects to node0 (manual, outbound)")
        wait_until(lambda: n1.getconnectioncount() == 1 and n0.getconnectioncount() == 1, 30, what="node1-node0")
        peer = n1.getpeerinfo()[0]
        assert_equal(peer["connection_type"], "manual")
        assert_equal(peer["inbound"], False)
        assert_equal(peer["addr"], "127.0.0.1:%d" % p2p_port(0))
        assert_equal(peer["version"], 70016)
        assert peer["subver"].startswith("/Cairn:"), peer["subver"]
        assert_equal(peer["services"], "0000000000000409")  # as Core: NETWORK_LIMITED too
        assert_equal(peer["servicesnames"], ["NETWORK", "WITNESS", "NETWORK_LIMITED"])
        assert_equal(peer["transport_protocol_type"], "v1")
        wait_until(lambda: "pingtime" in n1.getpeerinfo()[0], 10, what="pingtime")
        inbound = n0.getpeerinfo()[0]
        assert_equal(inbound["inbound"], True)
        assert_equal(inbound["connection_type"], "inbound")
        for key in ("version", "verack", "sendcmpct", "ping", "pong"):
            assert key in inbound["bytesrecv_per_msg"], (key, inbound["bytesrecv_per_msg"])

        self.log.info("Blocks mined on node0 reach node1 (headers-first, then getdata)")
        hashes = n0.generatetoaddress(30, ADDR_A)
        self.wait_for_tip([n0, n1], hashes[-1])
        assert_equal(n1.getblockcount(), 30)
        assert_equal(n1.getblockhash(15), hashes[14])
        wait_until(lambda: n1.getpeerinfo()[0]["synced_blocks"] == 30, 10, what="synced_blocks")
        assert_equal(n1.getpeerinfo()[0]["synced_headers"], 30)

        self.log.info("addnode: node2 joins node0 and downloads the chain")
        assert_equal(n2.getblockcount(), 0)
        n2.addnode("127.0.0.1:%d" % p2p_port(0), "add")
        assert_raises_rpc_error(-23, "Error: Node already added", n2.addnode, "127.0.0.1:%d" % p2p_port(0), "add")
        # As Core: the same address written another way is the same node.
        assert_raises_rpc_error(-23, "Error: Node already added", n2.addnode, "127.1:%d" % p2p_port(0), "add")
        self.wait_for_tip([n2], hashes[-1])
        info = n2.getaddednodeinfo()
        assert_equal(len(info), 1)
        assert_equal(info[0]["connected"], True)
        assert_equal(info[0]["addresses"][0]["connected"], "outbound")
        totals = n2.getnettotals()
        assert totals["totalbytesrecv"] > 30 * 200, totals

        self.log.info("A block mined on node2 is announced and relayed through node0 to node1")
        new = n2.generatetoaddress(1, ADDR_B)[0]
        self.wait_for_tip([n0, n1, n2], new)

        self.log.info("A reorganisation propagates: node2 mines a longer chain while offline")
        n2.setnetworkactive(False)
        wait_until(lambda: n2.getconnectioncount() == 0 and n0.getconnectioncount() == 1, 30, what="node2 offline")
        short = n0.generatetoaddress(2, ADDR_A)
        self.wait_for_tip([n0, n1], short[-1])
        longer = n2.generatetoaddress(4, ADDR_B)
        assert_equal(n2.getblockcount(), 35)
        n2.setnetworkactive(True)
        # The added node is retried every 2 s (60 s after an attempt): nudge it as a user would.
        n2.addnode("127.0.0.1:%d" % p2p_port(0), "onetry")
        self.wait_for_tip([n0, n1, n2], longer[-1])
        assert_equal(n1.getblockcount(), 35)
        tips = {t["hash"]: t["status"] for t in n1.getchaintips()}
        assert_equal(tips[short[-1]], "valid-fork")

        self.log.info("disconnectnode and the network RPCs")
        assert_raises_rpc_error(-29, "Node not found in connected nodes", n0.disconnectnode, "1.2.3.4:5")
        assert_raises_rpc_error(-32602, "Only one of address and nodeid should be provided.", n0.disconnectnode, "x", 1)
        peer_id = n1.getpeerinfo()[0]["id"]
        n1.disconnectnode("", peer_id)
        # node1 uses -connect, so it reconnects by itself.
        wait_until(lambda: [p["id"] != peer_id for p in n1.getpeerinfo()] == [True], 30, what="node1 reconnects")
        ni = n0.getnetworkinfo()
        assert_equal(ni["protocolversion"], 70016)
        assert_equal(ni["localservices"], "0000000000000409")
        assert_equal(ni["localservicesnames"], ["NETWORK", "WITNESS", "NETWORK_LIMITED"])
        assert_equal(ni["networkactive"], True)
        assert_equal(ni["connections"], ni["connections_in"] + ni["connections_out"])
        assert_equal([n["name"] for n in ni["networks"]], ["ipv4", "ipv6", "onion", "i2p", "cjdns"])
        assert ni["subversion"].startswith("/Cairn:") and ni["subversion"].endswith("/")
        assert_equal(n0.ping(), None)
        assert_raises_rpc_error(-24, "Error: Node could not be removed", n0.addnode, "9.9.9.9", "remove")
        n2.addnode("127.0.0.1:%d" % p2p_port(0), "remove")
        assert_equal(n2.getaddednodeinfo(), [])


if __name__ == "__main__":
    P2PSyncTest().main()
