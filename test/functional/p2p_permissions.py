#!/usr/bin/env python3
"""-whitelist / -whitebind permissions, applied as Bitcoin Core applies them.

* getpeerinfo "permissions": an entry without permissions gets noban, relay,
  mempool and download (relay and forcerelay follow -whitelistrelay and
  -whitelistforcerelay); named permissions and their implications (noban ->
  download, forcerelay -> relay); a -whitebind socket's peers get its flags,
  peers on the ordinary port none, and -whitelist ranges add to a socket's.
  "out" entries apply to manual outbound connections only, never to inbound
  peers or automatic connections.
* Bad entries and -listen=0 with -whitebind stop the node with Core's errors.
* noban: a misbehaving peer is logged but neither disconnected nor
  discouraged; the same misbehaviour from an ordinary peer ends its connection.
* mempool (BIP 35): with the permission, the whole pool is announced (within
  the peer's feefilter); without, the peer is disconnected, unless it has noban.
* relay: with -blocksonly, a relay peer is told relay=1 and its transaction
  enters the pool; an ordinary peer sending one is disconnected.
* forcerelay: a transaction we already have, sent again, is relayed again.
* addr: addresses from the peer are not rate-limited.
"""

import time
from decimal import Decimal

from test_framework.blocktools import MiniWallet
from test_framework.messages import (
    CAddress,
    CInv,
    MSG_TX,
    MSG_WTX,
    msg_addr,
    msg_feefilter,
    msg_inv,
    msg_mempool,
    msg_tx,
    tx_from_hex,
)
from test_framework.p2p import P2PInterface, listen, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until

IMPLICIT = ["noban", "relay", "mempool", "download"]


class InvRecorder(P2PInterface):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.invs = []

    def on_inv(self, message):
        self.invs.extend(message.inv)

    def hashes(self, inv_type):
        with p2p_lock:
            return {i.hash for i in self.invs if i.type == inv_type}


