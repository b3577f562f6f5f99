#!/usr/bin/env python3
"""A flood of RPC requests: with every worker busy and the work queue full, a
new request gets HTTP 503 at once, and the node serves again afterwards.
Many concurrent clients all get their answers."""

import threading
import time

from test_framework.authproxy import AuthServiceProxy, JSONRPCException
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class WorkQueueTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-rpcthreads=1", "-rpcworkqueue=1"]]

    def run_test(self):
        node = self.nodes[0]
        url = node.rpc_url(*node.credentials())
        done = []

        def slow_call():
            try:
                AuthServiceProxy(url, timeout=60).waitfornewblock(3000)
                done.append(True)
            except (JSONRPCException, OSError) as e:
                done.append(e)

        self.log.info("one call on the only worker, one in the queue: the next one is refused with 503")
        threads = [threading.Thread(target=slow_call) for _ in range(2)]
        for t in threads:
            t.start()
            time.sleep(0.3)
        t0 = time.time()
        try:
            AuthServiceProxy(url, timeout=60).getblockcount()
            raise AssertionError("expected HTTP 503")
        except JSONRPCException as e:
            assert_equal(e.http_status, 503)
        assert time.time() - t0 < 2, "the refusal must not wait for the queue"
        for t in threads:
            t.join()
        assert_equal(done, [True, True])
        node.wait_for_debug_log("work queue depth exceeded")

        self.log.info("the node serves normally again")
        assert_equal(node.getblockcount(), 0)

        self.log.info("restart with defaults: 50 clients at once all get answers")
        node.stop_node()
        node.start([])
        url = node.rpc_url(*node.credentials())
        results = []

        def many():
            proxy = AuthServiceProxy(url, timeout=60)
            for _ in range(20):
                results.append(proxy.getblockcount())

        threads = [threading.Thread(target=many) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_until(lambda: len(results) == 1000, timeout=30)
        assert_equal(set(results), {0})


if __name__ == "__main__":
    WorkQueueTest().main()
