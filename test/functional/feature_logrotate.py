#!/usr/bin/env python3
"""SIGHUP reopens debug.log, as Core does for log rotation (logrotate moves
the file, then sends SIGHUP): the node keeps running, writes its next lines
to a new debug.log at the same path, and no longer to the moved file."""

import os
import signal
import time

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class LogRotateTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        log = os.path.join(node.chain_dir, "debug.log")
        rotated = log + ".1"
        os.rename(log, rotated)
        node.process.send_signal(signal.SIGHUP)
        time.sleep(0.2)  # the signal is handled asynchronously
        node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        wait_until(lambda: os.path.exists(log), 10, what="a new debug.log")
        wait_until(lambda: "UpdateTip" in open(log, encoding="utf8").read(), 10, what="the new block logged")
        assert "UpdateTip: new best=%s" % node.getbestblockhash() not in open(rotated, encoding="utf8").read()
        assert_equal(node.getblockcount(), 1)
        self.log.info("a second SIGHUP without rotation keeps appending to the same file")
        size = os.path.getsize(log)
        node.process.send_signal(signal.SIGHUP)
        time.sleep(0.2)
        node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        wait_until(lambda: os.path.getsize(log) > size, 10, what="more lines in debug.log")
        assert_equal(node.getblockcount(), 2)


if __name__ == "__main__":
    LogRotateTest().main()
