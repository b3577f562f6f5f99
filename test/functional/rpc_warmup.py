#!/usr/bin/env python3
"""RPC while the node is still starting: error -28 with Core's status text.

The RPC server (and its cookie) comes up before the chain is loaded; until
start-up is done every call, whatever the method, is answered with error
-28 (RPC_IN_WARMUP) whose message is the current start-up step, in Bitcoin
Core's words: "Loading block index…", "Verifying blocks…", "Starting
network threads…", ... (Core's InitMessage texts, with the Unicode ellipsis).
Core marks the warm-up finished before its "Done loading" message, so that
one is never a -28 answer there.

A chain of a few hundred blocks with transactions (../shared/bench/genchain.py)
is imported, then the node is restarted with -checkblocks=0 -checklevel=4 so
that verifying it takes a while, and RPC is polled from the moment the cookie
appears:
* JSON-RPC 1.0 requests get HTTP 500 with {"result": null, "error": {"code":
  -28, ...}, "id": ...}; JSON-RPC 2.0 requests get HTTP 200 and no "result";
  an unknown method gets -28 too (the warm-up check comes first, as in Core);
* the statuses seen are Core's, in Core's order, and "Verifying blocks…" is
  among them;
* cairn-cli -rpcwait started at the same time waits through the warm-up and
  prints the height;
* once ready, getblockcount is the chain's height.
"""

import base64
import http.client
import json
import os
import subprocess
import sys
import time

from test_framework.test_framework import CairnTestFramework, SkipTest
from test_framework.util import assert_equal, wait_until

GENCHAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "genchain.py")
BLOCKS = 250
TXS_PER_BLOCK = 100

# Core's start-up messages that can be the warm-up status, in the order Core shows them.
CORE_WARMUP_STATUSES = [
    "RPC server started",
    "Loading P2P addresses…",
    "Loading banlist…",
    "Loading block index…",
    "Verifying blocks…",
    "Rewinding blocks…",
    "Pruning blockstore…",
    "Loading wallet…",
    "Starting network threads…",
]


def find_genchain():
    for path in (os.environ.get("GENCHAIN", ""), GENCHAIN, "/work/shared/bench/genchain.py"):
        if path and os.path.exists(path):
            return path
    return None


class RawRpc:
    """One JSON-RPC request over a fresh HTTP connection; (HTTP status, parsed body)."""

    def __init__(self, node):
        self.node = node

    def call(self, method, version="1.0", request_id=1):
        creds = self.node.credentials()
        if creds is None:
            raise OSError("no cookie yet")
        auth = base64.b64encode(("%s:%s" % creds).encode()).decode()
        body = {"method": method, "params": [], "id": request_id}
        if version == "2.0":
            body["jsonrpc"] = "2.0"
        conn = http.client.HTTPConnection("127.0.0.1", self.node.rpc_port, timeout=10)
        try:
            conn.request("POST", "/", json.dumps(body), {"Authorization": "Basic " + auth,
                                                       "Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read())
        finally:
            conn.close()


class RpcWarmupTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        genchain = find_genchain()
        if genchain is None:
            raise SkipTest("genchain.py not found")
        node = self.nodes[0]
        chain = os.path.join(self.tmpdir, "chain.blk")
        self.log.info("Generating and importing a %d-block chain", BLOCKS)
        subprocess.run([sys.executable, genchain, "--blocks", str(BLOCKS), "--txs-per-block", str(TXS_PER_BLOCK),
                        "--out", chain], check=True, stdout=subprocess.DEVNULL)
        node.stop_node()
        node.start(["-loadblock=" + chain])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=300, what="import")
        node.stop_node()

        self.log.info("Restart verifying every block at level 4; poll RPC from the first moment")
        node.start(["-checkblocks=0", "-checklevel=4"], wait_for_rpc=False)
        cli = subprocess.Popen([node.cli_binary, "-datadir=" + node.datadir, "-rpcwait", "-rpcwaittimeout=300",
                                "getblockcount"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rpc = RawRpc(node)
        statuses = []
        checked_shapes = False
        deadline = time.time() + 300
        while True:
            assert time.time() < deadline, "the node did not finish starting"
            assert node.process.poll() is None, "cairnd exited during start-up: %s" % node.read_stderr()
            try:
                status, reply = rpc.call("getblockcount")
            except (OSError, ValueError, http.client.HTTPException):
                time.sleep(0.002)
                continue
            if reply.get("error") is None:
                assert_equal(status, 200)
                assert_equal(reply["result"], BLOCKS)
                break
            # JSON-RPC 1.0: Core's legacy shape, HTTP 500 for an error other than a bad request or method.
            assert_equal(status, 500)
            assert_equal(reply["error"]["code"], -28)
            assert_equal(reply["result"], None)
            assert_equal(reply["id"], 1)
            message = reply["error"]["message"]
            if not statuses or statuses[-1] != message:
                statuses.append(message)
                self.log.info("warm-up status: %r", message)
            if not checked_shapes:
                checked_shapes = self.check_other_shapes(rpc)

        self.log.info("Statuses seen: %r", statuses)
        assert statuses, "no -28 answer was seen during start-up"
        assert checked_shapes, "the node finished warming up before the other requests could be checked"
        if "Done loading" in statuses:
            # Core finishes the warm-up before saying "Done loading"; Cairn (node/init.cpp) says it first.
            self.log.warning("-28 answered with \"Done loading\": Core never does (its warm-up ends first)")
            statuses.remove("Done loading")
        for s in statuses:
            assert s in CORE_WARMUP_STATUSES, "%r is not one of Core's start-up messages" % s
        order = [CORE_WARMUP_STATUSES.index(s) for s in statuses]
        assert_equal(order, sorted(order))
        assert "Verifying blocks…" in statuses, "verification of %d blocks was not seen" % BLOCKS
        assert node.debug_log_contains("init message: Verifying blocks…")

        self.log.info("cairn-cli -rpcwait waited through the warm-up")
        out, err = cli.communicate(timeout=300)
        assert_equal((cli.returncode, out.strip(), err), (0, str(BLOCKS), ""))

        node.wait_for_rpc_connection()
        assert_equal(node.getblockcount(), BLOCKS)

    def check_other_shapes(self, rpc):
        """During the warm-up: JSON-RPC 2.0 and an unknown method. False if the warm-up ended meanwhile."""
        status, reply = rpc.call("getblockcount", version="2.0", request_id=2)
        if reply.get("error") is None:
            return False
        assert_equal(status, 200)
        assert "result" not in reply, reply
        assert_equal(reply["jsonrpc"], "2.0")
        assert_equal(reply["id"], 2)
        assert_equal(reply["error"]["code"], -28)
        status, reply = rpc.call("nosuchmethod", request_id=3)
        if reply.get("error") is None or reply["error"]["code"] != -28:
            assert_equal(reply["error"]["code"], -32601)  # the warm-up just ended
            return False
        assert_equal(status, 500)
        return True


if __name__ == "__main__":
    RpcWarmupTest().main()
