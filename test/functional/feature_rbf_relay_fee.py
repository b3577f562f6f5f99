#!/usr/bin/env python3
"""Replacement rules that feature_rbf.py leaves out, as Bitcoin Core 30
words them: more fee but less than the incremental relay fee on top ("not
enough additional fees to relay", scaled by -incrementalrelayfee); more
than 100 direct conflicts; the full messages of spending a replaced
transaction and of adding an unconfirmed input; and a single testmempoolaccept may replace (full
RBF: "bip125-replacement-disallowed" only refuses replacements inside a
testmempoolaccept package)."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


def fmt_money(sats):
    """Core's FormatMoney: at least two decimals, trailing zeros dropped."""
    s = "%d.%08d" % (sats // COIN, sats % COIN)
    while s[-1] == "0" and s[-3] != ".":
        s = s[:-1]
    return s


class RBFRelayFeeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 120)
        self.coins = self.wallet.get_utxos()
        self.test_additional_fee(incremental_sat_per_kvb=100)
        self.log.info("-incrementalrelayfee=0.00005 (5 sat/vB)")
        self.restart_node(0, ["-incrementalrelayfee=0.00005"])
        self.test_additional_fee(incremental_sat_per_kvb=5000)
        self.restart_node(0, [])
        self.test_single_testmempoolaccept()
        self.test_too_many_direct_conflicts()
        self.test_full_messages()

    def test_additional_fee(self, incremental_sat_per_kvb):
        node = self.nodes[0]
        self.log.info("A replacement must add the incremental relay fee for its own size")
        coin = self.coins.pop()
        orig = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0001"), sequence=0xFFFFFFFF)
        node.sendrawtransaction(orig["hex"])
        vsize = orig["tx"].get_vsize()
        needed = (incremental_sat_per_kvb * vsize + 999) // 1000
        # A higher feerate, but one satoshi short of the extra fee needed.
        short = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal(10000 + needed - 1) / COIN)
        assert_equal(short["tx"].get_vsize(), vsize)
        err = assert_raises_rpc_error(-26, "insufficient fee", node.sendrawtransaction, short["hex"])
        assert_equal(err["message"], "insufficient fee, rejecting replacement %s, not enough additional fees to relay; "
                     "%s < %s" % (short["txid"], fmt_money(needed - 1), fmt_money(needed)))
        res = node.testmempoolaccept([short["hex"]])[0]
        assert_equal((res["allowed"], res["reject-reason"]), (False, "insufficient fee"))
        assert_equal(node.getrawmempool(), [orig["txid"]])
        enough = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal(10000 + needed) / COIN)
        node.sendrawtransaction(enough["hex"])
        assert_equal(node.getrawmempool(), [enough["txid"]])
        self.wallet.generate(1)

    def test_single_testmempoolaccept(self):
        node = self.nodes[0]
        self.log.info("testmempoolaccept of one transaction may replace; of a package it may not")
        coin = self.coins.pop()
        orig = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0001"), sequence=0xFFFFFFFF)
        node.sendrawtransaction(orig["hex"])
        repl = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.001"))
        res = node.testmempoolaccept([repl["hex"]])[0]
        assert_equal(res["allowed"], True)
        child = self.wallet.create_self_transfer(utxo_to_spend=repl["new_utxo"])
        res = node.testmempoolaccept([repl["hex"], child["hex"]])
        assert_equal((res[0]["allowed"], res[0]["reject-reason"]), (False, "bip125-replacement-disallowed"))
        assert_equal(list(res[1].keys()), ["txid", "wtxid"])
        assert_equal(node.getrawmempool(), [orig["txid"]])
        self.wallet.generate(1)

    def test_too_many_direct_conflicts(self):
        node = self.nodes[0]
        self.log.info("A replacement of 101 unrelated transactions: too many potential replacements")
        coins = [self.coins.pop() for _ in range(101)]
        for c in coins:
            node.sendrawtransaction(self.wallet.create_self_transfer(utxo_to_spend=c, fee=Decimal("0.00001"))["hex"])
        assert_equal(len(node.getrawmempool()), 101)
        big = self.wallet.create_self_transfer_multi(utxos_to_spend=coins, fee_per_output=10**6)
        err = assert_raises_rpc_error(-26, "too many potential replacements", node.sendrawtransaction, big["hex"], 0)
        assert_equal(err["message"], "too many potential replacements, rejecting replacement %s; too many potential "
                     "replacements (101 > 100)" % big["txid"])
        # One hundred are fine.
        ok = self.wallet.create_self_transfer_multi(utxos_to_spend=coins[:100], fee_per_output=10**6)
        node.sendrawtransaction(ok["hex"], 0)
        assert_equal(len(node.getrawmempool()), 2)
        self.wallet.generate(1)

    def test_full_messages(self):
        node = self.nodes[0]
        self.log.info("Full messages: spending a replaced transaction, adding an unconfirmed input")
        coin = self.coins.pop()
        orig = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0001"))
        node.sendrawtransaction(orig["hex"])
        bad = self.wallet.create_self_transfer_multi(utxos_to_spend=[coin, orig["new_utxo"]], fee_per_output=100000)
        err = assert_raises_rpc_error(-26, "bad-txns-spends-conflicting-tx", node.sendrawtransaction, bad["hex"])
        assert_equal(err["message"], "bad-txns-spends-conflicting-tx, %s spends conflicting transaction %s"
                     % (bad["txid"], orig["txid"]))
        other = self.wallet.create_self_transfer(utxo_to_spend=self.coins.pop())
        node.sendrawtransaction(other["hex"])
        adds = self.wallet.create_self_transfer_multi(utxos_to_spend=[coin, other["new_utxo"]], fee_per_output=100000)
        err = assert_raises_rpc_error(-26, "replacement-adds-unconfirmed", node.sendrawtransaction, adds["hex"])
        assert_equal(err["message"], "replacement-adds-unconfirmed, replacement %s adds unconfirmed input, idx 1"
                     % adds["txid"])
        # The same fee at the same size: not a higher feerate.
        same = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0001"), locktime=1)
        err = assert_raises_rpc_error(-26, "insufficient fee", node.sendrawtransaction, same["hex"])
        # Core's CFeeRate::ToString: always eight decimals.
        rate = "%d.%08d BTC/kvB" % divmod(10000 * 1000 // orig["tx"].get_vsize(), COIN)
        assert_equal(err["message"], "insufficient fee, rejecting replacement %s; new feerate %s <= old feerate %s"
                     % (same["txid"], rate, rate))
        self.wallet.generate(1)


if __name__ == "__main__":
    RBFRelayFeeTest().main()
