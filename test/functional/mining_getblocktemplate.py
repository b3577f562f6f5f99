#!/usr/bin/env python3
"""getblocktemplate (BIP 22/23/9/145) with a mempool, and the mining RPCs
around it: a template holding pool transactions (fees, sigops, weights,
depends, coinbasevalue = subsidy + fees, the default witness commitment), a
block built in Python from it (BIP 34 height, witness commitment) that
submitblock accepts, after which the transactions leave the pool; proposal
mode; long polling; prioritisetransaction and getprioritisedtransactions;
-blockmintxfee, -blockmaxweight and -blockreservedweight; generate* mining
pool transactions; generateblock with txids; and the error cases."""

import copy
import threading
import time
from decimal import Decimal

from test_framework.authproxy import AuthServiceProxy, JSONRPCException
from test_framework.blocktools import (
    MiniWallet,
    add_witness_commitment,
    create_coinbase,
    get_witness_script,
    subsidy,
)
from test_framework.messages import COIN, CBlock, ser_uint256, tx_from_hex
from test_framework.script import CScript, OP_TRUE
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

GBT = {"rules": ["segwit"]}
MAX_BLOCK_WEIGHT = 4000000
DEFAULT_BLOCK_RESERVED_WEIGHT = 8000


def block_from_template(tmpl, txs=None, *, nonce=0):
    """A block on the template: a coinbase paying coinbasevalue with the BIP 34
    height, the template's transactions (or `txs`), the witness commitment."""
    block = CBlock()
    block.nVersion = tmpl["version"]
    block.hashPrevBlock = int(tmpl["previousblockhash"], 16)
    block.nTime = tmpl["curtime"]
    block.nBits = int(tmpl["bits"], 16)
    block.nNonce = nonce
    coinbase = create_coinbase(tmpl["height"], nValue=tmpl["coinbasevalue"])
    block.vtx = [coinbase] + [tx_from_hex(t["data"]) for t in (txs if txs is not None else tmpl["transactions"])]
    add_witness_commitment(block)
    return block


class GetBlockTemplateTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(101)  # one mature coinbase ...
        self.wallet.generate(20)   # ... and then twenty more
        # Quick blocks run ahead of the clock (median time past + 1): start past them.
        tip_time = node.getblockheader(node.getbestblockhash())["time"]
        self.mocktime = max(int(time.time()), tip_time) + 10
        node.setmocktime(self.mocktime)

        self.test_errors()
        self.test_empty_template()
        self.test_template_with_pool()
        self.test_proposal()
        self.test_prioritisation()
        self.test_longpoll()
        self.test_generate_includes_pool()
        self.test_generateblock_txids()
        self.test_options()

    def bump_time(self, seconds=10):
        """The template is kept for five seconds while only the pool changes."""
        self.mocktime += seconds
        self.nodes[0].setmocktime(self.mocktime)

    def test_errors(self):
        node = self.nodes[0]
        self.log.info("Errors: missing segwit rule, bad mode, bad proposal, bad longpollid")
        assert_raises_rpc_error(-8, "getblocktemplate must be called with the segwit rule set (call with {\"rules\": [\"segwit\"]})",
                                node.getblocktemplate, {})
        assert_raises_rpc_error(-8, "getblocktemplate must be called with the segwit rule set",
                                node.getblocktemplate, {"rules": ["taproot"]})
        assert_raises_rpc_error(None, "template_request", node.getblocktemplate)  # the argument is required
        assert_raises_rpc_error(-8, "Invalid mode", node.getblocktemplate, {"mode": "nonsense", "rules": ["segwit"]})
        assert_raises_rpc_error(-8, "Invalid mode", node.getblocktemplate, {"mode": 1, "rules": ["segwit"]})
        assert_raises_rpc_error(-3, "Missing data String key for proposal", node.getblocktemplate, {"mode": "proposal"})
        assert_raises_rpc_error(-22, "Block decode failed", node.getblocktemplate, {"mode": "proposal", "data": "00"})
        assert_raises_rpc_error(-22, "Block decode failed", node.getblocktemplate, {"mode": "proposal", "data": "zz"})
        assert_raises_rpc_error(-8, "longpollid must be of length 64", node.getblocktemplate,
                                {"rules": ["segwit"], "longpollid": "00"})
        assert_raises_rpc_error(-8, "longpollid must be hexadecimal string", node.getblocktemplate,
                                {"rules": ["segwit"], "longpollid": "x" * 64 + "1"})
        assert_raises_rpc_error(-3, None, node.getblocktemplate, "notanobject")

        self.log.info("Errors: prioritisetransaction arguments")
        txid = "11" * 32
        assert_raises_rpc_error(-8, "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
                                node.prioritisetransaction, txid, 1, 0)
        assert_raises_rpc_error(-8, "txid must be of length 64", node.prioritisetransaction, "11", 0, 1)
        assert_raises_rpc_error(-3, None, node.prioritisetransaction, txid, 0, "1")
        assert_raises_rpc_error(-1, None, node.prioritisetransaction, txid)

    def test_empty_template(self):
        node = self.nodes[0]
        self.log.info("A template on an empty pool: every field, in Core's order")
        tip = node.getbestblockhash()
        height = node.getblockcount()
        tmpl = node.getblocktemplate(GBT)
        assert_equal(list(tmpl.keys()), [
            "capabilities", "version", "rules", "vbavailable", "vbrequired", "previousblockhash", "transactions",
            "coinbaseaux", "coinbasevalue", "longpollid", "target", "mintime", "mutable", "noncerange",
            "sigoplimit", "sizelimit", "weightlimit", "curtime", "bits", "height", "default_witness_commitment"])
        assert_equal(tmpl["capabilities"], ["proposal"])
        assert_equal(tmpl["rules"], ["csv", "!segwit", "taproot"])
        assert_equal(tmpl["vbavailable"], {})
        assert_equal(tmpl["vbrequired"], 0)
        assert_equal(tmpl["version"] & 0xE0000000, 0x20000000)
        assert_equal(tmpl["previousblockhash"], tip)
        assert_equal(tmpl["transactions"], [])
        assert_equal(tmpl["coinbaseaux"], {})
        assert_equal(tmpl["coinbasevalue"], subsidy(height + 1))
        # The tip, then the pool's transactions-updated counter.
        assert tmpl["longpollid"].startswith(tip) and tmpl["longpollid"][64:].isdigit()
        assert_equal(tmpl["target"], "7fffff" + "00" * 29)
        assert_equal(tmpl["mintime"], node.getblockheader(tip)["mediantime"] + 1)
        assert_equal(tmpl["mutable"], ["time", "transactions", "prevblock"])
        assert_equal(tmpl["noncerange"], "00000000ffffffff")
        assert_equal(tmpl["sigoplimit"], 80000)
        assert_equal(tmpl["sizelimit"], 4000000)
        assert_equal(tmpl["weightlimit"], 4000000)
        assert_equal(tmpl["curtime"], self.mocktime)
        assert_equal(tmpl["bits"], "207fffff")
        assert_equal(tmpl["height"], height + 1)
        # Coinbase only: the witness root is zero.
        assert_equal(tmpl["default_witness_commitment"], get_witness_script(0, 0).hex())
        info = node.getmininginfo()
        assert_equal(info["currentblocktx"], 0)
        assert_equal(info["currentblockweight"], DEFAULT_BLOCK_RESERVED_WEIGHT)

        self.log.info("An empty template mined from Python")
        block = block_from_template(tmpl)
        block.solve()
        assert_equal(node.submitblock(block.serialize().hex()), None)
        assert_equal(node.getbestblockhash(), block.hash)

    def test_template_with_pool(self):
        node = self.nodes[0]
        self.log.info("Pool transactions in the template: fees, sigops, weight, depends, coinbasevalue")
        height = node.getblockcount()
        parent = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00010"))
        child = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00050"),
                                               utxo_to_spend=parent["new_utxo"])
        other = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00020"))
        assert_equal(sorted(node.getrawmempool()), sorted([parent["txid"], child["txid"], other["txid"]]))
        assert_equal(node.getmininginfo()["pooledtx"], 3)

        self.bump_time()
        tmpl = node.getblocktemplate(GBT)
        txs = tmpl["transactions"]
        # The child pays for its parent: {parent, child} rates above `other`.
        assert_equal([t["txid"] for t in txs], [parent["txid"], child["txid"], other["txid"]])
        fees = [int(p["fee"] * COIN) for p in (parent, child, other)]
        assert_equal([t["fee"] for t in txs], fees)
        assert_equal([t["depends"] for t in txs], [[], [1], []])
        assert_equal([t["sigops"] for t in txs], [0, 0, 0])  # P2WSH(OP_TRUE) spends
        for t, p in zip(txs, (parent, child, other)):
            assert_equal(t["data"], p["hex"])
            assert_equal(t["hash"], p["wtxid"])
            assert_equal(t["weight"], p["tx"].get_weight())
        assert_equal(tmpl["coinbasevalue"], subsidy(height + 1) + sum(fees))
        block = block_from_template(tmpl)
        assert_equal(tmpl["default_witness_commitment"], block.vtx[0].vout[-1].scriptPubKey.hex())
        info = node.getmininginfo()
        assert_equal(info["currentblocktx"], 3)
        assert_equal(info["currentblockweight"], DEFAULT_BLOCK_RESERVED_WEIGHT + sum(t["weight"] for t in txs))

        self.log.info("The template is kept while only the pool changes (five seconds)")
        late = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.001"))
        assert_equal(len(node.getblocktemplate(GBT)["transactions"]), 3)
        self.bump_time(6)
        tmpl = node.getblocktemplate(GBT)
        assert_equal(tmpl["transactions"][0]["txid"], late["txid"])
        assert_equal(len(tmpl["transactions"]), 4)

        self.log.info("The block built from it is accepted; its transactions leave the pool")
        block = block_from_template(tmpl)
        block.solve()
        assert_equal(node.getblocktemplate({"mode": "proposal", "data": block.serialize().hex(), "rules": ["segwit"]}),
                     None)
        assert_equal(node.submitblock(block.serialize().hex()), None)
        assert_equal(node.getbestblockhash(), block.hash)
        assert_equal(node.getrawmempool(), [])
        assert_equal(node.getblock(block.hash)["nTx"], 5)
        self.wallet.scan_block(block, height + 1)
        assert_equal(node.submitblock(block.serialize().hex()), "duplicate")

        # A new tip means a new template at once.
        tmpl = node.getblocktemplate(GBT)
        assert_equal(tmpl["previousblockhash"], block.hash)
        assert_equal(tmpl["transactions"], [])

    def test_proposal(self):
        node = self.nodes[0]
        self.log.info("Proposals (BIP 23)")
        tmpl = node.getblocktemplate(GBT)

        def propose(block):
            return node.getblocktemplate({"mode": "proposal", "data": block.serialize().hex()})

        good = block_from_template(tmpl)
        assert_equal(propose(good), None)  # proof of work is not checked
        bad = copy.deepcopy(good)
        bad.hashMerkleRoot += 1
        assert_equal(propose(bad), "bad-txnmrklroot")
        bad = copy.deepcopy(good)
        bad.nBits = 469762303
        assert_equal(propose(bad), "bad-diffbits")
        bad = copy.deepcopy(good)
        bad.nTime = 0
        assert_equal(propose(bad), "time-too-old")
        bad = copy.deepcopy(good)
        bad.hashPrevBlock = 123
        assert_equal(propose(bad), "inconclusive-not-best-prevblk")
        bad = block_from_template(tmpl)
        bad.vtx[0] = create_coinbase(tmpl["height"], nValue=tmpl["coinbasevalue"] + 1)
        add_witness_commitment(bad)
        assert_equal(propose(bad), "bad-cb-amount")
        bad = block_from_template(tmpl)
        bad.vtx[0] = create_coinbase(tmpl["height"] + 1, nValue=tmpl["coinbasevalue"])
        add_witness_commitment(bad)
        assert_equal(propose(bad), "bad-cb-height")

        self.log.info("Proposals of known blocks: duplicate, duplicate-invalid")
        good.solve()
        assert_equal(node.submitblock(good.serialize().hex()), None)
        assert_equal(propose(good), "duplicate")
        tmpl = node.getblocktemplate(GBT)
        invalid = block_from_template(tmpl)
        invalid.vtx[0] = create_coinbase(tmpl["height"], nValue=tmpl["coinbasevalue"] + 1)
        add_witness_commitment(invalid)
        invalid.solve()
        assert_equal(node.submitblock(invalid.serialize().hex()), "bad-cb-amount")
        assert_equal(propose(invalid), "duplicate-invalid")

    def test_prioritisation(self):
        node = self.nodes[0]
        self.log.info("prioritisetransaction changes the selection; getprioritisedtransactions lists deltas")
        assert_equal(node.getprioritisedtransactions(), {})
        cheap = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00002"))
        dear = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00040"))
        self.bump_time()
        txids = [t["txid"] for t in node.getblocktemplate(GBT)["transactions"]]
        assert_equal(txids, [dear["txid"], cheap["txid"]])

        cheap_fee = int(cheap["fee"] * COIN)
        assert_equal(node.prioritisetransaction(cheap["txid"], 0, 100000), True)
        assert_equal(node.prioritisetransaction(txid=cheap["txid"], fee_delta=1000), True)
        unknown = "ab" * 32
        assert_equal(node.prioritisetransaction(unknown, None, -500), True)
        assert_equal(node.getprioritisedtransactions(), {
            cheap["txid"]: {"fee_delta": 101000, "in_mempool": True, "modified_fee": cheap_fee + 101000},
            unknown: {"fee_delta": -500, "in_mempool": False},
        })
        self.bump_time()
        tmpl = node.getblocktemplate(GBT)
        assert_equal([t["txid"] for t in tmpl["transactions"]], [cheap["txid"], dear["txid"]])
        # The fee shown and the coinbase value stay the real ones.
        assert_equal(tmpl["transactions"][0]["fee"], cheap_fee)
        assert_equal(tmpl["coinbasevalue"],
                     subsidy(tmpl["height"]) + cheap_fee + int(dear["fee"] * COIN))

        self.log.info("A negative delta takes a transaction out of blocks")
        node.prioritisetransaction(dear["txid"], 0, -int(dear["fee"] * COIN) - 1)
        self.bump_time()
        assert_equal([t["txid"] for t in node.getblocktemplate(GBT)["transactions"]], [cheap["txid"]])
        hashes = self.wallet.generate(1)
        block = node.getblock(hashes[0])
        assert cheap["txid"] in block["tx"] and dear["txid"] not in block["tx"]
        assert_equal(node.getrawmempool(), [dear["txid"]])
        # A mined transaction's delta is gone; the others stay.
        deltas = node.getprioritisedtransactions()
        assert cheap["txid"] not in deltas
        assert_equal(deltas[unknown], {"fee_delta": -500, "in_mempool": False})
        node.prioritisetransaction(dear["txid"], 0, int(dear["fee"] * COIN) + 1)
        node.prioritisetransaction(unknown, 0, 500)
        assert_equal(node.getprioritisedtransactions(), {})
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [])

    def longpoll_in_thread(self, longpollid):
        node = self.nodes[0]
        rpc = AuthServiceProxy(node.rpc_url(*node.credentials()), timeout=600)
        result = {}

        def run():
            try:
                result["tmpl"] = rpc.getblocktemplate({"rules": ["segwit"], "longpollid": longpollid})
            except Exception as e:  # reported by the caller
                result["error"] = e

        thread = threading.Thread(target=run)
        thread.start()
        return thread, result

    def test_longpoll(self):
        node = self.nodes[0]
        self.log.info("Long polling: waits, and returns when a block arrives")
        tmpl = node.getblocktemplate(GBT)
        thread, result = self.longpoll_in_thread(tmpl["longpollid"])
        time.sleep(1)
        assert thread.is_alive()
        # A pool change alone does not end it within the first minute.
        self.wallet.send_self_transfer(from_node=node)
        time.sleep(1)
        assert thread.is_alive()
        self.wallet.generate(1)
        thread.join(30)
        assert not thread.is_alive()
        assert "error" not in result, result.get("error")
        assert_equal(result["tmpl"]["previousblockhash"], node.getbestblockhash())
        assert_equal(result["tmpl"]["height"], node.getblockcount() + 1)

        self.log.info("Long polling on a stale tip returns at once")
        thread, result = self.longpoll_in_thread(tmpl["longpollid"])
        thread.join(30)
        assert not thread.is_alive()
        assert_equal(result["tmpl"]["previousblockhash"], node.getbestblockhash())
        # An id that names no block returns at once too.
        thread, result = self.longpoll_in_thread("00" * 32 + "7")
        thread.join(30)
        assert not thread.is_alive()
        assert "tmpl" in result

    def test_generate_includes_pool(self):
        node = self.nodes[0]
        self.log.info("generatetoaddress and generatetodescriptor mine pool transactions")
        a = self.wallet.send_self_transfer(from_node=node)
        b = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=a["new_utxo"])
        height = node.getblockcount()
        hashes = self.wallet.generate(1)
        block = node.getblock(hashes[0], 2)
        assert_equal([tx["txid"] for tx in block["tx"][1:]], [a["txid"], b["txid"]])
        coinbase = block["tx"][0]
        fees = int((a["fee"] + b["fee"]) * COIN)
        assert_equal(int(coinbase["vout"][0]["value"] * COIN), subsidy(height + 1) + fees)
        # Core's coinbase: time-locked to the previous height.
        assert_equal(coinbase["locktime"], height)
        assert_equal(coinbase["vin"][0]["sequence"], 0xfffffffe)
        assert_equal(node.getrawmempool(), [])

        c = self.wallet.send_self_transfer(from_node=node)
        hashes = node.generatetodescriptor(1, self.wallet.get_descriptor())
        assert c["txid"] in node.getblock(hashes[0])["tx"]
        self.wallet.rescan_utxos()

    def test_generateblock_txids(self):
        node = self.nodes[0]
        self.log.info("generateblock takes txids from the pool, leaving the rest")
        a = self.wallet.send_self_transfer(from_node=node)
        b = self.wallet.send_self_transfer(from_node=node)
        raw = self.wallet.create_self_transfer()
        res = node.generateblock(self.wallet.get_address(), [b["txid"], raw["hex"]])
        block = node.getblock(res["hash"])
        assert_equal(block["tx"][1:], [b["txid"], raw["txid"]])
        assert_equal(node.getrawmempool(), [a["txid"]])
        assert_raises_rpc_error(-5, "Transaction %s not in mempool." % ("00" * 32),
                                node.generateblock, self.wallet.get_address(), ["00" * 32])
        self.wallet.generate(1)
        self.wallet.rescan_utxos()

    def test_options(self):
        node = self.nodes[0]
        self.log.info("getmininginfo's blockmintxfee; -blockmintxfee leaves cheaper packages out")
        info = node.getmininginfo()
        assert_equal(info["blockmintxfee"], Decimal("0.00000001"))
        assert_equal(list(info.keys()), ["blocks", "currentblockweight", "currentblocktx", "bits", "difficulty",
                                         "target", "networkhashps", "pooledtx", "blockmintxfee", "chain", "next",
                                         "warnings"])
        self.restart_node(0, ["-blockmintxfee=0.00005", "-persistmempool=0"])
        node.setmocktime(self.mocktime)
        assert_equal(node.getmininginfo()["blockmintxfee"], Decimal("0.00005"))
        below = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00004"))
        above = self.wallet.send_self_transfer(from_node=node, fee_rate=Decimal("0.00006"))
        txids = [t["txid"] for t in node.getblocktemplate(GBT)["transactions"]]
        assert_equal(txids, [above["txid"]])
        self.wallet.generate(1)
        assert_equal(node.getrawmempool(), [below["txid"]])

        self.log.info("-blockmaxweight and -blockreservedweight bound the template")
        self.restart_node(0, ["-blockmaxweight=%d" % (DEFAULT_BLOCK_RESERVED_WEIGHT + 1000), "-persistmempool=0"])
        node.setmocktime(self.mocktime)
        self.wallet.rescan_utxos()
        small = [self.wallet.send_self_transfer(from_node=node) for _ in range(3)]
        weight = small[0]["tx"].get_weight()
        assert_greater_than(1000, 2 * weight)
        # Core's test: the block's weight plus four times the package's vsize must stay below the limit.
        expected, block_weight = 0, DEFAULT_BLOCK_RESERVED_WEIGHT
        for t in small:
            if block_weight + 4 * t["tx"].get_vsize() < DEFAULT_BLOCK_RESERVED_WEIGHT + 1000:
                block_weight += t["tx"].get_weight()
                expected += 1
        assert_equal(expected, 2)
        tmpl = node.getblocktemplate(GBT)
        assert_equal(len(tmpl["transactions"]), expected)
        assert_equal(node.getmininginfo()["currentblockweight"], block_weight)
        self.restart_node(0, ["-blockreservedweight=%d" % (MAX_BLOCK_WEIGHT - weight + 10), "-persistmempool=0"])
        node.setmocktime(self.mocktime)
        self.wallet.rescan_utxos()
        self.wallet.send_self_transfer(from_node=node)
        assert_equal(node.getblocktemplate(GBT)["transactions"], [])
        assert_equal(node.getmininginfo()["currentblockweight"], MAX_BLOCK_WEIGHT - weight + 10)

        self.log.info("Start-up refuses bad values, with Core's messages")
        self.stop_node(0)
        for arg, msg in [
            ("-blockmaxweight=%d" % (MAX_BLOCK_WEIGHT + 1),
             "Error: Specified -blockmaxweight (4000001) exceeds consensus maximum block weight (4000000)"),
            ("-blockreservedweight=%d" % (MAX_BLOCK_WEIGHT + 1),
             "Error: Specified -blockreservedweight (4000001) exceeds consensus maximum block weight (4000000)"),
            ("-blockreservedweight=1999",
             "Error: Specified -blockreservedweight (1999) is lower than minimum safety value of (2000)"),
            ("-blockmintxfee=abc", "Error: Invalid amount for -blockmintxfee=<amount>: 'abc'"),
        ]:
            node.assert_start_raises_init_error([arg], msg)
        self.start_node(0)


if __name__ == "__main__":
    GetBlockTemplateTest().main()
