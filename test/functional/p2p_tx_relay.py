#!/usr/bin/env python3
"""Transaction relay between cairnd nodes and to/from the framework's P2P
peers, as Bitcoin Core does it.

Three nodes in a line (node0 <- node1 <- node2, each connecting out to the
previous): a transaction submitted by RPC on node0 reaches node2 and leaves
node0's unbroadcast set once a peer fetched it; a peer that sent wtxidrelay
gets MSG_WTX announcements, one that did not gets MSG_TX; a peer's feefilter
keeps cheaper transactions from being announced to it; a peer announcing a
transaction is asked for it and its transaction propagates; an orphan is
resolved by fetching its parent from the peer that sent it; a parent
paying nothing (TRUC) gets in with its child as a 1-parent-1-child package; a getdata for a
transaction not yet announced to that peer gets notfound (mocktime freezes
the trickle timer); a policy-invalid transaction is refused without
consequences, a consensus-invalid one gets the (local) peer disconnected; a
BIP 35 mempool request is answered by disconnection (no NODE_BLOOM); a node
in -blocksonly mode tells peers not to relay, and disconnects one that does;
a locally submitted transaction no peer fetched is announced again later.
"""

import time
from decimal import Decimal

from test_framework.blocktools import MiniWallet
from test_framework.messages import (
    CInv,
    MSG_TX,
    MSG_WITNESS_TX,
    MSG_WTX,
    msg_feefilter,
    msg_getdata,
    msg_inv,
    msg_mempool,
    msg_tx,
)
from test_framework.p2p import P2PDataStore, P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until


