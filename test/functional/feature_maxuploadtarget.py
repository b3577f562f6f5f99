#!/usr/bin/env python3
"""-maxuploadtarget, as Bitcoin Core applies it.

Bytes sent to peers are counted in 24-hour cycles that start with the first
byte sent after the previous cycle ended. getnettotals.uploadtarget shows the
cycle. Blocks more than a week older than the best header are "historical":
they stop being served to peers without the download permission (which are
disconnected for asking) as soon as what is left of the target no longer
covers one maximum-size block (4 MB) per 10 minutes until the cycle ends.
Recent blocks are always served, and peers with the download permission get
historical ones past the target too.

Core's own test transfers hundreds of MB; this one gets the same behaviour
out of a 1 MiB target with mock time: at the start of a cycle the reserve
(576 MB) exceeds the target, so no historical block is served; five minutes
before its end nothing is reserved, so old blocks are served until 1 MiB has
gone out.
"""

import time
from collections import defaultdict

from test_framework.blocktools import MiniWallet
from test_framework.messages import CInv, MSG_BLOCK, msg_getdata, msg_mempool
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, p2p_port

DAY = 24 * 60 * 60
TARGET = 1 << 20  # -maxuploadtarget=1: one MiB


class BlockCounter(P2PInterface):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = defaultdict(int)

    def on_inv(self, message):
        pass

    def on_block(self, message):
        message.block.calc_sha256()
        self.blocks[message.block.sha256] += 1

    def count(self, block_hash):
        with p2p_lock:
            return self.blocks[block_hash]


class MaxUploadTargetTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def base_args(self):
        # A huge -peertimeout: jumping the mock clock must not look like silent peers (as in Core's tests).
        return ["-debug=net", "-peertimeout=999999999",
                "-whitebind=download@127.0.0.1:%d" % p2p_port(1)]

    def setup_nodes(self):
        self.add_nodes(1)
        self.start_node(0, self.base_args() + ["-maxuploadtarget=1"])

    def uploadtarget(self):
        return self.nodes[0].getnettotals()["uploadtarget"]

    def check_state(self, *, target_reached, serve_historical_blocks):
        t = self.uploadtarget()
        assert_equal(t["target_reached"], target_reached)
        assert_equal(t["serve_historical_blocks"], serve_historical_blocks)
        return t

    def run_test(self):
        node = self.nodes[0]
        self.log.info("Before any byte is sent: a whole cycle and the whole target ahead")
        assert_equal(self.uploadtarget(), {
            "timeframe": DAY,
            "target": TARGET,
            "target_reached": False,
            "serve_historical_blocks": False,  # 1 MiB < the 576 MB reserve for new blocks
            "bytes_left_in_cycle": TARGET,
            "time_left_in_cycle": DAY,
        })

        self.log.info("Old blocks (two weeks) and a recent one (a day)")
        now = int(time.time())
        node.setmocktime(now - 14 * DAY)
        wallet = MiniWallet(node)
        wallet.generate(3)
        old_block = int(node.getbestblockhash(), 16)
        node.setmocktime(now - DAY)
        wallet.generate(1)
        new_block = int(node.getbestblockhash(), 16)

        self.log.info("The first bytes sent start a cycle")
        node.setmocktime(now)
        peer = node.add_p2p_connection(BlockCounter())
        t = self.check_state(target_reached=False, serve_historical_blocks=False)
        assert_equal(t["time_left_in_cycle"], DAY)
        assert_greater_than(TARGET, t["bytes_left_in_cycle"])
        assert_greater_than(t["bytes_left_in_cycle"], TARGET - 10000)

        self.log.info("At the start of the cycle an old block costs a peer without download its connection")
        with node.assert_debug_log(["historical block serving limit reached, disconnecting peer=0"], timeout=10):
            peer.send_message(msg_getdata([CInv(MSG_BLOCK, old_block)]))
            peer.wait_for_disconnect()
        assert_equal(peer.count(old_block), 0)
        self.log.info("... while recent blocks are served")
        peer = node.add_p2p_connection(BlockCounter())
        peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, new_block)]))
        assert_equal(peer.count(new_block), 1)

        self.log.info("Five minutes before the cycle ends nothing is reserved: old blocks are served up to the target")
        node.setmocktime(now + DAY - 300)
        t = self.check_state(target_reached=False, serve_historical_blocks=True)
        assert_equal(t["time_left_in_cycle"], 300)
        batch = msg_getdata([CInv(MSG_BLOCK, old_block)] * 1000)
        with node.assert_debug_log(["historical block serving limit reached, disconnecting peer=1"], timeout=60):
            # Blocks are over 100 bytes, so this many batches go past the target.
            for _ in range(TARGET // 100 // 1000 + 1):
                if not peer.is_connected:
                    break
                before = peer.count(old_block)
                peer.send_message(batch)
                peer.wait_until(lambda: not peer.is_connected or peer.blocks[old_block] >= before + 1000,
                                timeout=120, check_connected=False, what="a batch of old blocks")
            peer.wait_for_disconnect()
        served = peer.count(old_block)
        self.log.info("%d old blocks served before the limit", served)
        assert_greater_than(served, 1000)
        t = self.check_state(target_reached=True, serve_historical_blocks=False)
        assert_equal(t["bytes_left_in_cycle"], 0)

        self.log.info("Past the target: recent blocks still go to everyone, old ones to download peers")
        peer = node.add_p2p_connection(BlockCounter())
        assert_equal(node.getpeerinfo()[-1]["permissions"], [])
        peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, new_block)]))
        assert_equal(peer.count(new_block), 1)
        downloader = node.add_p2p_connection(BlockCounter(), dstport=p2p_port(1))
        assert_equal([p["permissions"] for p in node.getpeerinfo()], [[], ["download"]])
        downloader.send_and_ping(msg_getdata([CInv(MSG_BLOCK, old_block)] * 3))
        assert_equal(downloader.count(old_block), 3)
        assert_equal(len(node.getpeerinfo()), 2)
        self.log.info("... and a mempool request without the permission is still refused")
        with node.assert_debug_log(["mempool request with bloom filters disabled, disconnecting peer=2"], timeout=10):
            peer.send_message(msg_mempool())
            peer.wait_for_disconnect()

        self.log.info("After 24 hours the next bytes sent start a new cycle")
        node.setmocktime(now + DAY + 60)
        downloader.sync_with_ping()
        t = self.check_state(target_reached=False, serve_historical_blocks=False)
        assert_equal(t["time_left_in_cycle"], DAY)
        assert_greater_than(t["bytes_left_in_cycle"], TARGET - 10000)
        node.disconnect_p2ps()

        self.log.info("Units and errors, as Core parses them")
        for arg, target, historical in [("600M", 600 << 20, True), ("1g", 10**9, True), ("0", 0, True),
                                        ("500000k", 500 * 10**6, False)]:
            self.restart_node(0, self.base_args() + ["-maxuploadtarget=" + arg])
            t = self.uploadtarget()
            assert_equal(t["target"], target)
            assert_equal(t["serve_historical_blocks"], historical)
            assert_equal(t["target_reached"], False)
            assert_equal(t["time_left_in_cycle"], DAY if target else 0)
            assert_equal(t["bytes_left_in_cycle"], target)
        self.stop_node(0)
        for bad in ["abc", "-1", "1.5G", "1MB", ""]:
            node.assert_start_raises_init_error(["-maxuploadtarget=" + bad],
                                                "Error: Unable to parse -maxuploadtarget: '%s'" % bad,
                                                match="partial")
        self.start_node(0, self.base_args())


if __name__ == "__main__":
    MaxUploadTargetTest().main()
