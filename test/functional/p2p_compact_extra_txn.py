#!/usr/bin/env python3
"""Compact blocks rebuilt from transactions that never entered the pool.

As Bitcoin Core, the node keeps the last -blockreconstructionextratxn
(default 100) transactions that reached it by P2P but not its pool: those
rejected on arrival (here: non-standard version 4, valid by consensus),
orphans (missing inputs) and those replaced in the pool (BIP 125). A miner
with other policies may put them in a block; a cmpctblock for it is then
rebuilt without asking for them. With the framework's Python peer:
  * a rejected transaction: the block is rebuilt at once ("from extra pool"),
    no getblocktxn;
  * an orphan: only its parent is asked for;
  * a replaced transaction: rebuilt at once, the block replaces its
    replacement;
  * the ring keeps 100: after 101 more rejections the oldest is asked for.
"""

from test_framework.blocktools import BlockBuilder, MiniWallet
from test_framework.messages import (
    BlockTransactions,
    HeaderAndShortIDs,
    msg_blocktxn,
    msg_cmpctblock,
    msg_sendcmpct,
    msg_tx,
)
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class CmpctPeer(P2PInterface):
    def __init__(self):
        super().__init__()
        self.getblocktxns = []

    def on_getblocktxn(self, m):
        self.getblocktxns.append(m.block_txn_request)


class P2PCompactExtraTxnTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-debug=cmpctblock", "-debug=mempoolrej"]]

    def send_block(self, block, nonce):
        hc = HeaderAndShortIDs()
        hc.initialize_from_block(block, nonce=nonce, use_witness=True)
        self.peer.send_and_ping(msg_cmpctblock(hc.to_p2p()))

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(110)
        # Plenty of coins: one split into 120.
        self.wallet.send_self_transfer_multi(from_node=node, num_outputs=120)
        self.wallet.generate(1)

        peer = self.peer = node.add_p2p_connection(CmpctPeer())
        peer.send_and_ping(msg_sendcmpct(announce=False, version=2))

        self.log.info("A transaction rejected by policy is kept: its block is rebuilt without a round trip")
        rejected = self.wallet.create_self_transfer(version=4)
        with node.assert_debug_log(["was not accepted: version"]):
            peer.send_and_ping(msg_tx(rejected["tx"]))
        assert rejected["txid"] not in node.getrawmempool()
        block = BlockBuilder.from_node(node).next_block(txs=[rejected["tx"]])
        with node.assert_debug_log(["Successfully reconstructed block %s with 1 txn prefilled, 1 txn from mempool "
                                    "(incl at least 1 from extra pool) and 0 txn" % block.hash]):
            self.send_block(block, 1)
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="block from the extra pool")
        with p2p_lock:
            assert_equal(peer.getblocktxns, [])

        self.log.info("An orphan is kept: only its parent is asked for")
        parent = self.wallet.create_self_transfer()
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"])
        peer.send_and_ping(msg_tx(child["tx"]))
        assert child["txid"] not in node.getrawmempool()
        block = BlockBuilder.from_node(node).next_block(txs=[parent["tx"], child["tx"]])
        self.send_block(block, 2)
        peer.wait_until(lambda: len(peer.getblocktxns) == 1, what="getblocktxn")
        with p2p_lock:
            req = peer.getblocktxns.pop()
        assert_equal((req.blockhash, req.indexes), (block.sha256, [1]))
        with node.assert_debug_log(["(incl at least 1 from extra pool) and 1 txn"]):
            peer.send_and_ping(msg_blocktxn(BlockTransactions(block.sha256, [block.vtx[1]])))
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="block with the orphan")

        self.log.info("A replaced transaction is kept: its block is rebuilt without a round trip")
        coin = self.wallet.get_utxo()
        original = self.wallet.create_self_transfer(utxo_to_spend=coin, fee_rate=0.0001)
        replacement = self.wallet.create_self_transfer(utxo_to_spend=coin, fee_rate=0.01)
        peer.send_and_ping(msg_tx(original["tx"]))
        assert original["txid"] in node.getrawmempool()
        peer.send_and_ping(msg_tx(replacement["tx"]))
        assert_equal(node.getrawmempool(), [replacement["txid"]])
        block = BlockBuilder.from_node(node).next_block(txs=[original["tx"]])
        with node.assert_debug_log(["(incl at least 1 from extra pool) and 0 txn"]):
            self.send_block(block, 3)
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="block with the replaced tx")
        assert_equal(node.getrawmempool(), [])
        with p2p_lock:
            assert_equal(peer.getblocktxns, [])

        self.log.info("The ring holds 100: after 101 rejections the first is asked for, the second is not")
        rejects = [self.wallet.create_self_transfer(version=4) for _ in range(101)]
        for r in rejects:
            peer.send_message(msg_tx(r["tx"]))
        peer.sync_with_ping()
        block = BlockBuilder.from_node(node).next_block(txs=[rejects[0]["tx"], rejects[1]["tx"]])
        self.send_block(block, 4)
        peer.wait_until(lambda: len(peer.getblocktxns) == 1, what="getblocktxn for the oldest")
        with p2p_lock:
            req = peer.getblocktxns.pop()
        assert_equal((req.blockhash, req.indexes), (block.sha256, [1]))
        peer.send_and_ping(msg_blocktxn(BlockTransactions(block.sha256, [block.vtx[1]])))
        wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="block with the ring's oldest")


if __name__ == "__main__":
    P2PCompactExtraTxnTest().main()
