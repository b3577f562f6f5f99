#!/usr/bin/env python3
"""Bad input end to end: damaged databases, a newer format, bad -loadblock files.

* The chainstate or the block index LevelDB damaged (table files garbled, or
  truncated): start-up fails with a clear "Error: ..." on stderr that offers
  -reindex; no table or block file is deleted or changed; -reindex then
  rebuilds the same chain.
* A block index written by a "newer version" (its 'V' format record says 2):
  start-up fails, saying so, and leaves it unchanged.
* A -loadblock file with a garbled block in the middle, or truncated inside
  its last block: the good blocks are imported, the bad record is logged
  and printed on stderr ("Warning: FILE: ..."),
  and the node keeps running.

The chain comes from ../shared/bench/genchain.py (120 blocks).
"""

import hashlib
import os
import struct
import subprocess
import sys

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

GENCHAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "genchain.py")
BLOCKS = 120
MAGIC = bytes.fromhex("fabfb5da")


def find_genchain():
    for path in (os.environ.get("GENCHAIN", ""), GENCHAIN, "/work/shared/bench/genchain.py"):
        if path and os.path.exists(path):
            return path
    return None


def records(data):
    """(offset of the magic, payload bytes) of each record of a blk-format file."""
    out = []
    pos = 0
    while pos + 8 <= len(data):
        assert data[pos:pos + 4] == MAGIC
        size = struct.unpack_from("<I", data, pos + 4)[0]
        out.append((pos, data[pos + 8:pos + 8 + size]))
        pos += 8 + size
    return out


