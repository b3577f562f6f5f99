#!/usr/bin/env python3
"""An interrupted -reindex goes on at the next start, as in Core: the
reindex flag stays in the block index until every blk file was read, and a
start without -reindex resumes from the blocks already indexed (the files
are read again; known blocks are skipped). -stopatheight stops the reindex
where it is (Core shuts down as soon as the tip reaches it, import or not)."""

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class ReindexResumeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [[]]

    def run_test(self):
        node = self.nodes[0]
        node.generatetoaddress(300, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        tip = node.getbestblockhash()
        node.stop_node()

        self.log.info("-reindex with -stopatheight=100: the node stops with the reindex unfinished")
        with node.assert_debug_log(["Reindexing interrupted; it will go on at the next start"]):
            node.start(["-reindex", "-stopatheight=100"], wait_for_rpc=False)
            node.wait_until_stopped(timeout=120)

        self.log.info("a start without -reindex resumes it and reaches the same tip")
        with node.assert_debug_log(["Reindexing was interrupted: resuming it", "Reindexing finished"], timeout=60):
            node.start([])
            wait_until(lambda: node.getbestblockhash() == tip, timeout=60, what="the tip after the reindex")
        assert_equal(node.getblockcount(), 300)
        assert_equal(node.getblockchaininfo()["initialblockdownload"], False)
        node.stop_node()

        self.log.info("the next start is an ordinary one")
        with node.assert_debug_log([], unexpected_msgs=["Reindexing"]):
            node.start([])
        assert_equal(node.getbestblockhash(), tip)
        # Blocks stored after the reindex go after the last indexed one.
        node.generatetoaddress(5, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        tip = node.getbestblockhash()
        node.stop_node()
        node.start(["-reindex"])
        wait_until(lambda: node.getbestblockhash() == tip, timeout=60, what="the tip after a full reindex")


if __name__ == "__main__":
    ReindexResumeTest().main()
