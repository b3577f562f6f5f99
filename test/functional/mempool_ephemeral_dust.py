#!/usr/bin/env python3
"""Ephemeral dust, as in Bitcoin Core 30's mempool_ephemeral_dust.py: a
transaction may carry one dust output only if it pays no fee (base or
modified) and a child in the same package spends that output. Checks the
reject reasons ("dust", "dust, tx with dust output must be 0-fee",
"missing-ephemeral-spends", "unspent-dust", "min relay fee not met"),
prioritisetransaction's refusal for a dusty pool entry, a childless dusty
parent staying unmined, and dusty transactions coming back in a reorg."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN, CTxOut
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error


class EphemeralDustTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 40)
        self.test_normal_dust()
        self.test_sponsor_cycle()
        self.test_fee_having_parent()
        self.test_multidust()
        self.test_nonzero_dust()
        self.test_non_truc()
        self.test_unspent_ephemeral()
        self.test_reorgs()
        self.test_no_minrelay_fee()
        self.test_prioritise_nonstandard()

    def assert_pool(self, txs):
        assert_equal(sorted(self.nodes[0].getrawmempool()), sorted(t.txid_hex for t in txs))

    def add_output(self, result, value=0):
        """Appends an output of `value` to a create_self_transfer_multi
        result, taken from its first output: the fee is unchanged."""
        tx = result["tx"]
        tx.vout.append(CTxOut(value, tx.vout[0].scriptPubKey))
        tx.vout[0].nValue -= value
        self.wallet.sign_tx(tx, {i: self.wallet._spent_txout(u) for i, u in enumerate(result["spent"])})
        txid = tx.txid_hex
        result.update({"txid": txid, "wtxid": tx.wtxid_hex, "hex": tx.serialize().hex()})
        result["new_utxos"] = [self.wallet._utxo(txid, n, out.nValue) for n, out in enumerate(tx.vout)]

    def create_multi(self, **kwargs):
        utxos = kwargs.pop("utxos_to_spend", None) or [self.wallet.get_utxo()]
        res = self.wallet.create_self_transfer_multi(utxos_to_spend=utxos, **kwargs)
        res["spent"] = utxos
        return res

    def dust_package(self, *, version, dust_fee=0, dust_value=0, num_dust=1, sponsors=()):
        """A parent (by default 0-fee) with `num_dust` dust outputs, and a
        child spending every output of it (and `sponsors`)."""
        dusty = self.create_multi(fee_per_output=dust_fee, version=version)
        for _ in range(num_dust):
            self.add_output(dusty, dust_value)
        sweep = self.create_multi(utxos_to_spend=dusty["new_utxos"] + list(sponsors), version=version)
        return dusty, sweep

    def test_normal_dust(self):
        node = self.nodes[0]
        self.log.info("A 0-fee TRUC parent with a 0-value output, swept by its child in a package")
        dusty, sweep = self.dust_package(version=3)
        # testmempoolaccept has no package feerates.
        res = node.testmempoolaccept([dusty["hex"], sweep["hex"]])
        assert_equal((res[0]["allowed"], res[0]["reject-reason"]), (False, "min relay fee not met"))
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, dusty["hex"])
        # A fee delta does not help: the dust rule counts the modified fee too.
        node.prioritisetransaction(dusty["txid"], 0, COIN)
        res = node.testmempoolaccept([dusty["hex"]])
        assert_equal((res[0]["allowed"], res[0]["reject-reason"]), (False, "dust"))
        node.prioritisetransaction(dusty["txid"], 0, -COIN)
        assert_equal(node.getprioritisedtransactions(), {})

        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["package_msg"], "success")
        self.assert_pool([dusty["tx"], sweep["tx"]])

        self.log.info("prioritisetransaction refuses a pool transaction with a dust output")
        assert_raises_rpc_error(-8, "Priority is not supported for transactions with dust outputs.",
                                node.prioritisetransaction, dusty["txid"], 0, 1)
        assert_equal(node.getprioritisedtransactions(), {})
        # The child (no dust) may be prioritised.
        assert node.prioritisetransaction(sweep["txid"], 0, 1)
        node.prioritisetransaction(sweep["txid"], 0, -1)
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])

    def test_sponsor_cycle(self):
        node = self.nodes[0]
        self.log.info("A dusty parent whose child is replaced away stays, childless, and is not mined")
        sponsor = self.wallet.get_utxo()
        dusty, sweep = self.dust_package(version=3, sponsors=[sponsor])
        assert_equal(node.submitpackage([dusty["hex"], sweep["hex"]])["package_msg"], "success")
        unsponsor = self.create_multi(utxos_to_spend=[sponsor], fee_per_output=2000, version=3)
        node.sendrawtransaction(unsponsor["hex"])
        entry = node.getmempoolentry(dusty["txid"])
        assert_equal(entry["descendantcount"], 1)
        assert_equal(entry["fees"]["descendant"], Decimal(0))
        self.assert_pool([dusty["tx"], unsponsor["tx"]])
        self.wallet.generate(1)
        self.assert_pool([dusty["tx"]])
        # Another sweep may come later, on its own.
        resweep = self.create_multi(utxos_to_spend=dusty["new_utxos"], version=3)
        node.sendrawtransaction(resweep["hex"])
        self.assert_pool([dusty["tx"], resweep["tx"]])
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])

    def test_fee_having_parent(self):
        node = self.nodes[0]
        self.log.info("A parent with dust must pay no base fee, and no modified fee")
        dusty, sweep = self.dust_package(version=3, dust_fee=1)
        assert_equal(int(dusty["fee"] * COIN), 1)
        assert_greater_than(dusty["tx"].vout[0].nValue, 330)
        assert_equal(dusty["tx"].vout[1].nValue, 0)
        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        assert_equal(res["tx-results"][dusty["wtxid"]]["error"], "dust, tx with dust output must be 0-fee")
        # A delta bringing the modified fee to 0 does not help.
        node.prioritisetransaction(dusty["txid"], 0, -1)
        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["tx-results"][dusty["wtxid"]]["error"], "dust, tx with dust output must be 0-fee")
        node.prioritisetransaction(dusty["txid"], 0, 1)

        dusty, sweep = self.dust_package(version=3)
        node.prioritisetransaction(dusty["txid"], 0, 1000)
        res = node.testmempoolaccept([dusty["hex"]])
        assert_equal((res[0]["allowed"], res[0]["reject-reason"]), (False, "dust"))
        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        assert_equal(res["tx-results"][dusty["wtxid"]]["error"], "dust, tx with dust output must be 0-fee")
        node.prioritisetransaction(dusty["txid"], 0, -1000)
        assert_equal(node.getrawmempool(), [])

    def test_multidust(self):
        node = self.nodes[0]
        self.log.info("Two dust outputs: not standard")
        dusty, sweep = self.dust_package(version=3, num_dust=2)
        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        assert_equal(res["tx-results"][dusty["wtxid"]]["error"], "dust")
        assert_equal(node.getrawmempool(), [])

    def test_nonzero_dust(self):
        node = self.nodes[0]
        self.log.info("One output of any value is allowed (spending is not checked alone)")
        self.restart_node(0, ["-minrelaytxfee=0"])
        # 330 satoshis is the dust threshold of a P2WSH output (as of P2TR).
        for value in (1, 329, 330):
            dusty, _ = self.dust_package(version=3, dust_value=value)
            assert node.testmempoolaccept([dusty["hex"]])[0]["allowed"]
        self.restart_node(0, [])
        assert_equal(node.getrawmempool(), [])

    def test_non_truc(self):
        node = self.nodes[0]
        self.log.info("A non-TRUC 0-fee dusty parent fails the minimum relay fee, even in a package")
        dusty, sweep = self.dust_package(version=2)
        res = node.submitpackage([dusty["hex"], sweep["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        min_fee = (100 * dusty["tx"].get_vsize() + 999) // 1000
        assert_equal(res["tx-results"][dusty["wtxid"]]["error"], "min relay fee not met, 0 < %d" % min_fee)
        assert_equal(node.getrawmempool(), [])

    def test_unspent_ephemeral(self):
        node = self.nodes[0]
        self.log.info("A child must spend its parent's dust, in the pool or in the package")
        dusty, sweep = self.dust_package(version=3, dust_value=329)
        assert_equal(node.submitpackage([dusty["hex"], sweep["hex"]])["package_msg"], "success")
        self.assert_pool([dusty["tx"], sweep["tx"]])
        # A replacement child that leaves the in-pool parent's dust unspent.
        unspent = self.create_multi(utxos_to_spend=[dusty["new_utxos"][0]], fee_per_output=2000, version=3)
        assert_greater_than(unspent["fee"], sweep["fee"])
        reason = "missing-ephemeral-spends, tx %s (wtxid=%s) did not spend parent's ephemeral dust" % (
            unspent["txid"], unspent["wtxid"])
        res = node.submitpackage([dusty["hex"], unspent["hex"]])
        assert_equal(res["tx-results"][unspent["wtxid"]]["error"], reason)
        assert_raises_rpc_error(-26, reason, node.sendrawtransaction, unspent["hex"])
        res = node.testmempoolaccept([unspent["hex"]])[0]
        assert_equal((res["allowed"], res["reject-reason"]), (False, "missing-ephemeral-spends"))
        self.assert_pool([dusty["tx"], sweep["tx"]])
        # Spending both outputs is fine.
        sweep2 = self.create_multi(utxos_to_spend=dusty["new_utxos"], fee_per_output=2000, version=3)
        assert_equal(node.submitpackage([dusty["hex"], sweep2["hex"]])["package_msg"], "success")
        self.assert_pool([dusty["tx"], sweep2["tx"]])
        self.wallet.generate(1)

        self.log.info("Nothing in the pool: the package fails with unspent-dust")
        dusty, _ = self.dust_package(version=3, dust_value=329)
        unspent = self.create_multi(utxos_to_spend=[dusty["new_utxos"][0]], version=3)
        res = node.submitpackage([dusty["hex"], unspent["hex"]])
        assert_equal(res["package_msg"], "unspent-dust")
        assert_equal(node.getrawmempool(), [])
        # Spending only the dust (fee from another coin) is enough.
        sweep = self.create_multi(utxos_to_spend=[dusty["new_utxos"][1], self.wallet.get_utxo()], version=3)
        assert_equal(node.submitpackage([dusty["hex"], sweep["hex"]])["package_msg"], "success")
        self.assert_pool([dusty["tx"], sweep["tx"]])
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])

    def mine_and_disconnect(self, hexes):
        node = self.nodes[0]
        block = node.generateblock(self.wallet.get_address(), hexes)["hash"]
        node.invalidateblock(block)
        return block

    def test_reorgs(self):
        node = self.nodes[0]
        self.log.info("Reorgs: a 0-fee dusty transaction returns to the pool, its sweep only if it spends the dust")
        dusty, _ = self.dust_package(version=3)
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, dusty["hex"])
        self.mine_and_disconnect([dusty["hex"]])
        self.assert_pool([dusty["tx"]])

        # A 0-fee sweep with its own dust that leaves the parent's dust unspent.
        sweep = self.create_multi(utxos_to_spend=[dusty["new_utxos"][0]], fee_per_output=0, version=3)
        self.add_output(sweep)
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, sweep["hex"])
        self.mine_and_disconnect([dusty["hex"], sweep["hex"]])
        self.assert_pool([dusty["tx"]])

        sweep2 = self.create_multi(utxos_to_spend=dusty["new_utxos"], fee_per_output=0, version=3)
        self.add_output(sweep2)
        block = self.mine_and_disconnect([dusty["hex"], sweep2["hex"]])
        self.assert_pool([dusty["tx"], sweep2["tx"]])
        # TRUC: no third generation.
        grandchild = self.create_multi(utxos_to_spend=sweep2["new_utxos"], version=3)
        assert_raises_rpc_error(-26, "TRUC-violation", node.sendrawtransaction, grandchild["hex"])
        node.reconsiderblock(block)
        assert_equal(node.getrawmempool(), [])

        self.log.info("Reorgs: dusty transactions with a fee, or two dust outputs, do not return")
        multi, _ = self.dust_package(version=3, num_dust=2)
        self.mine_and_disconnect([multi["hex"]])
        assert_equal(node.getrawmempool(), [])
        with_fee, _ = self.dust_package(version=3, dust_fee=1)
        self.mine_and_disconnect([with_fee["hex"]])
        assert_equal(node.getrawmempool(), [])

    def test_no_minrelay_fee(self):
        node = self.nodes[0]
        self.log.info("Without a minimum relay fee, non-TRUC ephemeral dust works too")
        self.restart_node(0, ["-minrelaytxfee=0"])
        dusty, sweep = self.dust_package(version=2)
        assert_equal(node.submitpackage([dusty["hex"], sweep["hex"]])["package_msg"], "success")
        self.assert_pool([dusty["tx"], sweep["tx"]])
        self.wallet.generate(1)
        self.wallet.rescan_utxos()

        self.log.info("Many dusty parents, one child: it must sweep every one")
        dusties = []
        for _ in range(24):
            d = self.create_multi(fee_per_output=0, version=2)
            self.add_output(d)
            dusties.append(d)
        all_outputs = [u for d in dusties for u in d["new_utxos"]]
        short = self.create_multi(utxos_to_spend=all_outputs[:-1], fee_per_output=25000, version=2)
        res = node.submitpackage([d["hex"] for d in dusties] + [short["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        assert_equal(res["tx-results"][short["wtxid"]]["error"],
                     "missing-ephemeral-spends, tx %s (wtxid=%s) did not spend parent's ephemeral dust"
                     % (short["txid"], short["wtxid"]))
        # The parents got in on their own (no minimum fee).
        self.assert_pool([d["tx"] for d in dusties])
        full = self.create_multi(utxos_to_spend=all_outputs, fee_per_output=25000, version=2)
        res = node.submitpackage([d["hex"] for d in dusties] + [full["hex"]])
        assert_equal(res["package_msg"], "success")
        self.assert_pool([d["tx"] for d in dusties] + [full["tx"]])
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])
        self.restart_node(0, [])

    def test_prioritise_nonstandard(self):
        node = self.nodes[0]
        self.log.info("With -acceptnonstdtxn=1 dust is not checked: prioritisetransaction works")
        self.restart_node(0, ["-acceptnonstdtxn=1"])
        dusty = self.create_multi(fee_per_output=1000, version=2)
        self.add_output(dusty)
        node.sendrawtransaction(dusty["hex"])
        assert node.prioritisetransaction(dusty["txid"], 0, 1000)
        assert_equal(node.getprioritisedtransactions()[dusty["txid"]]["fee_delta"], 1000)
        self.wallet.generate(1)
        self.restart_node(0, [])


if __name__ == "__main__":
    EphemeralDustTest().main()
