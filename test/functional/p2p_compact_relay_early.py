#!/usr/bin/env python3
"""High-bandwidth compact blocks go out before the block is connected.

BIP 152 lets a node relay a new block to its high-bandwidth peers once the
header is valid, the proof of work checks out and the block passed its
context-free checks; Bitcoin Core does it on NewPoWValidBlock, before the
block is connected. Cairn's engine reports the same moment. With node0, a
Python peer that asked for high-bandwidth mode (sendcmpct(1, 2)) and a
Python peer that supplies blocks:
  * a block from the peer is announced to the HB peer as cmpctblock before
    its UpdateTip line (on the message handler, inside ProcessNewBlock);
  * a block that passes those checks but fails when connected (it spends
    one coin twice) is still announced, and never becomes our tip; its
    sender is disconnected;
  * a block mined by RPC (another thread) is announced too, from the queue.
"""

from test_framework.blocktools import BlockBuilder, MiniWallet
from test_framework.messages import CBlockLocator, HeaderAndShortIDs, msg_block, msg_getheaders, msg_sendcmpct
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class HBPeer(P2PInterface):
    def __init__(self):
        super().__init__()
        self.cmpct = []

    def on_cmpctblock(self, m):
        self.cmpct.append(HeaderAndShortIDs(m.header_and_shortids).header.sha256)

    def has_cmpct(self, blockhash_int):
        with p2p_lock:
            return blockhash_int in self.cmpct


class P2PCompactRelayEarlyTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-debug=cmpctblock"]]

    def log_lines(self):
        with open(self.nodes[0].debug_log_path, encoding="utf8") as f:
            return f.readlines()

    def sync_hb(self):
        """The HB peer asks for our headers: the node then counts our tip as known to it."""
        self.hb.send_and_ping(msg_getheaders(CBlockLocator([int(self.nodes[0].getbestblockhash(), 16)])))

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(110)

        hb = self.hb = node.add_p2p_connection(HBPeer())
        hb.send_and_ping(msg_sendcmpct(announce=True, version=2))
        self.sync_hb()
        source = node.add_p2p_connection(P2PInterface())

        self.log.info("A block from a peer goes to the HB peer as cmpctblock before it is connected")
        tx = self.wallet.send_self_transfer(from_node=node)
        block = BlockBuilder.from_node(node).next_block(txs=[tx["tx"]])
        source.send_and_ping(msg_block(block))
        hb.wait_until(lambda: hb.has_cmpct(block.sha256), what="cmpctblock of the peer's block")
        assert_equal(node.getbestblockhash(), block.hash)
        lines = self.log_lines()
        announced = [i for i, l in enumerate(lines)
                     if "PeerManager::NewPoWValidBlock sending header-and-ids %s" % block.hash in l]
        connected = [i for i, l in enumerate(lines) if "UpdateTip: new best=%s" % block.hash in l]
        assert len(announced) == 1 and len(connected) == 1, (announced, connected)
        assert announced[0] < connected[0], "cmpctblock sent after the block was connected"

        self.log.info("A block that fails only when connected is announced all the same, and never our tip")
        tip = node.getbestblockhash()
        coin = self.wallet.get_utxo()
        spend_a = self.wallet.create_self_transfer(utxo_to_spend=coin)
        spend_b = self.wallet.create_self_transfer(utxo_to_spend=coin, fee_rate=0.004)
        bad = BlockBuilder.from_node(node).next_block(txs=[spend_a["tx"], spend_b["tx"]])
        with node.assert_debug_log(["PeerManager::NewPoWValidBlock sending header-and-ids %s" % bad.hash,
                                    "bad-txns-inputs-missingorspent"]):
            source.send_message(msg_block(bad))
            hb.wait_until(lambda: hb.has_cmpct(bad.sha256), what="cmpctblock of the invalid block")
            source.wait_for_disconnect()
        assert_equal(node.getbestblockhash(), tip)

        self.log.info("A block mined by RPC is announced from the handler's queue")
        self.sync_hb()
        [h] = self.wallet.generate(1)
        hb.wait_until(lambda: hb.has_cmpct(int(h, 16)), what="cmpctblock of a mined block")
        wait_until(lambda: node.getbestblockhash() == h, 30, what="mined tip")


if __name__ == "__main__":
    P2PCompactRelayEarlyTest().main()
