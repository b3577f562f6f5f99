#!/usr/bin/env python3
"""Control RPCs: help, uptime, getrpcinfo, logging, getmemoryinfo, echo, stop."""

from decimal import Decimal

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_raises_rpc_error


class RpcControlTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        text = node.help()
        assert "== Control ==" in text and "getblockcount" in text
        assert node.help("getblockhash").startswith("getblockhash height")
        assert_equal(node.help("nosuchmethod"), "help: unknown command: nosuchmethod")
        assert_greater_than_or_equal(node.uptime(), 0)
        info = node.getrpcinfo()
        assert_equal(info["active_commands"][0]["method"], "getrpcinfo")
        assert info["logpath"].endswith("debug.log")
        assert_equal(node.echo("a", 1, None), ["a", 1, None])
        assert "locked" in node.getmemoryinfo()
        assert isinstance(node.logging(), dict)
        assert_raises_rpc_error(-32601, "Method not found", node.nosuchmethod)
        assert_raises_rpc_error(-1, None, node.getblockhash)  # missing parameter: help text
        assert_raises_rpc_error(-8, "Block height out of range", node.getblockhash, 5)
        assert_raises_rpc_error(-1, "JSON integer out of range", node.getblockhash, 99999999999)
        assert_raises_rpc_error(-1, "JSON integer out of range", node.getblockhash, 1.5)
        assert_raises_rpc_error(-3, "Wrong type passed", node.getblockhash, "0")
        self.log.info("getdifficulty: regtest's minimum difficulty")
        assert_equal(node.getdifficulty(), Decimal("4.656542373906925E-10"))
        self.log.info("mockscheduler (hidden): checks its argument as Core does")
        assert_equal(node.mockscheduler(10), None)
        assert_raises_rpc_error(-1, "delta_time must be between 1 and 3600 seconds (1 hr)", node.mockscheduler, 0)
        assert_raises_rpc_error(-1, "delta_time must be between 1 and 3600 seconds (1 hr)", node.mockscheduler, 3601)


if __name__ == "__main__":
    RpcControlTest().main()
