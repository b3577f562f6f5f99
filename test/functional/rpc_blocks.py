#!/usr/bin/env python3
"""Block RPCs: getblockheader, getblock (verbosity 0-3), getchaintips,
getchaintxstats and getblockstats, on a regtest chain mined with
generatetoaddress / generateblock, with forks fed through submitblock and
submitheader. Expected values are computed here from the raw data (hashes,
sizes, weights, fees), not read back from the node."""

import hashlib
from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet, create_block, create_coinbase
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


HEADER_KEYS = ["hash", "confirmations", "height", "version", "versionHex", "merkleroot", "time", "mediantime",
               "nonce", "bits", "target", "difficulty", "chainwork", "nTx", "previousblockhash", "nextblockhash"]


class RpcBlocksTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 1)
        # Block 102: the wallet's first coinbase spent with a 0.0001 BTC fee.
        self.spend = self.wallet.create_self_transfer(fee=Decimal("0.0001"), utxo_to_spend=self.wallet.get_utxo(tip_height=101))
        self.block_hash = node.generateblock(self.wallet.get_address(), [self.spend["hex"]])["hash"]
        assert_equal(node.getblockcount(), 102)

        self.test_getblockheader()
        self.test_getblock()
        self.test_getblockstats()
        self.test_getchaintxstats()
        self.test_getchaintips()
        self.test_help()

    def test_help(self):
        node = self.nodes[0]
        for method, summary in [("getblock", "getblock \"blockhash\" ( verbosity )"),
                                ("getblockheader", "getblockheader \"blockhash\" ( verbose )"),
                                ("getblockstats", "getblockstats hash_or_height ( stats )"),
                                ("getchaintips", "getchaintips"),
                                ("getchaintxstats", "getchaintxstats ( nblocks \"blockhash\" )")]:
            text = node.help(method)
            assert text.startswith(summary + "\n"), text[:80]
            assert "Result" in text and "Examples:" in text
        assert "== Blockchain ==" in node.help()

    def test_getblockheader(self):
        node = self.nodes[0]
        raw = bytes.fromhex(node.getblock(self.block_hash, 0))
        header_hex = node.getblockheader(self.block_hash, False)
        assert_equal(header_hex, raw[:80].hex())
        assert_equal(sha256d(raw[:80])[::-1].hex(), self.block_hash)

        prev = node.getblockhash(101)
        h = node.getblockheader(prev)
        assert_equal(list(h.keys()), HEADER_KEYS)
        assert_equal(h["height"], 101)
        assert_equal(h["confirmations"], 2)
        assert_equal(h["nextblockhash"], self.block_hash)
        assert_equal(h["previousblockhash"], node.getblockhash(100))
        assert_equal(h["bits"], "207fffff")
        assert_equal(h["target"], "7fffff" + "00" * 29)
        assert_equal(h["nTx"], 1)
        # Regtest blocks are worth 2 units of work each: 102 blocks to height 101.
        assert_equal(int(h["chainwork"], 16), 2 * 102)
        assert_equal(h["versionHex"], "%08x" % h["version"])
        tip = node.getblockheader(self.block_hash)
        assert "nextblockhash" not in tip
        assert_equal(tip["merkleroot"], raw[36:68][::-1].hex())

        assert_raises_rpc_error(-5, "Block not found", node.getblockheader, "00" * 32)
        assert_raises_rpc_error(-8, "hash must be of length 64 (not 2, for 'ab')", node.getblockheader, "ab")
        assert_raises_rpc_error(-3, None, node.getblockheader, self.block_hash, "yes")

    def test_getblock(self):
        node = self.nodes[0]
        raw = bytes.fromhex(node.getblock(self.block_hash, 0))
        b1 = node.getblock(self.block_hash)
        assert_equal(list(b1.keys()), HEADER_KEYS[:-1] + ["strippedsize", "size", "weight", "tx"])
        assert_equal(b1["size"], len(raw))
        assert_equal(b1["tx"][1], self.spend["txid"])
        assert_equal(b1["weight"], 3 * b1["strippedsize"] + b1["size"])
        assert b1["strippedsize"] < b1["size"]  # the spend and the coinbase carry witnesses
        assert_equal(node.getblock(self.block_hash, True), b1)
        assert_equal(node.getblock(blockhash=self.block_hash, verbosity=1), b1)

        b2 = node.getblock(self.block_hash, 2)
        coinbase, tx = b2["tx"]
        assert "fee" not in coinbase
        assert_equal(tx["fee"], Decimal("0.0001"))
        assert_equal(tx["hex"], self.spend["hex"])
        assert_equal(tx["txid"], self.spend["txid"])
        assert_equal(tx["vin"][0]["txinwitness"], ["51"])  # the P2WSH(OP_TRUE) witness script
        assert "prevout" not in tx["vin"][0]
        # generateblock (as Core's) builds the coinbase before adding the
        # transactions: it claims the subsidy only, leaving the fee unclaimed.
        assert_equal(sum(o["value"] for o in coinbase["vout"]), Decimal(50))

        b3 = node.getblock(self.block_hash, 3)
        prevout = b3["tx"][1]["vin"][0]["prevout"]
        assert_equal(list(prevout.keys()), ["generated", "height", "value", "scriptPubKey"])
        assert_equal(prevout["generated"], True)
        assert_equal(prevout["height"], 1)
        assert_equal(prevout["value"], Decimal(50))
        assert_equal(prevout["scriptPubKey"]["address"], self.wallet.get_address())
        assert_equal(list(prevout["scriptPubKey"].keys()), ["asm", "desc", "hex", "address", "type"])

        assert_raises_rpc_error(-5, "Block not found", node.getblock, "11" * 32)
        assert_raises_rpc_error(-8, "blockhash must be hexadecimal string (not '" + "zz" * 32 + "')", node.getblock, "zz" * 32)

        # Verbosity 2 and 3 are written as text straight from the block
        # (not through a JSON tree): each transaction must still read as
        # decoderawtransaction and getrawtransaction show the same data.
        for b in (b2, b3, node.getblock(node.getblockhash(1), 3)):
            for t in b["tx"]:
                decoded = node.decoderawtransaction(t["hex"])
                # Verbosity 3's "prevout" is the one thing the inputs add.
                vin = [{k: v for k, v in i.items() if k != "prevout"} for i in t["vin"]]
                assert_equal({k: vin if k == "vin" else t[k] for k in decoded}, decoded)
                extra = set(t) - set(decoded)
                assert extra <= {"fee", "hex"}, extra
        for t in b3["tx"]:
            full = node.getrawtransaction(t["txid"], 2, self.block_hash)
            assert_equal({k: full[k] for k in t}, t)
        # The same block in a batch, in both JSON-RPC dialects.
        batch = node.batch([{"method": "getblock", "params": [self.block_hash, 3], "id": 1},
                            {"jsonrpc": "2.0", "method": "getblock", "params": {"blockhash": self.block_hash, "verbosity": 2}, "id": 2}])
        assert_equal(batch[0]["result"], b3)
        assert_equal(batch[1]["result"], b2)

    def test_getblockstats(self):
        node = self.nodes[0]
        stats = node.getblockstats(102)
        # Core's order: alphabetical, but for the last four.
        assert_equal(list(stats.keys()), [
            "avgfee", "avgfeerate", "avgtxsize", "blockhash", "feerate_percentiles", "height", "ins", "maxfee",
            "maxfeerate", "maxtxsize", "medianfee", "mediantime", "mediantxsize", "minfee", "minfeerate", "mintxsize",
            "outs", "subsidy", "swtotal_size", "swtotal_weight", "swtxs", "time", "total_out", "total_size",
            "total_weight", "totalfee", "txs", "utxo_increase", "utxo_size_inc", "utxo_increase_actual",
            "utxo_size_inc_actual"])
        weight = self.spend["tx"].get_weight()
        size = len(bytes.fromhex(self.spend["hex"]))
        assert_equal(stats["blockhash"], self.block_hash)
        assert_equal(stats["txs"], 2)
        assert_equal(stats["ins"], 1)
        assert_equal(stats["totalfee"], 10000)
        assert_equal(stats["minfee"], 10000)
        assert_equal(stats["avgfeerate"], 10000 * 4 // weight)
        assert_equal(stats["feerate_percentiles"], [10000 * 4 // weight] * 5)
        assert_equal(stats["total_size"], size)
        assert_equal(stats["total_weight"], weight)
        assert_equal(stats["swtxs"], 1)
        assert_equal(stats["subsidy"], 50 * COIN)
        assert_equal(stats["total_out"], 50 * COIN - 10000)
        assert_equal(stats["utxo_increase"], stats["outs"] - stats["ins"])
        assert_equal(node.getblockstats(self.block_hash), stats)
        assert_equal(node.getblockstats(102, ["txs", "height"]), {"height": 102, "txs": 2})
        assert_equal(node.getblockstats(hash_or_height=0)["txs"], 1)

        assert_raises_rpc_error(-8, "Invalid selected statistic 'nope'", node.getblockstats, 102, ["nope"])
        assert_raises_rpc_error(-8, "Target block height -1 is negative", node.getblockstats, -1)
        assert_raises_rpc_error(-8, "Target block height 500 after current tip 102", node.getblockstats, 500)
        assert_raises_rpc_error(-5, "Block not found", node.getblockstats, "00" * 32)

    def test_getchaintxstats(self):
        node = self.nodes[0]
        s = node.getchaintxstats()
        assert_equal(list(s.keys()), ["time", "txcount", "window_final_block_hash", "window_final_block_height",
                                      "window_block_count", "window_interval", "window_tx_count", "txrate"])
        assert_equal(s["txcount"], 104)  # 103 coinbases and the spend
        assert_equal(s["window_final_block_hash"], self.block_hash)
        assert_equal(s["window_block_count"], 101)
        assert_equal(s["window_tx_count"], 102)
        first, last = node.getblockheader(node.getblockhash(1)), node.getblockheader(self.block_hash)
        assert_equal(s["window_interval"], last["mediantime"] - first["mediantime"])
        s10 = node.getchaintxstats(10, node.getblockhash(50))
        assert_equal(s10["window_final_block_height"], 50)
        assert_equal(s10["window_tx_count"], 10)
        assert "window_interval" not in node.getchaintxstats(0)
        assert_raises_rpc_error(-8, "Invalid block count: should be between 0 and the block's height - 1",
                                node.getchaintxstats, 102)
        assert_raises_rpc_error(-5, "Block not found", node.getchaintxstats, 1, "22" * 32)

    def test_getchaintips(self):
        node = self.nodes[0]
        tips = node.getchaintips()
        assert_equal(tips, [{"height": 102, "hash": self.block_hash, "branchlen": 0, "status": "active"}])

        # A competing block at height 102 (less or equal work, received later): valid-headers.
        parent = node.getblockhash(101)
        t = node.getblockheader(parent)["time"]
        fork1 = create_block(parent, create_coinbase(102), t + 5)
        fork1.solve()
        # Stored but not connected: BIP 22's "inconclusive".
        assert_equal(node.submitblock(fork1.serialize().hex()), "inconclusive")
        tips = {x["hash"]: x for x in node.getchaintips()}
        assert_equal(tips[fork1.hash], {"height": 102, "hash": fork1.hash, "branchlen": 1, "status": "valid-headers"})

        # Extending it gives more work: the node reorganises, the old tip becomes a valid fork.
        fork2 = create_block(fork1.hash, create_coinbase(103), t + 6)
        fork2.solve()
        assert_equal(node.submitblock(fork2.serialize().hex()), None)
        assert_equal(node.getbestblockhash(), fork2.hash)
        # A header without its block on top: headers-only.
        fork3 = create_block(fork2.hash, create_coinbase(104), t + 7)
        fork3.solve()
        assert_equal(node.submitheader(fork3.serialize()[:80].hex()), None)

        tips = node.getchaintips()
        assert_equal(tips[0]["height"], 104)
        by_hash = {x["hash"]: (x["height"], x["branchlen"], x["status"]) for x in tips}
        assert_equal(by_hash, {
            fork3.hash: (104, 1, "headers-only"),
            fork2.hash: (103, 0, "active"),
            self.block_hash: (102, 1, "valid-fork"),
        })
        assert_equal(node.getblock(self.block_hash)["confirmations"], -1)
        assert_raises_rpc_error(-1, "Block not available (not fully downloaded)", node.getblock, fork3.hash)
        assert_equal(node.getblockheader(fork3.hash)["confirmations"], -1)


if __name__ == "__main__":
    RpcBlocksTest().main()
