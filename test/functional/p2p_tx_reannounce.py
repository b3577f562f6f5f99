#!/usr/bin/env python3
"""sendrawtransaction and submitpackage announce what they submit, as
Bitcoin Core's BroadcastTransaction (relay=true) does:

- a transaction sent again while in the pool is announced again to the
  peers that do not know it yet (connected since), not to those that do;
- with another witness, the pool's version is announced (its wtxid);
- a new transaction joins the unbroadcast set, one already in the pool
  does not (a fetched one stays out);
- submitpackage announces every package transaction in the pool, those
  that were there before included; none joins the unbroadcast set.

Trickle timers are mock time: each wait moves the clock a few seconds
(the unbroadcast re-announcement, 10 minutes away, does not fire)."""

import copy
import time

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import CInv, MSG_TX, MSG_WTX, msg_getdata
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.script import OP_TRUE, CScript
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class InvRecorder(P2PInterface):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.invs = []

    def on_inv(self, message):
        self.invs.extend(message.inv)

    def count(self, inv_type, hash_hex):
        with p2p_lock:
            return self.invs.count(CInv(inv_type, int(hash_hex, 16)))


class TxReannounceTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-listen=1", "-bind=127.0.0.1", "-debug=net"]]

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 5)
        self.now = int(time.time())
        node.setmocktime(self.now)

        self.test_sendrawtransaction_again()
        self.test_other_witness()
        self.test_submitpackage()
        node.setmocktime(0)

    def tick(self):
        """Moves mock time on by a little more than the inbound trickle interval."""
        self.now += 6
        self.nodes[0].setmocktime(self.now)

    def wait_inv(self, peer, inv_type, hash_hex, timeout=60):
        """Waits for `peer` to be told of hash_hex, moving the clock on."""
        deadline = time.time() + timeout
        while not peer.count(inv_type, hash_hex):
            assert time.time() < deadline, "no inv %d %s" % (inv_type, hash_hex)
            self.tick()
            time.sleep(0.2)

    def assert_not_told(self, peer, inv_type, hash_hex):
        """A fresh transaction announced after hash_hex reaches `peer` alone:
        the queue holding anything for it has been worked through."""
        control = self.wallet.send_self_transfer(from_node=self.nodes[0])
        self.wait_inv(peer, MSG_WTX if inv_type == MSG_WTX else MSG_TX,
                      control["wtxid"] if inv_type == MSG_WTX else control["txid"])
        peer.sync_with_ping()
        assert_equal(peer.count(inv_type, hash_hex), 0)

    def test_sendrawtransaction_again(self):
        node = self.nodes[0]
        self.log.info("A new transaction is announced and joins the unbroadcast set")
        first = node.add_p2p_connection(InvRecorder())
        tx = self.wallet.create_self_transfer()
        node.sendrawtransaction(tx["hex"])
        self.wait_inv(first, MSG_WTX, tx["wtxid"])
        assert_equal(node.getmempoolentry(tx["txid"])["unbroadcast"], True)

        self.log.info("A peer connecting later is not told")
        second = node.add_p2p_connection(InvRecorder())
        legacy = node.add_p2p_connection(InvRecorder(wtxidrelay=False))
        self.assert_not_told(second, MSG_WTX, tx["wtxid"])

        self.log.info("Sent again: announced to the peers that do not know it, once to each")
        assert_equal(node.sendrawtransaction(tx["hex"]), tx["txid"])
        self.wait_inv(second, MSG_WTX, tx["wtxid"])
        self.wait_inv(legacy, MSG_TX, tx["txid"])
        first.sync_with_ping()
        assert_equal(first.count(MSG_WTX, tx["wtxid"]), 1)
        assert_equal(second.count(MSG_WTX, tx["wtxid"]), 1)

        self.log.info("Fetched by a peer it leaves the unbroadcast set, and sending it again does not bring it back")
        second.send_and_ping(msg_getdata([CInv(MSG_WTX, int(tx["wtxid"], 16))]))
        assert_equal(node.getmempoolentry(tx["txid"])["unbroadcast"], False)
        node.sendrawtransaction(tx["hex"])
        assert_equal(node.getmempoolentry(tx["txid"])["unbroadcast"], False)
        node.disconnect_p2ps()

    def test_other_witness(self):
        node = self.nodes[0]
        self.log.info("Sent with another witness: the pool's version is announced")
        tx = self.wallet.send_self_transfer(from_node=node)
        late = node.add_p2p_connection(InvRecorder())
        other = copy.deepcopy(tx["tx"])
        other.wit.vtxinwit[0].scriptWitness.stack = [b"\x01", bytes(CScript([OP_TRUE]))]
        other.rehash()
        assert_equal(other.txid_hex, tx["txid"])
        assert other.wtxid_hex != tx["wtxid"]
        assert_equal(node.sendrawtransaction(other.serialize().hex()), tx["txid"])
        self.wait_inv(late, MSG_WTX, tx["wtxid"])
        assert_equal(late.count(MSG_WTX, other.wtxid_hex), 0)
        assert_equal(node.getmempoolentry(tx["txid"])["wtxid"], tx["wtxid"])
        node.disconnect_p2ps()

    def test_submitpackage(self):
        node = self.nodes[0]
        self.log.info("submitpackage announces its transactions, those already in the pool too")
        parent = self.wallet.send_self_transfer(from_node=node)
        peer = node.add_p2p_connection(InvRecorder())
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"])
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "success")
        self.wait_inv(peer, MSG_WTX, child["wtxid"])
        self.wait_inv(peer, MSG_WTX, parent["wtxid"])
        # Core's BroadcastTransaction finds them in the pool: no unbroadcast entry.
        assert_equal(node.getmempoolentry(child["txid"])["unbroadcast"], False)

        self.log.info("Submitted again, a package is announced to a peer connected since")
        late = node.add_p2p_connection(InvRecorder())
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "success")
        self.wait_inv(late, MSG_WTX, parent["wtxid"])
        self.wait_inv(late, MSG_WTX, child["wtxid"])
        peer.sync_with_ping()
        assert_equal(peer.count(MSG_WTX, child["wtxid"]), 1)
        node.disconnect_p2ps()


if __name__ == "__main__":
    TxReannounceTest().main()
