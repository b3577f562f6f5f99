#!/usr/bin/env python3
"""Where the node listens and how it runs: -rpcbind with and without
-rpcallowip, bind= with connect=0 (the node still listens for peers),
-daemon (the parent returns, the child serves RPC) and -pid."""

import os
import socket
import subprocess
import time

from test_framework.authproxy import AuthServiceProxy
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, rpc_port, wait_until


class BindDaemonTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def log_lines(self, node, text):
        with open(node.debug_log_path, encoding="utf8", errors="replace") as f:
            return [line for line in f if text in line]

    def run_test(self):
        node = self.nodes[0]
        port = rpc_port(0)

        self.log.info("by default RPC binds to the loopback addresses only")
        binds = self.log_lines(node, "Binding RPC on address")
        assert all("127.0.0.1" in b or "::1" in b for b in binds), binds
        node.stop_node()

        self.log.info("-rpcbind without -rpcallowip is ignored with Core's warning")
        os.remove(node.debug_log_path)
        node.start(["-rpcbind=127.0.0.1"])
        assert node.debug_log_contains("option -rpcbind was ignored because -rpcallowip was not specified")
        node.stop_node()

        self.log.info("-rpcbind with -rpcallowip binds exactly there")
        os.remove(node.debug_log_path)
        node.start(["-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1"])
        binds = self.log_lines(node, "Binding RPC on address")
        assert_equal(len(binds), 1)
        assert "127.0.0.1 port %d" % port in binds[0], binds
        assert_equal(node.getblockcount(), 0)
        node.stop_node()

        self.log.info("bind= makes the node listen for peers even with connect=0 or a proxy (Core's order)")
        for extra in (["-connect=0"], ["-proxy=127.0.0.1:1"], ["-maxconnections=0"]):
            node.start(extra + ["-bind=127.0.0.1:%d" % p2p_port(0)])
            with socket.create_connection(("127.0.0.1", p2p_port(0)), timeout=10):
                pass
            node.stop_node()

        self.log.info("without a -bind, -connect (even =0), -maxconnections=0 or a proxy mean not listening")
        node.auto_bind = False
        for extra in (["-connect=0"], ["-noconnect"], ["-proxy=127.0.0.1:1"], ["-maxconnections=0"], ["-nolisten"]):
            os.remove(node.debug_log_path)
            node.start(extra)
            assert not node.debug_log_contains("Bound to"), extra
            try:
                socket.create_connection(("127.0.0.1", p2p_port(0)), timeout=10).close()
                raise AssertionError("the node listens with %s" % extra)
            except ConnectionRefusedError:
                pass
            node.stop_node()

        self.log.info("-proxy=0 is no proxy: the node listens (on its default addresses)")
        os.remove(node.debug_log_path)
        node.start(["-proxy=0"])
        wait_until(lambda: node.debug_log_contains("Bound to 0.0.0.0:%d" % p2p_port(0)), timeout=10)
        node.stop_node()
        node.auto_bind = True

        self.log.info("-bind or -whitebind with -listen=0 is Core's error")
        for bind in ("-bind=127.0.0.1:%d" % p2p_port(0), "-whitebind=127.0.0.1:%d" % p2p_port(0)):
            node.assert_start_raises_init_error(["-listen=0", bind],
                                                "Error: Cannot set -bind or -whitebind together with -listen=0")

        self.log.info("-daemon: the parent exits 0, the child serves RPC and writes -pid")
        pid_path = os.path.join(node.chain_dir, "custom.pid")
        parent = subprocess.run(node.args(["-daemon", "-pid=custom.pid"]), capture_output=True, timeout=60)
        assert_equal(parent.returncode, 0)
        wait_until(lambda: os.path.exists(pid_path) and os.path.exists(os.path.join(node.chain_dir, ".cookie")),
                   timeout=30)
        with open(pid_path, encoding="utf8") as f:
            child = int(f.read().strip())
        assert child != os.getpid() and child > 1
        os.kill(child, 0)  # alive
        user, password = node.credentials()
        rpc = None
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                rpc = AuthServiceProxy(node.rpc_url(user, password), timeout=30)
                assert_equal(rpc.getblockcount(), 0)
                break
            except OSError:
                time.sleep(0.1)
        assert_equal(rpc.stop(), "Cairn server stopping")

        def gone():
            try:
                os.kill(child, 0)
                return False
            except ProcessLookupError:
                return True
        wait_until(gone, timeout=60)
        assert not os.path.exists(pid_path)
        node.start()  # for the framework's final stop


if __name__ == "__main__":
    BindDaemonTest().main()
