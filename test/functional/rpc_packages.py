#!/usr/bin/env python3
"""Packages over RPC, as in Bitcoin Core 30's rpc_packages.py:
testmempoolaccept with several transactions (results in order, package
errors on every entry), and submitpackage (child pays for a parent under
the relay minimum, parents already in the pool, a single transaction,
maxfeerate and maxburnamount, the topology and size errors)."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN, CTxOut
from test_framework.script import OP_RETURN, CScript
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

RESULT_KEYS_VALID = ["txid", "vsize", "fees"]


class RpcPackagesTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 30)
        self.test_testmempoolaccept_package()
        self.test_testmempoolaccept_errors()
        self.test_submit_cpfp()
        self.test_submit_parent_in_pool()
        self.test_submit_single_and_limits()
        self.test_submit_errors()

    def coin(self):
        return self.wallet.get_utxo(tip_height=self.nodes[0].getblockcount())

    def make_chain(self, n, fee=Decimal("0.0001"), first_fee=None):
        """n unsent transactions, each spending the previous one's output."""
        txs = []
        utxo = self.coin()
        for i in range(n):
            t = self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=first_fee if i == 0 and first_fee is not None else fee)
            txs.append(t)
            utxo = t["new_utxo"]
        return txs

    def test_testmempoolaccept_package(self):
        node = self.nodes[0]
        self.log.info("testmempoolaccept of a chain: each checked as if the earlier ones were in the pool")
        txs = self.make_chain(3)
        res = node.testmempoolaccept([t["hex"] for t in txs])
        assert_equal(len(res), 3)
        for r, t in zip(res, txs):
            assert_equal(list(r.keys()), ["txid", "wtxid", "allowed", "vsize", "fees"])
            assert_equal((r["txid"], r["wtxid"], r["allowed"]), (t["txid"], t["wtxid"], True))
            assert_equal(r["fees"]["base"], Decimal("0.0001"))
            assert_equal(r["fees"]["effective-includes"], [t["wtxid"]])
        assert_equal(node.getrawmempool(), [])

        self.log.info("One bad transaction: its result, nothing for the others")
        bad = self.make_chain(2)
        broken = bad[1]["tx"]
        broken.vout[0].nValue = bad[1]["new_utxo"]["amount"] + 10**8  # more out than in
        res = node.testmempoolaccept([bad[0]["hex"], broken.serialize().hex()])
        assert_equal(list(res[0].keys()), ["txid", "wtxid"])
        assert_equal(res[1]["allowed"], False)
        assert_equal(res[1]["reject-reason"], "bad-txns-in-belowout")
        assert "package-error" not in res[1]

        self.log.info("maxfeerate: the first too expensive one and everything after it are left blank")
        rich = self.make_chain(2, fee=Decimal("0.001"), first_fee=Decimal("0.2"))
        res = node.testmempoolaccept([t["hex"] for t in rich])
        assert_equal((res[0]["allowed"], res[0]["reject-reason"]), (False, "max-fee-exceeded"))
        assert_equal(list(res[1].keys()), ["txid", "wtxid"])
        assert_equal([r["allowed"] for r in node.testmempoolaccept([t["hex"] for t in rich], 0)], [True, True])

    def test_testmempoolaccept_errors(self):
        node = self.nodes[0]
        self.log.info("Package errors are reported on every transaction")
        txs = self.make_chain(2)
        hexes = [t["hex"] for t in txs]
        for rawtxs, error in [
            (hexes[::-1], "package-not-sorted"),
            ([hexes[0], hexes[0]], "package-contains-duplicates"),
        ]:
            res = node.testmempoolaccept(rawtxs)
            assert_equal(len(res), len(rawtxs))
            for r in res:
                assert_equal(sorted(r.keys()), ["package-error", "txid", "wtxid"])
                assert_equal(r["package-error"], error)
        coin = self.coin()
        a = self.wallet.create_self_transfer(utxo_to_spend=coin)
        b = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0002"))
        res = node.testmempoolaccept([a["hex"], b["hex"]])
        assert_equal([r["package-error"] for r in res], ["conflict-in-package"] * 2)
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.", node.testmempoolaccept,
                                [hexes[0]] * 26)
        assert_raises_rpc_error(-22, "TX decode failed: %s Make sure the tx has at least one input." % "zz",
                                node.testmempoolaccept, [hexes[0], "zz"])

    def test_submit_cpfp(self):
        node = self.nodes[0]
        self.log.info("submitpackage: no child can lift a parent under the relay minimum (Core 30) ...")
        coin = self.coin()
        poor = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=0)
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, poor["hex"])
        poor_child = self.wallet.create_self_transfer(utxo_to_spend=poor["new_utxo"], fee=Decimal("0.0005"))
        res = node.submitpackage([poor["hex"], poor_child["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        min_fee = (100 * poor["tx"].get_vsize() + 999) // 1000
        assert_equal(res["tx-results"][poor["wtxid"]], {"txid": poor["txid"], "error": "min relay fee not met, 0 < %d" % min_fee})
        assert_equal(res["tx-results"][poor_child["wtxid"]]["error"], "bad-txns-inputs-missingorspent")
        assert_equal(node.getrawmempool(), [])

        self.log.info("... except a TRUC (version 3) parent: its child pays for it")
        parent = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=0, version=3)
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, parent["hex"])
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"], fee=Decimal("0.0005"), version=3)
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(list(res.keys()), ["package_msg", "tx-results", "replaced-transactions"])
        assert_equal(res["package_msg"], "success")
        assert_equal(res["replaced-transactions"], [])
        assert_equal(sorted(res["tx-results"].keys()), sorted([parent["wtxid"], child["wtxid"]]))
        total_vsize = parent["tx"].get_vsize() + child["tx"].get_vsize()
        package_rate = Decimal(50000 * 1000 // total_vsize) / COIN
        for t, fee in ((parent, Decimal("0")), (child, Decimal("0.0005"))):
            r = res["tx-results"][t["wtxid"]]
            assert_equal(list(r.keys()), RESULT_KEYS_VALID)
            assert_equal(r["txid"], t["txid"])
            assert_equal(r["vsize"], t["tx"].get_vsize())
            assert_equal(r["fees"]["base"], fee)
            assert_equal(r["fees"]["effective-feerate"], package_rate)
            assert_equal(sorted(r["fees"]["effective-includes"]), sorted([parent["wtxid"], child["wtxid"]]))
        pool = node.getrawmempool()
        assert parent["txid"] in pool and child["txid"] in pool
        assert_equal(node.getmempoolentry(parent["txid"])["fees"]["descendant"], Decimal("0.0005"))
        # Submitting it again: both already there.
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "success")
        for t in (parent, child):
            r = res["tx-results"][t["wtxid"]]
            assert_equal(list(r["fees"].keys()), ["base"])
        self.wallet.scan_tx(parent["tx"])
        self.wallet.scan_tx(child["tx"])
        self.wallet.generate(1)

    def test_submit_parent_in_pool(self):
        node = self.nodes[0]
        self.log.info("submitpackage: parents already in the pool need not be in the package")
        p1 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.coin())
        p2 = self.wallet.create_self_transfer(utxo_to_spend=self.coin())
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[p1["new_utxo"], p2["new_utxo"]])
        res = node.submitpackage([p1["hex"], p2["hex"], child["hex"]])
        assert_equal(res["package_msg"], "success")
        assert_equal(list(res["tx-results"][p1["wtxid"]]["fees"].keys()), ["base"])
        assert_equal(list(res["tx-results"][p2["wtxid"]]["fees"].keys()),
                     ["base", "effective-feerate", "effective-includes"])
        # Only the unconfirmed parent that is missing from the pool must come along (Core 30).
        p3 = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.coin())
        child2 = self.wallet.create_self_transfer_multi(utxos_to_spend=[p3["new_utxo"], child["new_utxos"][0]])
        res = node.submitpackage([child2["hex"]])
        assert_equal(res["package_msg"], "success")
        assert child2["txid"] in node.getrawmempool()
        for t in (p2, child, child2):
            self.wallet.scan_tx(t["tx"])
        self.wallet.generate(1)

    def test_submit_single_and_limits(self):
        node = self.nodes[0]
        self.log.info("submitpackage: one transaction, maxfeerate, maxburnamount")
        single = self.wallet.create_self_transfer(utxo_to_spend=self.coin())
        res = node.submitpackage([single["hex"]])
        assert_equal(res["package_msg"], "success")
        assert single["txid"] in node.getrawmempool()
        self.wallet.scan_tx(single["tx"])

        parent = self.wallet.create_self_transfer(utxo_to_spend=self.coin())
        child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"], fee=Decimal("0.5"))
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "transaction failed")
        assert_equal(res["tx-results"][child["wtxid"]]["error"], "max feerate exceeded")
        assert_equal(list(res["tx-results"][parent["wtxid"]].keys()), RESULT_KEYS_VALID)
        assert child["txid"] not in node.getrawmempool() and parent["txid"] in node.getrawmempool()
        res = node.submitpackage(package=[parent["hex"], child["hex"]], maxfeerate=0)
        assert_equal(res["package_msg"], "success")
        self.wallet.scan_tx(parent["tx"])
        self.wallet.scan_tx(child["tx"])

        burn = self.wallet.create_self_transfer(utxo_to_spend=self.coin(), fee=Decimal("0.001"))
        tx = burn["tx"]
        tx.vout[0].nValue -= 5000
        tx.vout.append(CTxOut(5000, CScript([OP_RETURN, b"x"])))
        assert_raises_rpc_error(-25, "Unspendable output exceeds maximum configured by user (maxburnamount)",
                                node.submitpackage, [tx.serialize().hex()])
        res = node.submitpackage([tx.serialize().hex()], 0, "0.00005")
        assert_equal(res["package_msg"], "success")
        self.wallet.generate(1)

    def test_submit_errors(self):
        node = self.nodes[0]
        self.log.info("submitpackage errors")
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.", node.submitpackage, [])
        txs = self.make_chain(3)
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.", node.submitpackage,
                                [txs[0]["hex"]] * 26)
        topology = "package topology disallowed. not child-with-parents or parents depend on each other."
        # A chain of three: the grandparent is not a parent of the child.
        assert_raises_rpc_error(-25, topology, node.submitpackage, [t["hex"] for t in txs])
        unrelated = self.wallet.create_self_transfer(utxo_to_spend=self.coin())
        assert_raises_rpc_error(-25, topology, node.submitpackage, [unrelated["hex"], txs[0]["hex"]])
        assert_raises_rpc_error(-25, topology, node.submitpackage, [txs[1]["hex"], txs[0]["hex"]])
        assert_raises_rpc_error(-22, "TX decode failed: 00 Make sure the tx has at least one input.",
                                node.submitpackage, ["00"])
        # Two parents spending the same coin: a package error, nothing validated.
        coin = self.coin()
        a = self.wallet.create_self_transfer(utxo_to_spend=coin)
        b = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0002"))
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[a["new_utxo"], b["new_utxo"]])
        res = node.submitpackage([a["hex"], b["hex"], child["hex"]])
        assert_equal(res["package_msg"], "conflict-in-package")
        for t in (a, b, child):
            assert_equal(res["tx-results"][t["wtxid"]], {"txid": t["txid"], "error": "package-not-validated"})
        assert_equal(node.getrawmempool(), [])


if __name__ == "__main__":
    RpcPackagesTest().main()
