#!/usr/bin/env python3
"""submitblock, submitheader and generateblock.

submitblock's BIP 22 answers (null, "duplicate", "duplicate-invalid",
"inconclusive", a reject reason such as "bad-txnmrklroot", "high-hash",
"bad-cb-amount") and errors; submitheader's; generateblock with raw
transactions (spending anyone-can-spend P2WSH(OP_TRUE) coinbases, in and out
of order), txids (no mempool yet) and submit=false. Blocks are taken from
generateblock(submit=false) and edited here at the byte level.
"""

import hashlib
import struct
from decimal import Decimal

from test_framework.address import ADDRESS_BCRT1_P2WSH_OP_TRUE, address_to_scriptpubkey, program_to_witness
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

OP_TRUE_ADDR = ADDRESS_BCRT1_P2WSH_OP_TRUE
OTHER_ADDR = program_to_witness(0, bytes(32))  # P2WSH of 32 zero bytes: nobody's
REGTEST_TARGET = 0x7fffff << (8 * (0x20 - 3))


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def header_hash_int(header):
    return int.from_bytes(sha256d(header), "little")


def hash_hex(b):
    """A hash as RPCs show it (byte-reversed hex)."""
    return b[::-1].hex()


def read_compact(b, pos):
    n = b[pos]
    if n < 0xfd:
        return n, pos + 1
    size = {0xfd: 2, 0xfe: 4, 0xff: 8}[n]
    return int.from_bytes(b[pos + 1:pos + 1 + size], "little"), pos + 1 + size


def compact(n):
    assert n < 0xfd
    return bytes([n])


class Tx:
    """Just enough of a transaction to edit one and compute its txid."""

    @staticmethod
    def parse(b, pos=0):
        tx = Tx()
        tx.version = b[pos:pos + 4]
        pos += 4
        segwit = b[pos] == 0 and b[pos + 1] == 1
        if segwit:
            pos += 2
        nin, pos = read_compact(b, pos)
        tx.vin = []
        for _ in range(nin):
            prevout = b[pos:pos + 36]
            pos += 36
            slen, pos = read_compact(b, pos)
            script = b[pos:pos + slen]
            pos += slen
            seq = b[pos:pos + 4]
            pos += 4
            tx.vin.append([prevout, script, seq])
        nout, pos = read_compact(b, pos)
        tx.vout = []
        for _ in range(nout):
            value = int.from_bytes(b[pos:pos + 8], "little")
            pos += 8
            slen, pos = read_compact(b, pos)
            tx.vout.append([value, b[pos:pos + slen]])
            pos += slen
        tx.witness = []
        if segwit:
            for _ in range(nin):
                nitems, pos = read_compact(b, pos)
                items = []
                for _ in range(nitems):
                    ilen, pos = read_compact(b, pos)
                    items.append(b[pos:pos + ilen])
                    pos += ilen
                tx.witness.append(items)
        tx.locktime = b[pos:pos + 4]
        return tx, pos + 4

    def serialize(self, with_witness=True):
        witness = with_witness and any(self.witness)
        out = self.version + (b"\x00\x01" if witness else b"")
        out += compact(len(self.vin))
        for prevout, script, seq in self.vin:
            out += prevout + compact(len(script)) + script + seq
        out += compact(len(self.vout))
        for value, script in self.vout:
            out += value.to_bytes(8, "little") + compact(len(script)) + script
        if witness:
            for items in self.witness:
                out += compact(len(items)) + b"".join(compact(len(i)) + i for i in items)
        return out + self.locktime

    def txid(self):
        return sha256d(self.serialize(with_witness=False))


class Block:
    @staticmethod
    def parse(hexdata):
        b = bytes.fromhex(hexdata)
        blk = Block()
        blk.header = bytearray(b[:80])
        n, pos = read_compact(b, 80)
        blk.txs = []
        for _ in range(n):
            tx, pos = Tx.parse(b, pos)
            blk.txs.append(tx)
        assert pos == len(b)
        return blk

    def serialize(self):
        return bytes(self.header) + compact(len(self.txs)) + b"".join(t.serialize() for t in self.txs)

    def hex(self):
        return self.serialize().hex()

    def hash(self):
        return hash_hex(sha256d(bytes(self.header)))

    def set_merkle_root(self, root):
        self.header[36:68] = root

    def merkle_root(self):
        layer = [t.txid() for t in self.txs]
        while len(layer) > 1:
            if len(layer) % 2:
                layer.append(layer[-1])
            layer = [sha256d(layer[i] + layer[i + 1]) for i in range(0, len(layer), 2)]
        return layer[0]

    def solve(self, valid=True):
        """A nonce whose hash meets the regtest target (valid) or does not."""
        nonce = 0
        while True:
            self.header[76:80] = struct.pack("<I", nonce)
            if (header_hash_int(bytes(self.header)) <= REGTEST_TARGET) == valid:
                return
            nonce += 1


