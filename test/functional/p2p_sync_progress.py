#!/usr/bin/env python3
"""The per-block "UpdateTip" log line while a node syncs blocks from a peer.

node0 mines blocks; node1 (fresh) connects to it and downloads them. For every
block node1 connects it logs, as Bitcoin Core does (validation.cpp UpdateTipLog):
  UpdateTip: new best=<hash> height=<h> version=0x<%08x> log2_work=<%f> tx=<chain tx count>
             date='<ISO 8601 block time>' progress=<%f> cache=<%.1f>MiB(<n>txo)
Each field is checked against the chain (RPC): hash, height, version, log2 of the
chain work, the cumulative transaction count, the block time, and progress, which
is 1.000000 on regtest (its chain tx data is empty, so Core's
GuessVerificationProgress estimates the total as the tip's own count).
"""

import math
import re
import time

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until

BLOCKS = 30

LINE = re.compile(r"UpdateTip: new best=([0-9a-f]{64}) height=(\d+) version=0x([0-9a-f]{8}) log2_work=(\d+\.\d{6}) "
                  r"tx=(\d+) date='([0-9TZ:-]+)' progress=(\d\.\d{6}) cache=(\d+\.\d)MiB\((\d+)txo\)$")


class P2PSyncProgressTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-debug=net"], ["-debug=net"]]

    def update_tip_lines(self, node):
        with open(node.debug_log_path, encoding="utf8") as f:
            lines = [l.rstrip("\n") for l in f if "UpdateTip: " in l]
        out = {}
        for line in lines:
            text = line.split(" ", 1)[1]  # after the log's timestamp
            m = LINE.match(text)
            assert m, "UpdateTip line not in Core's format: %r" % text
            out[int(m.group(2))] = m
        return out

    def run_test(self):
        node0, node1 = self.nodes
        self.log.info("node0 mines %d blocks", BLOCKS)
        node0.generatetoaddress(BLOCKS, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        tip = node0.getbestblockhash()
        assert_equal(node1.getblockcount(), 0)

        self.log.info("node1 syncs them from node0")
        # In initial download, the headers come with Core's progress line.
        with node1.assert_debug_log(["Synchronizing blockheaders, height: %d (~" % BLOCKS], timeout=30):
            node1.addnode("127.0.0.1:%d" % p2p_port(0), "onetry")
            wait_until(lambda: node1.getbestblockhash() == tip, 60, what="node1 synced")
        time.sleep(0.2)  # the last UpdateTip line is written before the tip is visible; leave a margin

        self.log.info("One UpdateTip line per connected block (and genesis), every field as the chain says")
        lines = self.update_tip_lines(node1)
        # Genesis too, when the fresh node connected it at start-up (as Core).
        assert_equal(sorted(lines), list(range(0, BLOCKS + 1)))
        assert_equal(lines[0].group(1), node0.getblockhash(0))
        assert_equal(lines[0].group(5), "1")
        chain_tx = 1  # genesis
        for height in range(1, BLOCKS + 1):
            m = lines[height]
            blockhash = node0.getblockhash(height)
            header = node0.getblockheader(blockhash)
            block = node0.getblock(blockhash)
            chain_tx += len(block["tx"])
            assert_equal(m.group(1), blockhash)
            assert_equal(m.group(3), header["versionHex"])
            assert abs(float(m.group(4)) - math.log2(int(header["chainwork"], 16))) < 1e-5, (m.group(4), height)
            assert_equal(int(m.group(5)), chain_tx)
            assert_equal(m.group(6), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(header["time"])))
            assert_equal(m.group(7), "1.000000")
            # The coins cache grows with the coinbase outputs it holds.
            assert int(m.group(9)) >= 1
        assert_equal(int(lines[BLOCKS].group(9)) > int(lines[1].group(9)), True)

        info = node1.getblockchaininfo()
        assert_equal(info["blocks"], BLOCKS)
        assert_equal(info["verificationprogress"], 1)
        assert_equal(info["initialblockdownload"], False)


if __name__ == "__main__":
    P2PSyncProgressTest().main()
