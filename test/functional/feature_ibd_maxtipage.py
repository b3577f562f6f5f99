#!/usr/bin/env python3
"""initialblockdownload in getblockchaininfo: true while the tip is older than
-maxtipage (default 24 h) measured by the node's clock (mocktime counts),
false once a recent tip arrives, and latched false from then on."""

import time

from test_framework.blocktools import BlockBuilder
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal

GENESIS_TIME = 1296688602


class MaxTipAgeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def ibd(self, node):
        return node.getblockchaininfo()["initialblockdownload"]

    def run_test(self):
        node, node1 = self.nodes
        self.log.info("a fresh node is in IBD; a tip older than 24 h keeps it there")
        assert_equal(self.ibd(node), True)
        old = BlockBuilder.from_node(node)
        now = int(time.time())
        for b in [old.add_block(old.next_block(ntime=now - 25 * 3600))]:
            assert_equal(node.submitblock(b.serialize().hex()), None)
        assert_equal(self.ibd(node), True)

        self.log.info("with mocktime, 'now' is the mock time: the same tip is recent enough")
        node.setmocktime(now - 2 * 3600)
        assert_equal(self.ibd(node), False)
        self.log.info("latched: moving the clock on does not bring IBD back")
        node.setmocktime(now + 10 * 24 * 3600)
        assert_equal(self.ibd(node), False)
        node.setmocktime(0)

        self.log.info("-maxtipage widens the window")
        node1.stop_node()
        node1.start(["-maxtipage=%d" % (30 * 3600)])
        assert_equal(self.ibd(node1), True)  # genesis is from 2011
        b = BlockBuilder.from_node(node1)
        assert_equal(node1.submitblock(b.add_block(b.next_block(ntime=now - 25 * 3600)).serialize().hex()), None)
        assert_equal(self.ibd(node1), False)

        self.log.info("-mocktime at start-up sets the clock of the block-time check too")
        node1.stop_node()
        future = now + 3 * 24 * 3600
        node1.start(["-mocktime=%d" % future])
        b = BlockBuilder.from_node(node1)
        blk = b.next_block(ntime=future + 3600)  # an hour past mock 'now': within the 2-hour limit
        assert_equal(node1.submitblock(blk.serialize().hex()), None)
        blk2 = BlockBuilder.from_node(node1).next_block(ntime=future + 3 * 3600)
        assert_equal(node1.submitblock(blk2.serialize().hex()), "time-too-new")


if __name__ == "__main__":
    MaxTipAgeTest().main()
