#!/usr/bin/env python3
"""Fee estimation RPCs: estimatesmartfee and estimaterawfee argument checks,
the answers of an estimator that has seen nothing, and fee_estimates.dat
(written at shutdown, refused when stale unless -acceptstalefeeestimates,
ignored when damaged). What the estimator learns from transactions is tested
by feature_fee_estimation.py (over RPC, with a restart) and the unit tests
(test/unit/policy/fee_estimator_tests.cpp)."""

import os
import time

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, write_config

NO_DATA = "Insufficient data or no feerate found"
NO_RAW_DATA = "Insufficient data or no feerate found which meets threshold"
BAD_MODE = 'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"'
HOURS = 3600


class EstimateFeeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.test_arguments()
        self.test_no_data()
        self.test_file()
        self.test_disabled()
        self.test_stale_option_chains()

    def test_arguments(self):
        node = self.nodes[0]
        self.log.info("missing, extra and mistyped arguments")
        assert_raises_rpc_error(-1, "estimatesmartfee", node.estimatesmartfee)
        assert_raises_rpc_error(-1, "estimaterawfee", node.estimaterawfee)
        assert_raises_rpc_error(-1, "estimatesmartfee", node.estimatesmartfee, 1, "economical", 1)
        assert_raises_rpc_error(-1, "estimaterawfee", node.estimaterawfee, 1, 0.5, 1)
        for method in (node.estimatesmartfee, node.estimaterawfee):
            assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number", method, "6")
            assert_raises_rpc_error(-1, "JSON integer out of range", method, 1.5)
        assert_raises_rpc_error(-3, "JSON value of type number is not of expected type string",
                                node.estimatesmartfee, 1, 1)
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number",
                                node.estimaterawfee, 1, "0.5")

        self.log.info("conf_target must be 1 to 1008")
        for method in (node.estimatesmartfee, node.estimaterawfee):
            for target in (0, -1, 1009, 2**31 - 1):
                assert_raises_rpc_error(-8, "Invalid conf_target, must be between 1 and 1008", method, target)

        self.log.info("estimate_mode: unset, economical, conservative in any case")
        assert_raises_rpc_error(-8, BAD_MODE, node.estimatesmartfee, 1, "foo")
        assert_raises_rpc_error(-8, BAD_MODE, node.estimatesmartfee, 1, "")
        for mode in ("unset", "economical", "conservative", "ECONOMICAL", "Conservative"):
            node.estimatesmartfee(1, mode)
        node.estimatesmartfee(conf_target=2, estimate_mode="conservative")

        self.log.info("threshold: 0 to 1")
        assert_raises_rpc_error(-8, "Invalid threshold", node.estimaterawfee, 1, -0.01)
        assert_raises_rpc_error(-8, "Invalid threshold", node.estimaterawfee, 1, 1.01)
        for threshold in (0, 1, 0.5):
            node.estimaterawfee(1, threshold)
        node.estimaterawfee(1, None)

        self.log.info("help: estimatesmartfee under util, estimaterawfee hidden")
        text = node.help()
        assert "estimatesmartfee conf_target" in text
        assert "estimaterawfee" not in text
        assert node.help("estimaterawfee").startswith("estimaterawfee conf_target ( threshold )")
        assert 'default="economical"' in node.help("estimatesmartfee")

    def test_no_data(self):
        node = self.nodes[0]
        self.log.info("no data yet: errors, and blocks 0")
        for target in (1, 2, 6, 1008):
            assert_equal(node.estimatesmartfee(target), {"errors": [NO_DATA], "blocks": 0})
            assert_equal(node.estimatesmartfee(target, "conservative"), {"errors": [NO_DATA], "blocks": 0})

        self.log.info("estimaterawfee answers for the horizons that track the target")
        expected_horizons = {1: ["short", "medium", "long"], 12: ["short", "medium", "long"],
                             13: ["medium", "long"], 48: ["medium", "long"], 49: ["long"], 1008: ["long"]}
        decay = {"short": 0.962, "medium": 0.9952, "long": 0.99931}
        scale = {"short": 1, "medium": 2, "long": 24}
        for target, horizons in expected_horizons.items():
            result = node.estimaterawfee(target)
            assert_equal(sorted(result.keys()), sorted(horizons))
            for h in horizons:
                r = result[h]
                assert_equal(sorted(r.keys()), ["decay", "errors", "fail", "scale"])
                assert_equal(r["errors"], [NO_RAW_DATA])
                assert_equal(float(r["decay"]), decay[h])
                assert_equal(r["scale"], scale[h])
                # Every bucket, 0 to "infinity", falls short for lack of data.
                fail = r["fail"]
                assert_equal(fail["startrange"], 0)
                assert_equal(float(fail["endrange"]), 1e99)
                for key in ("withintarget", "totalconfirmed", "inmempool", "leftmempool"):
                    assert_equal(fail[key], 0)

    def test_file(self):
        node = self.nodes[0]
        path = os.path.join(node.chain_dir, "fee_estimates.dat")
        self.log.info("fee_estimates.dat is written at shutdown, in Core's layout")
        self.stop_node(0)
        with open(path, "rb") as f:
            data = f.read()
        assert_equal(data[:8], bytes.fromhex("8c49020000000000"))  # version 149900, then 0
        assert_equal(data[20], 190)  # feerate buckets
        assert_equal(len(data), 247985)

        self.log.info("a fresh file is read back")
        self.start_node(0)
        assert not node.debug_log_contains("too old")
        assert not node.debug_log_contains("Failed to read fee estimates")
        assert_equal(node.estimatesmartfee(2), {"errors": [NO_DATA], "blocks": 0})

        self.log.info("a file older than 60 hours is refused, unless -acceptstalefeeestimates")
        self.stop_node(0)
        old = time.time() - 61 * HOURS
        os.utime(path, (old, old))
        self.start_node(0)
        assert node.debug_log_contains("too old (age=61 > 60 hours) and will not be used")
        self.stop_node(0)
        os.utime(path, (old, old))
        os.remove(node.debug_log_path)
        self.start_node(0, extra_args=["-acceptstalefeeestimates"])
        assert not node.debug_log_contains("too old")
        self.stop_node(0)
        # Written again at shutdown: fresh.
        assert time.time() - os.path.getmtime(path) < HOURS

        self.log.info("a damaged file is reported and ignored; the node starts anyway")
        for junk in (b"", b"\x8c\x49\x02\x00", b"not a fee estimates file" * 100, data[:-1]):
            with open(path, "wb") as f:
                f.write(junk)
            os.remove(node.debug_log_path)
            self.start_node(0)
            assert node.debug_log_contains("Failed to read fee estimates from")
            assert_equal(node.estimatesmartfee(2), {"errors": [NO_DATA], "blocks": 0})
            self.stop_node(0)
        with open(path, "rb") as f:
            assert_equal(len(f.read()), 247985)  # replaced by a good one at shutdown
        self.start_node(0)

    def test_disabled(self):
        node = self.nodes[0]
        self.log.info("-blocksonly: no fee estimation, as in Core")
        self.restart_node(0, extra_args=["-blocksonly"])
        assert_raises_rpc_error(-32603, "Fee estimation disabled", node.estimatesmartfee, 2)
        assert_raises_rpc_error(-32603, "Fee estimation disabled", node.estimaterawfee, 2)
        self.restart_node(0, extra_args=[])

    def test_stale_option_chains(self):
        node = self.nodes[0]
        self.log.info("-acceptstalefeeestimates is for regtest only")
        self.stop_node(0)
        # A config without regtest=1, so that -chain picks the network; start-up
        # stops before anything listens.
        write_config(node.datadir, 0, chain="main")
        for name in ("main", "test", "testnet4", "signet"):
            node.assert_start_raises_init_error(
                ["-chain=" + name, "-acceptstalefeeestimates"],
                "Error: acceptstalefeeestimates is not supported on %s chain." % name, match="partial")
        write_config(node.datadir, 0, chain="regtest")
        self.start_node(0, extra_args=["-acceptstalefeeestimates"])
        assert_equal(node.estimatesmartfee(2), {"errors": [NO_DATA], "blocks": 0})


if __name__ == "__main__":
    EstimateFeeTest().main()
