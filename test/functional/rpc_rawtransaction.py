#!/usr/bin/env python3
"""getrawtransaction (verbosity 0/1/2, with and without a block hash),
decoderawtransaction (iswitness) and decodescript (Bitcoin Core's
rpc_decodescript.json vectors, multisig, P2PKH and uncompressed-key
wrappings), on transactions mined here with generateblock."""

import json
import os
from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet, MiniWalletMode
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

TX_KEYS = ["txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout"]
G1 = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
G2 = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"


def vectors_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("CAIRN_VECTORS_DIR") or os.path.join(here, "..", "..", "..", "shared", "vectors")


class RpcRawTransactionTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        # A P2PKH wallet, so that scriptSigs carry a signature ([ALL] in asm).
        self.wallet = MiniWallet(node, mode=MiniWalletMode.P2PKH)
        self.wallet.generate(COINBASE_MATURITY + 1)
        self.spend = self.wallet.create_self_transfer(fee=Decimal("0.00002"), utxo_to_spend=self.wallet.get_utxo(tip_height=101))
        self.block_hash = node.generateblock(self.wallet.get_address(), [self.spend["hex"]])["hash"]

        self.test_getrawtransaction()
        self.test_decoderawtransaction()
        self.test_decodescript()
        for method, summary in [("getrawtransaction", "getrawtransaction \"txid\" ( verbosity \"blockhash\" )"),
                                ("decoderawtransaction", "decoderawtransaction \"hexstring\" ( iswitness )"),
                                ("decodescript", "decodescript \"hexstring\"")]:
            text = node.help(method)
            assert text.startswith(summary + "\n"), text[:80]
        assert "== Rawtransactions ==" in node.help()

    def test_getrawtransaction(self):
        node = self.nodes[0]
        txid, bh = self.spend["txid"], self.block_hash
        assert_raises_rpc_error(-5, "No such mempool transaction. Use -txindex or provide a block hash to enable "
                                    "blockchain transaction queries. Use gettransaction for wallet transactions.",
                                node.getrawtransaction, txid)
        assert_equal(node.getrawtransaction(txid, 0, bh), self.spend["hex"])
        assert_equal(node.getrawtransaction(txid, False, bh), self.spend["hex"])

        v1 = node.getrawtransaction(txid, 1, bh)
        assert_equal(list(v1.keys()), ["in_active_chain"] + TX_KEYS + ["hex", "blockhash", "confirmations", "time", "blocktime"])
        assert_equal(v1["in_active_chain"], True)
        assert_equal(v1["confirmations"], 1)
        assert_equal(v1["blocktime"], node.getblockheader(bh)["time"])
        assert_equal(v1["time"], v1["blocktime"])
        assert_equal(v1["hex"], self.spend["hex"])
        assert_equal(node.getrawtransaction(txid=txid, verbose=True, blockhash=bh), v1)
        sig_asm = v1["vin"][0]["scriptSig"]["asm"]
        assert "[ALL] " in sig_asm, sig_asm
        assert_equal(v1["vout"][0]["scriptPubKey"]["address"], self.wallet.get_address())
        assert "fee" not in v1

        v2 = node.getrawtransaction(txid, 2, bh)
        assert_equal(v2["fee"], Decimal("0.00002"))
        prevout = v2["vin"][0]["prevout"]
        assert_equal((prevout["generated"], prevout["height"], prevout["value"]), (True, 1, Decimal(50)))
        assert_equal(prevout["scriptPubKey"]["type"], "pubkeyhash")
        # The coinbase spends nothing: no fee or prevout at verbosity 2.
        cb = node.getblock(bh)["tx"][0]
        cb2 = node.getrawtransaction(cb, 2, bh)
        assert "fee" not in cb2 and "prevout" not in cb2["vin"][0]

        other = node.getblockhash(50)
        assert_raises_rpc_error(-5, "No such transaction found in the provided block. Use gettransaction for wallet "
                                    "transactions.", node.getrawtransaction, txid, 1, other)
        assert_raises_rpc_error(-5, "Block hash not found", node.getrawtransaction, txid, 1, "33" * 32)
        genesis_cb = node.getblock(node.getblockhash(0))["tx"][0]
        assert_raises_rpc_error(-5, "The genesis block coinbase is not considered an ordinary transaction and cannot "
                                    "be retrieved", node.getrawtransaction, genesis_cb)
        assert_raises_rpc_error(-8, "parameter 1 must be of length 64 (not 3, for 'abc')", node.getrawtransaction, "abc")
        assert_raises_rpc_error(-8, "parameter 3 must be of length 64 (not 1, for 'x')", node.getrawtransaction, txid, 1, "x")

    def test_decoderawtransaction(self):
        node = self.nodes[0]
        d = node.decoderawtransaction(self.spend["hex"])
        assert_equal(list(d.keys()), TX_KEYS)
        v1 = node.getrawtransaction(self.spend["txid"], 1, self.block_hash)
        assert_equal(d, {k: v1[k] for k in TX_KEYS})
        assert_equal(d["size"], len(self.spend["hex"]) // 2)
        assert_equal(d["weight"], self.spend["tx"].get_weight())
        assert_equal(node.decoderawtransaction(self.spend["hex"], False), d)  # legacy: no witness anyway

        # A segwit transaction: decodes with iswitness true (or absent), not with false.
        segwit = MiniWallet(node)  # P2WSH(OP_TRUE)
        segwit.generate(1)
        node.generatetoaddress(COINBASE_MATURITY, self.wallet.get_address())
        tx = segwit.create_self_transfer(utxo_to_spend=segwit.get_utxo())
        sd = node.decoderawtransaction(tx["hex"])
        assert_equal(sd["vin"][0]["txinwitness"], ["51"])
        assert sd["hash"] != sd["txid"]
        assert_equal(sd["vsize"], (sd["weight"] + 3) // 4)
        assert_equal(node.decoderawtransaction(tx["hex"], True), sd)
        assert_raises_rpc_error(-22, "TX decode failed", node.decoderawtransaction, tx["hex"], False)
        assert_raises_rpc_error(-22, "TX decode failed", node.decoderawtransaction, "00")
        assert_raises_rpc_error(-22, "TX decode failed", node.decoderawtransaction, self.spend["hex"] + "00")
        assert_raises_rpc_error(-22, "TX decode failed", node.decoderawtransaction, "nothex")

    def test_decodescript(self):
        node = self.nodes[0]
        path = os.path.join(vectors_dir(), "core", "rpc_decodescript.json")
        with open(path, encoding="utf8") as f:
            vectors = json.load(f)
        for script, expected in vectors:
            got = node.decodescript(script)
            assert_equal(sorted(got.keys()), sorted(expected.keys()))
            for key, value in expected.items():
                assert_equal(got[key], value)
        assert_equal(len(vectors), 10)

        ms = node.decodescript("5121" + G1 + "21" + G2 + "52ae")
        assert_equal(list(ms.keys()), ["asm", "desc", "type", "p2sh", "segwit"])
        assert_equal(ms["asm"], "1 %s %s 2 OP_CHECKMULTISIG" % (G1, G2))
        assert ms["desc"].startswith("multi(1,%s,%s)#" % (G1, G2))
        assert_equal(list(ms["segwit"].keys()), ["asm", "desc", "hex", "address", "type", "p2sh-segwit"])
        assert ms["segwit"]["desc"].startswith("wsh(multi(1,")
        assert_equal(ms["segwit"]["type"], "witness_v0_scripthash")

        pkh = node.decodescript("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac")
        assert_equal(pkh["address"], "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r")  # key 1's testnet/regtest P2PKH
        assert_equal(pkh["segwit"]["hex"], "0014751e76e8199196d454941c45d1b3a323f1433bd6")
        assert_equal(pkh["segwit"]["address"], "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")

        uncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" \
                       "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        pk = node.decodescript("41" + uncompressed + "ac")
        assert_equal(pk["type"], "pubkey")
        assert pk["desc"].startswith("pk(%s)#" % uncompressed)
        assert "address" not in pk and "segwit" not in pk and "p2sh" in pk
        assert_equal(node.decodescript("")["type"], "nonstandard")
        assert_raises_rpc_error(-8, "argument must be hexadecimal string (not 'zz')", node.decodescript, "zz")


if __name__ == "__main__":
    RpcRawTransactionTest().main()
