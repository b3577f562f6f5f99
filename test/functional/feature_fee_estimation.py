#!/usr/bin/env python3
"""The fee estimator learning from the mempool, as Bitcoin Core's
(feature_fee_estimation.py checks the same invariants with random fees).

Every block, transactions at three feerates enter the pool and are mined
with generateblock at a fixed delay, so what the estimator sees is known:
50 sat/vB confirms in the next block, 20 sat/vB after 3 blocks, 5 sat/vB
after 10 blocks. Then estimatesmartfee answers 50 for targets 1-2, 20 for
a target of 6, 5 for 20 (the rules: the highest of 60% within half the
target, 85% within the target and 95% within twice the target), the
answers never rise with the target and stay within the feerates seen,
"errors" is gone, estimaterawfee reports its buckets, and the estimates
survive a restart (fee_estimates.dat)."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal

# (sat/vB, blocks until mined, transactions per block)
TIERS = [(50, 1, 4), (20, 3, 3), (5, 10, 3)]
ROUNDS = 45
NO_DATA = "Insufficient data or no feerate found"


def btc_per_kvb(sat_per_vb):
    return Decimal(sat_per_vb * 1000) / COIN


class FeeEstimationTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 6)
        per_round = sum(n for _, _, n in TIERS)
        self.coins = self.split(ROUNDS * per_round)
        assert_equal(node.estimatesmartfee(2), {"errors": [NO_DATA], "blocks": 0})

        self.log.info("%d blocks, each with %d new transactions mined at a fixed delay by feerate",
                      ROUNDS, per_round)
        pending = {}  # height to mine at -> txids
        last_delay = max(delay for _, delay, _ in TIERS)
        for block in range(ROUNDS + last_delay - 1):
            height = node.getblockcount()
            # After the last round, the blocks only mine what is due.
            for rate, delay, count in TIERS if block < ROUNDS else []:
                for _ in range(count):
                    pending.setdefault(height + delay, []).append(self.send(rate))
            due = pending.pop(height + 1, [])
            node.generateblock(self.wallet.get_address(), due)
            assert not set(due) & set(node.getrawmempool())
        assert_equal(pending, {})
        assert_equal(node.getrawmempool(), [])

        self.check_smart_estimates()
        self.check_raw_estimates()

        self.log.info("The estimates survive a restart (fee_estimates.dat)")
        targets = [1, 2, 3, 4, 6, 10, 12, 20, 25]
        before = [(node.estimatesmartfee(t), node.estimatesmartfee(t, "conservative"), node.estimaterawfee(t))
                  for t in targets]
        self.restart_node(0)
        after = [(node.estimatesmartfee(t), node.estimatesmartfee(t, "conservative"), node.estimaterawfee(t))
                 for t in targets]
        assert_equal(before, after)

    def split(self, count):
        """`count` confirmed coins of 0.25 BTC or more, mined without passing
        through the pool (so the estimator does not see them)."""
        node = self.nodes[0]
        coins = []
        txs = []
        while len(coins) < count:
            res = self.wallet.create_self_transfer_multi(num_outputs=min(150, count - len(coins)))
            txs.append(res["hex"])
            coins.extend(res["new_utxos"])
        node.generateblock(self.wallet.get_address(), txs)
        return coins

    def send(self, sat_per_vb):
        coin = self.coins.pop()
        tx = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=0)
        fee = sat_per_vb * tx["tx"].get_vsize()
        tx = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal(fee) / COIN)
        return self.nodes[0].sendrawtransaction(tx["hex"])

    def check_smart_estimates(self):
        node = self.nodes[0]
        self.log.info("estimatesmartfee: 50 sat/vB within 1-2 blocks, 20 within 6, 5 within 20")
        high, medium, low = (btc_per_kvb(rate) for rate, _, _ in TIERS)
        e = node.estimatesmartfee(1)
        assert_equal(sorted(e.keys()), ["blocks", "feerate"])
        assert_equal(e["blocks"], 2)  # one block is answered as two
        assert_equal(e["feerate"], high)
        assert_equal(node.estimatesmartfee(2), e)
        assert_equal(node.estimatesmartfee(6), {"feerate": medium, "blocks": 6})
        assert_equal(node.estimatesmartfee(20), {"feerate": low, "blocks": 20})

        self.log.info("estimatesmartfee: never rising with the target, within the feerates seen")
        info = node.getmempoolinfo()
        # Targets are clamped to half the blocks of data: from the first
        # block with a transaction seen in the pool to the last.
        max_target = node.estimatesmartfee(1008)["blocks"]
        assert_equal(max_target, (ROUNDS + TIERS[-1][1] - 2) // 2)
        last = high
        for target in range(1, 26):
            for mode in ("economical", "conservative"):
                e = node.estimatesmartfee(target, mode)
                assert "errors" not in e, (target, mode, e)
                assert low <= e["feerate"] <= high, (target, mode, e)
                assert_greater_than_or_equal(e["feerate"], info["minrelaytxfee"])
                assert_greater_than_or_equal(e["feerate"], info["mempoolminfee"])
                assert_equal(e["blocks"], min(max(target, 2), max_target))
            economical = node.estimatesmartfee(target)["feerate"]
            assert economical <= last, (target, economical, last)
            # Conservative looks further out: never cheaper.
            assert_greater_than_or_equal(node.estimatesmartfee(target, "conservative")["feerate"], economical)
            last = economical

    def check_raw_estimates(self):
        node = self.nodes[0]
        self.log.info("estimaterawfee: the passing bucket range and the first failing one")
        res = node.estimaterawfee(1)
        assert_equal(sorted(res.keys()), ["long", "medium", "short"])
        short = res["short"]
        assert_equal(sorted(short.keys()), ["decay", "fail", "feerate", "pass", "scale"])
        assert_equal(short["feerate"], btc_per_kvb(50))
        assert_equal((float(short["decay"]), short["scale"]), (0.962, 1))
        passing, failing = short["pass"], short["fail"]
        for bucket in (passing, failing):
            assert_equal(sorted(bucket.keys()),
                         ["endrange", "inmempool", "leftmempool", "startrange", "totalconfirmed", "withintarget"])
            assert_equal(bucket["inmempool"], 0)
            assert_equal(bucket["leftmempool"], 0)
        # The 50 sat/vB bucket, all confirmed within one block.
        assert passing["startrange"] <= 50_000 <= passing["endrange"], passing
        assert passing["withintarget"] > 0
        assert_equal(passing["withintarget"], passing["totalconfirmed"])
        # Below it, the 20 sat/vB transactions: none within one block.
        assert failing["startrange"] <= 20_000 <= failing["endrange"], failing
        assert_equal(failing["withintarget"], 0)
        assert failing["totalconfirmed"] > 0
        # The medium horizon (2 blocks a period) sees the same; the long one
        # (24 blocks a period) has every transaction mined within the target.
        assert_equal(res["medium"]["feerate"], btc_per_kvb(50))
        assert_equal(res["medium"]["fail"]["withintarget"], 0)
        assert_equal(res["long"]["fail"]["totalconfirmed"], 0)
        assert res["long"]["feerate"] < res["short"]["feerate"]

        res = node.estimaterawfee(20, 0.85)
        assert_equal(sorted(res.keys()), ["long", "medium"])
        assert_equal(res["medium"]["feerate"], btc_per_kvb(5))
        assert_equal(res["medium"]["scale"], 2)


if __name__ == "__main__":
    FeeEstimationTest().main()
