#!/usr/bin/env python3
"""UTXO-set RPCs: gettxout and gettxoutsetinfo.

A fixed regtest chain (blocks built here with fixed times, so every run makes
the same chain) is submitted to the node. The test keeps its own model of
the UTXO set and computes from it, independently of cairnd, everything
gettxoutsetinfo reports: txouts, transactions, bogosize, total_amount,
hash_serialized_3 (double SHA-256 of the best block hash and each coin, by
txid then index) and muhash (MuHash3072 with its ChaCha20 expansion,
implemented below). Both hashes of the final chain are also pinned, and must
be the same after a restart and after a block is disconnected and connected
again (invalidateblock / reconsiderblock).
"""

import hashlib
import struct
from decimal import Decimal

from test_framework.blocktools import REGTEST_GENESIS_HASH, BlockBuilder
from test_framework.messages import COIN, COutPoint, CTransaction, CTxIn, CTxOut, ser_compact_size
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than, assert_raises_rpc_error

GENESIS_TIME = 1296688602
GENESIS_COINBASE_TXID = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
OP_TRUE_SPK = bytes([0x51])
P2PKH_SPK = bytes.fromhex("76a914" + "11" * 20 + "88ac")
OP_RETURN_SPK = bytes.fromhex("6a04deadbeef")

# The final chain's UTXO-set hashes (this chain is the same on every run).
PINNED_HASH_SERIALIZED_3 = "e80649ec75263836c7aa9b9cef4b22b7c1a24e151daaff0dc4997726f9e61c7b"
PINNED_MUHASH = "d9c899c7109f776588c353895b21a325f3aa74abdc0398c8b00bdd39970b9e21"


# ---- an independent MuHash3072 (ChaCha20 from RFC 8439) ----

def _rotl32(v, c):
    return ((v << c) & 0xffffffff) | (v >> (32 - c))


