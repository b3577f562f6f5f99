#!/usr/bin/env python3
"""Whom a node in initial block download asks for blocks (Core's SendMessages):

* never a peer that offers NODE_NETWORK_LIMITED without NODE_NETWORK (a pruned
  node cannot serve an old chain), even when it announced the headers;
* an inbound peer only while no outbound (preferred) peer gives us blocks:
  here the only peers are inbound, so the one with NODE_NETWORK is asked;
* once out of initial download, any peer that has the block.
"""

import time

from test_framework.blocktools import create_block, create_coinbase
from test_framework.messages import (
    CBlockHeader, NODE_NETWORK, NODE_NETWORK_LIMITED, NODE_WITNESS, msg_block, msg_headers,
)
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class Server(P2PInterface):
    """Records the blocks the node asks it for."""

    def __init__(self):
        super().__init__()
        self.asked = set()

    def on_getdata(self, message):
        for inv in message.inv:
            self.asked.add(inv.hash)


class P2PIbdDownloadPeersTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net"]]

    def build_chain(self, node, count, start_time):
        tip = int(node.getbestblockhash(), 16)
        height = node.getblockcount()
        blocks = []
        for i in range(count):
            block = create_block(tip, create_coinbase(height + 1), start_time + i + 1)
            block.solve()
            blocks.append(block)
            tip = block.sha256
            height += 1
        return blocks

    def announce(self, peer, blocks):
        peer.send_and_ping(msg_headers([CBlockHeader(b) for b in blocks]))

    def run_test(self):
        node = self.nodes[0]
        genesis_time = node.getblockheader(node.getbestblockhash())["time"]
        old_blocks = self.build_chain(node, 10, genesis_time)
        assert node.getblockchaininfo()["initialblockdownload"]

        self.log.info("in IBD, a NETWORK_LIMITED peer's headers are taken but no block is asked of it")
        limited = node.add_p2p_connection(Server(), services=NODE_NETWORK_LIMITED | NODE_WITNESS)
        self.announce(limited, old_blocks)
        assert_equal(node.getblockchaininfo()["headers"], 10)
        time.sleep(1)
        limited.sync_with_ping()
        with p2p_lock:
            assert_equal(limited.asked, set())

        self.log.info("a full inbound peer with the same chain is asked (no outbound peer serves us)")
        full = node.add_p2p_connection(Server(), services=NODE_NETWORK | NODE_WITNESS)
        self.announce(full, old_blocks)
        full.wait_until(lambda: old_blocks[0].sha256 in full.asked, timeout=30)
        with p2p_lock:
            assert_equal(limited.asked, set())
        for block in old_blocks:
            full.send_message(msg_block(block))
        full.sync_with_ping()
        assert_equal(node.getblockcount(), 10)
        assert node.getblockchaininfo()["initialblockdownload"]

        self.log.info("out of IBD (a recent tip), the limited peer is asked for a new block it announces")
        now = int(time.time())
        node.setmocktime(now)
        recent = self.build_chain(node, 1, now - 120)
        self.announce(full, recent)
        full.wait_until(lambda: recent[0].sha256 in full.asked, timeout=30)
        full.send_and_ping(msg_block(recent[0]))
        assert_equal(node.getbestblockhash(), recent[0].hash)
        assert not node.getblockchaininfo()["initialblockdownload"]
        newer = self.build_chain(node, 1, now - 60)
        self.announce(limited, newer)
        limited.wait_until(lambda: newer[0].sha256 in limited.asked, timeout=30)

if __name__ == "__main__":
    P2PIbdDownloadPeersTest().main()
