#!/usr/bin/env python3
"""Package RBF, as in Bitcoin Core 30 (before cluster mempool): a
1-parent-1-child package from submitpackage may replace in-pool
transactions in clusters of at most two, paying more in total, for its own
relay, at a package feerate above the parent's, and improving the feerate
diagram. testmempoolaccept of a package allows no replacement
("bip125-replacement-disallowed"). Each refusal gives Core's package_msg."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.mempool_util import big_tx, split_coins
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_raises_rpc_error

DEFAULT_FEE = Decimal("0.0001")
DEFAULT_CHILD_FEE = DEFAULT_FEE * 4
MAX_SEQUENCE = 0xFFFFFFFD


def fmt_money(sats):
    """Core's FormatMoney: at least two decimals, trailing zeros dropped."""
    s = "%d.%08d" % (sats // COIN, sats % COIN)
    while s[-1] == "0" and s[-3] != ".":
        s = s[:-1]
    return s


def incremental_fee(vsize):
    """The incremental relay fee (100 sat/kvB in Core 30) for vsize, rounded up."""
    return (100 * vsize + 999) // 1000


class PackageRBFTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.ctr = 0
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 200)
        self.test_basic()
        self.test_singleton()
        self.test_additional_fees()
        self.test_partial()
        self.test_child_conflict()
        self.test_max_conflicts()
        self.test_too_numerous_ancestors()
        self.test_wrong_package_size()
        self.test_insufficient_feerate()
        self.test_conflict_cluster_too_big()
        self.test_0fee_truc()
        self.test_child_conflicts_parent_mempool_ancestor()

    def coin(self):
        return self.wallet.get_utxo()

    def assert_pool(self, txs):
        assert_equal(sorted(self.nodes[0].getrawmempool()), sorted(t.txid_hex for t in txs))

    def package(self, coin, parent_fee=DEFAULT_FEE, child_fee=DEFAULT_CHILD_FEE, heavy_child=False):
        """A parent spending `coin` and its child; a fresh nSequence each time
        so that equal-fee parents still differ."""
        self.ctr += 1
        parent = self.wallet.create_self_transfer(fee=parent_fee, utxo_to_spend=coin, sequence=MAX_SEQUENCE - self.ctr)
        outputs = 10 if heavy_child else 1
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[parent["new_utxo"]], num_outputs=outputs,
                                                       fee_per_output=int(child_fee * COIN) // outputs,
                                                       sequence=MAX_SEQUENCE - self.ctr)
        return [parent["hex"], child["hex"]], [parent["tx"], child["tx"]]

    def mine(self):
        self.wallet.generate(1)

    def test_basic(self):
        node = self.nodes[0]
        self.log.info("A child pays to replace its parent's conflicts (a parent and its child)")
        coin = self.coin()
        hex1, txs1 = self.package(coin, DEFAULT_FEE, DEFAULT_FEE)
        hex2, txs2 = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE)
        assert_equal(node.submitpackage(hex1)["package_msg"], "success")
        self.assert_pool(txs1)
        self.log.info("testmempoolaccept of a package: no replacement at all")
        res = node.testmempoolaccept(hex2)
        assert_equal(res[0]["reject-reason"], "bip125-replacement-disallowed")
        assert_equal(res[0]["allowed"], False)
        res = node.submitpackage(hex2)
        assert_equal(res["package_msg"], "success")
        assert_equal(sorted(res["replaced-transactions"]), sorted(t.txid_hex for t in txs1))
        self.assert_pool(txs2)
        self.mine()

    def test_singleton(self):
        node = self.nodes[0]
        self.log.info("A child pays to replace its parent's single conflict")
        coin = self.coin()
        single = self.wallet.create_self_transfer(utxo_to_spend=coin)
        node.sendrawtransaction(single["hex"])
        hexes, txs = self.package(coin, DEFAULT_FEE, single["fee"] * 2)
        res = node.submitpackage(hexes)
        assert_equal(res["replaced-transactions"], [single["txid"]])
        self.assert_pool(txs)
        self.mine()

    def test_additional_fees(self):
        node = self.nodes[0]
        self.log.info("Package RBF must pay at least the replaced fees")
        coin = self.coin()
        hex1, txs1 = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE, heavy_child=True)
        assert_greater_than_or_equal(1000, txs1[1].get_vsize())
        node.submitpackage(hex1)
        self.assert_pool(txs1)
        package_fee = int((DEFAULT_FEE + DEFAULT_CHILD_FEE) * COIN)
        # A higher feerate (a lighter child) but one satoshi less in total.
        hex2, txs2 = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE - Decimal("0.00000001"))
        res = node.submitpackage(hex2)
        assert_equal(res["package_msg"],
                     "package RBF failed: insufficient anti-DoS fees, rejecting replacement %s, less fees than "
                     "conflicting txs; %s < %s"
                     % (txs2[1].txid_hex, fmt_money(package_fee - 1), fmt_money(package_fee)))
        self.assert_pool(txs1)

        self.log.info("... plus the incremental relay fee for the whole package")
        _, sizing = self.package(coin)
        size = sum(t.get_vsize() for t in sizing)
        required = incremental_fee(size)
        short_hex, short_txs = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE + Decimal(required - 1) / COIN)
        assert_equal(sum(t.get_vsize() for t in short_txs), size)
        res = node.submitpackage(short_hex)
        assert_equal(res["package_msg"],
                     "package RBF failed: insufficient anti-DoS fees, rejecting replacement %s, not enough additional "
                     "fees to relay; %s < %s" % (short_txs[1].txid_hex, fmt_money(required - 1), fmt_money(required)))
        self.assert_pool(txs1)
        ok_hex, ok_txs = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE + Decimal(required) / COIN)
        assert_equal(node.submitpackage(ok_hex)["package_msg"], "success")
        self.assert_pool(ok_txs)
        self.mine()

        self.log.info("The package feerate must beat the parent's (the child pays, not only the parent)")
        coin = self.coin()
        hex4, txs4 = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE)
        node.submitpackage(hex4)
        self.assert_pool(txs4)
        hex5, _ = self.package(coin, DEFAULT_CHILD_FEE, DEFAULT_CHILD_FEE)
        msg = node.submitpackage(hex5)["package_msg"]
        prefix = "package RBF failed: package feerate is less than or equal to parent feerate, package feerate "
        assert msg.startswith(prefix), msg
        assert " <= parent feerate is " in msg, msg
        self.assert_pool(txs4)
        hex6, txs6 = self.package(coin, DEFAULT_CHILD_FEE, DEFAULT_CHILD_FEE + Decimal("0.00000001"))
        assert_equal(node.submitpackage(hex6)["package_msg"], "success")
        self.assert_pool(txs6)
        self.mine()

    def test_partial(self):
        node = self.nodes[0]
        self.log.info("Package RBF after the parent replaced on its own")
        coin = self.coin()
        hex1, txs1 = self.package(coin, DEFAULT_FEE, DEFAULT_FEE)
        hex2, txs2 = self.package(coin, DEFAULT_FEE * 3, DEFAULT_FEE * 3)
        node.submitpackage(hex1)
        # Three times the fee: the parent alone replaces both.
        node.sendrawtransaction(hex2[0])
        self.assert_pool(txs2[:1])
        res = node.submitpackage(hex2)
        assert_equal(res["package_msg"], "success")
        assert_equal(res["replaced-transactions"], [])
        self.assert_pool(txs2)
        self.mine()

    def test_child_conflict(self):
        node = self.nodes[0]
        self.log.info("The child's own conflict is replaced by the package too")
        coin = self.coin()
        other = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=DEFAULT_FEE)
        node.sendrawtransaction(other["hex"])
        # A TRUC parent paying nothing: only the package can get it in.
        parent = self.wallet.create_self_transfer(utxo_to_spend=self.coin(), fee=0, version=3)
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[parent["new_utxo"], coin],
                                                       fee_per_output=int(DEFAULT_CHILD_FEE * COIN), version=3)
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "success")
        assert_equal(res["replaced-transactions"], [other["txid"]])
        self.assert_pool([parent["tx"], child["tx"]])
        self.mine()

    def test_max_conflicts(self):
        node = self.nodes[0]
        self.log.info("Package RBF may not evict more than 100 transactions")
        coins = [self.coin() for _ in range(51)]
        pool = []
        for coin in coins:
            parent = self.wallet.create_self_transfer(utxo_to_spend=coin)
            child = self.wallet.create_self_transfer(utxo_to_spend=parent["new_utxo"])
            for t in (parent, child):
                node.sendrawtransaction(t["hex"])
                pool.append(t["tx"])
        self.assert_pool(pool)
        # The parent alone pays too little to replace anything, so the
        # package is evaluated as a whole: 51 clusters of two, 102 evictions.
        parent = self.wallet.create_self_transfer_multi(utxos_to_spend=coins, fee_per_output=10000)
        child = self.wallet.create_self_transfer(fee_rate=Decimal("1"), utxo_to_spend=parent["new_utxos"][0])
        res = node.submitpackage([parent["hex"], child["hex"]], 0)
        assert_equal(res["package_msg"], "package RBF failed: too many potential replacements, rejecting replacement "
                     "%s; too many potential replacements (102 > 100)" % child["txid"])
        self.assert_pool(pool)

        single_coin = self.coin()
        single = self.wallet.create_self_transfer(utxo_to_spend=single_coin)
        node.sendrawtransaction(single["hex"])
        pool.append(single["tx"])
        # 50 clusters of two and the lone transaction: 101.
        parent = self.wallet.create_self_transfer_multi(utxos_to_spend=coins[:-1] + [single_coin], fee_per_output=10000)
        child = self.wallet.create_self_transfer(fee_rate=Decimal("1"), utxo_to_spend=parent["new_utxos"][0])
        res = node.submitpackage([parent["hex"], child["hex"]], 0)
        assert_equal(res["package_msg"], "package RBF failed: too many potential replacements, rejecting replacement "
                     "%s; too many potential replacements (101 > 100)" % child["txid"])
        self.assert_pool(pool)

        self.log.info("Exactly 100 evictions are allowed")
        parent = self.wallet.create_self_transfer_multi(utxos_to_spend=coins[:-1], fee_per_output=10000)
        child = self.wallet.create_self_transfer(fee_rate=Decimal("1"), utxo_to_spend=parent["new_utxos"][0])
        res = node.submitpackage([parent["hex"], child["hex"]], 0)
        assert_equal(res["package_msg"], "success")
        assert_equal(len(res["replaced-transactions"]), 100)
        self.assert_pool([single["tx"], pool[100], pool[101], parent["tx"], child["tx"]])
        self.mine()

    def test_too_numerous_ancestors(self):
        node = self.nodes[0]
        self.log.info("No package RBF when the package has in-pool ancestors (a cluster over two)")
        coin = self.coin()
        hex1, txs1 = self.package(coin, DEFAULT_FEE, DEFAULT_CHILD_FEE)
        node.submitpackage(hex1)
        self.ctr += 1
        parent1 = self.wallet.create_self_transfer(fee=DEFAULT_FEE, utxo_to_spend=coin,
                                                   sequence=MAX_SEQUENCE - self.ctr)
        # Gets in on its own, then is an in-pool parent of the child.
        parent2 = self.wallet.create_self_transfer(fee=DEFAULT_FEE, utxo_to_spend=self.coin())
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[parent1["new_utxo"], parent2["new_utxo"]],
                                                       fee_per_output=int(DEFAULT_CHILD_FEE * COIN))
        res = node.submitpackage([parent1["hex"], parent2["hex"], child["hex"]])
        assert_equal(res["package_msg"], "package RBF failed: new transaction cannot have mempool ancestors")
        self.assert_pool(txs1 + [parent2["tx"]])
        self.mine()

    def test_wrong_package_size(self):
        node = self.nodes[0]
        self.log.info("No package RBF for more than one parent and one child")
        coin1, coin2 = self.coin(), self.coin()
        hex1, txs1 = self.package(coin1)
        hex2, txs2 = self.package(coin2)
        node.submitpackage(hex1)
        node.submitpackage(hex2)
        self.assert_pool(txs1 + txs2)
        self.ctr += 1
        parent1 = self.wallet.create_self_transfer(fee=DEFAULT_FEE, utxo_to_spend=coin1,
                                                   sequence=MAX_SEQUENCE - self.ctr)
        parent2 = self.wallet.create_self_transfer(fee=DEFAULT_FEE, utxo_to_spend=coin2,
                                                   sequence=MAX_SEQUENCE - self.ctr)
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[parent1["new_utxo"], parent2["new_utxo"]],
                                                       fee_per_output=int(DEFAULT_CHILD_FEE * COIN))
        res = node.submitpackage([parent1["hex"], parent2["hex"], child["hex"]])
        assert_equal(res["package_msg"], "package RBF failed: package must be 1-parent-1-child")
        self.assert_pool(txs1 + txs2)
        self.mine()

    def test_insufficient_feerate(self):
        node = self.nodes[0]
        self.log.info("Package RBF must improve the feerate diagram")
        coin = self.coin()
        # The parent pays more than its child: two chunks.
        hex1, txs1 = self.package(coin, DEFAULT_CHILD_FEE, DEFAULT_FEE)
        node.submitpackage(hex1)
        self.assert_pool(txs1)
        # More in total, but the first chunk drops below the old parent's rate.
        hex2, _ = self.package(coin, DEFAULT_CHILD_FEE - Decimal("0.00000001"), DEFAULT_CHILD_FEE)
        res = node.submitpackage(hex2)
        assert_equal(res["package_msg"], "package RBF failed: insufficient feerate: does not improve feerate diagram")
        self.assert_pool(txs1)
        self.mine()

    def topology_msg(self, failures):
        """The package_msg for conflicts in too big a cluster: the evicted
        entries are checked in txid order (as uint256, its bytes reversed
        from the hex), and the first failing one is reported."""
        txid = min(failures, key=lambda t: bytes.fromhex(t)[::-1])
        return "package RBF failed: " + failures[txid]

    def test_conflict_cluster_too_big(self):
        node = self.nodes[0]
        self.log.info("Package RBF only replaces clusters of at most two: a chain of three")
        coin1, coin2, coin3 = self.coin(), self.coin(), self.coin()
        a = self.wallet.create_self_transfer(utxo_to_spend=coin1, fee=DEFAULT_FEE)
        b = self.wallet.create_self_transfer_multi(utxos_to_spend=[a["new_utxo"], coin2],
                                                   fee_per_output=int(DEFAULT_FEE * COIN))
        c = self.wallet.create_self_transfer_multi(utxos_to_spend=[b["new_utxos"][0], coin3],
                                                   fee_per_output=int(DEFAULT_FEE * COIN))
        for t in (a, b, c):
            node.sendrawtransaction(t["hex"])
        chain = [a["tx"], b["tx"], c["tx"]]
        a, b, c = a["txid"], b["txid"], c["txid"]
        has_descendants = "%s has 2 descendants, max 1 allowed"
        has_both = "%s has both ancestor and descendant, exceeding cluster limit of 2"
        has_ancestors = "%s has 2 ancestors, max 1 allowed"
        # Conflicting with the first, second or last of the chain evicts it and what follows.
        for coin, failures in ((coin1, {a: has_descendants % a, b: has_both % b, c: has_ancestors % c}),
                               (coin2, {b: has_both % b, c: has_ancestors % c}),
                               (coin3, {c: has_ancestors % c})):
            hexes, _ = self.package(coin, DEFAULT_FEE, Decimal("0.001"))
            assert_equal(node.submitpackage(hexes)["package_msg"], self.topology_msg(failures))
            self.assert_pool(chain)
        self.mine()

        self.log.info("... nor a parent whose child has another parent")
        coin1, coin2 = self.coin(), self.coin()
        p1 = self.wallet.create_self_transfer(utxo_to_spend=coin1, fee=DEFAULT_FEE)
        p2 = self.wallet.create_self_transfer(utxo_to_spend=coin2, fee=DEFAULT_FEE)
        joint = self.wallet.create_self_transfer_multi(utxos_to_spend=[p1["new_utxo"], p2["new_utxo"]],
                                                       fee_per_output=int(DEFAULT_FEE * COIN))
        for t in (p1, p2, joint):
            node.sendrawtransaction(t["hex"])
        j = joint["txid"]
        hexes, _ = self.package(coin1, DEFAULT_FEE, Decimal("0.001"))
        failures = {p1["txid"]: "%s is not the only parent of child %s" % (p1["txid"], j), j: has_ancestors % j}
        assert_equal(node.submitpackage(hexes)["package_msg"], self.topology_msg(failures))
        self.assert_pool([p1["tx"], p2["tx"], joint["tx"]])

        self.log.info("... nor a child whose parent has another child")
        other = self.wallet.create_self_transfer_multi(utxos_to_spend=[self.coin()], num_outputs=2,
                                                       fee_per_output=int(DEFAULT_FEE * COIN) // 2)
        node.sendrawtransaction(other["hex"])
        coin = self.coin()
        kid1 = self.wallet.create_self_transfer_multi(utxos_to_spend=[other["new_utxos"][0], coin],
                                                      fee_per_output=int(DEFAULT_FEE * COIN))
        kid2 = self.wallet.create_self_transfer(utxo_to_spend=other["new_utxos"][1], fee=DEFAULT_FEE)
        for t in (kid1, kid2):
            node.sendrawtransaction(t["hex"])
        o = other["txid"]
        hexes, _ = self.package(coin, DEFAULT_FEE, Decimal("0.001"))
        failures = {kid1["txid"]: "%s is not the only child of parent %s" % (kid1["txid"], o)}
        assert_equal(node.submitpackage(hexes)["package_msg"], self.topology_msg(failures))
        self.mine()

    def test_0fee_truc(self):
        node = self.nodes[0]
        self.log.info("A zero-fee TRUC parent with a rich child replaces the parent's conflicts")
        coin = self.coin()
        parent1 = self.wallet.create_self_transfer(utxo_to_spend=coin, version=3)
        child1 = self.wallet.create_self_transfer(utxo_to_spend=parent1["new_utxo"], version=3)
        assert_equal(node.submitpackage([parent1["hex"], child1["hex"]])["package_msg"], "success")
        parent2 = self.wallet.create_self_transfer(utxo_to_spend=coin, fee=0, version=3)
        child2 = self.wallet.create_self_transfer(utxo_to_spend=parent2["new_utxo"],
                                                  fee=(parent1["fee"] + child1["fee"]) * 10, version=3)
        res = node.submitpackage([parent2["hex"], child2["hex"]])
        assert_equal(res["package_msg"], "success")
        assert_equal(sorted(res["replaced-transactions"]), sorted([parent1["txid"], child1["txid"]]))
        self.assert_pool([parent2["tx"], child2["tx"]])
        self.mine()

    def test_child_conflicts_parent_mempool_ancestor(self):
        node = self.nodes[0]
        self.log.info("A child conflicting with its parent's in-pool parent: no package RBF")
        # A full pool, so that a 1 sat/vB parent needs its child (mempool min fee).
        self.restart_node(0, ["-maxmempool=5"])
        coins = split_coins(node, self.wallet, 100)
        rate = 2
        while node.getmempoolinfo()["mempoolminfee"] <= Decimal("0.00001"):
            assert coins, "the pool never filled up"
            # Each one pays more, so that the newest is never the one evicted.
            node.sendrawtransaction(big_tx(self.wallet, coins.pop(), rate)["hex"])
            rate += 1
        coin = self.coin()
        grandparent = self.wallet.create_self_transfer(fee=DEFAULT_FEE, utxo_to_spend=coin)
        node.sendrawtransaction(grandparent["hex"])
        parent = self.wallet.create_self_transfer(fee_rate=Decimal("0.00001"), utxo_to_spend=grandparent["new_utxo"])
        assert_raises_rpc_error(-26, "mempool min fee not met", node.sendrawtransaction, parent["hex"])
        # Spends the parent's output and the grandparent's own input.
        child = self.wallet.create_self_transfer_multi(utxos_to_spend=[parent["new_utxo"], coin],
                                                       fee_per_output=int(DEFAULT_CHILD_FEE * COIN))
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "package RBF failed: new transaction cannot have mempool ancestors")
        pool = node.getrawmempool()
        assert grandparent["txid"] in pool
        assert parent["txid"] not in pool and child["txid"] not in pool


if __name__ == "__main__":
    PackageRBFTest().main()