def spend_op_true(txid_hex, vout, value_sat, address=OP_TRUE_ADDR):
    """A segwit transaction spending a P2WSH(OP_TRUE) output, as hex."""
    tx = Tx()
    tx.version = (2).to_bytes(4, "little")
    tx.vin = [[bytes.fromhex(txid_hex)[::-1] + vout.to_bytes(4, "little"), b"", b"\xff\xff\xff\xff"]]
    tx.vout = [[value_sat, bytes(address_to_scriptpubkey(address))]]
    tx.witness = [[b"\x51"]]
    tx.locktime = bytes(4)
    return tx.serialize().hex(), hash_hex(tx.txid())


class SubmitBlockTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.node.generatetoaddress(101, OP_TRUE_ADDR)
        self.test_submitblock_valid_and_duplicate()
        self.test_submitblock_errors()
        self.test_submitblock_invalid()
        self.test_submitblock_fork()
        self.test_submitheader()
        self.test_generateblock()

    def template(self, address=OTHER_ADDR, txs=()):
        """A solved block on the tip that is not submitted."""
        result = self.node.generateblock(address, list(txs), False)
        blk = Block.parse(result["hex"])
        assert_equal(blk.hash(), result["hash"])
        return blk

    def test_submitblock_valid_and_duplicate(self):
        node = self.node
        self.log.info("submitblock: a valid block, then the same block again")
        height = node.getblockcount()
        blk = self.template()
        assert_equal(node.getblockcount(), height)  # submit=false left the chain alone
        assert_equal(node.submitblock(blk.hex()), None)
        assert_equal(node.getbestblockhash(), blk.hash())
        assert_equal(node.submitblock(blk.hex()), "duplicate")
        assert_equal(node.submitblock(hexdata=blk.hex(), dummy="ignored"), "duplicate")

    def test_submitblock_errors(self):
        node = self.node
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, "00")
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, self.template().hex()[:-2])
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, "zz")
        blk = self.template()
        blk.txs = []
        assert_raises_rpc_error(-22, "Block does not start with a coinbase", node.submitblock, blk.hex())
        blk = self.template()
        tx, _ = spend_op_true("00" * 32, 0, 1)
        blk.txs = [Tx.parse(bytes.fromhex(tx))[0]]
        assert_raises_rpc_error(-22, "Block does not start with a coinbase", node.submitblock, blk.hex())

    def test_submitblock_invalid(self):
        node = self.node
        tip = node.getbestblockhash()

        self.log.info("submitblock: bad merkle root")
        blk = self.template()
        root = bytearray(blk.header[36:68])
        root[0] ^= 1
        blk.set_merkle_root(bytes(root))
        blk.solve()
        assert_equal(node.submitblock(blk.hex()), "bad-txnmrklroot")
        # Not marked invalid (the body may be a mutated copy): the same answer again.
        assert_equal(node.submitblock(blk.hex()), "bad-txnmrklroot")
        assert node.debug_log_contains("bad-txnmrklroot")

        self.log.info("submitblock: proof of work not met")
        blk = self.template()
        blk.solve(valid=False)
        assert_equal(node.submitblock(blk.hex()), "high-hash")

        self.log.info("submitblock: coinbase pays too much (found when connecting)")
        blk = self.template()
        blk.txs[0].vout[0][0] += 1
        blk.set_merkle_root(blk.merkle_root())
        blk.solve()
        assert_equal(node.submitblock(blk.hex()), "bad-cb-amount")
        assert node.debug_log_contains("bad-cb-amount")
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(node.submitblock(blk.hex()), "duplicate-invalid")

        self.log.info("submitblock: wrong BIP 34 height (found before storing)")
        blk = self.template()
        script = blk.txs[0].vin[0][1]
        blk.txs[0].vin[0][1] = script[:1] + bytes([script[1] ^ 1]) + script[2:]
        blk.set_merkle_root(blk.merkle_root())
        blk.solve()
        assert_equal(node.submitblock(blk.hex()), "bad-cb-height")
        assert_equal(node.submitblock(blk.hex()), "duplicate-invalid")
        assert_equal(node.getbestblockhash(), tip)

    def test_submitblock_fork(self):
        node = self.node
        self.log.info("submitblock: a block on a side branch is inconclusive")
        sibling = self.template(OTHER_ADDR)
        winner = node.generatetoaddress(1, OP_TRUE_ADDR)[0]
        assert sibling.hash() != winner
        assert_equal(node.submitblock(sibling.hex()), "inconclusive")
        assert_equal(node.getbestblockhash(), winner)  # equal work: the first one stays
        assert_equal(node.submitblock(sibling.hex()), "duplicate")
        tips = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert_equal(tips[sibling.hash()], "valid-headers")

    def test_submitheader(self):
        node = self.node
        self.log.info("submitheader")
        blk = self.template()
        header_hex = bytes(blk.header).hex()
        assert_raises_rpc_error(-22, "Block header decode failed", node.submitheader, header_hex[:-2])
        assert_raises_rpc_error(-22, "Block header decode failed", node.submitheader, "xx")
        orphan = bytearray(blk.header)
        orphan[4:36] = bytes(32)
        missing = hash_hex(bytes(32))
        assert_raises_rpc_error(-25, "Must submit previous header (%s) first" % missing,
                                node.submitheader, bytes(orphan).hex())
        bad = Block.parse(blk.hex())
        bad.solve(valid=False)
        assert_raises_rpc_error(-25, "high-hash", node.submitheader, bytes(bad.header).hex())
        bad = Block.parse(blk.hex())
        bad.header[68:72] = struct.pack("<I", 1)  # before the median time past
        bad.solve()
        assert_raises_rpc_error(-25, "time-too-old", node.submitheader, bytes(bad.header).hex())

        assert_equal(node.submitheader(hexdata=header_hex), None)
        assert_equal(node.getblockheader(blk.hash())["confirmations"], -1)  # known, not in the chain
        assert_equal(node.submitheader(header_hex), None)  # again: fine
        # Then the block itself.
        assert_equal(node.submitblock(blk.hex()), None)
        assert_equal(node.getbestblockhash(), blk.hash())

    def test_generateblock(self):
        node = self.node
        self.log.info("generateblock with raw transactions")
        assert_raises_rpc_error(-5, "Error: Invalid address or descriptor", node.generateblock, "nope", [])
        assert_raises_rpc_error(-22, "Transaction decode failed for zz. Make sure the tx has at least one input.",
                                node.generateblock, OP_TRUE_ADDR, ["zz"])
        assert_raises_rpc_error(-22, "Transaction decode failed for 0200", node.generateblock, OP_TRUE_ADDR, ["0200"])
        txid = "ab" * 32
        assert_raises_rpc_error(-5, "Transaction %s not in mempool." % txid, node.generateblock, OP_TRUE_ADDR,
                                [txid])

        # Coinbases of blocks 1 and 2 pay P2WSH(OP_TRUE) and are mature.
        cb1 = node.getblock(node.getblockhash(1), 2)["tx"][0]["txid"]
        cb2 = node.getblock(node.getblockhash(2), 2)["tx"][0]["txid"]
        tx1, tx1_id = spend_op_true(cb1, 0, 49_9999_0000)
        tx2, tx2_id = spend_op_true(tx1_id, 0, 49_9998_0000)  # spends tx1 in the same block
        tx3, tx3_id = spend_op_true(cb2, 0, 60_0000_0000)  # more out than in

        height = node.getblockcount()
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-inputs-missingorspent",
                                node.generateblock, OP_TRUE_ADDR, [tx2, tx1])
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-in-belowout",
                                node.generateblock, OP_TRUE_ADDR, [tx3])
        assert_equal(node.getblockcount(), height)

        # submit=false: the block comes back as hex and the chain does not move.
        result = node.generateblock(output=OP_TRUE_ADDR, transactions=[tx1, tx2], submit=False)
        assert_equal(sorted(result.keys()), ["hash", "hex"])
        assert_equal(node.getblockcount(), height)
        blk = Block.parse(result["hex"])
        assert_equal([hash_hex(t.txid()) for t in blk.txs[1:]], [tx1_id, tx2_id])
        assert_equal(hash_hex(blk.merkle_root()), hash_hex(bytes(blk.header[36:68])))
        # The commitment covers the witnesses of tx1 and tx2.
        commitment = blk.txs[0].vout[-1][1]
        assert commitment.startswith(bytes.fromhex("6a24aa21a9ed"))
        assert_equal(node.submitblock(result["hex"]), None)
        assert_equal(node.getbestblockhash(), result["hash"])
        block = node.getblock(result["hash"], 2)
        assert_equal([t["txid"] for t in block["tx"][1:]], [tx1_id, tx2_id])
        assert_equal(block["tx"][0]["vout"][0]["value"], Decimal("50"))  # fees are not claimed (as Core)
        # Spent now.
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-inputs-missingorspent",
                                node.generateblock, OP_TRUE_ADDR, [tx1])

        # submit=true (the default) with a legacy-serialised coinbase-free list.
        result = node.generateblock(OTHER_ADDR, [])
        assert_equal(list(result.keys()), ["hash"])
        assert_equal(node.getbestblockhash(), result["hash"])
        assert_equal(node.getblock(result["hash"])["nTx"], 1)


if __name__ == "__main__":
    SubmitBlockTest().main()
