#!/usr/bin/env python3
"""-maxmempool, as in Bitcoin Core 30's mempool_limit.py: the start-up
minimum, a 5 MB pool filled with big transactions evicts the lowest feerate
first, the pool's minimum fee rises above the relay minimum, and what pays
less is refused ("mempool min fee not met", "mempool full")."""

from decimal import Decimal

from test_framework.mempool_util import BIG_DATA, big_tx, btc, new_wallet, split_coins
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error


class MempoolLimitTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-maxmempool=5"]]

    def run_test(self):
        node = self.nodes[0]
        self.test_startup_errors()

        info = node.getmempoolinfo()
        assert_equal(info["maxmempool"], 5_000_000)
        assert_equal(info["mempoolminfee"], Decimal("0.00000100"))

        wallet = new_wallet(node)
        coins = split_coins(node, wallet, 130)

        self.log.info("A low-feerate transaction first, then more and more at a higher rate")
        low = big_tx(wallet, coins.pop(), 1)
        node.sendrawtransaction(low["hex"])
        # A small child of the low one: it leaves with its parent.
        low_child_coin = {"txid": low["txid"], "vout": 1, "amount": low["tx"].vout[1].nValue}
        low_child = wallet.create_self_transfer(utxo_to_spend=low_child_coin, fee_rate=Decimal("0.00002"))
        node.sendrawtransaction(low_child["hex"])
        sent = []
        while low["txid"] in node.getrawmempool():
            assert coins, "the pool never filled up"
            t = big_tx(wallet, coins.pop(), 3)
            node.sendrawtransaction(t["hex"])
            sent.append(t["txid"])
        pool = set(node.getrawmempool())
        assert low_child["txid"] not in pool
        info = node.getmempoolinfo()
        assert info["usage"] <= 5_000_000, info
        assert_greater_than(info["size"], 60)
        self.log.info("%d transactions in the pool, %d bytes of usage" % (info["size"], info["usage"]))
        # Everything evicted paid less than everything kept.
        assert all(t in pool for t in sent[-10:])

        self.log.info("The minimum fee rose: the evicted package's rate plus the incremental fee")
        minfee = info["mempoolminfee"]
        assert_greater_than(minfee, info["minrelaytxfee"])
        child_fee = int(low_child["fee"] * COIN)
        evicted_rate = (low["fee"] + child_fee) * 1000 // (low["vsize"] + low_child["tx"].get_vsize())
        expected = btc(evicted_rate + 100)
        # It decays with a 12-hour half-life: a few seconds change nothing.
        assert expected * Decimal("0.999") <= minfee <= expected, (minfee, expected)

        self.log.info("Paying less than the minimum: refused")
        cheap = big_tx(wallet, coins.pop(), 1)
        assert_raises_rpc_error(-26, "mempool min fee not met", node.sendrawtransaction, cheap["hex"])
        res = node.testmempoolaccept([cheap["hex"]])[0]
        assert_equal(res["reject-reason"], "mempool min fee not met")
        assert res["reject-details"].startswith("mempool min fee not met, %d < " % cheap["fee"]), res
        small = wallet.create_self_transfer(utxo_to_spend=coins.pop(), fee_rate=Decimal("0.000005"))
        assert_raises_rpc_error(-26, "mempool min fee not met", node.sendrawtransaction, small["hex"])

        self.log.info("Above the minimum but the lowest in a full pool: evicted at once")
        rate = float(minfee) * 100_000 + 0.5  # sat/vB, just over the minimum, under the 3 sat/vB of the rest
        assert rate < 3
        # Larger than what the eviction freed (the low package), so it cannot fit.
        marginal = big_tx(wallet, coins.pop(), rate, data=BIG_DATA + 4000)
        assert_raises_rpc_error(-26, "mempool full", node.sendrawtransaction, marginal["hex"])
        assert marginal["txid"] not in node.getrawmempool()

        self.log.info("A high feerate still gets in, evicting others")
        rich = big_tx(wallet, coins.pop(), 10)
        node.sendrawtransaction(rich["hex"])
        assert rich["txid"] in node.getrawmempool()
        assert node.getmempoolinfo()["usage"] <= 5_000_000

        self.log.info("A block takes what fits (about 15 of these): the rest stays")
        before = node.getmempoolinfo()["size"]
        wallet.generate(1)
        after = node.getmempoolinfo()["size"]
        assert 0 < after <= before, (before, after)

    def test_startup_errors(self):
        node = self.nodes[0]
        self.log.info("-maxmempool below the minimum")
        self.stop_node(0)
        node.assert_start_raises_init_error(["-maxmempool=4"], "Error: -maxmempool must be at least 5 MB")
        node.assert_start_raises_init_error(["-maxmempool=-1"], "Error: -maxmempool must be at least 5 MB")
        node.assert_start_raises_init_error(["-maxmempool=1", "-limitdescendantsize=30"],
                                            "Error: -maxmempool must be at least 2 MB")
        node.assert_start_raises_init_error(["-minrelaytxfee=abc"],
                                            "Error: Invalid amount for -minrelaytxfee=<amount>: 'abc'")
        node.assert_start_raises_init_error(["-incrementalrelayfee=-1"],
                                            "Error: Invalid amount for -incrementalrelayfee=<amount>: '-1'")
        node.assert_start_raises_init_error(["-dustrelayfee=0.1.2"],
                                            "Error: Invalid amount for -dustrelayfee=<amount>: '0.1.2'")
        self.start_node(0, ["-maxmempool=2", "-limitdescendantsize=30", "-incrementalrelayfee=0.00002"])
        info = node.getmempoolinfo()
        assert_equal(info["maxmempool"], 2_000_000)
        # Setting only the incremental fee raises the relay minimum with it.
        assert_equal((info["incrementalrelayfee"], info["minrelaytxfee"]), (Decimal("0.00002"), Decimal("0.00002")))
        self.restart_node(0, ["-maxmempool=5"])


if __name__ == "__main__":
    MempoolLimitTest().main()
