#!/usr/bin/env python3
"""P2P over the IPv6 loopback, as Bitcoin Core reports it.

node0 listens on [::1] only (-bind=[::1]:port). A framework peer connects
over [::1]: getpeerinfo shows "addr" "[::1]:<port>", "addrbind" "[::1]:<node0's port>"
and "network" "not_publicly_routable" (Core: loopback is not publicly routable,
whatever the family). A connection to 127.0.0.1 on that port is refused (only the
asked-for address is bound). node1 then connects to node0 with addnode "[::1]:port"
"add": a manual outbound peer on both sides, and getaddednodeinfo shows it connected.
The IPv4 loopback's "network" (also "not_publicly_routable") is checked in any case;
the IPv6 part is skipped, with a log line, only if this machine has no IPv6 loopback.
"""

import socket

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.p2p import P2PInterface
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until


def ipv6_loopback_usable():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as server:
            server.bind(("::1", 0))
            server.listen(1)
            with socket.create_connection(("::1", server.getsockname()[1]), timeout=5):
                return True
    except OSError:
        return False


class P2PIPv6LoopbackTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.have_ipv6 = ipv6_loopback_usable()
        bind0 = "-bind=[::1]:%d" % p2p_port(0) if self.have_ipv6 else "-bind=127.0.0.1:%d" % p2p_port(0)
        self.extra_args = [["-debug=net", bind0], ["-debug=net"]]

    def run_test(self):
        self.test_ipv4_loopback_network()
        if not self.have_ipv6:
            self.log.warning("No IPv6 loopback on this machine (binding/connecting [::1] failed): "
                             "the IPv6 part of this test is skipped")
            return
        self.test_framework_peer_over_ipv6()
        self.test_addnode_over_ipv6()

    def test_ipv4_loopback_network(self):
        self.log.info("A peer from 127.0.0.1: network not_publicly_routable")
        node1 = self.nodes[1]
        peer = node1.add_p2p_connection(P2PInterface())
        info = node1.getpeerinfo()[0]
        assert info["addr"].startswith("127.0.0.1:")
        assert_equal(info["addrbind"], "127.0.0.1:%d" % p2p_port(1))
        assert_equal(info["network"], "not_publicly_routable")
        node1.disconnect_p2ps()
        assert not peer.is_connected

    def test_framework_peer_over_ipv6(self):
        node0 = self.nodes[0]
        port = p2p_port(0)
        self.log.info("A framework peer over [::1]")
        with node0.assert_debug_log(["connection from [::1]:", "accepted, peer=0"]):
            peer = node0.add_p2p_connection(P2PInterface(), dstaddr="::1", dstport=port)
        local_port = peer._transport.get_extra_info("sockname")[1]
        info = node0.getpeerinfo()[0]
        assert_equal(info["addr"], "[::1]:%d" % local_port)
        assert_equal(info["addrbind"], "[::1]:%d" % port)
        assert_equal(info["network"], "not_publicly_routable")
        assert_equal(info["inbound"], True)
        assert_equal(info["connection_type"], "inbound")
        peer.sync_with_ping()

        self.log.info("With -bind=[::1]:port only, 127.0.0.1:port is not listened on")
        refused = P2PInterface()
        refused.peer_connect(dstaddr="127.0.0.1", dstport=port)
        wait_until(lambda: refused.connect_error is not None or refused.is_connected, 10, what="IPv4 attempt")
        assert isinstance(refused.connect_error, ConnectionRefusedError), refused.connect_error
        node0.disconnect_p2ps()

    def test_addnode_over_ipv6(self):
        node0, node1 = self.nodes
        target = "[::1]:%d" % p2p_port(0)
        self.log.info("node1 connects to node0 with addnode %s add", target)
        node1.addnode(target, "add")
        wait_until(lambda: any(p["addr"] == target for p in node1.getpeerinfo()), 30, what="node1 -> node0")
        wait_until(lambda: len(node0.getpeerinfo()) == 1 and node0.getpeerinfo()[0]["version"] != 0, 30,
                   what="node0's side of the handshake")
        out = [p for p in node1.getpeerinfo() if p["addr"] == target][0]
        assert_equal(out["inbound"], False)
        assert_equal(out["connection_type"], "manual")
        assert_equal(out["network"], "not_publicly_routable")
        assert out["addrbind"].startswith("[::1]:")
        inb = node0.getpeerinfo()[0]
        assert_equal(inb["inbound"], True)
        assert inb["addr"].startswith("[::1]:")
        assert_equal(inb["addr"], out["addrbind"])  # the two ends of the same socket
        assert_equal(inb["network"], "not_publicly_routable")
        added = node1.getaddednodeinfo()
        assert_equal(len(added), 1)
        assert_equal(added[0]["addednode"], target)
        assert_equal(added[0]["connected"], True)
        assert_equal(added[0]["addresses"], [{"address": target, "connected": "outbound"}])

        self.log.info("Blocks flow over the IPv6 connection")
        tip = node0.generatetoaddress(3, ADDRESS_BCRT1_P2WSH_OP_TRUE)[-1]
        wait_until(lambda: node1.getbestblockhash() == tip, 30, what="node1 synced over [::1]")
        node1.addnode(target, "remove")
        node1.disconnectnode(target)
        wait_until(lambda: node0.getpeerinfo() == [] and node1.getpeerinfo() == [], 30, what="disconnect")


if __name__ == "__main__":
    P2PIPv6LoopbackTest().main()
