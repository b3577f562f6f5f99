#!/usr/bin/env python3
"""BIP 133 feefilter, as Bitcoin Core sends and honours it.

A node still in initial block download sends the largest filter bucket (it
wants no transactions yet) and the real one as soon as it leaves IBD: its
mempool minimum fee, never below -minrelaytxfee (so exactly the minimum relay
fee while the pool is not full). Filters from peers are shown by getpeerinfo
and honoured: transactions paying less are not announced to them, including
between two cairnd nodes (node1 runs with a higher -minrelaytxfee than node0).
No filter goes out in -blocksonly mode.
"""

import time
from decimal import Decimal

from test_framework.blocktools import MiniWallet
from test_framework.messages import CInv, MSG_WTX, msg_feefilter
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until


def top_bucket(min_relay_fee=100):
    """Core's FeeFilterRounder: buckets from min/2, 10% apart, up to 10^7 sat/kvB."""
    b, top = min_relay_fee / 2, 0
    while b <= 1e7:
        top, b = b, b * 1.1
    return int(top)


class FeefilterRecorder(P2PInterface):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.feefilters = []
        self.invs = []

    def on_feefilter(self, message):
        self.feefilters.append(message.feerate)

    def on_inv(self, message):
        self.invs.extend(message.inv)

    def saw(self, wtxid_hex):
        with p2p_lock:
            return CInv(MSG_WTX, int(wtxid_hex, 16)) in self.invs


class P2PFeefilterTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def setup_nodes(self):
        self.add_nodes(self.num_nodes)
        self.start_node(0, ["-listen=1", "-bind=127.0.0.1", "-debug=net"])
        self.start_node(1, ["-listen=1", "-bind=127.0.0.1", "-debug=net", "-minrelaytxfee=0.00005"])

    def run_test(self):
        n0, n1 = self.nodes
        self.log.info("In IBD the node asks for nothing: the top bucket")
        peer = n0.add_p2p_connection(FeefilterRecorder())
        peer.wait_until(lambda: len(peer.feefilters) >= 1, timeout=10, what="feefilter")
        assert_equal(peer.feefilters[0], top_bucket())

        self.log.info("Out of IBD: the minimum relay fee, at once")
        wallet = MiniWallet(n0)
        wallet.generate(110)
        peer.wait_until(lambda: peer.feefilters[-1] == 100, timeout=30, what="feefilter 100")
        n0.disconnect_p2ps()

        self.log.info("-minrelaytxfee raises the filter a node sends")
        n1.addnode("127.0.0.1:%d" % p2p_port(0), "add")
        wait_until(lambda: n0.getconnectioncount() == 1 and n1.getconnectioncount() == 1, 30, what="n1-n0")
        wait_until(lambda: n1.getblockcount() == n0.getblockcount(), 60, what="sync")
        wait_until(lambda: n0.getpeerinfo()[0]["minfeefilter"] == Decimal("0.00005000"), 30,
                   what="node1's filter seen by node0")
        wait_until(lambda: n1.getpeerinfo()[0]["minfeefilter"] == Decimal("0.00000100"), 30,
                   what="node0's filter seen by node1")

        self.log.info("A peer's filter is honoured: only what pays enough is announced")
        peer = n0.add_p2p_connection(FeefilterRecorder())
        peer.send_and_ping(msg_feefilter(15000))
        wait_until(lambda: any(p["minfeefilter"] == Decimal("0.00015000") for p in n0.getpeerinfo()), 10,
                   what="peer's filter in getpeerinfo")
        height = n0.getblockcount()
        low = wallet.create_self_transfer(fee_rate=Decimal("0.00003"),  # 3 sat/vB: below node1's filter too
                                          utxo_to_spend=wallet.get_utxo(tip_height=height))
        mid = wallet.create_self_transfer(fee_rate=Decimal("0.0001"),   # 10 sat/vB
                                          utxo_to_spend=wallet.get_utxo(tip_height=height))
        high = wallet.create_self_transfer(fee_rate=Decimal("0.0002"),  # 20 sat/vB
                                           utxo_to_spend=wallet.get_utxo(tip_height=height))
        for tx in (low, mid, high):
            n0.sendrawtransaction(tx["hex"])
        peer.wait_until(lambda: CInv(MSG_WTX, int(high["wtxid"], 16)) in peer.invs, timeout=60, what="high inv")
        assert not peer.saw(low["wtxid"])
        assert not peer.saw(mid["wtxid"])
        # node1 (5 sat/vB) is told of mid and high, never of low.
        wait_until(lambda: set(n1.getrawmempool()) == {mid["txid"], high["txid"]}, 60, what="node1's mempool")
        time.sleep(6)  # a few more trickles
        assert n1.debug_log_contains("got inv: wtx %s" % mid["wtxid"])
        assert not n1.debug_log_contains("got inv: wtx %s" % low["wtxid"])

        self.log.info("A lower filter lets later transactions through")
        peer.send_and_ping(msg_feefilter(0))
        cheap = wallet.create_self_transfer(fee_rate=Decimal("0.00001"),
                                            utxo_to_spend=wallet.get_utxo(tip_height=height))
        n0.sendrawtransaction(cheap["hex"])
        peer.wait_until(lambda: CInv(MSG_WTX, int(cheap["wtxid"], 16)) in peer.invs, timeout=60, what="cheap inv")
        n0.disconnect_p2ps()

        self.log.info("-blocksonly: no feefilter sent")
        self.restart_node(0, ["-listen=1", "-bind=127.0.0.1", "-debug=net", "-blocksonly"])
        peer = n0.add_p2p_connection(FeefilterRecorder())
        time.sleep(2)
        peer.sync_with_ping()
        assert_equal(peer.feefilters, [])


if __name__ == "__main__":
    P2PFeefilterTest().main()