class P2PPermissionsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def setup_nodes(self):
        self.add_nodes(self.num_nodes)
        self.start_node(0, ["-debug=net"])
        self.start_node(1, ["-debug=net"])

    def wb_port(self, k=0):
        """A port of this test's block that no node listens on by itself."""
        return p2p_port(self.num_nodes + k)

    def permissions_of(self, node, args, expected, port=None):
        """Restarts node with args, connects one peer (to the given port) and checks its permissions."""
        self.restart_node(node.index, ["-debug=net"] + args)
        kwargs = {"dstport": port} if port is not None else {}
        node.add_p2p_connection(P2PInterface(), **kwargs)
        assert_equal(node.getpeerinfo()[0]["permissions"], expected)
        node.disconnect_p2ps()

    def run_test(self):
        self.test_getpeerinfo()
        self.test_outbound()
        self.test_errors()
        self.test_noban()
        self.test_mempool()
        self.test_relay_and_forcerelay()
        self.test_addr()

    def test_getpeerinfo(self):
        n0 = self.nodes[0]
        self.log.info("No whitelist: no permissions")
        n0.add_p2p_connection(P2PInterface())
        assert_equal(n0.getpeerinfo()[0]["permissions"], [])
        n0.disconnect_p2ps()

        self.log.info("-whitelist without permissions: the implicit defaults, shaped by -whitelistrelay/forcerelay")
        self.permissions_of(n0, ["-whitelist=127.0.0.1"], IMPLICIT)
        self.permissions_of(n0, ["-whitelist=127.0.0.1", "-whitelistrelay=0"], ["noban", "mempool", "download"])
        self.permissions_of(n0, ["-whitelist=127.0.0.1", "-whitelistforcerelay"],
                            ["noban", "forcerelay", "relay", "mempool", "download"])
        self.permissions_of(n0, ["-whitelist=127.0.0.0/8"], IMPLICIT)
        self.permissions_of(n0, ["-whitelist=10.0.0.0/8"], [])

        self.log.info("-whitelist with permissions: their implications, several entries combined")
        self.permissions_of(n0, ["-whitelist=noban@127.0.0.1"], ["noban", "download"])
        self.permissions_of(n0, ["-whitelist=forcerelay,addr@127.0.0.1"], ["forcerelay", "relay", "addr"])
        self.permissions_of(n0, ["-whitelist=mempool@127.0.0.1", "-whitelist=in,bloomfilter@127.0.0.1"],
                            ["bloomfilter", "mempool"])
        self.permissions_of(n0, ["-whitelist=all@127.0.0.1"],
                            ["bloomfilter", "noban", "forcerelay", "relay", "mempool", "download", "addr"])
        self.log.info("An 'out' entry is not applied to inbound peers")
        self.permissions_of(n0, ["-whitelist=noban,out@127.0.0.1"], [])

        self.log.info("-whitebind: the socket's peers get its flags, the ordinary port's none")
        wb = "127.0.0.1:%d" % self.wb_port()
        self.permissions_of(n0, ["-whitebind=bloomfilter,forcerelay@" + wb], ["bloomfilter", "forcerelay", "relay"],
                            port=self.wb_port())
        n0.add_p2p_connection(P2PInterface())  # the -bind port from the config file still listens
        assert_equal(n0.getpeerinfo()[0]["permissions"], [])
        n0.disconnect_p2ps()
        self.permissions_of(n0, ["-whitebind=" + wb], IMPLICIT, port=self.wb_port())
        self.log.info("-whitelist adds to a -whitebind socket's flags")
        self.permissions_of(n0, ["-whitebind=mempool@" + wb, "-whitelist=noban,addr@127.0.0.1"],
                            ["noban", "mempool", "download", "addr"], port=self.wb_port())

    def test_outbound(self):
        n0, n1 = self.nodes
        self.log.info("'out' entries: manual outbound connections only")
        self.restart_node(0, ["-debug=net"])
        self.restart_node(1, ["-debug=net", "-whitelist=noban,out@127.0.0.1", "-whitelist=in,addr@127.0.0.1"])
        n1.addnode("127.0.0.1:%d" % p2p_port(0), "onetry")
        wait_until(lambda: len(n1.getpeerinfo()) == 1 and n1.getpeerinfo()[0]["version"] != 0, 30,
                   what="manual connection")
        peer = n1.getpeerinfo()[0]
        assert_equal(peer["connection_type"], "manual")
        assert_equal(peer["permissions"], ["noban", "download"])
        # node0 sees an ordinary inbound peer.
        wait_until(lambda: len(n0.getpeerinfo()) == 1, 30, what="inbound on node0")
        assert_equal(n0.getpeerinfo()[0]["permissions"], [])
        n1.disconnectnode(nodeid=peer["id"])
        wait_until(lambda: len(n1.getpeerinfo()) == 0 and len(n0.getpeerinfo()) == 0, 30, what="disconnect")
        # An automatic outbound connection gets nothing from "out" entries.
        n1.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
        assert_equal(n1.getpeerinfo()[0]["permissions"], [])
        n1.disconnect_p2ps()
        # An inbound peer gets the "in" entry only.
        n1.add_p2p_connection(P2PInterface())
        assert_equal(n1.getpeerinfo()[0]["permissions"], ["addr"])
        n1.disconnect_p2ps()

    def test_errors(self):
        n0 = self.nodes[0]
        self.log.info("Bad entries stop the node with Core's errors")
        self.stop_node(0)
        for arg, msg in [
            ("-whitelist=oopsie@127.0.0.1", "Invalid P2P permission: 'oopsie'"),
            ("-whitelist=noban@127.0.0.1/33", "Invalid netmask specified in -whitelist: '127.0.0.1/33'"),
            ("-whitelist=in,out@127.0.0.1", "Only direction was set, no permissions: 'in,out@127.0.0.1'"),
            ("-whitebind=noban@127.0.0.1", "Need to specify a port with -whitebind: '127.0.0.1'"),
            ("-whitebind=noban@nonsense", "Cannot resolve -whitebind address: 'nonsense'"),
        ]:
            n0.assert_start_raises_init_error([arg], "Error: " + msg, match="partial")
        n0.assert_start_raises_init_error(["-listen=0", "-whitebind=127.0.0.1:%d" % self.wb_port()],
                                          "Error: Cannot set -bind or -whitebind together with -listen=0",
                                          match="partial")
        self.start_node(0, ["-debug=net"])

    def test_noban(self):
        n0 = self.nodes[0]
        self.log.info("noban: misbehaviour is logged, the peer stays and is not discouraged")
        wb = "127.0.0.1:%d" % self.wb_port()
        self.restart_node(0, ["-debug=net", "-whitebind=noban@" + wb])
        trusted = n0.add_p2p_connection(P2PInterface(), dstport=self.wb_port())
        too_big = msg_inv([CInv(MSG_TX, i + 1) for i in range(50001)])  # over MAX_INV_SZ
        with n0.assert_debug_log(["Misbehaving: peer=0: inv message size = 50001",
                                  "Warning: not punishing noban peer 0!"], timeout=10):
            trusted.send_message(too_big)
            trusted.sync_with_ping()
        time.sleep(1)
        trusted.sync_with_ping()
        assert_equal(len(n0.getpeerinfo()), 1)
        assert_equal(n0.getpeerinfo()[0]["permissions"], ["noban", "download"])

        self.log.info("Without noban the same misbehaviour ends the connection")
        ordinary = n0.add_p2p_connection(P2PInterface())
        with n0.assert_debug_log(["Misbehaving: peer=1: inv message size = 50001"], timeout=10):
            ordinary.send_message(too_big)
            ordinary.wait_for_disconnect()
        # Local peers are disconnected but never discouraged (Core), so the noban peer
        # simply stays connected through all of this.
        trusted.sync_with_ping()
        assert_equal([p["id"] for p in n0.getpeerinfo()], [0])
        n0.disconnect_p2ps()

    def test_mempool(self):
        n0 = self.nodes[0]
        self.log.info("mempool message: answered with the pool (within the feefilter) given the permission")
        wb = "127.0.0.1:%d" % self.wb_port()
        self.restart_node(0, ["-debug=net", "-whitebind=mempool@" + wb, "-whitebind=noban@127.0.0.1:%d"
                              % self.wb_port(1)])
        self.wallet = MiniWallet(n0)
        self.wallet.generate(110)
        low = self.wallet.send_self_transfer(from_node=n0, fee_rate=Decimal("0.00002"))
        high = [self.wallet.send_self_transfer(from_node=n0, fee_rate=Decimal("0.0002")) for _ in range(3)]
        assert_equal(len(n0.getrawmempool()), 4)

        peer = n0.add_p2p_connection(InvRecorder(), dstport=self.wb_port())
        assert_equal(n0.getpeerinfo()[0]["permissions"], ["mempool"])
        peer.send_and_ping(msg_feefilter(10000))  # 10 sat/vB: the low one is below it
        time.sleep(1)
        assert_equal(peer.hashes(MSG_WTX), set())  # transactions already in the pool are never trickled
        peer.send_and_ping(msg_mempool())
        want = {int(t["wtxid"], 16) for t in high}
        peer.wait_until(lambda: peer.hashes(MSG_WTX) == want, timeout=30, what="mempool invs")
        assert int(low["wtxid"], 16) not in peer.hashes(MSG_WTX)
        # What was announced may be fetched.
        peer.send_and_ping(msg_mempool())  # asking again is fine
        n0.disconnect_p2ps()

        self.log.info("mempool message without the permission: disconnected")
        peer = n0.add_p2p_connection(InvRecorder())
        with n0.assert_debug_log(["mempool request with bloom filters disabled, disconnecting peer=1"], timeout=10):
            peer.send_message(msg_mempool())
            peer.wait_for_disconnect()
        self.log.info("... unless the peer has noban: then only ignored")
        peer = n0.add_p2p_connection(InvRecorder(), dstport=self.wb_port(1))
        peer.send_and_ping(msg_mempool())
        time.sleep(6)  # several trickles of an inbound peer
        peer.sync_with_ping()
        assert_equal(peer.hashes(MSG_WTX), set())
        assert_equal(len(n0.getpeerinfo()), 1)
        n0.disconnect_p2ps()
        self.wallet.generate(1)  # confirm everything, so later transactions never depend on the pool

    def test_relay_and_forcerelay(self):
        n0 = self.nodes[0]
        self.log.info("relay: with -blocksonly a relay peer may send transactions, others may not")
        self.restart_node(0, ["-debug=net", "-blocksonly", "-whitebind=relay@127.0.0.1:%d" % self.wb_port()])
        relay_peer = n0.add_p2p_connection(P2PInterface(), dstport=self.wb_port())
        assert_equal(relay_peer.relay, 1)  # our version tells it to relay
        assert_equal(n0.getpeerinfo()[0]["permissions"], ["relay"])
        ordinary = n0.add_p2p_connection(P2PInterface())
        assert_equal(ordinary.relay, 0)
        tx = self.wallet.create_self_transfer()
        relay_peer.send_and_ping(msg_tx(tx_from_hex(tx["hex"])))
        wait_until(lambda: tx["txid"] in n0.getrawmempool(), 10, what="relay peer's tx in the pool")
        tx2 = self.wallet.create_self_transfer()
        with n0.assert_debug_log(["transaction sent in violation of protocol"], timeout=10):
            ordinary.send_message(msg_tx(tx_from_hex(tx2["hex"])))
            ordinary.wait_for_disconnect()
        assert tx2["txid"] not in n0.getrawmempool()
        assert_equal(len(n0.getpeerinfo()), 1)
        n0.disconnect_p2ps()
        self.wallet.generate(1)

        self.log.info("forcerelay: a transaction we already have is relayed again")
        self.restart_node(0, ["-debug=net", "-whitebind=forcerelay@127.0.0.1:%d" % self.wb_port()])
        tx = self.wallet.send_self_transfer(from_node=n0)
        gateway = n0.add_p2p_connection(P2PInterface(), dstport=self.wb_port())
        with n0.assert_debug_log(["Force relaying tx %s (wtxid=%s) from peer=0" % (tx["txid"], tx["wtxid"])],
                                 timeout=10):
            gateway.send_and_ping(msg_tx(tx_from_hex(tx["hex"])))
        # A transaction that is not in the pool (rejected) is not.
        bad = self.wallet.create_self_transfer(fee_rate=0)
        gateway.send_and_ping(msg_tx(tx_from_hex(bad["hex"])))
        with n0.assert_debug_log(["Not relaying non-mempool transaction %s" % bad["txid"]], timeout=10):
            gateway.send_and_ping(msg_tx(tx_from_hex(bad["hex"])))
        n0.disconnect_p2ps()

    def test_addr(self):
        n0 = self.nodes[0]
        self.log.info("addr: addresses from the peer are not rate-limited")
        self.restart_node(0, ["-debug=net", "-whitebind=addr@127.0.0.1:%d" % self.wb_port()])
        now = int(time.time())
        addrs = [CAddress("123.45.%d.%d" % (i // 200, i % 200 + 1), 8333, 9, now) for i in range(20)]
        free = n0.add_p2p_connection(P2PInterface(), dstport=self.wb_port())
        limited = n0.add_p2p_connection(P2PInterface())
        free.send_and_ping(msg_addr(addrs))
        limited.send_and_ping(msg_addr(addrs))
        info = {p["id"]: p for p in n0.getpeerinfo()}
        assert_equal(info[0]["permissions"], ["addr"])
        assert_equal(info[0]["addr_rate_limited"], 0)
        assert_equal(info[0]["addr_processed"], 20)
        assert info[1]["addr_rate_limited"] > 0, info[1]
        n0.disconnect_p2ps()


if __name__ == "__main__":
    P2PPermissionsTest().main()