# ---- just enough LevelDB to add one record through its write-ahead log ----

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint32(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def leveldb_append_put(db_dir, key, value, sequence=1 << 50):
    """Appends a one-put WriteBatch to the newest log of a closed LevelDB:
    replayed at the next open, as if the database had written it."""
    logs = sorted(f for f in os.listdir(db_dir) if f.endswith(".log"))
    assert logs, "no LevelDB log in %s" % db_dir
    path = os.path.join(db_dir, logs[-1])
    batch = struct.pack("<QI", sequence, 1) + b"\x01" + varint32(len(key)) + key + varint32(len(value)) + value
    record_type = 1  # FULL
    header = struct.pack("<IHB", masked_crc(bytes([record_type]) + batch), len(batch), record_type)
    size = os.path.getsize(path)
    # Start on a fresh 32 KiB block: the reader skips zero padding to the block's end.
    pad = (-size) % 32768
    with open(path, "ab") as f:
        f.write(b"\x00" * pad + header + batch)


def snapshot(root, suffixes):
    """name -> sha256 of the files under root ending in one of suffixes."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(suffixes):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


class BadDataTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def run_test(self):
        genchain = find_genchain()
        if genchain is None:
            # A missing shared file fails the run, as a missing vector does.
            raise AssertionError("../shared/bench/genchain.py not found (set GENCHAIN)")
        self.chain = os.path.join(self.tmpdir, "chain.blk")
        subprocess.run([sys.executable, genchain, "--blocks", str(BLOCKS), "--txs-per-block", "5", "--out",
                        self.chain], check=True, stdout=subprocess.DEVNULL)
        with open(self.chain, "rb") as f:
            self.chain_bytes = f.read()
        self.recs = records(self.chain_bytes)
        assert_equal(len(self.recs), BLOCKS)

        node = self.nodes[0]
        node.stop_node()
        node.start(["-loadblock=" + self.chain])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=60, what="import")
        self.tip = node.getbestblockhash()
        node.stop_node()
        # A second start turns LevelDB's logs into table files (.ldb).
        node.start()
        assert_equal(node.getbestblockhash(), self.tip)
        node.stop_node()

        self.test_damaged_db("chainstate", garble=True)
        self.test_damaged_db(os.path.join("blocks", "index"), garble=True)
        self.test_damaged_db("chainstate", garble=False)
        self.test_newer_version()
        self.test_bad_loadblock()

    def test_damaged_db(self, db, garble):
        node = self.nodes[0]
        self.log.info("%s: %s table files", db, "garbled" if garble else "truncated")
        db_dir = os.path.join(node.chain_dir, db)
        tables = sorted(f for f in os.listdir(db_dir) if f.endswith(".ldb"))
        assert tables, "no table files in %s" % db_dir
        for name in tables:
            path = os.path.join(db_dir, name)
            size = os.path.getsize(path)
            with open(path, "r+b") as f:
                if garble:
                    # Every 4 KiB block of the table gets a bad checksum.
                    for off in range(16, size, 1024):
                        f.seek(off)
                        f.write(b"\xa5" * 16)
                else:
                    f.truncate(size // 2)
        before = snapshot(node.chain_dir, (".ldb", ".dat"))
        stderr = node.assert_start_raises_init_error([])
        self.log.info("stderr: %s", stderr)
        assert stderr.startswith("Error: "), stderr
        assert "-reindex" in stderr, stderr
        assert os.path.basename(db) in stderr, stderr
        assert "\n" not in stderr, stderr  # one clear line
        # Nothing deleted or rewritten: the damaged tables and the block files are as they were.
        after = snapshot(node.chain_dir, (".ldb", ".dat"))
        for name, digest in before.items():
            assert_equal((name, after.get(name)), (name, digest))
        self.log.info("-reindex rebuilds the same chain from the block files")
        node.start(["-reindex"])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=60, what="reindex")
        assert_equal(node.getbestblockhash(), self.tip)
        node.stop_node()
        node.start()  # tables again (see run_test)
        assert_equal(node.getbestblockhash(), self.tip)
        node.stop_node()

    def test_newer_version(self):
        node = self.nodes[0]
        self.log.info("A block index written by a newer version")
        db_dir = os.path.join(node.chain_dir, "blocks", "index")
        leveldb_append_put(db_dir, b"V", struct.pack("<I", 2))
        before = snapshot(node.chain_dir, (".dat",))
        stderr = node.assert_start_raises_init_error([])
        self.log.info("stderr: %s", stderr)
        assert stderr.startswith("Error: "), stderr
        assert "format version 2, newer than this version of Cairn supports (1)" in stderr, stderr
        assert "left unchanged" in stderr, stderr
        assert_equal(snapshot(node.chain_dir, (".dat",)), before)
        # Still refused the second time: the record was not rewritten.
        stderr2 = node.assert_start_raises_init_error([])
        assert "format version 2" in stderr2, stderr2

    def test_bad_loadblock(self):
        node = self.nodes[1]
        node.stop_node()
        self.log.info("-loadblock: a block in the middle garbled (a coinbase byte: merkle root mismatch)")
        bad = bytearray(self.chain_bytes)
        off, payload = self.recs[59]  # block 60
        bad[off + 8 + len(payload) - 10] ^= 0xFF  # inside the coinbase (the only transaction)
        path = os.path.join(self.tmpdir, "garbled.blk")
        with open(path, "wb") as f:
            f.write(bad)
        node.start(["-loadblock=" + path])
        wait_until(lambda: node.debug_log_contains("Loaded %d blocks" % BLOCKS) or
                   node.debug_log_contains("Loaded %d blocks" % (BLOCKS - 1)), timeout=60, what="import")
        wait_until(lambda: node.debug_log_contains("were not imported"), timeout=30, what="import end")
        assert_equal(node.getblockcount(), 59)
        assert node.debug_log_contains("is invalid"), "the bad block was not logged"
        # ...and shown on stderr, the node going on.
        stderr = node.read_stderr()
        assert stderr.startswith("Warning: " + path + ": block "), stderr
        assert "is invalid: bad-txnmrklroot" in stderr, stderr
        # The node keeps running and answers: its block 59 is the file's.
        header59 = self.recs[58][1][:80]
        assert_equal(node.getblockhash(59), hashlib.sha256(hashlib.sha256(header59).digest()).digest()[::-1].hex())

        self.log.info("-loadblock: the file truncated inside its last block")
        cut = self.recs[-1][0] + 8 + len(self.recs[-1][1]) // 2
        path = os.path.join(self.tmpdir, "truncated.blk")
        with open(path, "wb") as f:
            f.write(self.chain_bytes[:cut])
        node.stop_node(expected_stderr=None)
        node.start(["-loadblock=" + path])
        wait_until(lambda: node.getblockcount() == BLOCKS - 1, timeout=60, what="import")
        wait_until(lambda: node.debug_log_contains("truncated"), timeout=30, what="log of the truncated record")
        node.getblockchaininfo()  # still serving
        stderr = node.read_stderr()
        assert stderr.startswith("Warning: " + path + ": "), stderr
        assert "truncated" in stderr, stderr
        self.log.info("...the rest arrives later from a good file")
        node.stop_node(expected_stderr=None)
        node.start(["-loadblock=" + self.chain])
        wait_until(lambda: node.getblockcount() == BLOCKS, timeout=60, what="import")
        assert_equal(node.getbestblockhash(), self.tip)


if __name__ == "__main__":
    BadDataTest().main()
