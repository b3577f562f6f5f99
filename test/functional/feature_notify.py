#!/usr/bin/env python3
"""-startupnotify, -blocknotify (with %s as the block hash; not while in
initial block download, as in Core: the genesis tip at start-up does not
fire it) and -shutdownnotify run their commands at the right moments."""

import os

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

ADDRESS = "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85"


class NotifyTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def setup_nodes(self):
        self.dir = os.path.join(self.tmpdir, "notify")
        os.makedirs(os.path.join(self.dir, "blocks"))
        self.add_nodes(1, [[
            "-startupnotify=touch %s" % os.path.join(self.dir, "started"),
            "-blocknotify=touch %s" % os.path.join(self.dir, "blocks", "%s"),
            "-shutdownnotify=touch %s" % os.path.join(self.dir, "stopped"),
        ]])
        self.start_nodes()

    def run_test(self):
        node = self.nodes[0]
        wait_until(lambda: os.path.exists(os.path.join(self.dir, "started")), timeout=10)
        hashes = node.generatetoaddress(5, ADDRESS)
        blocks_dir = os.path.join(self.dir, "blocks")
        wait_until(lambda: len(os.listdir(blocks_dir)) == 5, timeout=10)
        assert_equal(sorted(os.listdir(blocks_dir)), sorted(hashes))
        assert not os.path.exists(os.path.join(self.dir, "stopped"))
        node.stop_node()
        assert os.path.exists(os.path.join(self.dir, "stopped"))


if __name__ == "__main__":
    NotifyTest().main()
