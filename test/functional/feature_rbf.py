#!/usr/bin/env python3
"""Replace-by-fee over RPC, as in Bitcoin Core 30's feature_rbf.py (full RBF:
no signalling needed): a higher fee replaces, with the replaced
transaction's descendants; too little fee, a lower feerate, spending the
transaction it replaces, a new unconfirmed input, and more than 100
evictions are refused with Core's reasons."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


class ReplaceByFeeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        # Room for one transaction with 101 children (rule 5).
        self.extra_args = [["-limitdescendantcount=200", "-limitancestorcount=50"]]

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 10)
        assert_equal(node.getmempoolinfo()["fullrbf"], True)
        self.test_simple()
        self.test_descendants_go()
        self.test_insufficient_fee()
        self.test_spends_conflicting()
        self.test_new_unconfirmed_input()
        self.test_too_many_replacements()

    def coin(self):
        return self.wallet.get_utxo(tip_height=self.nodes[0].getblockcount())

    def forget(self, *txs):
        """Drops the wallet's record of coins created by replaced transactions."""
        gone = {t["txid"] for t in txs}
        self.wallet._utxos = [u for u in self.wallet._utxos if u["txid"] not in gone]

    def test_simple(self):
        node = self.nodes[0]
        self.log.info("A higher fee replaces, even without BIP 125 signalling")
        coin = self.coin()
        tx1 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=coin, fee=Decimal("0.0001"),
                                             sequence=0xFFFFFFFF)
        assert_equal(node.getmempoolentry(tx1["txid"])["bip125-replaceable"], False)
        tx2 = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0002"))
        assert_equal(node.sendrawtransaction(tx2["hex"]), tx2["txid"])
        pool = node.getrawmempool()
        assert tx2["txid"] in pool and tx1["txid"] not in pool
        assert_raises_rpc_error(-5, "Transaction not in mempool", node.getmempoolentry, tx1["txid"])
        # The original cannot come back: it pays less.
        assert_raises_rpc_error(-26, "insufficient fee", node.sendrawtransaction, tx1["hex"])
        self.forget(tx1)
        self.wallet.scan_tx(tx2["tx"])
        self.wallet.generate(1)

    def test_descendants_go(self):
        node = self.nodes[0]
        self.log.info("The replaced transaction's descendants leave with it")
        coin = self.coin()
        parent = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=coin, fee=Decimal("0.0001"))
        chain = [parent]
        for _ in range(5):
            chain.append(self.wallet.send_self_transfer(from_node=node, utxo_to_spend=chain[-1]["new_utxo"],
                                                        fee=Decimal("0.0001")))
        # Must pay for all six (0.0006) plus the relay of its own size.
        low = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0005"))
        err = assert_raises_rpc_error(-26, "insufficient fee", node.sendrawtransaction, low["hex"])
        assert "less fees than conflicting txs" in err["message"], err
        high = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.001"))
        node.sendrawtransaction(high["hex"])
        assert_equal(node.getrawmempool(), [high["txid"]])
        self.forget(*chain)
        self.wallet.scan_tx(high["tx"])
        self.wallet.generate(1)

    def test_insufficient_fee(self):
        node = self.nodes[0]
        self.log.info("The same fee, or more fee at a lower feerate, does not replace")
        coin = self.coin()
        tx1 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=coin, fee=Decimal("0.001"))
        same = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.001"), locktime=1)
        err = assert_raises_rpc_error(-26, "insufficient fee, rejecting replacement %s" % same["txid"],
                                      node.sendrawtransaction, same["hex"])
        assert "new feerate" in err["message"] and "<= old feerate" in err["message"], err
        # Two outputs: more fee in total, but a bigger transaction, so a lower rate.
        big = self.wallet.create_self_transfer_multi(utxos_to_spend=[coin], num_outputs=30, fee_per_output=3500)
        assert big["fee"] > Decimal("0.001")
        assert_raises_rpc_error(-26, "insufficient fee", node.sendrawtransaction, big["hex"])
        # Just enough: the old fee plus the incremental relay fee for the new size.
        vsize = same["tx"].get_vsize()
        enough = self.wallet.create_self_transfer(utxo_to_spend=coin, locktime=2,
                                                  fee=Decimal("0.001") + Decimal((100 * vsize + 999) // 1000) / 10**8)
        node.sendrawtransaction(enough["hex"])
        assert enough["txid"] in node.getrawmempool() and tx1["txid"] not in node.getrawmempool()
        self.forget(tx1)
        self.wallet.scan_tx(enough["tx"])
        self.wallet.generate(1)

    def test_spends_conflicting(self):
        node = self.nodes[0]
        self.log.info("A replacement may not spend what it replaces")
        coin_a = self.coin()
        coin_b = self.coin()
        tx1 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=coin_a, fee=Decimal("0.0001"))
        # Spends coin_a (conflicting with tx1) and tx1's own output.
        bad = self.wallet.create_self_transfer_multi(utxos_to_spend=[coin_a, tx1["new_utxo"]],
                                                     fee_per_output=100000)
        assert_raises_rpc_error(-26, "bad-txns-spends-conflicting-tx", node.sendrawtransaction, bad["hex"])
        self.extra_coin = coin_b

    def test_new_unconfirmed_input(self):
        node = self.nodes[0]
        self.log.info("A replacement may not add an unconfirmed input")
        unconfirmed = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.extra_coin)
        coin = self.coin()
        tx1 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=coin, fee=Decimal("0.0001"))
        bad = self.wallet.create_self_transfer_multi(utxos_to_spend=[coin, unconfirmed["new_utxo"]],
                                                     fee_per_output=100000)
        assert_raises_rpc_error(-26, "replacement-adds-unconfirmed", node.sendrawtransaction, bad["hex"])
        assert tx1["txid"] in node.getrawmempool()
        self.wallet.generate(1)

    def test_too_many_replacements(self):
        node = self.nodes[0]
        self.log.info("More than 100 transactions to evict: refused")
        coin = self.coin()
        split = self.wallet.send_self_transfer_multi(from_node=node, utxos_to_spend=[coin], num_outputs=101,
                                                     fee_per_output=200)
        for utxo in split["new_utxos"]:
            self.wallet.send_self_transfer(from_node=node, utxo_to_spend=utxo, fee=Decimal("0.00001"))
        assert_equal(node.getmempoolentry(split["txid"])["descendantcount"], 102)
        double = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.1"))
        err = assert_raises_rpc_error(-26, "too many potential replacements", node.sendrawtransaction,
                                      double["hex"], 0)
        assert "rejecting replacement %s; too many potential replacements (102 > 100)" % double["txid"] in err["message"]
        res = node.testmempoolaccept([double["hex"]], 0)[0]
        assert_equal(res["reject-reason"], "too many potential replacements")


if __name__ == "__main__":
    ReplaceByFeeTest().main()
