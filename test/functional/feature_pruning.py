#!/usr/bin/env python3
"""Pruning: -prune=1 (manual mode) with -fastprune's 64 KiB block files.

A 500-block chain written by ../shared/bench/genchain.py is imported with
-loadblock, so it spans a dozen blk files. pruneblockchain by height and by
timestamp deletes whole blk/rev files below tip - 288 and returns the height
of the last pruned block; getblock then answers "pruned data". Core's errors:
not in prune mode, negative height, height above the tip. The datadir
remembers it was pruned: starting without -prune is refused with Core's
-reindex message; -prune with -txindex or -reindex-chainstate is refused;
-reindex on a pruned datadir starts over from genesis.
"""

import os
import subprocess
import sys

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error, wait_until

GENCHAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "genchain.py")
BLOCKS = 500
REGTEST_GENESIS_TIME = 1296688602
MIN_BLOCKS_TO_KEEP = 288


def find_genchain():
    for path in (os.environ.get("GENCHAIN", ""), GENCHAIN, "/work/shared/bench/genchain.py"):
        if path and os.path.exists(path):
            return path
    return None


class PruningTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def blk_files(self, node):
        blocks = os.path.join(node.chain_dir, "blocks")
        return sorted(f for f in os.listdir(blocks) if f.startswith(("blk", "rev")) and f.endswith(".dat"))

    def run_test(self):
        genchain = find_genchain()
        if genchain is None:
            # A missing shared file fails the run, as a missing vector does.
            raise AssertionError("../shared/bench/genchain.py not found (set GENCHAIN)")
        chain = os.path.join(self.tmpdir, "chain.blk")
        subprocess.run([sys.executable, genchain, "--blocks", str(BLOCKS), "--txs-per-block", "5", "--out", chain],
                       check=True, stdout=subprocess.DEVNULL)

        node, plain = self.nodes
        self.log.info("Not in prune mode: pruneblockchain refuses")
        assert_raises_rpc_error(-1, "Cannot prune blocks because node is not in prune mode.", plain.pruneblockchain, 10)

        self.log.info("Import %d blocks with -prune=1 -fastprune", BLOCKS)
        node.stop_node()
        node.start(["-prune=1", "-fastprune", "-loadblock=" + chain])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=120, what="import")
        files = self.blk_files(node)
        assert "blk00000.dat" in files and "rev00000.dat" in files
        assert_greater_than(len([f for f in files if f.startswith("blk")]), 8)
        # Manual mode never prunes by itself.
        assert_equal(files, self.blk_files(node))

        self.log.info("Core's errors")
        assert_raises_rpc_error(-8, "Negative block height.", node.pruneblockchain, -1)
        assert_raises_rpc_error(-8, "Blockchain is shorter than the attempted prune height.", node.pruneblockchain,
                                BLOCKS + 1)

        self.log.info("By height: capped at tip - 288, whole files")
        last_pruned = node.pruneblockchain(BLOCKS)
        assert_greater_than(last_pruned, 100)
        assert last_pruned <= BLOCKS - MIN_BLOCKS_TO_KEEP, last_pruned
        files = self.blk_files(node)
        assert "blk00000.dat" not in files and "rev00000.dat" not in files
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, node.getblockhash(last_pruned))
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, node.getblockhash(1))
        # The first block after the last pruned one, and the tip, are still there.
        assert_equal(node.getblock(node.getblockhash(last_pruned + 1))["height"], last_pruned + 1)
        assert_equal(node.getblock(node.getbestblockhash())["height"], BLOCKS)
        # Pruning again changes nothing.
        assert_equal(node.pruneblockchain(BLOCKS), last_pruned)
        assert_equal(self.blk_files(node), files)

        self.log.info("Restart: still pruned, same tip")
        tip = node.getbestblockhash()
        node.stop_node()
        node.start(["-prune=1", "-fastprune"])
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(node.pruneblockchain(BLOCKS), last_pruned)
        assert_raises_rpc_error(-1, "Block not available (pruned data)", node.getblock, node.getblockhash(last_pruned))

        self.log.info("By timestamp (a 2-hour window, as in Core)")
        # genchain: block h has time genesis + 600 h; nothing new can go (all kept blocks are within 288 of the tip).
        assert_equal(node.pruneblockchain(REGTEST_GENESIS_TIME + 600 * 150 + 7200), last_pruned)
        assert_raises_rpc_error(-8, "Could not find block with at least the specified timestamp.",
                                node.pruneblockchain, REGTEST_GENESIS_TIME + 600 * (BLOCKS + 100))

        self.log.info("Refused: unpruned start on a pruned datadir, -txindex, -reindex-chainstate")
        node.stop_node()
        node.assert_start_raises_init_error(
            [], "Error: You need to rebuild the database using -reindex to go back to unpruned mode.  "
            "This will redownload the entire blockchain")
        node.assert_start_raises_init_error(["-prune=550", "-txindex"], "Error: Prune mode is incompatible with -txindex.")
        node.assert_start_raises_init_error(
            ["-prune=1", "-reindex-chainstate"],
            "Error: Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.")
        node.assert_start_raises_init_error(
            ["-prune=100"], "Error: Prune configured below the minimum of 550 MiB.  Please use a higher number.")
        # None of that touched the files.
        assert_equal(self.blk_files(node), files)

        self.log.info("-reindex on a pruned datadir: the files after the gap go; the node starts over")
        node.start(["-prune=1", "-fastprune", "-reindex"])
        wait_until(lambda: node.getblockcount() == 0, timeout=60, what="reindex")
        assert all(f in ("blk00000.dat", "rev00000.dat") for f in self.blk_files(node)), self.blk_files(node)
        self.log.info("...and it syncs again; pruning gives the same result")
        node.stop_node()
        node.start(["-prune=1", "-fastprune", "-loadblock=" + chain])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=120, what="re-import")
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(node.pruneblockchain(BLOCKS), last_pruned)


if __name__ == "__main__":
    PruningTest().main()
