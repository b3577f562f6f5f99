#!/usr/bin/env python3
"""Stall detection during initial block download: a peer that withholds the
block at the start of the download window, while another peer could deliver
everything, is disconnected after the stalling timeout (2 s), the block is
fetched from the other peer, and the sync completes."""

from test_framework.blocktools import BlockBuilder
from test_framework.messages import CBlockHeader, msg_headers
from test_framework.p2p import P2PDataStore, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

CHAIN_LENGTH = 1030  # more than the 1024-block download window


class WithholdingPeer(P2PDataStore):
    """Serves every block but the ones in `withhold`."""

    def __init__(self, withhold):
        super().__init__()
        self.withhold = set(withhold)
        self.withheld_requests = 0

    def on_getdata(self, message):
        held = [i for i in message.inv if i.hash in self.withhold]
        self.withheld_requests += len(held)
        message.inv = [i for i in message.inv if i.hash not in self.withhold]
        if message.inv:
            super().on_getdata(message)


class IbdStallingTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-listen=1", "-debug=net"]]

    def run_test(self):
        node = self.nodes[0]
        builder = BlockBuilder.from_node(node)
        blocks = builder.build(CHAIN_LENGTH)

        self.log.info("a peer serves the chain but block 1")
        staller = WithholdingPeer([blocks[0].sha256])
        staller._store_blocks(blocks)  # before connecting: the node asks for headers at once
        node.add_p2p_connection(staller)
        staller.wait_until(lambda: staller.withheld_requests > 0, timeout=30, what="request for block 1")
        # Everything else inside the window arrives; the tip cannot move.
        wait_until(lambda: node.getblockchaininfo()["headers"] == CHAIN_LENGTH, 30, what="headers")
        assert_equal(node.getblockcount(), 0)

        self.log.info("a second peer could deliver: the first is disconnected as a staller")
        with node.assert_debug_log(["Peer is stalling block download"], timeout=60):
            helper = P2PDataStore()
            helper._store_blocks(blocks)
            node.add_p2p_connection(helper)
            # In IBD the node syncs headers from one peer only: this one announces its chain itself.
            helper.send_message(msg_headers([CBlockHeader(b) for b in blocks]))
            staller.wait_for_disconnect(timeout=60)

        self.log.info("the sync completes from the other peer")
        wait_until(lambda: node.getbestblockhash() == blocks[-1].hash, 60, what="tip")
        with p2p_lock:
            assert blocks[0].sha256 in helper.getdata_requests


if __name__ == "__main__":
    IbdStallingTest().main()
