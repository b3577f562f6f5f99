"""Base class of every functional test.

A test subclasses CairnTestFramework, sets num_nodes (and extra_args) in
set_test_params(), and writes run_test(). main() makes a temporary
directory, writes each node's cairn.conf, starts the nodes, runs the test
and stops (or, on failure, kills) every process it started. Exit code 0 is
pass, 1 is fail, 77 is skip (as in Bitcoin Core's framework).
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile
import traceback

from .test_node import TestNode
from .util import PortSeed, get_datadir_path, write_config

TEST_EXIT_PASSED = 0
TEST_EXIT_FAILED = 1
TEST_EXIT_SKIPPED = 77


class SkipTest(Exception):
    pass


def default_cairnd():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.abspath(os.path.join(here, "..", "..", ".."))
    return os.environ.get("CAIRND", os.path.join(top, "build", "src", "cairnd"))


class CairnTestFramework:
    def __init__(self):
        self.num_nodes = 1
        self.extra_args = None
        self.chain = "regtest"
        self.setup_clean_chain = True
        self.nodes = []
        self.log = logging.getLogger("TestFramework")

    # ---- to override ----

    def set_test_params(self):
        pass

    def setup_nodes(self):
        self.add_nodes(self.num_nodes, self.extra_args)
        self.start_nodes()

    def run_test(self):
        raise NotImplementedError

    # ---- driver ----

    def main(self):
        parser = argparse.ArgumentParser()
        parser.add_argument("--cairnd", default=default_cairnd())
        parser.add_argument("--tmpdir")
        parser.add_argument("--nocleanup", action="store_true")
        parser.add_argument("--portseed", type=int, default=os.getpid())
        parser.add_argument("--loglevel", default="INFO")
        self.options = parser.parse_args()
        PortSeed.n = self.options.portseed
        logging.basicConfig(level=self.options.loglevel, format="%(asctime)s %(name)s (%(levelname)s): %(message)s",
                            stream=sys.stdout)
        self.binary = os.path.abspath(self.options.cairnd)
        if self.options.tmpdir:
            self.tmpdir = os.path.abspath(self.options.tmpdir)
            os.makedirs(self.tmpdir, exist_ok=False)
        else:
            self.tmpdir = tempfile.mkdtemp(prefix="cairn_func_")
        self.set_test_params()
        status = TEST_EXIT_FAILED
        try:
            if not os.path.isfile(self.binary):
                raise AssertionError("cairnd not found at %s (build first, or set CAIRND)" % self.binary)
            self.setup_nodes()
            self.run_test()
            self.stop_nodes()  # a clean stop (exit 0, empty stderr) is part of passing
            status = TEST_EXIT_PASSED
        except SkipTest as e:
            self.log.warning("Test skipped: %s", e)
            status = TEST_EXIT_SKIPPED
        except (AssertionError, Exception):
            self.log.error("Test failed:\n%s", traceback.format_exc())
            status = TEST_EXIT_FAILED
        finally:
            self.shutdown(status == TEST_EXIT_PASSED)
        if status == TEST_EXIT_FAILED:
            self.print_logs()
        if status == TEST_EXIT_PASSED and not self.options.nocleanup:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        else:
            self.log.info("Left the test's files in %s", self.tmpdir)
        sys.exit(status)

    def shutdown(self, clean):
        """Kills whatever is still running (after a failure, or a node a test left behind)."""
        for node in self.nodes:
            if node.process is not None:
                node.kill()

    def print_logs(self, lines=60):
        for node in self.nodes:
            try:
                with open(node.debug_log_path, encoding="utf8", errors="replace") as f:
                    tail = f.readlines()[-lines:]
                print("---- node%d debug.log (last %d lines) ----" % (node.index, lines))
                print("".join(tail))
            except FileNotFoundError:
                pass

    # ---- nodes ----

    def add_nodes(self, num_nodes, extra_args=None):
        extra_args = extra_args or [[]] * num_nodes
        for i in range(num_nodes):
            n = len(self.nodes)
            datadir = get_datadir_path(self.tmpdir, n)
            write_config(datadir, n, self.chain)
            self.nodes.append(TestNode(n, datadir, self.binary, self.chain, extra_args[i]))

    def start_node(self, i, extra_args=None, **kwargs):
        self.nodes[i].start(extra_args, **kwargs)

    def start_nodes(self, extra_args=None):
        for i, node in enumerate(self.nodes):
            node.start(None if extra_args is None else extra_args[i], wait_for_rpc=False)
        for node in self.nodes:
            node.wait_for_rpc_connection()

    def stop_node(self, i, expected_stderr=""):
        self.nodes[i].stop_node(expected_stderr)

    def stop_nodes(self):
        for node in self.nodes:
            if node.is_running():
                node.stop_node()

    def restart_node(self, i, extra_args=None):
        self.stop_node(i)
        self.start_node(i, extra_args)
