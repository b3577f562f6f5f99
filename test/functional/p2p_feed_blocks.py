#!/usr/bin/env python3
"""The framework's P2P peer feeds blocks built in Python to one node, as
Bitcoin Core's tests do with P2PDataStore: headers are announced, the node
asks for the blocks with getdata and we serve them.

Valid blocks move the tip; a coinbase paying too much is refused
("bad-cb-amount" in debug.log) and, the peer being a plain local inbound one,
gets it disconnected (not banned); a mutated block (good header, other
transactions) is refused without poisoning the good block's hash; blocks
delivered child first are connected once the parent arrives; an unrequested
block extending the tip is accepted; a longer fork wins, and loses again;
the node connects out to the framework's listener (addconnection) and takes a
block from that peer too.

The same scenarios through submitblock are feature_block_feed.py.
"""

import time

from test_framework.blocktools import BlockBuilder, create_regtest_genesis, subsidy
from test_framework.messages import CBlockHeader, msg_block, msg_headers
from test_framework.p2p import P2PDataStore, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class WithholdingPeer(P2PDataStore):
    """Records getdata for hashes in `withhold` without answering them."""

    def __init__(self):
        super().__init__()
        self.withhold = set()

    def on_getdata(self, message):
        held = [i for i in message.inv if i.hash in self.withhold]
        for inv in held:
            self.getdata_requests.append(inv.hash)
        message.inv = [i for i in message.inv if i.hash not in self.withhold]
        if message.inv:
            super().on_getdata(message)


class P2PFeedBlocksTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-listen=1"]]

    def connect(self):
        return self.nodes[0].add_p2p_connection(WithholdingPeer())

    def assert_tip(self, block):
        assert_equal(self.nodes[0].getbestblockhash(), block.hash)

    def run_test(self):
        node = self.nodes[0]
        genesis = create_regtest_genesis()
        assert_equal(node.getblockhash(0), genesis.hash)
        main = BlockBuilder(genesis.hash, 0, int(time.time()) - 3000)
        peer = self.connect()
        assert_equal(peer.version_received.nVersion >= 70016, True)

        self.log.info("Ten valid blocks announced by headers, fetched by the node")
        blocks = main.build(10)
        peer.send_blocks_and_test(blocks, node, success=True)
        self.assert_tip(blocks[-1])
        assert_equal(node.getblockcount(), 10)

        self.log.info("Coinbase paying too much: bad-cb-amount, tip unchanged, local peer disconnected")
        bad = main.next_block(nValue=subsidy(main.height + 1) + 1)
        peer.send_blocks_and_test([bad], node, success=False, reject_reason="bad-cb-amount", expect_disconnect=True)
        self.assert_tip(main.blocks[-1])
        node.disconnect_p2ps()
        peer = self.connect()

        self.log.info("A mutated block (good header, other coinbase) is refused; the good one is then accepted")
        good = main.next_block()
        mutated = main.next_block()
        mutated.vtx[0].vout[0].nValue -= 1
        mutated.vtx[0].rehash()
        assert_equal(mutated.rehash(), good.sha256)
        assert not mutated.is_valid()
        with p2p_lock:
            peer.block_store[good.sha256] = mutated
            peer.last_block_hash = good.sha256
        peer.send_message(msg_headers([CBlockHeader(good)]))
        peer.wait_for_disconnect()
        self.assert_tip(main.blocks[-1])
        node.disconnect_p2ps()
        peer = self.connect()
        peer.send_blocks_and_test([main.add_block(good)], node, success=True)

        self.log.info("Child delivered before its parent: stored, connected once the parent arrives")
        c1 = main.add_block(main.next_block())
        c2 = main.add_block(main.next_block())
        with p2p_lock:
            peer.withhold = {c1.sha256, c2.sha256}
        peer.send_message(msg_headers([CBlockHeader(c1), CBlockHeader(c2)]))
        peer.wait_until(lambda: {c1.sha256, c2.sha256} <= set(peer.getdata_requests), what="getdata for c1, c2")
        peer.send_and_ping(msg_block(c2))
        self.assert_tip(main.blocks[-3])
        peer.send_and_ping(msg_block(c1))
        wait_until(lambda: node.getbestblockhash() == c2.hash, 30, what="tip c2")

        self.log.info("An unrequested block extending the tip is accepted")
        peer.send_blocks_and_test([main.add_block(main.next_block())], node, success=True, force_send=True)

        self.log.info("Reorg to a longer fork, then back to the original branch")
        fork = main.fork(main.blocks[-4])
        fork_blocks = fork.build(4)
        peer.send_blocks_and_test(fork_blocks, node, success=True)
        assert_equal(node.getblockcount(), fork.height)
        back = main.build(2)
        peer.send_blocks_and_test(back, node, success=True)
        assert_equal(node.getblockcount(), main.height)
        assert peer.is_connected

        self.log.info("The node connects out to a framework listener (addconnection) and takes a block from it")
        out_peer = node.add_outbound_p2p_connection(P2PDataStore(), connection_type="outbound-full-relay")
        assert_equal(out_peer.p2p_connected_to_node, False)
        assert_equal(out_peer.version_received.nVersion >= 70016, True)
        out_peer.send_blocks_and_test(main.build(1), node, success=True)
        assert_equal(len(node.p2ps), 2)
        node.disconnect_p2ps()
        assert not peer.is_connected and not out_peer.is_connected


if __name__ == "__main__":
    P2PFeedBlocksTest().main()