class InvRecorder(P2PInterface):
    """Remembers every inv entry it was sent, and every notfound / tx."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.invs = []
        self.notfound = []
        self.txs = []

    def on_inv(self, message):
        self.invs.extend(message.inv)

    def on_notfound(self, message):
        self.notfound.extend(message.inv)

    def on_tx(self, message):
        message.tx.rehash()
        self.txs.append(message.tx)

    def saw(self, inv_type, hash_hex):
        with p2p_lock:
            return CInv(inv_type, int(hash_hex, 16)) in self.invs

    def wait_for_announcement(self, inv_type, hash_hex, timeout=60):
        self.wait_until(lambda: CInv(inv_type, int(hash_hex, 16)) in self.invs, timeout=timeout,
                        what="inv %d %s" % (inv_type, hash_hex))


class P2PTxRelayTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 3

    def setup_nodes(self):
        self.add_nodes(self.num_nodes)
        common = ["-listen=1", "-bind=127.0.0.1", "-debug=net", "-debug=mempool", "-debug=mempoolrej",
                  "-debug=txpackages"]
        for i in range(self.num_nodes):
            self.start_node(i, common)

    def in_mempool(self, node, txid):
        return txid in node.getrawmempool()

    def run_test(self):
        n0, n1, n2 = self.nodes
        self.log.info("Three nodes in a line; a wallet with mature coins on node0")
        n1.addnode("127.0.0.1:%d" % p2p_port(0), "add")
        n2.addnode("127.0.0.1:%d" % p2p_port(1), "add")
        wait_until(lambda: n0.getconnectioncount() == 1 and n1.getconnectioncount() == 2 and
                   n2.getconnectioncount() == 1, 30, what="the line of nodes")
        self.wallet = MiniWallet(n0)
        self.wallet.generate(120)
        tip = n0.getbestblockhash()
        wait_until(lambda: all(n.getbestblockhash() == tip for n in self.nodes), 60, what="sync")
        self.tip_height = n0.getblockcount()
        for peer in n1.getpeerinfo():
            assert_equal(peer["relaytxes"], True)
            assert_equal(peer["minfeefilter"], Decimal("0.00000100"))

        self.test_rpc_tx_reaches_all()
        self.test_wtxid_and_txid_announcements()
        self.test_feefilter()
        self.test_peer_announces_and_serves()
        self.test_orphan_resolution()
        self.test_1p1c_package()
        self.test_getdata_needs_announcement()
        self.test_invalid_txs()
        self.test_mempool_message()
        self.test_blocksonly()
        self.test_unbroadcast_reannounced()

    def spend(self, **kwargs):
        return self.wallet.create_self_transfer(utxo_to_spend=self.wallet.get_utxo(tip_height=self.tip_height),
                                                **kwargs)

    def test_rpc_tx_reaches_all(self):
        n0, n1, n2 = self.nodes
        self.log.info("A transaction sent by RPC on node0 reaches node1 and node2")
        tx = self.spend()
        n0.sendrawtransaction(tx["hex"])
        assert_equal(n0.getmempoolentry(tx["txid"])["unbroadcast"], True)
        wait_until(lambda: self.in_mempool(n2, tx["txid"]), 60, what="tx on node2")
        assert self.in_mempool(n1, tx["txid"])
        # node1 asked node0 for it: no longer unbroadcast.
        wait_until(lambda: not n0.getmempoolentry(tx["txid"])["unbroadcast"], 10, what="unbroadcast cleared")
        assert_equal(n0.getmempoolinfo()["unbroadcastcount"], 0)
        # getpeerinfo: node1 gave node2 a transaction.
        assert_equal(n2.getpeerinfo()[0]["last_transaction"] > 0, True)

    def test_wtxid_and_txid_announcements(self):
        n0 = self.nodes[0]
        self.log.info("wtxidrelay peers get MSG_WTX, others MSG_TX")
        w = n0.add_p2p_connection(InvRecorder(wtxidrelay=True))
        t = n0.add_p2p_connection(InvRecorder(wtxidrelay=False))
        python_peers = [p for p in n0.getpeerinfo() if "python" in p["subver"]]
        assert_equal(sorted(p["relaytxes"] for p in python_peers), [True, True])
        tx = self.spend()
        assert tx["txid"] != tx["wtxid"]  # a segwit spend: the two ids differ
        n0.sendrawtransaction(tx["hex"])
        w.wait_for_announcement(MSG_WTX, tx["wtxid"])
        t.wait_for_announcement(MSG_TX, tx["txid"])
        assert not w.saw(MSG_TX, tx["txid"])
        assert not t.saw(MSG_WTX, tx["wtxid"])

        self.log.info("An announced transaction can be fetched, with or without witness")
        w.send_and_ping(msg_getdata([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
        t.send_and_ping(msg_getdata([CInv(MSG_TX, int(tx["txid"], 16))]))
        with p2p_lock:
            assert_equal(w.txs[-1].wtxid_hex, tx["wtxid"])
            assert_equal(t.txs[-1].txid_hex, tx["txid"])
            assert w.txs[-1].has_witness()
            assert not t.txs[-1].has_witness()  # MSG_TX: served without its witness
        n0.disconnect_p2ps()

    def test_feefilter(self):
        n0 = self.nodes[0]
        self.log.info("A peer's feefilter keeps cheaper transactions from being announced to it")
        peer = n0.add_p2p_connection(InvRecorder())
        peer.send_and_ping(msg_feefilter(15000))  # 15 sat/vB
        wait_until(lambda: [p["minfeefilter"] for p in n0.getpeerinfo() if "python" in p["subver"]] ==
                   [Decimal("0.00015000")], 10, what="minfeefilter")
        low = self.spend(fee_rate=Decimal("0.00010"))   # 10 sat/vB
        high = self.spend(fee_rate=Decimal("0.00020"))  # 20 sat/vB
        n0.sendrawtransaction(low["hex"])
        n0.sendrawtransaction(high["hex"])
        peer.wait_for_announcement(MSG_WTX, high["wtxid"])
        # Sent in the same or an earlier trickle than the high one if at all.
        assert not peer.saw(MSG_WTX, low["wtxid"])
        n0.disconnect_p2ps()

    def test_peer_announces_and_serves(self):
        n0, n1, n2 = self.nodes
        self.log.info("A peer announcing a transaction is asked for it; the transaction propagates")
        tx = self.spend()
        peer = n2.add_p2p_connection(P2PDataStore())
        with p2p_lock:
            peer.tx_store[tx["tx"].txid_int] = tx["tx"]
            peer.tx_store[tx["tx"].wtxid_int] = tx["tx"]
        peer.send_message(msg_inv([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
        # An inbound peer: requested after 2 s, by wtxid.
        peer.wait_until(lambda: int(tx["wtxid"], 16) in peer.getdata_requests, timeout=30, what="getdata")
        wait_until(lambda: self.in_mempool(n2, tx["txid"]), 30, what="tx on node2")
        wait_until(lambda: self.in_mempool(n0, tx["txid"]), 60, what="tx relayed to node0")
        assert self.in_mempool(n1, tx["txid"])
        # Announcing it again does not fetch it again.
        count = len(peer.getdata_requests)
        peer.send_message(msg_inv([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
        time.sleep(3)
        peer.sync_with_ping()
        assert_equal(len(peer.getdata_requests), count)
        n2.disconnect_p2ps()

    def test_orphan_resolution(self):
        n0 = self.nodes[0]
        self.log.info("An orphan is kept, its parent fetched from its sender, then both accepted")
        parent = self.spend()
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"])
        peer = n0.add_p2p_connection(P2PDataStore())
        with p2p_lock:
            peer.tx_store[parent["tx"].txid_int] = parent["tx"]
            peer.tx_store[parent["tx"].wtxid_int] = parent["tx"]
        with n0.assert_debug_log(["stored orphan tx %s" % child["txid"]], timeout=10):
            peer.send_and_ping(msg_tx(child["tx"]))
        assert not self.in_mempool(n0, child["txid"])
        # The parent is requested by txid (witness wanted), after the inbound and txid delays.
        peer.wait_until(lambda: parent["tx"].txid_int in peer.getdata_requests, timeout=30, what="parent getdata")
        wait_until(lambda: self.in_mempool(n0, child["txid"]) and self.in_mempool(n0, parent["txid"]), 30,
                   what="orphan and parent accepted")
        last = peer.last_message["getdata"].inv
        assert CInv(MSG_WITNESS_TX, parent["tx"].txid_int) in last, last
        n0.disconnect_p2ps()

    def test_1p1c_package(self):
        n0 = self.nodes[0]
        self.log.info("1p1c: a zero-fee TRUC parent is taken with its child from the same peer")
        # Only TRUC (version 3) transactions may sit below the minimum relay
        # feerate with a child paying for them (Core 30); others are refused
        # for good (TX_MEMPOOL_POLICY), not reconsidered.
        parent = self.spend(fee=Decimal("0"), version=3)
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"], fee_rate=Decimal("0.01"),
                                                 version=3)
        peer = n0.add_p2p_connection(P2PDataStore())
        with p2p_lock:
            peer.tx_store[parent["tx"].txid_int] = parent["tx"]
            peer.tx_store[parent["tx"].wtxid_int] = parent["tx"]
        with n0.assert_debug_log(["was not accepted: min relay fee not met"], timeout=10):
            peer.send_and_ping(msg_tx(parent["tx"]))
        assert not self.in_mempool(n0, parent["txid"])
        # The child is an orphan; its parent is fetched again and the pair evaluated as a package.
        with n0.assert_debug_log(["package evaluation for parent %s" % parent["txid"]], timeout=30):
            peer.send_and_ping(msg_tx(child["tx"]))
            wait_until(lambda: self.in_mempool(n0, parent["txid"]) and self.in_mempool(n0, child["txid"]), 30,
                       what="parent and child accepted as a package")
        assert peer.is_connected
        n0.disconnect_p2ps()

    def test_getdata_needs_announcement(self):
        n0 = self.nodes[0]
        self.log.info("getdata for a transaction not yet announced to that peer: notfound")
        now = int(time.time())
        n0.setmocktime(now)
        peer = n0.add_p2p_connection(InvRecorder())
        # Its first trickle went with the handshake; the clock stands still, so no other.
        time.sleep(1)
        peer.sync_with_ping()
        tx = self.spend()
        n0.sendrawtransaction(tx["hex"])
        inv = CInv(MSG_WTX, int(tx["wtxid"], 16))
        peer.send_and_ping(msg_getdata([inv]))
        with p2p_lock:
            assert inv in peer.notfound, peer.notfound
            assert_equal(peer.txs, [])
        # Time moves on: it is announced, and then served.
        n0.setmocktime(now + 120)
        peer.wait_for_announcement(MSG_WTX, tx["wtxid"])
        peer.send_and_ping(msg_getdata([inv]))
        with p2p_lock:
            assert_equal([t.wtxid_hex for t in peer.txs], [tx["wtxid"]])
        n0.setmocktime(0)
        n0.disconnect_p2ps()

    def test_invalid_txs(self):
        n0 = self.nodes[0]
        self.log.info("A non-standard transaction is refused; the peer stays")
        peer = n0.add_p2p_connection(P2PDataStore())
        nonstd = self.spend(version=4)
        peer.send_txs_and_test([nonstd["tx"]], n0, success=False, reject_reason="was not accepted: version")
        assert peer.is_connected

        self.log.info("A consensus-invalid transaction gets the local peer disconnected (not banned)")
        bad = self.spend()["tx"]
        bad.vin.append(bad.vin[0])  # the same input twice
        bad.rehash()
        peer.send_txs_and_test([bad], n0, success=False, expect_disconnect=True,
                               reject_reason="bad-txns-inputs-duplicate")
        assert_equal(n0.listbanned(), [])
        n0.disconnect_p2ps()

    def test_mempool_message(self):
        n0 = self.nodes[0]
        self.log.info("BIP 35 mempool request without NODE_BLOOM: disconnected")
        peer = n0.add_p2p_connection(P2PInterface())
        with n0.assert_debug_log(["mempool request with bloom filters disabled"], timeout=10):
            peer.send_message(msg_mempool())
            peer.wait_for_disconnect()
        n0.disconnect_p2ps()

    def test_blocksonly(self):
        n2 = self.nodes[2]
        self.log.info("-blocksonly: peers are told not to relay (version relay=0); a tx gets one disconnected")
        self.restart_node(2, ["-listen=1", "-bind=127.0.0.1", "-debug=net", "-blocksonly"])
        peer = n2.add_p2p_connection(P2PInterface())
        assert_equal(peer.version_received.relay, 0)
        tx = self.spend()
        with n2.assert_debug_log(["transaction sent in violation of protocol"], timeout=10):
            peer.send_message(msg_tx(tx["tx"]))
            peer.wait_for_disconnect()
        peer = n2.add_p2p_connection(P2PInterface())
        with n2.assert_debug_log(["inv sent in violation of protocol"], timeout=10):
            peer.send_message(msg_inv([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
            peer.wait_for_disconnect()
        # And no feefilter is sent in -blocksonly mode.
        peer = n2.add_p2p_connection(P2PInterface())
        time.sleep(1)
        peer.sync_with_ping()
        assert "feefilter" not in peer.last_message
        n2.disconnect_p2ps()

    def test_unbroadcast_reannounced(self):
        n2 = self.nodes[2]
        self.log.info("Unbroadcast transactions are announced again (every 10-15 min) until a peer fetches one")
        # node2 (still -blocksonly, so without other peers) relays its own transactions.
        first = n2.add_p2p_connection(InvRecorder())
        tx = self.spend()
        n2.sendrawtransaction(tx["hex"])
        first.wait_for_announcement(MSG_WTX, tx["wtxid"])
        assert_equal(n2.getmempoolentry(tx["txid"])["unbroadcast"], True)  # announced, never fetched
        # A peer connecting later is not told: announcements go out once.
        second = n2.add_p2p_connection(InvRecorder())
        now = int(time.time())
        n2.setmocktime(now + 5)
        time.sleep(2)
        second.sync_with_ping()
        assert not second.saw(MSG_WTX, tx["wtxid"])
        # Past the re-announcement time: it is queued for everyone who does not know it.
        n2.setmocktime(now + 16 * 60)
        second.wait_for_announcement(MSG_WTX, tx["wtxid"])
        second.send_and_ping(msg_getdata([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
        assert_equal(n2.getmempoolentry(tx["txid"])["unbroadcast"], False)
        n2.setmocktime(0)
        n2.disconnect_p2ps()


if __name__ == "__main__":
    P2PTxRelayTest().main()
