#!/usr/bin/env python3
"""Chain-control RPCs: getdeploymentinfo through a BIP 9 activation (with
-testactivationheight), invalidateblock / reconsiderblock / preciousblock on
forks, the waitfor* methods (timeouts, and blocks arriving while another
connection waits), verifychain (also on a damaged undo file),
syncwithvalidationinterfacequeue, and getblockchaininfo's verificationprogress,
size_on_disk, pruning fields and warnings."""

import os
import threading
import time

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.authproxy import AuthServiceProxy
from test_framework.blocktools import BlockBuilder
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

MAX_INT64 = 0x7fffffffffffffff
ACTIVATION_ARGS = [
    "-testactivationheight=bip34@2",
    "-testactivationheight=dersig@3",
    "-testactivationheight=cltv@4",
    "-testactivationheight=csv@5",
    "-testactivationheight=segwit@6",
]


def buried(active):
    return {
        "bip34": {"type": "buried", "active": active, "height": 2},
        "bip66": {"type": "buried", "active": active, "height": 3},
        "bip65": {"type": "buried", "active": active, "height": 4},
        "csv": {"type": "buried", "active": active, "height": 5},
        "segwit": {"type": "buried", "active": active, "height": 6},
    }


TAPROOT = {
    "type": "bip9",
    "height": 0,
    "active": True,
    "bip9": {"start_time": -1, "timeout": MAX_INT64, "min_activation_height": 0,
             "status": "active", "since": 0, "status_next": "active"},
}


class WaitCall(threading.Thread):
    """Runs one RPC on its own connection (the main one stays free)."""

    def __init__(self, node, method, *args):
        super().__init__()
        self.proxy = AuthServiceProxy(node.rpc_url(*node.credentials()), timeout=60)
        self.method, self.args = method, args
        self.result = self.error = None

    def run(self):
        try:
            self.result = getattr(self.proxy, self.method)(*self.args)
        except Exception as e:  # reported by the main thread
            self.error = e

    def finish(self):
        self.join(30)
        assert not self.is_alive(), "%s did not return" % self.method
        if self.error:
            raise self.error
        return self.result


class RpcChainControlTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [ACTIVATION_ARGS]

    def generate(self, n):
        return self.nodes[0].generatetoaddress(n, ADDRESS_BCRT1_P2WSH_OP_TRUE)

    def run_test(self):
        node = self.nodes[0]
        self.test_getdeploymentinfo(node)
        self.test_invalidate_reconsider(node)
        self.test_preciousblock(node)
        self.test_waits(node)
        self.test_getblockchaininfo(node)
        assert_equal(node.syncwithvalidationinterfacequeue(), None)
        self.test_verifychain(node)

    # ---- getdeploymentinfo ----

    def deployments_at(self, node, height, blockhash=None):
        info = node.getdeploymentinfo(blockhash) if blockhash else node.getdeploymentinfo()
        assert_equal(info["height"], height)
        assert_equal(info["hash"], node.getblockhash(height))
        assert_equal(list(info.keys()), ["hash", "height", "deployments"])
        # Core's order.
        assert_equal(list(info["deployments"].keys()), ["bip34", "bip66", "bip65", "csv", "segwit", "testdummy", "taproot"])
        return info["deployments"]

    def test_getdeploymentinfo(self, node):
        self.log.info("getdeploymentinfo at genesis: buried forks not active yet, testdummy defined")
        d = self.deployments_at(node, 0)
        expected = buried(False)
        expected["testdummy"] = {
            "type": "bip9", "active": False,
            "bip9": {"start_time": 0, "timeout": MAX_INT64, "min_activation_height": 0,
                     "status": "defined", "since": 0, "status_next": "defined"},
        }
        expected["taproot"] = TAPROOT
        assert_equal(d, expected)

        self.log.info("-testactivationheight: a buried fork is active once the next block is at its height")
        self.generate(2)
        d = self.deployments_at(node, 2)
        assert_equal([d[k]["active"] for k in ("bip34", "bip66", "bip65", "csv", "segwit")],
                     [True, True, False, False, False])
        self.generate(3)
        assert all(v["active"] for k, v in self.deployments_at(node, 5).items() if v["type"] == "buried")

        self.log.info("testdummy signalling (Core's rpc_blockchain expectations)")
        self.generate(143 - 5)
        assert_equal(self.deployments_at(node, 143)["testdummy"]["bip9"]["status_next"], "started")
        self.generate(207 - 143)
        hash207 = node.getbestblockhash()
        self.check_signalling(self.deployments_at(node, 207), 207, "started")
        self.generate(287 - 207)
        self.check_signalling(self.deployments_at(node, 287), 287, "locked_in")
        # An explicit block hash: the state at that block.
        self.check_signalling(self.deployments_at(node, 207, hash207), 207, "started")

        self.log.info("locked_in, then active from height 432")
        self.generate(1)
        td = self.deployments_at(node, 288)["testdummy"]
        assert_equal(td, {"type": "bip9", "active": False, "bip9": {
            "bit": 28, "start_time": 0, "timeout": MAX_INT64, "min_activation_height": 0,
            "status": "locked_in", "since": 288, "status_next": "locked_in",
            "statistics": {"period": 144, "elapsed": 1, "count": 1}, "signalling": "#"}})
        self.generate(431 - 288)
        td = self.deployments_at(node, 431)["testdummy"]
        assert_equal(td["height"], 432)
        assert_equal(td["active"], True)
        assert_equal(td["bip9"]["status"], "locked_in")
        assert_equal(td["bip9"]["status_next"], "active")
        assert_equal(list(td.keys()), ["type", "height", "active", "bip9"])
        self.generate(1)
        td = self.deployments_at(node, 432)["testdummy"]
        assert_equal(td, {"type": "bip9", "height": 432, "active": True, "bip9": {
            "start_time": 0, "timeout": MAX_INT64, "min_activation_height": 0,
            "status": "active", "since": 432, "status_next": "active"}})

        assert_raises_rpc_error(-5, "Block not found", node.getdeploymentinfo, "00" * 32)
        assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 2, for 'ab')", node.getdeploymentinfo, "ab")

    def check_signalling(self, d, height, status_next):
        expected = buried(True)
        expected["testdummy"] = {
            "type": "bip9",
            "bip9": {
                "bit": 28, "start_time": 0, "timeout": MAX_INT64, "min_activation_height": 0,
                "status": "started", "status_next": status_next, "since": 144,
                "statistics": {"period": 144, "threshold": 108, "elapsed": height - 143,
                               "count": height - 143, "possible": True},
                "signalling": "#" * (height - 143),
            },
            "active": False,
        }
        expected["taproot"] = TAPROOT
        assert_equal(d, expected)
        assert_equal(list(d["testdummy"]["bip9"].keys()),
                     ["bit", "start_time", "timeout", "min_activation_height", "status", "since", "status_next",
                      "statistics", "signalling"])
        assert_equal(list(d["testdummy"]["bip9"]["statistics"].keys()),
                     ["period", "elapsed", "count", "threshold", "possible"])

    # ---- invalidateblock / reconsiderblock / preciousblock ----

    def builder_at(self, node, height, tag):
        h = node.getblockhash(height)
        return BlockBuilder(h, height, node.getblockheader(h)["time"], tag=tag)

    def submit(self, node, blocks):
        """Submits blocks; a valid one not (yet) on the best chain is "inconclusive", as in Core."""
        for b in blocks:
            assert node.submitblock(b.serialize().hex()) in (None, "inconclusive")

    def test_invalidate_reconsider(self, node):
        self.log.info("invalidateblock / reconsiderblock of the tip, with no other chain to move to")
        height = node.getblockcount()
        prev_tip = node.getbestblockhash()
        top = self.generate(1)[0]
        node.invalidateblock(top)
        assert_equal(node.getbestblockhash(), prev_tip)
        # The waitfor* methods see the tip the invalidation left.
        assert_equal(node.waitfornewblock(1), {"hash": prev_tip, "height": height})
        assert_equal(node.waitforblockheight(height + 1, 1), {"hash": prev_tip, "height": height})
        node.reconsiderblock(top)
        assert_equal(node.getbestblockhash(), top)
        assert_equal(node.waitforblock(top, 1000), {"hash": top, "height": height + 1})

        self.log.info("invalidateblock / reconsiderblock with a fork")
        height = node.getblockcount()
        main_tip = node.getbestblockhash()
        main_prev = node.getblockhash(height - 1)
        fork = self.builder_at(node, height - 2, b"fork")
        f = fork.build(3)  # heights h-1, h, h+1: more work than the main chain
        self.submit(node, f)
        assert_equal(node.getbestblockhash(), f[2].hash)
        f_cb = f[2].vtx[0]
        f_cb.rehash()
        assert node.gettxout(f_cb.txid_hex, 0) is not None

        node.invalidateblock(f[0].hash)
        assert_equal(node.getbestblockhash(), main_tip)
        assert_equal(node.getblockcount(), height)
        assert_equal(node.gettxout(f_cb.txid_hex, 0), None)
        assert_equal(node.waitfornewblock(1), {"hash": main_tip, "height": height})

        # Reconsidering a descendant clears its ancestors too.
        node.reconsiderblock(f[1].hash)
        assert_equal(node.getbestblockhash(), f[2].hash)

        # Invalidating the fork's tip leaves two tips of equal work: as in
        # Core, the one received first (the main chain's) wins.
        node.invalidateblock(f[2].hash)
        assert_equal(node.getbestblockhash(), main_tip)
        node.reconsiderblock(f[2].hash)
        assert_equal(node.getbestblockhash(), f[2].hash)

        # A block off the active chain: nothing moves.
        node.invalidateblock(main_prev)
        assert_equal(node.getbestblockhash(), f[2].hash)
        node.reconsiderblock(main_prev)
        assert_equal(node.getbestblockhash(), f[2].hash)

        for method in (node.invalidateblock, node.reconsiderblock, node.preciousblock):
            assert_raises_rpc_error(-5, "Block not found", method, "00" * 32)
            assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 3, for 'xyz')", method, "xyz")
            assert_raises_rpc_error(-8, "blockhash must be hexadecimal string (not '%s')" % ("zz" * 32), method,
                                    "zz" * 32)
        self.fork = fork

    def test_preciousblock(self, node):
        self.log.info("preciousblock between two tips of equal work")
        fork = self.fork
        p1 = fork.next_block()
        other = fork.fork(fork.blocks[-1], tag=b"other")
        p2 = other.next_block()
        assert p1.hash != p2.hash
        self.submit(node, [p1])
        self.submit(node, [p2])
        assert_equal(node.getbestblockhash(), p1.hash)  # first seen wins
        assert_equal(node.preciousblock(p2.hash), None)
        assert_equal(node.getbestblockhash(), p2.hash)
        node.preciousblock(p1.hash)
        assert_equal(node.getbestblockhash(), p1.hash)
        node.preciousblock(p2.hash)
        assert_equal(node.getbestblockhash(), p2.hash)
        # Less work than the tip: no effect.
        node.preciousblock(fork.blocks[-2].hash)
        assert_equal(node.getbestblockhash(), p2.hash)
        # A new block settles it.
        self.generate(1)
        assert_equal(node.getblockheader(node.getbestblockhash())["previousblockhash"], p2.hash)

    # ---- waitfornewblock / waitforblock / waitforblockheight ----

    def test_waits(self, node):
        self.log.info("waitfor* with timeouts")
        tip = {"hash": node.getbestblockhash(), "height": node.getblockcount()}
        for call in (lambda: node.waitfornewblock(200),
                     lambda: node.waitforblockheight(tip["height"] + 1, 200),
                     lambda: node.waitforblock("00" * 32, 200)):
            start = time.time()
            assert_equal(call(), tip)
            assert time.time() - start >= 0.19
        # Already there: no wait, even without a timeout.
        assert_equal(node.waitforblock(tip["hash"]), tip)
        assert_equal(node.waitforblockheight(tip["height"]), tip)
        assert_equal(node.waitforblockheight(1, 0), tip)
        assert_equal(node.waitforblock(blockhash=tip["hash"], timeout=0), tip)
        assert_raises_rpc_error(-1, "Negative timeout", node.waitfornewblock, -1)
        assert_raises_rpc_error(-1, "Negative timeout", node.waitforblock, tip["hash"], -1)
        assert_raises_rpc_error(-1, "Negative timeout", node.waitforblockheight, 1, -1)
        assert_raises_rpc_error(-8, "blockhash must be of length 64", node.waitforblock, "00")
        # current_tip (Core 30): a tip other than the one named is already "new".
        assert_equal(node.waitfornewblock(0, "11" * 32), tip)
        assert_equal(node.waitfornewblock(timeout=200, current_tip=tip["hash"]), tip)
        assert_raises_rpc_error(-8, "current_tip must be of length 64", node.waitfornewblock, 0, "00")
        # Public since Core 30: listed by help.
        for name in ("waitfornewblock", "waitforblock", "waitforblockheight"):
            assert name in node.help()

        self.log.info("waitfornewblock (no timeout) woken by a block from generatetoaddress")
        waiter = WaitCall(node, "waitfornewblock")
        waiter.start()
        time.sleep(0.3)
        assert waiter.is_alive()
        new = self.generate(1)[0]
        assert_equal(waiter.finish(), {"hash": new, "height": tip["height"] + 1})

        self.log.info("waitforblockheight waits for the height, not just any block")
        h = node.getblockcount()
        waiter = WaitCall(node, "waitforblockheight", h + 3, 30000)
        waiter.start()
        time.sleep(0.2)
        for _ in range(2):
            self.generate(1)
            time.sleep(0.1)
            assert waiter.is_alive()
        last = self.generate(1)[0]
        assert_equal(waiter.finish(), {"hash": last, "height": h + 3})

        self.log.info("waitforblock waits for that block, not just any block")
        h = node.getblockcount()
        awaited = self.builder_at(node, h, b"awaited").next_block()
        waiter = WaitCall(node, "waitforblock", awaited.hash, 30000)
        waiter.start()
        time.sleep(0.2)
        self.generate(1)  # another block at h + 1
        time.sleep(0.1)
        assert waiter.is_alive()
        # The awaited block, submitted on this connection, has the same work
        # as the tip but came second: it is stored, not made the tip...
        self.submit(node, [awaited])
        time.sleep(0.1)
        assert waiter.is_alive()
        # ...until preciousblock prefers it.
        node.preciousblock(awaited.hash)
        assert_equal(waiter.finish(), {"hash": awaited.hash, "height": h + 1})

    # ---- getblockchaininfo ----

    def test_getblockchaininfo(self, node):
        self.log.info("getblockchaininfo: progress, disk use, pruning fields, warnings")
        info = node.getblockchaininfo()
        assert_equal(list(info.keys()), ["chain", "blocks", "headers", "bestblockhash", "bits", "target", "difficulty",
                                         "time", "mediantime", "verificationprogress", "initialblockdownload",
                                         "chainwork", "size_on_disk", "pruned", "warnings"])
        assert_equal(info["verificationprogress"], 1)
        assert_equal(info["initialblockdownload"], False)
        assert_equal(info["pruned"], False)
        assert_equal(info["warnings"], [])
        size = info["size_on_disk"]
        assert_greater_than(size, 0)
        self.generate(1)
        # Each block adds its record to a blk file and its undo data to a rev file.
        grown = node.getblockchaininfo()["size_on_disk"]
        block_size = node.getblock(node.getbestblockhash())["size"]
        assert_greater_than(grown, size + block_size)

        self.log.info("-prune=1: manual pruning; -prune=550: automatic, with its target")
        self.restart_node(0, ACTIVATION_ARGS + ["-prune=1"])
        info = self.nodes[0].getblockchaininfo()
        assert_equal(info["pruned"], True)
        assert_equal(info["pruneheight"], 0)
        assert_equal(info["automatic_pruning"], False)
        assert "prune_target_size" not in info
        assert_equal(list(info.keys())[13:17], ["pruned", "pruneheight", "automatic_pruning", "warnings"])
        self.restart_node(0, ACTIVATION_ARGS + ["-prune=550"])
        info = self.nodes[0].getblockchaininfo()
        assert_equal(info["automatic_pruning"], True)
        assert_equal(info["prune_target_size"], 550 * 1024 * 1024)
        assert_equal(list(info.keys())[13:18],
                     ["pruned", "pruneheight", "automatic_pruning", "prune_target_size", "warnings"])
        self.restart_node(0, ACTIVATION_ARGS)
        assert_equal(self.nodes[0].getblockchaininfo()["pruned"], False)

    # ---- verifychain ----

    def test_verifychain(self, node):
        node = self.nodes[0]
        self.log.info("verifychain at every level")
        assert_equal(node.verifychain(), True)
        for level in range(5):
            assert_equal(node.verifychain(level, 0), True)
        assert_equal(node.verifychain(4, 100000), True)
        assert_equal(node.verifychain(checklevel=1, nblocks=5), True)
        assert "level 3 checks disconnection of tip blocks" in node.help("verifychain")

        self.log.info("verifychain finds a damaged undo record of the tip")
        self.generate(1)  # its undo data is the last record written
        self.stop_node(0)
        rev = os.path.join(node.chain_dir, "blocks", "rev00000.dat")
        with open(rev, "r+b") as f:
            data = f.read()
            last = len(data.rstrip(b"\0")) - 1
            f.seek(last)
            f.write(bytes([data[last] ^ 0xff]))
        self.log.info("the start-up check (-checkblocks=6 -checklevel=3 by default) refuses the damaged database")
        node.assert_start_raises_init_error(
            [], "Error: Corrupted block database detected.\n\nPlease restart with -reindex or -reindex-chainstate "
            "to recover.")
        self.log.info("with the start-up check at level 1 the node starts, and verifychain finds the damage")
        self.start_node(0, ["-checklevel=1"])
        node = self.nodes[0]
        assert_equal(node.verifychain(1, 1), True)   # the block itself is fine
        assert_equal(node.verifychain(2, 1), False)  # its undo data is not
        assert_equal(node.verifychain(3, 6), False)
        assert node.debug_log_contains("Verification error: found bad undo data at %d" % node.getblockcount())


if __name__ == "__main__":
    RpcChainControlTest().main()
