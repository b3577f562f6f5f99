#!/usr/bin/env python3
"""Chain limits, TRUC topology and witness standardness over RPC, with
Bitcoin Core 30's reject reasons and reject-details:

- too-long-mempool-chain: the ancestor count (25 by default), the
  descendant count with the CPFP carve-out (one extra small child of a
  transaction with no other unconfirmed ancestor), too many unconfirmed
  parents, the ancestor and descendant size limits (-limitancestorcount,
  -limitdescendantcount, -limitancestorsize, -limitdescendantsize);
- package-mempool-limits from testmempoolaccept and submitpackage (the
  package counted as one transaction: "package count/size ... exceeds",
  "possibly ...");
- TRUC-violation (version 3, BIP 431): too big, child too big, TRUC
  spending non-TRUC and the reverse, too many ancestors, a second child
  (sibling eviction when it pays enough, "insufficient fee (including
  sibling eviction)" when not, and the descendant limit within a package);
- bad-witness-nonstandard: P2WSH stack and script limits, a witness on a
  non-witness input, a Taproot annex, a witness spending pay-to-anchor.
"""

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet, MiniWalletMode
from test_framework.messages import COutPoint, CTransaction, CTxIn, CTxInWitness, CTxOut
from test_framework.script import OP_RETURN, OP_TRUE, CScript
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

PAY_TO_ANCHOR = CScript([1, bytes.fromhex("4e73")])


class MempoolPolicyLimitsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    # ---- helpers ----

    def spend(self, utxos, *, outputs=1, version=2, fee=1000, data=None, witness=None):
        """A transaction spending wallet coins `utxos` into `outputs` equal coins
        back to the wallet, paying `fee` satoshis, with an optional OP_RETURN
        carrying `data`. `witness`, if given, replaces every input's witness stack."""
        tx = CTransaction()
        tx.version = version
        for u in utxos:
            tx.vin.append(CTxIn(COutPoint(int(u["txid"], 16), u["vout"]), b"", 0xFFFFFFFD))
        if data is not None:
            tx.vout.append(CTxOut(0, CScript([OP_RETURN, data])))
        total = sum(u["amount"] for u in utxos)
        each = (total - fee) // outputs
        for _ in range(outputs):
            tx.vout.append(CTxOut(each, self.wallet.get_scriptPubKey()))
        self.wallet.sign_tx(tx)
        if witness is not None:
            for w in tx.wit.vtxinwit:
                w.scriptWitness.stack = list(witness)
            tx.rehash()
        first = 1 if data is not None else 0
        return {"tx": tx, "txid": tx.txid_hex, "wtxid": tx.wtxid_hex, "hex": tx.serialize().hex(),
                "vsize": tx.get_vsize(), "fee": total - each * outputs,
                "new_utxos": [{"txid": tx.txid_hex, "vout": first + i, "amount": each} for i in range(outputs)]}

    def send(self, t):
        assert_equal(self.nodes[0].sendrawtransaction(t["hex"]), t["txid"])
        return t

    def coins(self, n):
        """n confirmed coins, split off one mature coinbase."""
        node = self.nodes[0]
        big = self.wallet.get_utxo(tip_height=node.getblockcount())
        split = self.send(self.spend([big], outputs=n, fee=10_000))
        self.generate_all()
        return split["new_utxos"]

    def generate_all(self):
        node = self.nodes[0]
        node.generatetoaddress(1, self.wallet.get_address())
        assert_equal(node.getrawmempool(), [])

    def rejected(self, t, reason, details):
        """testmempoolaccept and sendrawtransaction both refuse `t` with
        `reason`; reject-details and the RPC error are state.ToString()."""
        node = self.nodes[0]
        res = node.testmempoolaccept([t["hex"]])[0]
        assert_equal(res["allowed"], False)
        assert_equal(res["reject-reason"], reason)
        assert_equal(res["reject-details"], details)
        assert_raises_rpc_error(-26, details, node.sendrawtransaction, t["hex"])

    def restart(self, args):
        self.generate_all()
        self.restart_node(0, args)

    # ---- the test ----

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 20)

        self.test_ancestor_count()
        self.test_descendant_count_carveout()
        self.test_small_count_limits()
        self.test_size_limits()
        self.test_truc()
        self.test_truc_packages()
        self.test_witness_standardness()

    def test_ancestor_count(self):
        self.log.info("Ancestor count: 25 in a chain, the 26th is too-long-mempool-chain")
        utxo = self.coins(1)[0]
        chain = []
        for _ in range(25):
            t = self.send(self.spend([utxo]))
            chain.append(t)
            utxo = t["new_utxos"][0]
        assert_equal(self.nodes[0].getmempoolentry(chain[-1]["txid"])["ancestorcount"], 25)
        self.rejected(self.spend([utxo]), "too-long-mempool-chain",
                      "too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]")
        self.generate_all()

    def test_descendant_count_carveout(self):
        node = self.nodes[0]
        self.log.info("Descendant count: 24 children fill the parent's 25; the CPFP carve-out allows one more")
        utxo = self.coins(1)[0]
        parent = self.send(self.spend([utxo], outputs=28))
        outs = parent["new_utxos"]
        children = [self.send(self.spend([outs[i]])) for i in range(24)]
        assert_equal(node.getmempoolentry(parent["txid"])["descendantcount"], 25)
        too_many = "too-long-mempool-chain, too many descendants for tx %s [limit: 25]" % parent["txid"]
        # Two unconfirmed ancestors: no carve-out.
        self.rejected(self.spend(children[0]["new_utxos"]), "too-long-mempool-chain", too_many)
        # One unconfirmed ancestor but over 10,000 vB: too big for the carve-out.
        big = self.spend([outs[26]], data=b"\x00" * 10_000, fee=20_000)
        assert big["vsize"] > 10_000
        self.rejected(big, "too-long-mempool-chain", too_many)
        # One unconfirmed ancestor and small: the carve-out lets it in...
        self.send(self.spend([outs[24]]))
        assert_equal(node.getmempoolentry(parent["txid"])["descendantcount"], 26)
        # ... once.
        self.rejected(self.spend([outs[25]]), "too-long-mempool-chain", too_many)
        self.generate_all()

    def test_small_count_limits(self):
        node = self.nodes[0]
        self.log.info("-limitancestorcount=5 -limitdescendantcount=5")
        self.restart(["-limitancestorcount=5", "-limitdescendantcount=5"])
        coins = self.coins(12)

        self.log.info("A transaction spending 5 unconfirmed parents has too many")
        parents = [self.send(self.spend([coins[i]])) for i in range(5)]
        self.rejected(self.spend([p["new_utxos"][0] for p in parents]), "too-long-mempool-chain",
                      "too-long-mempool-chain, too many unconfirmed parents [limit: 5]")
        ok = self.spend([p["new_utxos"][0] for p in parents[:4]])
        assert_equal(node.testmempoolaccept([ok["hex"]])[0]["allowed"], True)

        self.log.info("A chain of 5, the 6th has too many ancestors")
        utxo = coins[5]
        chain = []
        for _ in range(5):
            chain.append(self.send(self.spend([utxo])))
            utxo = chain[-1]["new_utxos"][0]
        self.rejected(self.spend([utxo]), "too-long-mempool-chain",
                      "too-long-mempool-chain, too many unconfirmed ancestors [limit: 5]")

        self.log.info("testmempoolaccept of a package: the package counted as one transaction")
        # Six in a chain from a confirmed coin: each passes alone (no pool ancestors).
        utxo = coins[6]
        package = []
        for _ in range(6):
            package.append(self.spend([utxo]))
            utxo = package[-1]["new_utxos"][0]
        self.check_package_error([t["hex"] for t in package],
                                 "package-mempool-limits, package count 6 exceeds ancestor count limit [limit: 5]")
        # Three spending the tail of a pool chain of three: 6 in all, found by the walk.
        utxo = coins[7]
        for _ in range(3):
            utxo = self.send(self.spend([utxo]))["new_utxos"][0]
        package = []
        for _ in range(3):
            package.append(self.spend([utxo]))
            utxo = package[-1]["new_utxos"][0]
        self.check_package_error([t["hex"] for t in package],
                                 "package-mempool-limits, possibly too many unconfirmed ancestors [limit: 5]")
        # Two fit.
        res = node.testmempoolaccept([t["hex"] for t in package[:2]])
        assert_equal([r["allowed"] for r in res], [True, True])
        # Package parents from five separate pool transactions.
        pool_parents = [self.send(self.spend([coins[8 + i]])) for i in range(4)]
        a = self.spend([p["new_utxos"][0] for p in pool_parents[:2]])
        b = self.spend([p["new_utxos"][0] for p in pool_parents[2:]] + a["new_utxos"])
        self.check_package_error([a["hex"], b["hex"]], "package-mempool-limits, too many unconfirmed parents [limit: 5]")

    def check_package_error(self, hexes, error):
        res = self.nodes[0].testmempoolaccept(hexes)
        assert_equal(len(res), len(hexes))
        for r in res:
            assert_equal(sorted(r.keys()), ["package-error", "txid", "wtxid"])
            assert_equal(r["package-error"], error)

    def test_size_limits(self):
        node = self.nodes[0]
        self.log.info("-limitancestorsize=1 -limitdescendantsize=1 (1,000 vB)")
        self.restart(["-limitancestorsize=1", "-limitdescendantsize=1"])
        coins = self.coins(8)

        self.log.info("Ancestor size: three parents of about 400 vB and their child")
        parents = [self.send(self.spend([coins[i]], data=b"\x01" * 300)) for i in range(3)]
        for p in parents:
            assert 350 < p["vsize"] < 450
        child = self.spend([p["new_utxos"][0] for p in parents])
        self.rejected(child, "too-long-mempool-chain", "too-long-mempool-chain, exceeds ancestor size limit [limit: 1000]")

        self.log.info("Descendant size: a grandchild over the root's 1,000 vB (no carve-out with two ancestors)")
        root = self.send(self.spend([coins[3]], data=b"\x02" * 300, outputs=3))
        mid = self.send(self.spend([root["new_utxos"][0]], data=b"\x03" * 300))
        grandchild = self.spend(mid["new_utxos"], data=b"\x04" * 200)
        self.rejected(grandchild, "too-long-mempool-chain",
                      "too-long-mempool-chain, exceeds descendant size limit for tx %s [limit: 1000]" % root["txid"])
        self.log.info("A second child of the root, over its 1,000 vB, gets in through the CPFP carve-out")
        second = self.spend([root["new_utxos"][1]], data=b"\x05" * 200)
        assert root["vsize"] + mid["vsize"] + second["vsize"] > 1000
        self.send(second)

        self.log.info("testmempoolaccept: two transactions over 1,000 vB together")
        a = self.spend([coins[4]], data=b"\x06" * 500)
        b = self.spend(a["new_utxos"], data=b"\x07" * 400)
        total = a["vsize"] + b["vsize"]
        assert total > 1000
        self.check_package_error([a["hex"], b["hex"]],
                                 "package-mempool-limits, package size %d exceeds ancestor size limit [limit: 1000]" %
                                 total)

        self.log.info("submitpackage: a zero-fee TRUC parent and its child, over 1,000 vB together")
        parent = self.spend([coins[5]], version=3, fee=0, data=b"\x08" * 500)
        child = self.spend(parent["new_utxos"], version=3, fee=20_000, data=b"\x09" * 400)
        total = parent["vsize"] + child["vsize"]
        assert child["vsize"] <= 1000 and total > 1000
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"],
                     "package-mempool-limits, package size %d exceeds ancestor size limit [limit: 1000]" % total)
        # Each keeps the reason it failed for on its own.
        min_fee = (100 * parent["vsize"] + 999) // 1000
        assert_equal(res["tx-results"][parent["wtxid"]]["error"], "min relay fee not met, 0 < %d" % min_fee)
        assert_equal(res["tx-results"][child["wtxid"]]["error"], "bad-txns-inputs-missingorspent")
        assert_equal(res["replaced-transactions"], [])
        assert parent["txid"] not in node.getrawmempool()
        # Smaller, the same pair gets in.
        parent = self.spend([coins[6]], version=3, fee=0, data=b"\x0a" * 100)
        child = self.spend(parent["new_utxos"], version=3, fee=20_000)
        assert_equal(node.submitpackage([parent["hex"], child["hex"]])["package_msg"], "success")
        self.restart([])

    def test_truc(self):
        node = self.nodes[0]
        coins = self.coins(10)
        name = lambda t: "%s (wtxid=%s)" % (t["txid"], t["wtxid"])  # noqa: E731

        self.log.info("TRUC: a version 3 transaction is at most 10,000 vB")
        big = self.spend([coins[0]], version=3, data=b"\x01" * 10_000, fee=20_000)
        self.rejected(big, "TRUC-violation", "TRUC-violation, version=3 tx %s is too big: %d > 10000 virtual bytes" %
                      (name(big), big["vsize"]))

        self.log.info("TRUC: a child is at most 1,000 vB")
        parent = self.send(self.spend([coins[1]], version=3, outputs=2))
        child = self.spend([parent["new_utxos"][0]], version=3, data=b"\x02" * 1000, fee=5000)
        self.rejected(child, "TRUC-violation",
                      "TRUC-violation, version=3 child tx %s is too big: %d > 1000 virtual bytes" %
                      (name(child), child["vsize"]))

        self.log.info("TRUC: no TRUC spending non-TRUC, nor the reverse, while unconfirmed")
        v2 = self.send(self.spend([coins[2]]))
        t = self.spend(v2["new_utxos"], version=3)
        self.rejected(t, "TRUC-violation",
                      "TRUC-violation, version=3 tx %s cannot spend from non-version=3 tx %s" % (name(t), name(v2)))
        t = self.spend([parent["new_utxos"][1]], version=2)
        self.rejected(t, "TRUC-violation",
                      "TRUC-violation, non-version=3 tx %s cannot spend from version=3 tx %s" % (name(t), name(parent)))

        self.log.info("TRUC: at most one unconfirmed ancestor")
        other = self.send(self.spend([coins[3]], version=3))
        t = self.spend([parent["new_utxos"][0], other["new_utxos"][0]], version=3)
        self.rejected(t, "TRUC-violation", "TRUC-violation, tx %s would have too many ancestors" % name(t))
        child = self.send(self.spend([parent["new_utxos"][0]], version=3, fee=1000))
        grandchild = self.spend(child["new_utxos"], version=3)
        self.rejected(grandchild, "TRUC-violation", "TRUC-violation, tx %s would have too many ancestors" %
                      name(grandchild))

        self.log.info("TRUC: a second child evicts the first when it pays enough (sibling eviction)")
        sibling = self.spend([parent["new_utxos"][1]], version=3, fee=1000)
        res = node.testmempoolaccept([sibling["hex"]])[0]
        assert_equal(res["reject-reason"], "insufficient fee (including sibling eviction)")
        assert res["reject-details"].startswith(
            "insufficient fee (including sibling eviction), rejecting replacement %s; new feerate" % sibling["txid"]), res
        assert_raises_rpc_error(-26, "insufficient fee (including sibling eviction)", node.sendrawtransaction,
                                sibling["hex"])
        sibling = self.send(self.spend([parent["new_utxos"][1]], version=3, fee=5000))
        pool = node.getrawmempool()
        assert sibling["txid"] in pool and child["txid"] not in pool
        self.generate_all()

    def test_truc_packages(self):
        node = self.nodes[0]
        coins = self.coins(4)
        name = lambda t: "%s (wtxid=%s)" % (t["txid"], t["wtxid"])  # noqa: E731

        self.log.info("TRUC in packages: two children of one parent exceed its descendant limit")
        parent = self.spend([coins[0]], version=3, outputs=2)
        c1 = self.spend([parent["new_utxos"][0]], version=3)
        c2 = self.spend([parent["new_utxos"][1]], version=3)
        self.check_package_error([parent["hex"], c1["hex"], c2["hex"]],
                                 "TRUC-violation, tx %s would exceed descendant count limit" % name(parent))

        self.log.info("TRUC in packages: a non-TRUC child of a zero-fee TRUC parent (submitpackage)")
        parent = self.spend([coins[1]], version=3, fee=0)
        child = self.spend(parent["new_utxos"], version=2, fee=20_000)
        res = node.submitpackage([parent["hex"], child["hex"]])
        assert_equal(res["package_msg"], "TRUC-violation, non-version=3 tx %s cannot spend from version=3 tx %s" %
                     (name(child), name(parent)))
        assert_equal(node.getrawmempool(), [])

        self.log.info("TRUC in packages: a TRUC child of a non-TRUC parent, and a grandchild")
        parent = self.spend([coins[2]], version=2)
        child = self.spend(parent["new_utxos"], version=3)
        self.check_package_error([parent["hex"], child["hex"]],
                                 "TRUC-violation, version=3 tx %s cannot spend from non-version=3 tx %s" %
                                 (name(child), name(parent)))
        a = self.spend([coins[3]], version=3)
        b = self.spend(a["new_utxos"], version=3)
        c = self.spend(b["new_utxos"], version=3)
        self.check_package_error([a["hex"], b["hex"], c["hex"]],
                                 "TRUC-violation, tx %s would have too many ancestors" % name(c))

    def test_witness_standardness(self):
        node = self.nodes[0]
        coins = self.coins(6)
        script = bytes(CScript([OP_TRUE]))
        self.log.info("bad-witness-nonstandard: P2WSH limits (stack items, item size, script size)")
        self.rejected(self.spend([coins[0]], witness=[b"\x01"] * 101 + [script]),
                      "bad-witness-nonstandard", "bad-witness-nonstandard")
        ok = self.spend([coins[0]], witness=[b"\x01"] * 100 + [script])
        # Within the policy limits: refused by the script (CLEANSTACK), not by the witness check.
        assert_equal(node.testmempoolaccept([ok["hex"]])[0]["reject-reason"],
                     "mempool-script-verify-flag-failed (Stack size must be exactly one after execution)")
        self.rejected(self.spend([coins[0]], witness=[b"\x01" * 81, script]),
                      "bad-witness-nonstandard", "bad-witness-nonstandard")
        self.rejected(self.spend([coins[0]], witness=[b"\x51" * 3601]),
                      "bad-witness-nonstandard", "bad-witness-nonstandard")

        self.log.info("bad-witness-nonstandard: a witness on a non-witness input, a Taproot annex")
        legacy = MiniWallet(node, mode=MiniWalletMode.P2PKH)
        tr = MiniWallet(node, mode=MiniWalletMode.P2TR)
        fund = self.spend([coins[1]], outputs=2)
        fund["tx"].vout[0].scriptPubKey = legacy.get_scriptPubKey()
        fund["tx"].vout[1].scriptPubKey = tr.get_scriptPubKey()
        fund["tx"].rehash()
        self.nodes[0].sendrawtransaction(fund["tx"].serialize().hex())
        amount = fund["new_utxos"][0]["amount"]
        utxo_legacy = {"txid": fund["tx"].txid_hex, "vout": 0, "amount": amount}
        utxo_tr = {"txid": fund["tx"].txid_hex, "vout": 1, "amount": amount}
        self.generate_all()

        tx = CTransaction()
        tx.vin.append(CTxIn(COutPoint(int(utxo_legacy["txid"], 16), 0), b"", 0xFFFFFFFD))
        tx.vout.append(CTxOut(amount - 1000, self.wallet.get_scriptPubKey()))
        legacy.sign_tx(tx, {0: CTxOut(amount, legacy.get_scriptPubKey())})
        assert_equal(node.testmempoolaccept([tx.serialize().hex()])[0]["allowed"], True)
        tx.wit.vtxinwit = [CTxInWitness()]
        tx.wit.vtxinwit[0].scriptWitness.stack = [b"\x01"]
        tx.rehash()
        self.rejected({"hex": tx.serialize().hex()}, "bad-witness-nonstandard", "bad-witness-nonstandard")

        tx = CTransaction()
        tx.vin.append(CTxIn(COutPoint(int(utxo_tr["txid"], 16), 1), b"", 0xFFFFFFFD))
        tx.vout.append(CTxOut(amount - 1000, self.wallet.get_scriptPubKey()))
        tr.sign_tx(tx, {0: CTxOut(amount, tr.get_scriptPubKey())})
        assert_equal(node.testmempoolaccept([tx.serialize().hex()])[0]["allowed"], True)
        tx.wit.vtxinwit[0].scriptWitness.stack.append(b"\x50\x01")  # an annex
        tx.rehash()
        self.rejected({"hex": tx.serialize().hex()}, "bad-witness-nonstandard", "bad-witness-nonstandard")

        self.log.info("bad-witness-nonstandard: a witness spending pay-to-anchor")
        anchor = self.spend([coins[2]])
        anchor["tx"].vout.append(CTxOut(240, PAY_TO_ANCHOR))
        anchor["tx"].vout[0].nValue -= 240
        anchor["tx"].rehash()
        self.wallet.sign_tx(anchor["tx"])
        node.sendrawtransaction(anchor["tx"].serialize().hex())
        self.generate_all()
        spend = CTransaction()
        spend.vin.append(CTxIn(COutPoint(int(anchor["tx"].txid_hex, 16), 1), b"", 0xFFFFFFFD))
        spend.vin.append(CTxIn(COutPoint(int(coins[3]["txid"], 16), coins[3]["vout"]), b"", 0xFFFFFFFD))
        spend.vout.append(CTxOut(coins[3]["amount"] - 1000, self.wallet.get_scriptPubKey()))
        self.wallet.sign_tx(spend)
        spend.wit.vtxinwit[0].scriptWitness.stack = []
        spend.rehash()
        assert_equal(node.testmempoolaccept([spend.serialize().hex()])[0]["allowed"], True)
        spend.wit.vtxinwit[0].scriptWitness.stack = [b"\x01"]
        spend.rehash()
        self.rejected({"hex": spend.serialize().hex()}, "bad-witness-nonstandard", "bad-witness-nonstandard")


if __name__ == "__main__":
    MempoolPolicyLimitsTest().main()
