#!/usr/bin/env python3
"""A pruned node (NODE_NETWORK_LIMITED) serving blocks, as Bitcoin Core does.

node0 runs with -prune=1: it offers NODE_NETWORK_LIMITED without
NODE_NETWORK, promising the last 288 blocks. With a 300-block chain:
  * blocks up to 290 below the tip (288 plus two for races) are served;
  * a getdata for a deeper block, even one still on disk, gets the peer
    disconnected ("Ignore block request below NODE_NETWORK_LIMITED
    threshold") instead of an answer: answering would reveal how far we
    prune, and leaving it unanswered would make the peer stall;
  * a peer with the noban permission is exempt and gets the block.
An unpruned node serves every block.
"""

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.messages import CInv, MSG_WITNESS_BLOCK, msg_getdata
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal

NODE_NETWORK = 1
NODE_WITNESS = 1 << 3
NODE_NETWORK_LIMITED = 1 << 10


class BlockCollector(P2PInterface):
    def __init__(self):
        super().__init__()
        self.blocks = []

    def on_block(self, m):
        m.block.rehash()
        self.blocks.append(m.block.hash)

    def ask(self, blockhash):
        self.send_message(msg_getdata([CInv(MSG_WITNESS_BLOCK, int(blockhash, 16))]))


class P2PNodeNetworkLimitedTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-debug=net", "-prune=1"], ["-debug=net"]]

    def run_test(self):
        pruned, full = self.nodes
        pruned.generatetoaddress(300, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        full.generatetoaddress(300, ADDRESS_BCRT1_P2WSH_OP_TRUE)

        self.log.info("The pruned node offers NODE_NETWORK_LIMITED without NODE_NETWORK")
        services = int(pruned.getnetworkinfo()["localservices"], 16)
        assert_equal(services & (NODE_NETWORK | NODE_NETWORK_LIMITED | NODE_WITNESS),
                     NODE_NETWORK_LIMITED | NODE_WITNESS)

        self.log.info("Blocks down to 290 below the tip are served")
        peer = pruned.add_p2p_connection(BlockCollector())
        for height in (300, 12, 10):
            h = pruned.getblockhash(height)
            peer.ask(h)
            peer.wait_until(lambda: h in peer.blocks, what="block at height %d" % height)

        self.log.info("A deeper block (291 below) costs the connection, though it is on disk")
        with pruned.assert_debug_log(["Ignore block request below NODE_NETWORK_LIMITED threshold, disconnecting peer="]):
            peer.ask(pruned.getblockhash(9))
            peer.wait_for_disconnect()
        with p2p_lock:
            assert pruned.getblockhash(9) not in peer.blocks
        pruned.disconnect_p2ps()

        self.log.info("A noban peer gets it")
        self.restart_node(0, ["-debug=net", "-prune=1", "-whitelist=noban@127.0.0.1"])
        peer = pruned.add_p2p_connection(BlockCollector())
        h = pruned.getblockhash(1)
        peer.ask(h)
        peer.wait_until(lambda: h in peer.blocks, what="deep block for a noban peer")
        pruned.disconnect_p2ps()

        self.log.info("An unpruned node serves every block")
        peer = full.add_p2p_connection(BlockCollector())
        h = full.getblockhash(1)
        peer.ask(h)
        peer.wait_until(lambda: h in peer.blocks, what="genesis' child from a full node")
        full.disconnect_p2ps()


if __name__ == "__main__":
    P2PNodeNetworkLimitedTest().main()
