#!/usr/bin/env python3
"""mempool.dat, as in Bitcoin Core 30's mempool_persist.py: the pool (entry
times, fee deltas, the unbroadcast set) survives a restart; -persistmempool=0
neither reads nor writes it; savemempool writes it on demand and another
node can load the copy; -persistmempoolv1 writes the unobfuscated version 1;
expired and unreadable files leave an empty, loaded pool."""

import os
import shutil
import time
from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class MempoolPersistTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def dat(self, i):
        return os.path.join(self.nodes[i].chain_dir, "mempool.dat")

    def wait_loaded(self, i):
        wait_until(lambda: self.nodes[i].getmempoolinfo()["loaded"], what="mempool loaded")

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 5)
        tip = node.getblockcount()

        self.log.info("Five transactions, one prioritised, one prioritisation of a transaction not in the pool")
        a = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.wallet.get_utxo(tip_height=tip))
        b = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=a["new_utxo"])
        others = [self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.wallet.get_utxo(tip_height=tip))
                  for _ in range(3)]
        txids = sorted([a["txid"], b["txid"]] + [t["txid"] for t in others])
        node.prioritisetransaction(txid=b["txid"], fee_delta=1234)
        absent = "ab" * 32
        node.prioritisetransaction(absent, 0, 5678)
        entries = {t: node.getmempoolentry(t) for t in txids}
        assert_equal(entries[b["txid"]]["fees"]["modified"], entries[b["txid"]]["fees"]["base"] + Decimal("0.00001234"))
        assert_equal(node.getmempoolinfo()["unbroadcastcount"], 5)

        self.log.info("Restart: everything is back")
        self.stop_node(0)
        assert os.path.isfile(self.dat(0))
        with open(self.dat(0), "rb") as f:
            head = f.read(17)
        assert_equal(head[:8], (2).to_bytes(8, "little"))  # version 2, with an XOR key
        assert_equal(head[8], 8)
        self.start_node(0)
        self.wait_loaded(0)
        assert_equal(sorted(node.getrawmempool()), txids)
        for t in txids:
            e = node.getmempoolentry(t)
            assert_equal((e["time"], e["fees"], e["unbroadcast"]),
                         (entries[t]["time"], entries[t]["fees"], entries[t]["unbroadcast"]))
        assert_equal(node.getmempoolinfo()["unbroadcastcount"], 5)
        prio = node.getprioritisedtransactions()
        assert_equal(prio[absent]["fee_delta"], 5678)
        assert_equal(prio[b["txid"]]["fee_delta"], 1234)
        assert node.debug_log_contains("Imported mempool transactions from file: 5 succeeded")

        self.log.info("-persistmempool=0: nothing read, nothing written")
        self.stop_node(0)
        mtime = os.stat(self.dat(0)).st_mtime_ns
        self.start_node(0, ["-persistmempool=0"])
        self.wait_loaded(0)
        assert_equal(node.getrawmempool(), [])
        assert_equal(node.getmempoolinfo()["loaded"], True)
        self.stop_node(0)
        assert_equal(os.stat(self.dat(0)).st_mtime_ns, mtime)
        self.start_node(0)
        self.wait_loaded(0)
        assert_equal(sorted(node.getrawmempool()), txids)

        self.log.info("savemempool, and loading the copy on another node")
        os.remove(self.dat(0))
        res = node.savemempool()
        assert_equal(os.path.abspath(res["filename"]), os.path.abspath(self.dat(0)))
        assert os.path.isfile(self.dat(0))
        other = self.nodes[1]
        for height in range(1, node.getblockcount() + 1):
            other.submitblock(node.getblock(node.getblockhash(height), 0))
        assert_equal(other.getbestblockhash(), node.getbestblockhash())
        self.stop_node(1)
        shutil.copyfile(self.dat(0), self.dat(1))
        self.start_node(1)
        self.wait_loaded(1)
        assert_equal(sorted(other.getrawmempool()), txids)
        assert_equal(other.getmempoolentry(b["txid"])["fees"]["modified"], entries[b["txid"]]["fees"]["modified"])

        self.log.info("-persistmempoolv1: version 1, readable again")
        self.restart_node(0, ["-persistmempoolv1=1"])
        self.wait_loaded(0)
        node.savemempool()
        with open(self.dat(0), "rb") as f:
            assert_equal(f.read(8), (1).to_bytes(8, "little"))
        self.restart_node(0)
        self.wait_loaded(0)
        assert_equal(sorted(node.getrawmempool()), txids)

        self.log.info("A damaged file: the node starts with an empty pool")
        self.stop_node(0)
        with open(self.dat(0), "r+b") as f:
            f.truncate(40)
        self.start_node(0)
        self.wait_loaded(0)
        assert_equal(node.getrawmempool(), [])
        assert node.debug_log_contains("Failed to deserialize mempool data on file")
        node.sendrawtransaction(a["hex"])
        node.sendrawtransaction(b["hex"])

        self.log.info("Transactions older than -mempoolexpiry are not loaded")
        self.stop_node(0)
        self.start_node(0, ["-mocktime=%d" % (int(time.time()) + 337 * 3600)])
        self.wait_loaded(0)
        assert_equal(node.getrawmempool(), [])
        assert node.debug_log_contains("0 succeeded, 0 failed, 2 expired")


if __name__ == "__main__":
    MempoolPersistTest().main()
