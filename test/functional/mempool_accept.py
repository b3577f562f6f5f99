#!/usr/bin/env python3
"""testmempoolaccept: the result shape and every reject reason that can be
provoked over RPC (consensus checks, standardness, fees, conflicts, lock
times, maturity, scripts), as in Bitcoin Core 30's mempool_accept.py; and
the -datacarriersize / -permitbaremultisig / -acceptnonstdtxn settings."""

import copy
from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import (
    COIN,
    MAX_BLOCK_WEIGHT,
    MAX_MONEY,
    WITNESS_SCALE_FACTOR,
    COutPoint,
    CTransaction,
    CTxIn,
    CTxOut,
    tx_from_hex,
)
from test_framework.script import (
    OP_0,
    OP_2,
    OP_3,
    OP_CHECKMULTISIG,
    OP_HASH160,
    OP_RETURN,
    OP_TRUE,
    CScript,
)
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

PUBKEY = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")


class MempoolAcceptTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def check(self, tx, reason, details=None, **kwargs):
        """testmempoolaccept of one transaction fails with `reason` (and `details`
        when given; Core's reject-details is state.ToString())."""
        res = self.nodes[0].testmempoolaccept([tx.serialize().hex() if isinstance(tx, CTransaction) else tx], **kwargs)
        assert_equal(len(res), 1)
        r = res[0]
        assert_equal(r["allowed"], False)
        assert_equal(r["reject-reason"], reason)
        if reason == "missing-inputs":
            assert "reject-details" not in r
        elif details is not None:
            assert_equal(r["reject-details"], details)
        else:
            assert r["reject-details"].startswith(reason), r
        assert_equal(sorted(r.keys()), sorted(["txid", "wtxid", "allowed", "reject-reason"] +
                                              ([] if reason == "missing-inputs" else ["reject-details"])))
        return r

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 10)

        self.log.info("Argument errors")
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.", node.testmempoolaccept, [])
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.", node.testmempoolaccept,
                                ["ff22"] * 26)
        assert_raises_rpc_error(-22, "TX decode failed: ff00baar Make sure the tx has at least one input.",
                                node.testmempoolaccept, ["ff00baar"])
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type array",
                                node.testmempoolaccept, "ff")
        assert_raises_rpc_error(-8, "Fee rates larger than or equal to 1BTC/kvB are not accepted",
                                node.testmempoolaccept, ["00"], 1)

        self.log.info("An acceptable transaction: the result's shape")
        utxo = self.wallet.get_utxo(tip_height=node.getblockcount())
        good = self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=Decimal("0.0001"))
        res = node.testmempoolaccept([good["hex"]])
        assert_equal(len(res), 1)
        r = res[0]
        assert_equal(list(r.keys()), ["txid", "wtxid", "allowed", "vsize", "fees"])
        assert_equal((r["txid"], r["wtxid"], r["allowed"]), (good["txid"], good["wtxid"], True))
        vsize = good["tx"].get_vsize()
        assert_equal(r["vsize"], vsize)
        assert_equal(list(r["fees"].keys()), ["base", "effective-feerate", "effective-includes"])
        assert_equal(r["fees"]["base"], Decimal("0.0001"))
        assert_equal(r["fees"]["effective-feerate"], Decimal(10000 * 1000 // vsize) / COIN)
        assert_equal(r["fees"]["effective-includes"], [good["wtxid"]])
        # A test leaves the pool alone.
        assert_equal(node.getrawmempool(), [])
        # maxfeerate: over it, allowed is false with max-fee-exceeded.
        res = node.testmempoolaccept([good["hex"]], "0.00001")
        assert_equal(res[0]["allowed"], False)
        assert_equal(res[0]["reject-reason"], "max-fee-exceeded")
        assert "reject-details" not in res[0]
        assert_equal(node.testmempoolaccept(rawtxs=[good["hex"]], maxfeerate=0)[0]["allowed"], True)

        self.log.info("In the pool already, or with another witness")
        node.sendrawtransaction(good["hex"])
        self.wallet.scan_tx(good["tx"])
        self.check(good["tx"], "txn-already-in-mempool")
        other_witness = copy.deepcopy(good["tx"])
        other_witness.wit.vtxinwit[0].scriptWitness.stack = [b"\x01", bytes(CScript([OP_TRUE]))]
        assert_equal(other_witness.txid_hex, good["txid"])
        assert other_witness.wtxid_hex != good["wtxid"]
        self.check(other_witness, "txn-same-nonwitness-data-in-mempool")

        self.log.info("Confirmed already, or spending what is gone")
        self.wallet.generate(1)
        self.check(good["tx"], "txn-already-known")
        spent_again = self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=Decimal("0.0002"))
        self.check(spent_again["tx"], "missing-inputs")
        never = self.wallet.create_self_transfer(utxo_to_spend={"txid": "11" * 32, "vout": 0, "amount": COIN})
        self.check(never["tx"], "missing-inputs")

        self.log.info("Replacement (full RBF): more fee replaces, the same fee does not")
        base = self.wallet.get_utxo(tip_height=node.getblockcount())
        first = self.wallet.create_self_transfer(utxo_to_spend=base, fee=Decimal("0.0001"), sequence=0xFFFFFFFF)
        node.sendrawtransaction(first["hex"])
        same = self.wallet.create_self_transfer(utxo_to_spend=base, fee=Decimal("0.0001"), locktime=1)
        r = self.check(same["tx"], "insufficient fee")
        assert ("rejecting replacement %s" % same["txid"]) in r["reject-details"], r
        better = self.wallet.create_self_transfer(utxo_to_spend=base, fee=Decimal("0.0005"))
        assert_equal(node.testmempoolaccept([better["hex"]])[0]["allowed"], True)

        self.log.info("Consensus checks on the transaction alone")
        ref = self.reference()
        tx = copy.deepcopy(ref)
        tx.vout = []
        self.check(tx, "bad-txns-vout-empty")
        tx = copy.deepcopy(ref)
        tx.vin = [tx.vin[0]] * (MAX_BLOCK_WEIGHT // WITNESS_SCALE_FACTOR // len(tx.vin[0].serialize()) + 1)
        tx.wit.vtxinwit = []
        self.check(tx, "bad-txns-oversize")
        tx = copy.deepcopy(ref)
        tx.vout[0].nValue = -1
        self.check(tx, "bad-txns-vout-negative")
        tx = copy.deepcopy(ref)
        tx.vout[0].nValue = MAX_MONEY + 1
        self.check(tx, "bad-txns-vout-toolarge")
        tx = copy.deepcopy(ref)
        tx.vout = [CTxOut(MAX_MONEY, tx.vout[0].scriptPubKey), CTxOut(1, tx.vout[0].scriptPubKey)]
        self.check(tx, "bad-txns-txouttotal-toolarge")
        tx = copy.deepcopy(ref)
        tx.vin = [tx.vin[0], tx.vin[0]]
        tx.wit.vtxinwit = [tx.wit.vtxinwit[0], tx.wit.vtxinwit[0]]
        self.check(tx, "bad-txns-inputs-duplicate")
        tx = copy.deepcopy(ref)
        tx.vin.append(CTxIn(COutPoint(0, 0xFFFFFFFF)))
        self.check(tx, "bad-txns-prevout-null")
        coinbase = tx_from_hex(node.getrawtransaction(node.getblock(node.getbestblockhash())["tx"][0], False,
                                                      node.getbestblockhash()))
        self.check(coinbase, "coinbase")

        self.log.info("Standardness")
        tx = copy.deepcopy(ref)
        tx.version = 4
        self.check(tx, "version")
        tx = copy.deepcopy(ref)
        tx.vout[0].scriptPubKey = CScript([OP_0])  # not a known output template
        self.check(tx, "scriptpubkey")
        tx = copy.deepcopy(ref)
        tx.vin[0].scriptSig = CScript([b"a" * 1648])  # 1651 bytes > 1650
        self.check(tx, "scriptsig-size")
        tx = copy.deepcopy(ref)
        tx.vin[0].scriptSig = CScript([OP_HASH160])
        self.check(tx, "scriptsig-not-pushonly")
        tx = copy.deepcopy(ref)
        tx.vout.append(CTxOut(1, tx.vout[0].scriptPubKey))
        tx.vout.append(CTxOut(2, tx.vout[0].scriptPubKey))
        self.check(tx, "dust")
        tx = copy.deepcopy(ref)
        tx.vout = [CTxOut(tx.vout[0].nValue, CScript([OP_RETURN, b"\xff" * 40]))]
        tx.vout.append(CTxOut(0, CScript([OP_RETURN, b"\xfe" * 40])))  # several OP_RETURNs are fine since Core 30
        tx.vout.append(CTxOut(1000, self.wallet.get_scriptPubKey()))
        assert_equal(node.testmempoolaccept(rawtxs=[tx.serialize().hex()], maxfeerate=0)[0]["allowed"], True)
        tx = copy.deepcopy(ref)
        tx.vout = [CTxOut(0, CScript([OP_RETURN]))]  # 60 bytes without the witness: under 65
        self.check(tx, "tx-size-small")
        tx = copy.deepcopy(ref)
        tx.vout = [CTxOut(1000, CScript([OP_RETURN, b"\x00" * 1000]))] * 100
        tx.vin[0].scriptSig = b""
        self.check(tx, "tx-size")

        self.log.info("Inputs and fees")
        tx = copy.deepcopy(ref)
        tx.vout[0].nValue = self.ref_utxo["amount"] + 1
        self.check(tx, "bad-txns-in-belowout")
        zero_fee = self.wallet.create_self_transfer(
            utxo_to_spend=self.wallet.get_utxo(tip_height=node.getblockcount(), mark_as_spent=False), fee=0)
        min_fee = (100 * zero_fee["tx"].get_vsize() + 999) // 1000  # 0.1 sat/vB, rounded up
        self.check(zero_fee["tx"], "min relay fee not met", "min relay fee not met, 0 < %d" % min_fee)
        young = self.young_coinbase_spend()
        self.check(young, "bad-txns-premature-spend-of-coinbase")
        tx = copy.deepcopy(ref)
        tx.wit.vtxinwit[0].scriptWitness.stack = [bytes(CScript([OP_0]))]  # another witness script: hash mismatch
        self.check(tx, "mempool-script-verify-flag-failed (Witness program hash mismatch)")

        self.log.info("Lock times")
        tip = node.getblockcount()
        tx = copy.deepcopy(ref)
        tx.nLockTime = tip + 1
        tx.vin[0].nSequence = 0xFFFFFFFE
        self.check(tx, "non-final")
        tx.nLockTime = tip
        assert_equal(node.testmempoolaccept([tx.serialize().hex()])[0]["allowed"], True)
        fresh = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.wallet.get_utxo(tip_height=tip))
        self.wallet.generate(1)
        seq = self.wallet.create_self_transfer(utxo_to_spend=fresh["new_utxo"], sequence=2)  # 2 blocks relative
        self.check(seq["tx"], "non-BIP68-final")
        self.wallet.generate(1)
        assert_equal(node.testmempoolaccept([seq["hex"]])[0]["allowed"], True)

        self.test_settings()

    def reference(self):
        """A valid unsent spend of a mature coin, with its coin kept for later."""
        node = self.nodes[0]
        self.ref_utxo = self.wallet.get_utxo(tip_height=node.getblockcount(), mark_as_spent=False)
        ref = self.wallet.create_self_transfer(utxo_to_spend=self.ref_utxo, fee=Decimal("0.0001"))["tx"]
        assert_equal(node.testmempoolaccept([ref.serialize().hex()])[0]["allowed"], True)
        return ref

    def young_coinbase_spend(self):
        node = self.nodes[0]
        block = self.wallet.generate(1)[0]
        cb = node.getblock(block)["tx"][0]
        utxo = [u for u in self.wallet._utxos if u["txid"] == cb][0]
        return self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=Decimal("0.0001"))["tx"]

    def test_settings(self):
        node = self.nodes[0]
        self.log.info("-datacarriersize, -permitbaremultisig, -datacarrier")
        self.restart_node(0, ["-datacarriersize=43", "-permitbaremultisig=0"])
        info = node.getmempoolinfo()
        assert_equal((info["maxdatacarriersize"], info["permitbaremultisig"]), (43, False))
        ref = self.reference()
        tx = copy.deepcopy(ref)
        tx.vout.append(CTxOut(0, CScript([OP_RETURN, b"\xaa" * 41])))  # 43 bytes: fits
        assert_equal(node.testmempoolaccept([tx.serialize().hex()])[0]["allowed"], True)
        tx.vout.append(CTxOut(0, CScript([OP_RETURN])))  # one more byte in total
        self.check(tx, "datacarrier")
        tx = copy.deepcopy(ref)
        tx.vout[0].nValue -= 1000
        tx.vout.append(CTxOut(1000, CScript([OP_2, PUBKEY, PUBKEY, PUBKEY, OP_3, OP_CHECKMULTISIG])))
        self.check(tx, "bare-multisig")

        self.restart_node(0, ["-datacarrier=0"])
        assert_equal(node.getmempoolinfo()["maxdatacarriersize"], 0)
        tx = copy.deepcopy(self.reference())
        tx.vout.append(CTxOut(0, CScript([OP_RETURN])))
        self.check(tx, "datacarrier")
        self.restart_node(0, ["-acceptnonstdtxn=1"])
        tx = copy.deepcopy(self.reference())
        tx.version = 4
        assert_equal(node.testmempoolaccept([tx.serialize().hex()])[0]["allowed"], True)
        self.restart_node(0)


if __name__ == "__main__":
    MempoolAcceptTest().main()
