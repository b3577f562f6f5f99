#!/usr/bin/env python3
"""The mempool RPCs' fields, types and errors, as in Bitcoin Core 30:
getmempoolinfo, getrawmempool (verbose, mempool_sequence), getmempoolentry,
getmempoolancestors/descendants, gettxspendingprevout, savemempool,
sendrawtransaction's errors (decode, maxfeerate, maxburnamount, missing
inputs, already confirmed), gettxout with include_mempool and
getrawtransaction of a pool transaction."""

import os
from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN, CTxOut
from test_framework.script import OP_RETURN, CScript
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

INFO_KEYS = ["loaded", "size", "bytes", "usage", "total_fee", "maxmempool", "mempoolminfee", "minrelaytxfee",
             "incrementalrelayfee", "unbroadcastcount", "fullrbf", "permitbaremultisig", "maxdatacarriersize"]
ENTRY_KEYS = ["vsize", "weight", "time", "height", "descendantcount", "descendantsize", "ancestorcount",
              "ancestorsize", "wtxid", "fees", "depends", "spentby", "bip125-replaceable", "unbroadcast"]
TX_KEYS = ["txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout", "hex"]


class RpcMempoolInfoTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 3)

        self.log.info("empty info")
        self.test_empty_info()
        self.log.info("chain of three")
        self.test_chain_of_three()
        self.log.info("getrawmempool")
        self.test_getrawmempool()
        self.log.info("entry errors")
        self.test_entry_errors()
        self.log.info("spending prevout")
        self.test_spending_prevout()
        self.log.info("gettxout and getrawtransaction")
        self.test_gettxout_and_getrawtransaction()
        self.log.info("sendrawtransaction errors")
        self.test_sendrawtransaction_errors()
        self.log.info("savemempool")
        self.test_savemempool()
        self.log.info("help")
        self.test_help()
        # A block takes everything (and the unbroadcast set forgets nothing by itself).
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])
        assert_equal(node.getmempoolinfo()["size"], 0)
        assert_equal(node.getmempoolinfo()["total_fee"], Decimal("0"))

    def test_empty_info(self):
        node = self.nodes[0]
        info = node.getmempoolinfo()
        assert_equal(list(info.keys()), INFO_KEYS)
        assert_equal(info["loaded"], True)
        assert_equal((info["size"], info["bytes"], info["unbroadcastcount"]), (0, 0, 0))
        assert isinstance(info["usage"], int)
        assert_equal(info["total_fee"], Decimal("0"))
        assert_equal(info["maxmempool"], 300_000_000)
        # Core 30's defaults: 0.1 sat/vB.
        assert_equal(info["mempoolminfee"], Decimal("0.00000100"))
        assert_equal(info["minrelaytxfee"], Decimal("0.00000100"))
        assert_equal(info["incrementalrelayfee"], Decimal("0.00000100"))
        assert_equal(info["fullrbf"], True)
        assert_equal(info["permitbaremultisig"], True)
        assert_equal(info["maxdatacarriersize"], 100000)
        assert_equal(node.getrawmempool(), [])
        assert_equal(node.getrawmempool(False, True), {"txids": [], "mempool_sequence": 1})  # Core starts at 1
        assert_equal(node.getrawmempool(True), {})

    def test_chain_of_three(self):
        node = self.nodes[0]
        self.a = self.wallet.send_self_transfer(from_node=node, fee=Decimal("0.0001"))
        self.b = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.a["new_utxo"], fee=Decimal("0.0002"))
        self.c = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=self.b["new_utxo"], fee=Decimal("0.0003"),
                                                sequence=0xFFFFFFFF)
        a, b, c = self.a, self.b, self.c
        info = node.getmempoolinfo()
        assert_equal(info["size"], 3)
        assert_equal(info["bytes"], sum(t["tx"].get_vsize() for t in (a, b, c)))
        assert_equal(info["total_fee"], Decimal("0.0006"))
        assert_equal(info["unbroadcastcount"], 3)
        assert_greater_than(info["usage"], 0)

        tip = node.getblockcount()
        ea = node.getmempoolentry(a["txid"])
        assert_equal(list(ea.keys()), ENTRY_KEYS)
        assert_equal(ea["vsize"], a["tx"].get_vsize())
        assert_equal(ea["weight"], a["tx"].get_weight())
        assert isinstance(ea["time"], int)
        assert_equal(ea["height"], tip)
        assert_equal((ea["ancestorcount"], ea["ancestorsize"]), (1, ea["vsize"]))
        assert_equal(ea["descendantcount"], 3)
        assert_equal(ea["descendantsize"], sum(t["tx"].get_vsize() for t in (a, b, c)))
        assert_equal(ea["wtxid"], a["wtxid"])
        assert_equal(ea["fees"], {"base": Decimal("0.0001"), "modified": Decimal("0.0001"),
                                  "ancestor": Decimal("0.0001"), "descendant": Decimal("0.0006")})
        assert_equal(ea["depends"], [])
        assert_equal(ea["spentby"], [b["txid"]])
        assert_equal(ea["bip125-replaceable"], True)
        assert_equal(ea["unbroadcast"], True)

        ec = node.getmempoolentry(c["txid"])
        assert_equal(ec["depends"], [b["txid"]])
        assert_equal(ec["spentby"], [])
        assert_equal((ec["ancestorcount"], ec["descendantcount"]), (3, 1))
        assert_equal(ec["fees"]["ancestor"], Decimal("0.0006"))
        # c does not signal, but its ancestors do.
        assert_equal(ec["bip125-replaceable"], True)

        assert_equal(sorted(node.getmempoolancestors(c["txid"])), sorted([a["txid"], b["txid"]]))
        anc = node.getmempoolancestors(c["txid"], True)
        assert_equal(sorted(anc.keys()), sorted([a["txid"], b["txid"]]))
        assert_equal(anc[a["txid"]], node.getmempoolentry(a["txid"]))
        assert_equal(node.getmempoolancestors(a["txid"]), [])
        assert_equal(node.getmempoolancestors(txid=a["txid"], verbose=True), {})
        assert_equal(sorted(node.getmempooldescendants(a["txid"])), sorted([b["txid"], c["txid"]]))
        desc = node.getmempooldescendants(a["txid"], True)
        assert_equal(desc[c["txid"]], ec)
        assert_equal(node.getmempooldescendants(c["txid"]), [])

    def test_getrawmempool(self):
        node = self.nodes[0]
        ids = [self.a["txid"], self.b["txid"], self.c["txid"]]
        # Parents before children.
        assert_equal(node.getrawmempool(), ids)
        verbose = node.getrawmempool(True)
        assert_equal(list(verbose.keys()), ids)
        for txid in ids:
            assert_equal(verbose[txid], node.getmempoolentry(txid))
        with_seq = node.getrawmempool(verbose=False, mempool_sequence=True)
        assert_equal(list(with_seq.keys()), ["txids", "mempool_sequence"])
        assert_equal(with_seq["txids"], ids)
        assert_equal(with_seq["mempool_sequence"], 4)  # 1 + three additions
        assert_raises_rpc_error(-8, "Verbose results cannot contain mempool sequence values.",
                                node.getrawmempool, True, True)
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type bool",
                                node.getrawmempool, "yes")

    def test_entry_errors(self):
        node = self.nodes[0]
        for method in (node.getmempoolentry, node.getmempoolancestors, node.getmempooldescendants):
            assert_raises_rpc_error(-5, "Transaction not in mempool", method, "00" * 32)
            assert_raises_rpc_error(-8, "txid must be of length 64 (not 3, for 'abc')", method, "abc")
            assert_raises_rpc_error(-8, "txid must be hexadecimal string (not '%s')" % ("zz" * 32), method, "zz" * 32)
        confirmed = node.getblock(node.getbestblockhash())["tx"][0]
        assert_raises_rpc_error(-5, "Transaction not in mempool", node.getmempoolentry, confirmed)

    def test_spending_prevout(self):
        node = self.nodes[0]
        a, b = self.a, self.b
        res = node.gettxspendingprevout([{"txid": a["txid"], "vout": 0}, {"txid": a["txid"], "vout": 5},
                                         {"txid": b["txid"], "vout": 0}])
        assert_equal(res, [{"txid": a["txid"], "vout": 0, "spendingtxid": b["txid"]},
                           {"txid": a["txid"], "vout": 5},
                           {"txid": b["txid"], "vout": 0, "spendingtxid": self.c["txid"]}])
        # The confirmed coin a spends is spent by a.
        spent = a["tx"].vin[0].prevout
        res = node.gettxspendingprevout([{"txid": "%064x" % spent.hash, "vout": spent.n}])
        assert_equal(res[0]["spendingtxid"], a["txid"])

        assert_raises_rpc_error(-8, "Invalid parameter, outputs are missing", node.gettxspendingprevout, [])
        assert_raises_rpc_error(-3, "Missing vout", node.gettxspendingprevout, [{"txid": a["txid"]}])
        assert_raises_rpc_error(-3, "Missing txid", node.gettxspendingprevout, [{"vout": 0}])
        assert_raises_rpc_error(-3, "Unexpected key extra", node.gettxspendingprevout,
                                [{"txid": a["txid"], "vout": 0, "extra": 1}])
        assert_raises_rpc_error(-3, "JSON value of type string for field vout is not of expected type number",
                                node.gettxspendingprevout, [{"txid": a["txid"], "vout": "0"}])
        assert_raises_rpc_error(-8, "Invalid parameter, vout cannot be negative", node.gettxspendingprevout,
                                [{"txid": a["txid"], "vout": -1}])
        assert_raises_rpc_error(-8, "txid must be of length 64 (not 2, for 'ab')", node.gettxspendingprevout,
                                [{"txid": "ab", "vout": 0}])
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type array",
                                node.gettxspendingprevout, "x")

    def test_gettxout_and_getrawtransaction(self):
        node = self.nodes[0]
        a, c = self.a, self.c
        # a's output is spent by b in the pool: gone with the mempool, and not in the chain anyway.
        assert_equal(node.gettxout(a["txid"], 0), None)
        assert_equal(node.gettxout(a["txid"], 0, False), None)
        # c's output: only in the pool, with 0 confirmations.
        out = node.gettxout(c["txid"], 0)
        assert_equal(out["confirmations"], 0)
        assert_equal(out["value"], c["tx"].vout[0].nValue / Decimal(COIN))
        assert_equal(out["coinbase"], False)
        assert_equal(out["bestblock"], node.getbestblockhash())
        assert_equal(node.gettxout(c["txid"], 0, False), None)
        assert_equal(node.gettxout(c["txid"], 1), None)
        # A confirmed coin that a spends: there without the mempool, gone with it.
        spent = a["tx"].vin[0].prevout
        spent_txid = "%064x" % spent.hash
        assert_equal(node.gettxout(spent_txid, spent.n), None)
        assert_equal(node.gettxout(spent_txid, spent.n, False)["confirmations"] >= 1, True)

        assert_equal(node.getrawtransaction(c["txid"]), c["hex"])
        v1 = node.getrawtransaction(c["txid"], 1)
        assert_equal(list(v1.keys()), TX_KEYS)
        assert_equal(v1["hex"], c["hex"])
        v2 = node.getrawtransaction(c["txid"], 2)
        assert "fee" not in v2 and "blockhash" not in v2

    def test_sendrawtransaction_errors(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-22, "TX decode failed. Make sure the tx has at least one input.",
                                node.sendrawtransaction, "00")
        assert_raises_rpc_error(-22, "TX decode failed. Make sure the tx has at least one input.",
                                node.sendrawtransaction, "zz")
        # Already in the pool: accepted again, nothing changes.
        assert_equal(node.sendrawtransaction(self.c["hex"]), self.c["txid"])
        assert_equal(node.getmempoolinfo()["size"], 3)

        # A confirmed transaction whose outputs are unspent.
        utxo = self.wallet.get_utxo(tip_height=node.getblockcount())
        confirmed = self.wallet.create_self_transfer(utxo_to_spend=utxo)
        node.generateblock(self.wallet.get_address(), [confirmed["hex"]])
        self.wallet.scan_tx(confirmed["tx"], height=node.getblockcount(), confirmed=True)
        assert_raises_rpc_error(-27, "Transaction outputs already in utxo set", node.sendrawtransaction,
                                confirmed["hex"])
        # Its input is gone: a second spend has missing inputs.
        double = self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=Decimal("0.0005"))
        assert_raises_rpc_error(-25, "bad-txns-inputs-missingorspent", node.sendrawtransaction, double["hex"])

        # maxfeerate: the default 0.10 BTC/kvB, 0 to turn off, at most just under 1 BTC/kvB.
        rich = self.wallet.create_self_transfer(fee=Decimal("0.5"))
        assert_raises_rpc_error(-25, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
                                node.sendrawtransaction, rich["hex"])
        assert_raises_rpc_error(-25, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
                                node.sendrawtransaction, rich["hex"], "0.5")
        assert_raises_rpc_error(-8, "Fee rates larger than or equal to 1BTC/kvB are not accepted",
                                node.sendrawtransaction, rich["hex"], 1)
        assert_raises_rpc_error(-3, "Amount out of range", node.sendrawtransaction, rich["hex"], -1)
        assert_equal(node.getmempoolinfo()["size"], 3)
        assert_equal(node.sendrawtransaction(hexstring=rich["hex"], maxfeerate=0), rich["txid"])
        self.wallet.scan_tx(rich["tx"])

        # maxburnamount: an OP_RETURN output worth something.
        utxo = self.wallet.get_utxo()
        tx = self.wallet.create_self_transfer(utxo_to_spend=utxo, fee=Decimal("0.001"))["tx"]
        tx.vout[0].nValue -= 10000
        tx.vout.append(CTxOut(10000, CScript([OP_RETURN, b"burn"])))
        self.wallet.sign_tx(tx, {0: self.wallet._spent_txout(utxo)})
        assert_raises_rpc_error(-25, "Unspendable output exceeds maximum configured by user (maxburnamount)",
                                node.sendrawtransaction, tx.serialize().hex())
        assert_raises_rpc_error(-25, "Unspendable output exceeds maximum configured by user (maxburnamount)",
                                node.sendrawtransaction, tx.serialize().hex(), 0, "0.00009999")
        assert_equal(node.sendrawtransaction(tx.serialize().hex(), 0, "0.0001"), tx.txid_hex)
        self.wallet.scan_tx(tx)
        self.extra = [rich["txid"], tx.txid_hex]
        assert_equal(node.getmempoolinfo()["unbroadcastcount"], 5)

    def test_savemempool(self):
        node = self.nodes[0]
        path = os.path.join(node.chain_dir, "mempool.dat")
        if os.path.exists(path):
            os.remove(path)
        res = node.savemempool()
        assert_equal(list(res.keys()), ["filename"])
        assert_equal(os.path.abspath(res["filename"]), os.path.abspath(path))
        assert os.path.isfile(path)

    def test_help(self):
        node = self.nodes[0]
        for method, summary in [
            ("getrawmempool", "getrawmempool ( verbose mempool_sequence )"),
            ("getmempoolinfo", "getmempoolinfo"),
            ("getmempoolentry", "getmempoolentry \"txid\""),
            ("getmempoolancestors", "getmempoolancestors \"txid\" ( verbose )"),
            ("getmempooldescendants", "getmempooldescendants \"txid\" ( verbose )"),
            ("gettxspendingprevout", "gettxspendingprevout [{\"txid\":\"hex\",\"vout\":n},...]"),
            ("savemempool", "savemempool"),
            ("sendrawtransaction", "sendrawtransaction \"hexstring\" ( maxfeerate maxburnamount )"),
            ("testmempoolaccept", "testmempoolaccept [\"rawtx\",...] ( maxfeerate )"),
            ("submitpackage", "submitpackage [\"rawtx\",...] ( maxfeerate maxburnamount )"),
        ]:
            text = node.help(method)
            assert text.startswith(summary + "\n"), text[:120]
        listing = node.help()
        for method in ("getmempoolinfo", "getrawmempool", "savemempool", "gettxspendingprevout"):
            assert method in listing.split("== Blockchain ==")[1].split("==")[0], method
        for method in ("sendrawtransaction", "testmempoolaccept", "submitpackage"):
            assert method in listing.split("== Rawtransactions ==")[1].split("==")[0], method
        assert_raises_rpc_error(-1, None, node.getmempoolinfo, 1)


if __name__ == "__main__":
    RpcMempoolInfoTest().main()
