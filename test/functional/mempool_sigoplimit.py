#!/usr/bin/env python3
"""Sigop policy, as in Bitcoin Core 30's mempool_sigoplimit.py: the vsize the
pool counts is max(vsize, sigop cost x -bytespersigop / 4), in the entry and
in ancestor and descendant sizes; that sigop vsize hits the package limits;
more than 2,500 legacy sigops in the inputs is bad-txns-nonstandard-inputs
(as is a P2SH redeem script over 15 sigops), and a sigop cost over 16,000
is bad-txns-too-many-sigops."""

import copy
from decimal import Decimal
from math import ceil

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import (
    WITNESS_SCALE_FACTOR,
    COutPoint,
    CTransaction,
    CTxIn,
    CTxInWitness,
    CTxOut,
    tx_from_hex,
)
from test_framework.script import (
    OP_2DUP,
    OP_CHECKMULTISIG,
    OP_CHECKSIG,
    OP_DROP,
    OP_ENDIF,
    OP_FALSE,
    OP_IF,
    OP_NOT,
    OP_RETURN,
    OP_TRUE,
    CScript,
    keys_to_multisig_script,
    script_to_p2sh_script,
    script_to_p2wsh_script,
)
from test_framework.test_framework import CairnTestFramework
from test_framework.util import (
    assert_equal,
    assert_greater_than,
    assert_greater_than_or_equal,
    assert_raises_rpc_error,
)

DEFAULT_BYTES_PER_SIGOP = 20
MAX_PUBKEYS_PER_MULTISIG = 20
MAX_STD_P2SH_SIGOPS = 15
MAX_STD_LEGACY_SIGOPS = 2500
MAX_STANDARD_TX_SIGOPS_COST = 16000
PUBKEY = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")


class BytesPerSigOpTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 60)
        # Confirmed coins only, so that funding transactions never chain.
        self.coins = self.wallet.get_utxos()

        for bytes_per_sigop in (DEFAULT_BYTES_PER_SIGOP, 43, 81, 165, 327, 649, 1072):
            if bytes_per_sigop == DEFAULT_BYTES_PER_SIGOP:
                self.log.info("Default -bytespersigop (%d)" % bytes_per_sigop)
            else:
                self.log.info("-bytespersigop=%d" % bytes_per_sigop)
                self.restart_node(0, ["-bytespersigop=%d" % bytes_per_sigop])
            for num_sigops in (69, 101, 142, 183, 222):
                self.test_sigops_limit(bytes_per_sigop, num_sigops)
            self.wallet.generate(1)

        self.test_sigops_package()
        self.test_too_many_sigops()
        self.test_p2sh_sigops()
        self.test_legacy_sigops_stdness()

    def fund(self, script_pubkey, amount=1_000_000):
        """Pays `amount` to script_pubkey from a confirmed coin; returns the funding result."""
        node = self.nodes[0]
        res = self.wallet.create_to(script_pubkey, amount, utxo_to_spend=self.coins.pop())
        node.sendrawtransaction(res["hex"])
        return res

    def p2wsh_spend(self, witness_script, output_script):
        """A spend of a fresh P2WSH(witness_script) coin with only the script in its witness."""
        fund = self.fund(script_to_p2wsh_script(witness_script))
        tx = CTransaction()
        tx.vin = [CTxIn(COutPoint(int(fund["txid"], 16), fund["sent_vout"]))]
        tx.wit.vtxinwit = [CTxInWitness()]
        tx.wit.vtxinwit[0].scriptWitness.stack = [bytes(witness_script)]
        tx.vout = [CTxOut(500_000, output_script)]
        return tx

    @staticmethod
    def sigop_script(num_sigops):
        # Counted though never executed; CHECKMULTISIG without a key count is 20.
        return CScript([OP_FALSE, OP_IF] + [OP_CHECKMULTISIG] * (num_sigops // 20) +
                       [OP_CHECKSIG] * (num_sigops % 20) + [OP_ENDIF, OP_TRUE])

    def test_sigops_limit(self, bytes_per_sigop, num_sigops):
        node = self.nodes[0]
        sigop_vsize = ceil(num_sigops * bytes_per_sigop / WITNESS_SCALE_FACTOR)
        self.log.info("- %d sigops (as %d vB)" % (num_sigops, sigop_vsize))
        # A 256-byte push at least, so that length prefixes do not change below.
        tx = self.p2wsh_spend(self.sigop_script(num_sigops), CScript([OP_RETURN, b"X" * 256]))
        assert_greater_than_or_equal(sigop_vsize, tx.get_vsize())
        pad = sigop_vsize - tx.get_vsize()
        tx.vout[0].scriptPubKey = CScript([OP_RETURN, b"X" * (256 + pad)])
        assert_equal(tx.get_vsize(), sigop_vsize)
        res = node.testmempoolaccept([tx.serialize().hex()])[0]
        assert_equal((res["allowed"], res["vsize"]), (True, sigop_vsize))

        # One byte more: the real size counts.
        tx.vout[0].scriptPubKey = CScript([OP_RETURN, b"X" * (256 + pad + 1)])
        res = node.testmempoolaccept([tx.serialize().hex()])[0]
        assert_equal((res["allowed"], res["vsize"]), (True, sigop_vsize + 1))
        # One byte less: the sigop size counts.
        tx.vout[0].scriptPubKey = CScript([OP_RETURN, b"X" * (256 + pad - 1)])
        res = node.testmempoolaccept([tx.serialize().hex()])[0]
        assert_equal((res["allowed"], res["vsize"]), (True, sigop_vsize))

        # Ancestor and descendant sizes use the sigop size too.
        tx.vout[0].scriptPubKey = CScript([OP_RETURN, b"test123"])
        assert_greater_than(sigop_vsize, tx.get_vsize())
        node.sendrawtransaction(hexstring=tx.serialize().hex(), maxburnamount=Decimal("1.0"))
        parent_txid = "%064x" % tx.vin[0].prevout.hash
        parent = tx_from_hex(node.getrawtransaction(parent_txid))
        child = node.getmempoolentry(tx.txid_hex)
        assert_equal(child["vsize"], sigop_vsize)
        assert_equal((child["descendantcount"], child["descendantsize"]), (1, sigop_vsize))
        assert_equal((child["ancestorcount"], child["ancestorsize"]), (2, sigop_vsize + parent.get_vsize()))
        entry = node.getmempoolentry(parent_txid)
        assert_equal((entry["ancestorcount"], entry["ancestorsize"]), (1, parent.get_vsize()))
        assert_equal((entry["descendantcount"], entry["descendantsize"]), (2, parent.get_vsize() + sigop_vsize))

    def bare_multisig_tx(self, utxo):
        """A self-transfer paying 3 BTC fee with a bare 1-of-1 multisig output
        (80 sigop cost: 20 legacy sigops, counted four times)."""
        res = self.wallet.create_self_transfer(fee=Decimal("3"), utxo_to_spend=utxo)
        tx = res["tx"]
        tx.vout.append(CTxOut(50_000, keys_to_multisig_script([PUBKEY], k=1)))
        tx.vout[0].nValue -= 50_000
        self.wallet.sign_tx(tx)
        new = dict(res["new_utxo"], txid=tx.txid_hex, amount=tx.vout[0].nValue)
        return new, tx

    def test_sigops_package(self):
        node = self.nodes[0]
        self.log.info("A large sigop vsize hits the package limits")
        self.restart_node(0, ["-bytespersigop=5000", "-permitbaremultisig=1"])
        parent_utxo, parent = self.bare_multisig_tx(self.coins.pop())
        _, child = self.bare_multisig_tx(parent_utxo)
        res = node.testmempoolaccept([parent.serialize().hex()])[0]
        assert res["allowed"], res
        max_multisig_vsize = MAX_PUBKEYS_PER_MULTISIG * 5000
        assert_equal(res["vsize"], max_multisig_vsize)
        # Together they are over the ancestor size limit, counted in sigop vsize.
        res = node.testmempoolaccept([parent.serialize().hex(), child.serialize().hex()])
        expected = "package-mempool-limits, package size %d exceeds ancestor size limit [limit: 101000]" % (
            2 * max_multisig_vsize)
        assert_equal([r["package-error"] for r in res], [expected] * 2)
        # Submitted, the parent gets in on its own and the child is over the limit.
        res = node.submitpackage([parent.serialize().hex(), child.serialize().hex()])
        assert "too-long-mempool-chain" in res["tx-results"][child.wtxid_hex]["error"], res
        assert parent.txid_hex in node.getrawmempool()
        assert_greater_than(2000, parent.get_weight() + child.get_weight())
        self.restart_node(0, [])
        self.wallet.generate(1)

    def test_too_many_sigops(self):
        node = self.nodes[0]
        self.log.info("A sigop cost over 16,000: bad-txns-too-many-sigops")
        over = self.p2wsh_spend(self.sigop_script(MAX_STANDARD_TX_SIGOPS_COST + 20), CScript([OP_RETURN, b"x" * 20]))
        assert_raises_rpc_error(-26, "bad-txns-too-many-sigops, 16020", node.sendrawtransaction,
                                over.serialize().hex(), 0, 1)
        res = node.testmempoolaccept([over.serialize().hex()], 0)[0]
        assert_equal((res["allowed"], res["reject-reason"]), (False, "bad-txns-too-many-sigops"))
        # Exactly 16,000 is standard (counted as 80,000 vB): eight inputs of
        # 2,000 each, as one script may hold only 201 opcodes.
        script = self.sigop_script(MAX_STANDARD_TX_SIGOPS_COST // 8)
        coin = self.coins.pop()
        fund = CTransaction()
        fund.vin = [CTxIn(COutPoint(int(coin["txid"], 16), coin["vout"]), b"", 0xFFFFFFFD)]
        fund.vout = [CTxOut(1_000_000, script_to_p2wsh_script(script)) for _ in range(8)]
        fund.vout.append(CTxOut(coin["amount"] - 8_000_000 - 100_000, self.wallet.get_scriptPubKey()))
        self.wallet.sign_tx(fund, {0: CTxOut(coin["amount"], self.wallet.get_scriptPubKey())})
        node.sendrawtransaction(fund.serialize().hex())
        at = CTransaction()
        at.vin = [CTxIn(COutPoint(int(fund.txid_hex, 16), n)) for n in range(8)]
        at.wit.vtxinwit = [CTxInWitness() for _ in range(8)]
        for w in at.wit.vtxinwit:
            w.scriptWitness.stack = [bytes(script)]
        at.vout = [CTxOut(7_000_000, self.wallet.get_scriptPubKey())]
        res = node.testmempoolaccept([at.serialize().hex()])[0]
        assert res["allowed"], res
        assert_equal(res["vsize"], MAX_STANDARD_TX_SIGOPS_COST * DEFAULT_BYTES_PER_SIGOP // 4)
        self.wallet.generate(1)

    def test_p2sh_sigops(self):
        node = self.nodes[0]
        self.log.info("A P2SH redeem script with more than 15 sigops: bad-txns-nonstandard-inputs")
        for sigops, ok in ((MAX_STD_P2SH_SIGOPS, True), (MAX_STD_P2SH_SIGOPS + 1, False)):
            redeem = CScript([OP_FALSE, OP_IF] + [OP_CHECKSIG] * sigops + [OP_ENDIF, OP_TRUE])
            fund = self.fund(script_to_p2sh_script(redeem))
            tx = CTransaction()
            tx.vin = [CTxIn(COutPoint(int(fund["txid"], 16), fund["sent_vout"]), CScript([bytes(redeem)]))]
            tx.vout = [CTxOut(900_000, self.wallet.get_scriptPubKey())]
            if ok:
                node.sendrawtransaction(tx.serialize().hex())
            else:
                assert_raises_rpc_error(-26, "bad-txns-nonstandard-inputs", node.sendrawtransaction,
                                        tx.serialize().hex())
        self.wallet.generate(1)

    def test_legacy_sigops_stdness(self):
        node = self.nodes[0]
        self.log.info("More than 2,500 legacy sigops in the inputs: bad-txns-nonstandard-inputs")
        # A P2SH redeem script of exactly 15 sigops that succeeds with an empty signature.
        redeem = [PUBKEY]
        for _ in range(MAX_STD_P2SH_SIGOPS - 1):
            redeem += [OP_2DUP, OP_CHECKSIG, OP_DROP]
        redeem = CScript(redeem + [OP_CHECKSIG, OP_NOT])
        p2sh = script_to_p2sh_script(redeem)
        count = MAX_STD_LEGACY_SIGOPS // MAX_STD_P2SH_SIGOPS + 1
        coin = self.coins.pop()
        fund = CTransaction()
        fund.vin = [CTxIn(COutPoint(int(coin["txid"], 16), coin["vout"]), b"", 0xFFFFFFFD)]
        fund.vout = [CTxOut(1_000, p2sh) for _ in range(count)]
        fund.vout.append(CTxOut(coin["amount"] - 1_000 * count - 100_000, self.wallet.get_scriptPubKey()))
        self.wallet.sign_tx(fund, {0: CTxOut(coin["amount"], self.wallet.get_scriptPubKey())})
        node.sendrawtransaction(fund.serialize().hex())
        self.wallet.generate(1)

        # 167 inputs of 15 sigops: 2,505.
        nonstd = CTransaction()
        nonstd.vin = [CTxIn(COutPoint(int(fund.txid_hex, 16), n), CScript([b"", bytes(redeem)])) for n in range(count)]
        nonstd.vout = [CTxOut(0, CScript([OP_RETURN, b""]))]
        assert_raises_rpc_error(-26, "bad-txns-nonstandard-inputs", node.sendrawtransaction, nonstd.serialize().hex())
        # One input less: 2,490, standard.
        std = copy.deepcopy(nonstd)
        std.vin.pop()
        node.sendrawtransaction(std.serialize().hex())
        # Still valid in a block.
        node.generateblock(self.wallet.get_address(), [nonstd.serialize().hex()])
        assert std.txid_hex not in node.getrawmempool()


if __name__ == "__main__":
    BytesPerSigOpTest().main()
