#!/usr/bin/env python3
"""getblocks, answered as Bitcoin Core answers it (pre-headers-first sync).

With the framework's Python peer against a node with a 600-block chain:
  * getblocks from genesis is answered with an inv of the next 500 blocks
    only; the 500th is remembered as the continuation block;
  * a getdata of any other block gets just the block;
  * a getdata of the continuation block gets the block and then, at once,
    an inv of our tip, which tells the peer to send the next getblocks
    (Core's hashContinue); asking for it again gets no second inv;
  * the next getblocks (from block 500) gets the remaining 100, with no
    continuation; the stop hash ends an answer early.
Then a pruned node (-prune=1: NODE_NETWORK_LIMITED without NODE_NETWORK)
stops its getblocks answer at blocks it may not keep for another hour
(288 - 6 below the tip) and at blocks it lacks.
"""

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.messages import CBlockLocator, CInv, MSG_BLOCK, MSG_WITNESS_BLOCK, msg_getblocks, msg_getdata
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class InvCollector(P2PInterface):
    def __init__(self):
        super().__init__()
        self.invs = []  # every inv message, as a list of CInv
        self.blocks = []

    def on_inv(self, m):
        self.invs.append(list(m.inv))

    def on_block(self, m):
        m.block.rehash()
        self.blocks.append(m.block.hash)

    def clear(self):
        with p2p_lock:
            self.invs.clear()
            self.blocks.clear()


def block_hashes(invs):
    return [i.hash for i in invs if i.type == MSG_BLOCK]


class P2PGetBlocksTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-debug=net"], ["-debug=net", "-prune=1"]]

    def run_test(self):
        node = self.nodes[0]
        node.generatetoaddress(600, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        hashes = [int(node.getblockhash(h), 16) for h in range(601)]
        tip = hashes[600]

        peer = node.add_p2p_connection(InvCollector())
        peer.clear()

        self.log.info("getblocks from genesis: an inv of 500 blocks, no more")
        with node.assert_debug_log(["getblocks 1 to end limit 500 from peer=",
                                    "getblocks stopping at limit 500 %064x" % hashes[500]]):
            peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[0]])))
        peer.wait_until(lambda: len(peer.invs) == 1, what="inv answer")
        with p2p_lock:
            assert_equal(block_hashes(peer.invs[0]), hashes[1:501])
        peer.clear()

        self.log.info("getdata of an ordinary block: the block, no inv")
        peer.send_and_ping(msg_getdata([CInv(MSG_WITNESS_BLOCK, hashes[499])]))
        peer.wait_until(lambda: len(peer.blocks) == 1, what="block 499")
        peer.sync_with_ping()
        with p2p_lock:
            assert_equal(peer.invs, [])
        peer.clear()

        self.log.info("getdata of the continuation block: the block, then an inv of the tip")
        peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, hashes[500])]))
        peer.wait_until(lambda: len(peer.invs) == 1, what="continuation inv")
        with p2p_lock:
            assert_equal(peer.blocks, ["%064x" % hashes[500]])
            assert_equal(block_hashes(peer.invs[0]), [tip])
        peer.clear()

        self.log.info("Asked again, the continuation block comes without another inv")
        peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, hashes[500])]))
        peer.wait_until(lambda: len(peer.blocks) == 1, what="block 500 again")
        peer.sync_with_ping()
        with p2p_lock:
            assert_equal(peer.invs, [])
        peer.clear()

        self.log.info("The next getblocks gets the last 100 blocks, with no continuation")
        peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[500], hashes[499], hashes[0]])))
        peer.wait_until(lambda: len(peer.invs) == 1, what="second inv answer")
        with p2p_lock:
            assert_equal(block_hashes(peer.invs[0]), hashes[501:601])
        peer.clear()
        peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, tip)]))
        peer.wait_until(lambda: len(peer.blocks) == 1, what="tip block")
        peer.sync_with_ping()
        with p2p_lock:
            assert_equal(peer.invs, [])
        peer.clear()

        self.log.info("The stop hash ends the answer before it")
        with node.assert_debug_log(["getblocks stopping at 10 %064x" % hashes[10]]):
            peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[0]]), hashstop=hashes[10]))
        peer.wait_until(lambda: len(peer.invs) == 1, what="inv up to the stop hash")
        with p2p_lock:
            assert_equal(block_hashes(peer.invs[0]), hashes[1:10])
        node.disconnect_p2ps()

        self.test_pruned_node()

    def test_pruned_node(self):
        node = self.nodes[1]
        self.log.info("A pruned node stops at blocks more than 282 below its tip")
        node.generatetoaddress(300, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        hashes = [int(node.getblockhash(h), 16) for h in range(301)]
        peer = node.add_p2p_connection(InvCollector())
        peer.clear()
        # 300 - 282 = 18: block 18 and below may be gone within the hour.
        with node.assert_debug_log(["getblocks stopping, pruned or too old block at 1 %064x" % hashes[1]]):
            peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[0]])))
        with p2p_lock:
            assert_equal(peer.invs, [])
        with node.assert_debug_log(["getblocks stopping, pruned or too old block at 11 %064x" % hashes[11]]):
            peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[10]])))
        with p2p_lock:
            assert_equal(peer.invs, [])
        peer.send_and_ping(msg_getblocks(CBlockLocator([hashes[18]])))
        peer.wait_until(lambda: len(peer.invs) == 1, what="inv from a pruned node")
        with p2p_lock:
            assert_equal(block_hashes(peer.invs[0]), hashes[19:301])
        node.disconnect_p2ps()


if __name__ == "__main__":
    P2PGetBlocksTest().main()
