#!/usr/bin/env python3
"""blocks/xor.dat and -blocksxor (Bitcoin Core 28+).

A new datadir gets a random 8-byte key in blocks/xor.dat, and every byte of
the blk*.dat and rev*.dat files is XORed with it by file offset (byte i with
key[i % 8]): the files never hold a block as peers sent it. The node reads
its files back after a restart and rebuilds everything from them with
-reindex. -blocksxor=0 over a stored non-zero key is refused with Core's
message. Files turned back into plain data, with the key file removed, are
an "existing" blocks directory: the zero key (written to xor.dat), with
-blocksxor=0 or not. A datadir started with -blocksxor=0 gets the zero key
and plain files.
"""

import os
import shutil

from test_framework.blocktools import MiniWallet
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

KEY_SIZE = 8
NULL_KEY = bytes(KEY_SIZE)


def xor_bytes(data, key, offset=0):
    """The bytes at `offset` of a file, XORed with `key` by file offset."""
    if key == NULL_KEY:
        return bytes(data)
    return bytes(b ^ key[(offset + i) % len(key)] for i, b in enumerate(data))


class BlocksXorTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def blocks_dir(self, node):
        return os.path.join(node.chain_dir, "blocks")

    def key_path(self, node):
        return os.path.join(self.blocks_dir(node), "xor.dat")

    def read_key(self, node):
        with open(self.key_path(node), "rb") as f:
            return f.read()

    def data_files(self, node):
        d = self.blocks_dir(node)
        return sorted(os.path.join(d, f) for f in os.listdir(d)
                      if f.startswith(("blk", "rev")) and f.endswith(".dat"))

    def raw_block(self, node, height):
        return bytes.fromhex(node.getblock(node.getblockhash(height), 0))

    def check_all_blocks(self, node):
        """Every block reads back (getblock raw and decoded), and
        verifychain at the highest level (blocks and undo data) passes."""
        for h in range(node.getblockcount() + 1):
            block = node.getblock(node.getblockhash(h), 2)
            assert_equal(block["height"], h)
            self.raw_block(node, h)
        assert node.verifychain(4, 0)

    def run_test(self):
        node, plain = self.nodes

        self.log.info("A new datadir gets a random key in blocks/xor.dat")
        key = self.read_key(node)
        assert_equal(len(key), KEY_SIZE)
        assert key != NULL_KEY

        self.log.info("Mine blocks with spends (undo data to write too)")
        wallet = MiniWallet(node)
        wallet.generate(101)
        for _ in range(3):
            for _ in range(5):
                wallet.send_self_transfer(from_node=node)
            wallet.generate(1)
        height = node.getblockcount()
        best = node.getbestblockhash()

        self.log.info("The blk/rev files are the plain format XORed with the key by file offset")
        node.stop_node()
        blk = os.path.join(self.blocks_dir(node), "blk00000.dat")
        with open(blk, "rb") as f:
            stored = f.read()
        node.start()
        raws = [self.raw_block(node, h) for h in (0, 1, height)]
        for raw in raws:
            assert raw not in stored
        # XORing the whole file with the key gives the plain records back.
        decoded = xor_bytes(stored, key)
        for raw in raws:
            assert raw in decoded
        assert decoded.startswith(bytes.fromhex("fabfb5da"))  # regtest magic
        rev = os.path.join(self.blocks_dir(node), "rev00000.dat")
        with open(rev, "rb") as f:
            assert f.read(4) != bytes.fromhex("fabfb5da")

        self.log.info("A restart reads everything back")
        node.stop_node()
        node.start()
        assert_equal(node.getbestblockhash(), best)
        self.check_all_blocks(node)
        assert_equal(self.read_key(node), key)

        self.log.info("-reindex rebuilds the index and the chainstate from the XORed files")
        node.stop_node()
        node.start(["-reindex"])
        wait_until(lambda: node.getblockcount() == height and node.getbestblockhash() == best, timeout=60,
                   what="reindex")
        self.check_all_blocks(node)
        assert_equal(self.read_key(node), key)

        self.log.info("-blocksxor=0 with a stored random key: Core's start-up error")
        node.stop_node()
        expected = ("The blocksdir XOR-key can not be disabled when a random key was already stored! "
                    "Stored key: '%s', stored path: '%s'." % (key.hex(), self.key_path(node)))
        node.assert_start_raises_init_error(["-blocksxor=0"], expected, match="partial")
        assert_equal(self.read_key(node), key)

        self.log.info("Files turned back into plain data and no xor.dat: the zero key, with -blocksxor=0")
        for path in self.data_files(node):
            with open(path, "rb+") as f:
                data = f.read()
                f.seek(0)
                f.write(xor_bytes(data, key))
        os.remove(self.key_path(node))
        node.start(["-blocksxor=0"])
        assert_equal(self.read_key(node), NULL_KEY)
        assert_equal(node.getbestblockhash(), best)
        self.check_all_blocks(node)

        self.log.info("An existing blocks directory keeps the zero key with -blocksxor=1; new blocks are plain")
        node.stop_node()
        node.start(["-blocksxor=1"])
        assert_equal(self.read_key(node), NULL_KEY)
        new_hash = wallet.generate(1)[0]
        new_raw = bytes.fromhex(node.getblock(new_hash, 0))
        node.stop_node()
        found = False
        for path in self.data_files(node):
            with open(path, "rb") as f:
                found = found or new_raw in f.read()
        assert found
        node.start()
        self.check_all_blocks(node)

        self.log.info("A new datadir with -blocksxor=0 gets the zero key and plain files")
        plain.stop_node()
        for name in os.listdir(plain.chain_dir):
            if name in ("blocks", "chainstate"):
                shutil.rmtree(os.path.join(plain.chain_dir, name))
        plain.start(["-blocksxor=0"])
        assert_equal(self.read_key(plain), NULL_KEY)
        h = plain.generatetoaddress(3, wallet.get_address())[-1]
        raw = bytes.fromhex(plain.getblock(h, 0))
        plain.stop_node()
        with open(os.path.join(self.blocks_dir(plain), "blk00000.dat"), "rb") as f:
            assert raw in f.read()
        plain.start(["-blocksxor=0"])
        self.check_all_blocks(plain)


if __name__ == "__main__":
    BlocksXorTest().main()
