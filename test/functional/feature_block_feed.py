#!/usr/bin/env python3
"""Blocks built in Python (test_framework.blocktools) fed to one node through
submitblock / submitheader: valid blocks move the tip; invalid ones (coinbase
paying too much, bad merkle root, a mutated copy of a good block, a bad
signature) are refused with Core's BIP 22 reason and leave the tip alone; a
child before its parent; a reorg to a longer fork and back; coinbase spends
of every MiniWallet kind once mature.

The same scenarios through the P2P port are p2p_feed_blocks.py.
"""

import time

from test_framework.blocktools import (
    COINBASE_MATURITY,
    BlockBuilder,
    MiniWallet,
    MiniWalletMode,
    create_regtest_genesis,
    subsidy,
)
from test_framework.messages import CBlockHeader, COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


class BlockFeedTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def submit(self, block, expected=None):
        res = self.nodes[0].submitblock(block.serialize().hex())
        assert_equal(res, expected)
        return res

    def assert_tip(self, block):
        assert_equal(self.nodes[0].getbestblockhash(), block.hash)

    def run_test(self):
        node = self.nodes[0]
        genesis = create_regtest_genesis()
        assert_equal(node.getblockhash(0), genesis.hash)
        wallets = [MiniWallet(mode=m) for m in (MiniWalletMode.ADDRESS_OP_TRUE, MiniWalletMode.P2WPKH,
                                                MiniWalletMode.P2TR, MiniWalletMode.P2PKH)]
        main = BlockBuilder(genesis.hash, 0, int(time.time()) - 3000)

        self.log.info("Valid blocks advance the tip; a resubmission is a duplicate")
        for i in range(10):
            wallet = wallets[i % len(wallets)]
            b = main.add_block(main.next_block(coinbase_script=wallet.get_scriptPubKey()))
            wallet.scan_block(b, main.height)
            self.submit(b)
            self.assert_tip(b)
        assert_equal(node.getblockcount(), 10)
        self.submit(main.blocks[-1], "duplicate")

        self.log.info("Coinbase paying one satoshi too much: bad-cb-amount, tip unchanged")
        bad = main.next_block(nValue=subsidy(main.height + 1) + 1)
        with node.assert_debug_log(["bad-cb-amount"]):
            self.submit(bad, "bad-cb-amount")
        self.assert_tip(main.blocks[-1])
        self.submit(bad, "duplicate-invalid")

        self.log.info("Header committing to another merkle root: bad-txnmrklroot")
        bad = main.next_block(solve=False)
        bad.hashMerkleRoot ^= 1
        bad.solve()
        self.submit(bad, "bad-txnmrklroot")
        self.assert_tip(main.blocks[-1])

        self.log.info("A mutated copy (same header, other coinbase) does not poison the good block's hash")
        good = main.next_block()
        mutated = main.next_block()
        mutated.vtx[0].vout[0].nValue -= 1
        mutated.vtx[0].rehash()
        assert_equal(mutated.rehash(), good.sha256)
        self.submit(mutated, "bad-txnmrklroot")
        self.assert_tip(main.blocks[-1])
        self.submit(main.add_block(good))
        self.assert_tip(good)

        self.log.info("Child before parent: refused without the parent, stored once the headers are known")
        c1 = main.add_block(main.next_block())
        c2 = main.add_block(main.next_block())
        self.submit(c2, "prev-blk-not-found")
        self.assert_tip(main.blocks[-3])
        assert_raises_rpc_error(-25, "Must submit previous header", node.submitheader, CBlockHeader(c2).serialize().hex())
        node.submitheader(CBlockHeader(c1).serialize().hex())
        node.submitheader(CBlockHeader(c2).serialize().hex())
        self.submit(c2, "inconclusive")
        self.assert_tip(main.blocks[-3])
        self.submit(c1)
        self.assert_tip(c2)

        self.log.info("Reorg to a longer fork, then back")
        fork_point = main.blocks[-4]
        fork = main.fork(fork_point)
        fork_blocks = fork.build(4)
        for b in fork_blocks[:3]:  # up to equal work: the first-seen chain stays
            self.submit(b, "inconclusive")
            self.assert_tip(main.blocks[-1])
        self.submit(fork_blocks[3])
        self.assert_tip(fork_blocks[3])
        assert_equal(node.getblockcount(), main.height + 1)
        tips = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert_equal(tips[main.blocks[-1].hash], "valid-fork")
        assert_equal(tips[fork_blocks[3].hash], "active")
        for b in main.build(2):
            self.submit(b, None if b is main.blocks[-1] else "inconclusive")
        self.assert_tip(main.blocks[-1])
        assert_equal(node.getblockcount(), main.height)

        self.log.info("Mature coinbases spent by every MiniWallet kind (P2WSH OP_TRUE, P2WPKH, P2TR, P2PKH)")
        spare = MiniWallet()
        while main.height < COINBASE_MATURITY + 12:
            b = main.add_block(main.next_block(coinbase_script=spare.get_scriptPubKey()))
            self.submit(b)
        txs = []
        fees = 0
        for wallet in wallets:
            utxo = wallet.get_utxo(tip_height=main.height)  # mature for the next block
            assert utxo["coinbase"]
            chain = wallet.create_self_transfer_chain(chain_length=2, utxo_to_spend=utxo)
            txs += [c["tx"] for c in chain]
            fees += sum(int(c["fee"] * COIN) for c in chain)
        self.log.info("... a coinbase claiming the fees plus one satoshi is refused, exactly the fees accepted")
        self.submit(main.next_block(txs, fees=fees + 1), "bad-cb-amount")
        b = main.next_block(txs, fees=fees)
        assert b.vtx[0].has_witness()  # commitment + reserved value, as the block has witness txs
        self.submit(main.add_block(b))
        self.assert_tip(b)
        for wallet in wallets:
            wallet.scan_block(b, main.height)

        self.log.info("A spend with a broken signature: block-script-verify-flag-failed")
        wallet = wallets[1]
        res = wallet.create_self_transfer()
        sig = bytearray(res["tx"].wit.vtxinwit[0].scriptWitness.stack[0])
        sig[10] ^= 1
        res["tx"].wit.vtxinwit[0].scriptWitness.stack[0] = bytes(sig)
        bad = main.next_block([res["tx"]])
        reason = node.submitblock(bad.serialize().hex())
        assert reason.startswith("block-script-verify-flag-failed"), reason
        self.assert_tip(main.blocks[-1])


if __name__ == "__main__":
    BlockFeedTest().main()
