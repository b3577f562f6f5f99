#!/usr/bin/env python3
"""Clean shutdown: the stop RPC, SIGTERM and SIGINT each flush the chainstate,
remove the cookie and pid file, exit 0 with nothing on stderr; a restart
keeps the chain. A call waiting for a block does not hold up shutdown."""

import os
import signal
import threading

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal

# OP_TRUE wrapped in P2WSH: anyone can spend, so tests need no keys.
ADDRESS = "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85"


class ShutdownTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        cookie = os.path.join(node.chain_dir, ".cookie")
        pidfile = os.path.join(node.chain_dir, "bitcoind.pid")

        self.log.info("the stop RPC answers, then the process exits 0 with an empty stderr")
        hashes = node.generatetoaddress(5, ADDRESS)
        assert os.path.exists(pidfile)
        assert_equal(node.stop(), "Cairn server stopping")
        node.wait_until_stopped()
        assert_equal(node.read_stderr(), "")
        assert not os.path.exists(cookie)
        assert not os.path.exists(pidfile)

        for sig in (signal.SIGTERM, signal.SIGINT):
            self.log.info("%s: clean exit, and the restart keeps the chain", signal.Signals(sig).name)
            node.start()
            assert_equal(node.getbestblockhash(), hashes[-1])
            hashes += node.generatetoaddress(3, ADDRESS)
            node.process.send_signal(sig)
            node.wait_until_stopped()
            assert_equal(node.read_stderr(), "")
            assert not os.path.exists(cookie)

        node.start()
        assert_equal(node.getblockcount(), 11)
        assert_equal(node.getbestblockhash(), hashes[-1])

        self.log.info("a waitfornewblock call in progress does not block shutdown")
        waiter = node.rpc_url(*node.credentials())
        from test_framework.authproxy import AuthServiceProxy
        errors = []

        def wait():
            try:
                AuthServiceProxy(waiter, timeout=120).waitfornewblock()
            except (JSONRPCException, OSError) as e:
                errors.append(e)

        t = threading.Thread(target=wait)
        t.start()
        import time
        time.sleep(0.5)
        node.process.send_signal(signal.SIGTERM)
        node.wait_until_stopped(timeout=30)
        t.join(30)
        assert not t.is_alive()
        node.start()  # for the framework's final stop


if __name__ == "__main__":
    ShutdownTest().main()