def _quarter_round(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xffffffff
    s[d] = _rotl32(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xffffffff
    s[b] = _rotl32(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xffffffff
    s[d] = _rotl32(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xffffffff
    s[b] = _rotl32(s[b] ^ s[c], 7)


def chacha20_block(key, nonce, counter):
    state = list(struct.unpack("<4I", b"expand 32-byte k")) + list(struct.unpack("<8I", key)) + \
        [counter] + list(struct.unpack("<3I", nonce))
    work = state[:]
    for _ in range(10):
        _quarter_round(work, 0, 4, 8, 12)
        _quarter_round(work, 1, 5, 9, 13)
        _quarter_round(work, 2, 6, 10, 14)
        _quarter_round(work, 3, 7, 11, 15)
        _quarter_round(work, 0, 5, 10, 15)
        _quarter_round(work, 1, 6, 11, 12)
        _quarter_round(work, 2, 7, 8, 13)
        _quarter_round(work, 3, 4, 9, 14)
    return struct.pack("<16I", *[(w + s) & 0xffffffff for w, s in zip(work, state)])


MUHASH_MODULUS = 2**3072 - 1103717


def muhash_digest(elements):
    """The MuHash3072 of a set of byte strings, as gettxoutsetinfo shows it."""
    acc = 1
    for e in elements:
        key = hashlib.sha256(e).digest()
        num = int.from_bytes(b"".join(chacha20_block(key, bytes(12), i) for i in range(6)), "little")
        acc = acc * num % MUHASH_MODULUS
    return hashlib.sha256(acc.to_bytes(384, "little")).digest()[::-1].hex()


def hash256(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


# ---- the model of the UTXO set ----

class UtxoModel:
    def __init__(self):
        self.coins = {}  # (txid hex, n) -> (height, coinbase, value sat, spk bytes)

    def apply_block(self, block, height):
        for tx in block.vtx:
            tx.rehash()
            if not tx.is_coinbase():
                for i in tx.vin:
                    del self.coins[("%064x" % i.prevout.hash, i.prevout.n)]
            for n, out in enumerate(tx.vout):
                spk = bytes(out.scriptPubKey)
                if spk[:1] == b"\x6a":
                    continue  # OP_RETURN: never in the set
                self.coins[(tx.txid_hex, n)] = (height, tx.is_coinbase(), out.nValue, spk)

    def serialized(self, key):
        txid, n = key
        height, coinbase, value, spk = self.coins[key]
        return bytes.fromhex(txid)[::-1] + struct.pack("<I", n) + struct.pack("<I", height * 2 + coinbase) + \
            struct.pack("<q", value) + ser_compact_size(len(spk)) + spk

    def stats(self, best_block):
        # Core's order: by the txid's stored (little-endian) bytes, then by index.
        keys = sorted(self.coins, key=lambda k: (bytes.fromhex(k[0])[::-1], k[1]))
        data = bytes.fromhex(best_block)[::-1] + b"".join(self.serialized(k) for k in keys)
        return {
            "txouts": len(keys),
            "transactions": len({k[0] for k in keys}),
            "bogosize": sum(50 + len(self.coins[k][3]) for k in keys),
            "total_amount": Decimal(sum(self.coins[k][2] for k in keys)) / COIN,
            "hash_serialized_3": hash256(data)[::-1].hex(),
            "muhash": muhash_digest([self.serialized(k) for k in keys]),
        }


def spend(outpoints, outputs):
    tx = CTransaction()
    tx.version = 2
    for txid, n in outpoints:
        tx.vin.append(CTxIn(COutPoint(int(txid, 16), n), b"", 0xffffffff))
    for spk, value in outputs:
        tx.vout.append(CTxOut(value, spk))
    tx.rehash()
    return tx


class RpcTxOutSetTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.model = UtxoModel()
        self.test_genesis_only(node)
        self.build_chain(node)
        self.test_gettxout(node)
        self.test_gettxoutsetinfo(node)
        self.test_disconnect_and_restart(node)

    def check_stats(self, node, height, best):
        expected = self.model.stats(best)
        for hash_type in ("hash_serialized_3", "muhash", "none"):
            info = node.gettxoutsetinfo(hash_type)
            keys = ["height", "bestblock", "txouts", "bogosize"]
            if hash_type != "none":
                keys.append(hash_type)
            keys += ["total_amount", "transactions", "disk_size"]
            assert_equal(list(info.keys()), keys)
            assert_equal(info["height"], height)
            assert_equal(info["bestblock"], best)
            for k in ("txouts", "transactions", "bogosize", "total_amount"):
                assert_equal(info[k], expected[k])
            if hash_type != "none":
                assert_equal(info[hash_type], expected[hash_type])
            assert isinstance(info["disk_size"], int) and info["disk_size"] >= 0
        return expected

    def test_genesis_only(self, node):
        self.log.info("Genesis only: an empty set committed to the genesis block")
        expected = self.check_stats(node, 0, REGTEST_GENESIS_HASH)
        assert_equal(expected["txouts"], 0)
        assert_equal(expected["hash_serialized_3"], hash256(bytes.fromhex(REGTEST_GENESIS_HASH)[::-1])[::-1].hex())
        # The genesis coinbase is not spendable: it is not in the set.
        assert_equal(node.gettxout(GENESIS_COINBASE_TXID, 0), None)

    def build_chain(self, node):
        self.log.info("A fixed chain of 103 blocks with spends, an OP_RETURN and a P2PKH output")
        builder = BlockBuilder(REGTEST_GENESIS_HASH, 0, GENESIS_TIME)
        blocks = builder.build(101)
        cb = [b.vtx[0] for b in blocks]  # cb[i] is the coinbase of block i+1
        for c in cb:
            c.rehash()
        # Block 102: spend block 1's coinbase into three outputs (fee 10000 sat left unclaimed).
        self.tx1 = spend([(cb[0].txid_hex, 0)],
                         [(P2PKH_SPK, 30 * COIN), (OP_RETURN_SPK, 0), (OP_TRUE_SPK, 20 * COIN - 10000)])
        blocks.append(builder.add_block(builder.next_block([self.tx1])))
        # Block 103: spend tx1's last output, and block 2's coinbase into two outputs.
        self.tx2 = spend([(self.tx1.txid_hex, 2)], [(OP_TRUE_SPK, 20 * COIN - 20000)])
        self.tx3 = spend([(cb[1].txid_hex, 0)], [(OP_TRUE_SPK, 10 * COIN), (P2PKH_SPK, 40 * COIN)])
        blocks.append(builder.add_block(builder.next_block([self.tx2, self.tx3])))
        for height, block in enumerate(blocks, start=1):
            assert_equal(node.submitblock(block.serialize().hex()), None)
            self.model.apply_block(block, height)
        self.blocks = blocks
        self.cb = cb
        assert_equal(node.getblockcount(), 103)
        assert_equal(node.getbestblockhash(), blocks[-1].hash)

    def test_gettxout(self, node):
        self.log.info("gettxout")
        tip = node.getbestblockhash()
        last_cb = self.blocks[-1].vtx[0]
        out = node.gettxout(last_cb.txid_hex, 0)
        assert_equal(list(out.keys()), ["bestblock", "confirmations", "value", "scriptPubKey", "coinbase"])
        assert_equal(out["bestblock"], tip)
        assert_equal(out["confirmations"], 1)
        assert_equal(out["value"], Decimal("50.00000000"))
        assert_equal(out["coinbase"], True)
        assert_equal(out["scriptPubKey"]["asm"], "1")
        assert_equal(out["scriptPubKey"]["hex"], "51")
        assert_equal(out["scriptPubKey"]["type"], "nonstandard")
        assert out["scriptPubKey"]["desc"].startswith("raw(51)#")
        assert "address" not in out["scriptPubKey"]

        out = node.gettxout(self.tx1.txid_hex, 0)
        assert_equal(out["confirmations"], 2)
        assert_equal(out["value"], Decimal("30.00000000"))
        assert_equal(out["coinbase"], False)
        spk = out["scriptPubKey"]
        assert_equal(list(spk.keys()), ["asm", "desc", "hex", "address", "type"])
        assert_equal(spk["type"], "pubkeyhash")
        assert_equal(spk["hex"], P2PKH_SPK.hex())
        assert_equal(spk["asm"], "OP_DUP OP_HASH160 " + "11" * 20 + " OP_EQUALVERIFY OP_CHECKSIG")
        assert spk["address"].startswith(("m", "n"))
        assert spk["desc"].startswith("addr(" + spk["address"] + ")#")
        # include_mempool=false gives the same answer (no mempool yet in any case).
        assert_equal(node.gettxout(self.tx1.txid_hex, 0, False), out)
        assert_equal(node.gettxout(txid=self.tx1.txid_hex, n=0, include_mempool=True), out)

        # Spent, unspendable, missing: null.
        assert_equal(node.gettxout(self.tx1.txid_hex, 1), None)  # OP_RETURN
        assert_equal(node.gettxout(self.tx1.txid_hex, 2), None)  # spent by tx2
        assert_equal(node.gettxout(self.cb[0].txid_hex, 0), None)  # spent by tx1
        assert_equal(node.gettxout(self.tx1.txid_hex, 99), None)
        assert_equal(node.gettxout("00" * 32, 0), None)
        # Every coin of the model is there, with its height and coinbase flag.
        for (txid, n), (height, coinbase, value, spk) in self.model.coins.items():
            out = node.gettxout(txid, n)
            assert_equal(out["confirmations"], 103 - height + 1)
            assert_equal(out["coinbase"], coinbase)
            assert_equal(out["value"], Decimal(value) / COIN)
            assert_equal(out["scriptPubKey"]["hex"], spk.hex())

        assert_raises_rpc_error(-8, "txid must be of length 64 (not 2, for 'zz')", node.gettxout, "zz", 0)
        assert_raises_rpc_error(-8, "txid must be hexadecimal string", node.gettxout, "zz" * 32, 0)
        assert_raises_rpc_error(-3, None, node.gettxout, self.tx1.txid_hex, "0")
        assert_raises_rpc_error(-3, None, node.gettxout, self.tx1.txid_hex, 0, "yes")

    def test_gettxoutsetinfo(self, node):
        self.log.info("gettxoutsetinfo: every figure and both hashes from the model")
        tip = node.getbestblockhash()
        expected = self.check_stats(node, 103, tip)
        # 101 coinbases left (blocks 3..103), tx1's P2PKH, tx2's and tx3's two outputs.
        assert_equal(expected["txouts"], 101 + 1 + 1 + 2)
        assert_equal(expected["transactions"], 101 + 3)
        self.log.info("Pinned: %s %s", expected["hash_serialized_3"], expected["muhash"])
        assert_equal(expected["hash_serialized_3"], PINNED_HASH_SERIALIZED_3)
        assert_equal(expected["muhash"], PINNED_MUHASH)
        assert_equal(node.gettxoutsetinfo()["hash_serialized_3"], PINNED_HASH_SERIALIZED_3)
        assert_equal(node.gettxoutsetinfo(hash_type="muhash")["muhash"], PINNED_MUHASH)

        assert_raises_rpc_error(-8, "'sha256' is not a valid hash_type", node.gettxoutsetinfo, "sha256")
        assert_raises_rpc_error(-8, "'' is not a valid hash_type", node.gettxoutsetinfo, "")
        # Without coinstatsindex only the current tip can be described (Core's message).
        for target in (1, tip):
            assert_raises_rpc_error(-8, "Querying specific block heights requires coinstatsindex",
                                    node.gettxoutsetinfo, "muhash", target)
        assert_equal(node.gettxoutsetinfo("muhash", None, False)["muhash"], PINNED_MUHASH)
        assert_raises_rpc_error(-3, None, node.gettxoutsetinfo, 1)

    def test_disconnect_and_restart(self, node):
        self.log.info("Disconnect the tip and connect it again; restart")
        tip = node.getbestblockhash()
        node.invalidateblock(tip)
        prev = self.blocks[-2].hash
        assert_equal(node.getbestblockhash(), prev)
        before = UtxoModel()
        for height, block in enumerate(self.blocks[:-1], start=1):
            before.apply_block(block, height)
        self.model, full = before, self.model
        self.check_stats(node, 102, prev)
        assert_equal(node.gettxout(self.tx3.txid_hex, 0), None)
        assert_equal(node.gettxout(self.tx1.txid_hex, 2)["value"], Decimal(20 * COIN - 10000) / COIN)
        node.reconsiderblock(tip)
        assert_equal(node.getbestblockhash(), tip)
        self.model = full
        self.check_stats(node, 103, tip)

        self.restart_node(0)
        node = self.nodes[0]
        expected = self.check_stats(node, 103, tip)
        assert_equal(expected["hash_serialized_3"], PINNED_HASH_SERIALIZED_3)
        assert_equal(expected["muhash"], PINNED_MUHASH)
        # After a restart the coins sit in LevelDB tables, which disk_size counts.
        assert_greater_than(node.gettxoutsetinfo("none")["disk_size"], 0)


if __name__ == "__main__":
    RpcTxOutSetTest().main()
