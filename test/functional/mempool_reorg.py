#!/usr/bin/env python3
"""The pool across reorganisations, as in Bitcoin Core 30's mempool_reorg.py:
transactions of a disconnected block come back (with their in-pool
children), a spend of a coinbase that is immature again leaves with its
descendants, a transaction no longer final leaves, and a block spending the
same coin as a pool transaction removes that transaction and its children;
pool spenders of re-added transactions that now exceed the ancestor limits
(count or size) leave."""

from decimal import Decimal

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class MempoolReorgTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        wallet = MiniWallet(node)
        wallet.generate(COINBASE_MATURITY + 20)

        self.log.info("A disconnected block's transactions return, children keep their parent")
        tip = node.getblockcount()
        x = wallet.send_self_transfer(from_node=node, utxo_to_spend=wallet.get_utxo(tip_height=tip))
        block_x = wallet.generate(1)[0]
        assert_equal(node.getrawmempool(), [])
        y = wallet.send_self_transfer(from_node=node, utxo_to_spend=x["new_utxo"])
        assert_equal(node.getmempoolentry(y["txid"])["depends"], [])
        node.invalidateblock(block_x)
        assert_equal(sorted(node.getrawmempool()), sorted([x["txid"], y["txid"]]))
        assert_equal(node.getmempoolentry(y["txid"])["depends"], [x["txid"]])
        assert_equal(node.getmempoolentry(x["txid"])["spentby"], [y["txid"]])
        node.reconsiderblock(block_x)
        assert_equal(node.getbestblockhash(), block_x)
        assert_equal(node.getrawmempool(), [y["txid"]])
        assert_equal(node.getmempoolentry(y["txid"])["depends"], [])
        # y into a block, then two empty blocks: what follows disconnects only those.
        node.generateblock(wallet.get_address(), [y["hex"]])
        node.generateblock(wallet.get_address(), [])
        node.generateblock(wallet.get_address(), [])
        assert_equal(node.getrawmempool(), [])

        self.log.info("Coinbase spends that become immature, and lock times no longer final, leave")
        tip = node.getblockcount()
        # The coinbase of height tip - 99 is spendable in the next block, not one block earlier.
        cb_height = tip - COINBASE_MATURITY + 1
        cb_hash = node.getblock(node.getblockhash(cb_height))["tx"][0]
        cb_utxo = [u for u in wallet._utxos if u["txid"] == cb_hash][0]
        wallet._utxos.remove(cb_utxo)
        spend_cb = wallet.send_self_transfer(from_node=node, utxo_to_spend=cb_utxo)
        spend_cb_child = wallet.send_self_transfer(from_node=node, utxo_to_spend=spend_cb["new_utxo"])
        # Final at the next height (locktime < height), not at the current one.
        locked = wallet.send_self_transfer(from_node=node, utxo_to_spend=wallet.get_utxo(tip_height=tip - 2),
                                           locktime=tip)
        keep = wallet.send_self_transfer(from_node=node, utxo_to_spend=wallet.get_utxo(tip_height=tip - 2))
        assert_equal(node.getmempoolinfo()["size"], 4)
        last = node.getbestblockhash()
        node.invalidateblock(last)
        assert_equal(node.getblockcount(), tip - 1)
        assert_equal(node.getrawmempool(), [keep["txid"]])
        node.reconsiderblock(last)
        assert_equal(node.getblockcount(), tip)
        # Gone for good: a reorg does not bring back what it removed.
        assert_equal(node.getrawmempool(), [keep["txid"]])
        for t in (spend_cb, spend_cb_child, locked):
            node.sendrawtransaction(t["hex"])
        assert_equal(node.getmempoolinfo()["size"], 4)

        self.log.info("Two blocks off: the coinbase spend leaves, the rest stays after reconnecting")
        b1 = node.getbestblockhash()
        node.invalidateblock(node.getblockhash(tip - 1))
        assert_equal(node.getblockcount(), tip - 2)
        assert_equal(node.getrawmempool(), [keep["txid"]])
        node.reconsiderblock(b1)
        assert_equal(node.getbestblockhash(), b1)

        self.log.info("A block spending the coin of a pool transaction removes it and its children")
        coin = wallet.get_utxo(tip_height=tip)
        c1 = wallet.send_self_transfer(from_node=node, utxo_to_spend=coin, fee=Decimal("0.0001"))
        c1_child = wallet.send_self_transfer(from_node=node, utxo_to_spend=c1["new_utxo"])
        c2 = wallet.create_self_transfer(utxo_to_spend=coin, fee=Decimal("0.0002"), locktime=1)
        node.generateblock(wallet.get_address(), [c2["hex"]])
        pool = node.getrawmempool()
        assert c1["txid"] not in pool and c1_child["txid"] not in pool
        assert keep["txid"] in pool

        self.log.info("Invalidating a block with a conflicting block's transaction: the block's comes back")
        node.invalidateblock(node.getbestblockhash())
        assert c2["txid"] in node.getrawmempool()
        assert c1["txid"] not in node.getrawmempool()

        self.test_ancestor_limits_after_reorg(wallet)

    def test_ancestor_limits_after_reorg(self, wallet):
        node = self.nodes[0]
        self.log.info("After a reorg, pool spenders of re-added transactions over the ancestor limits leave")
        wallet.generate(1)
        assert_equal(node.getrawmempool(), [])
        # 20 in a chain confirmed in one block, 10 in a chain after them in the pool.
        chain = wallet.create_self_transfer_chain(chain_length=30)
        for t in chain[:20]:
            node.sendrawtransaction(t["hex"])
        block = node.generatetoaddress(1, wallet.get_address())[0]
        for t in chain[20:]:
            node.sendrawtransaction(t["hex"])
        assert_equal(sorted(node.getrawmempool()), sorted(t["txid"] for t in chain[20:]))
        assert_equal(node.getmempoolentry(chain[-1]["txid"])["ancestorcount"], 10)

        # The 20 come back first; their pool spenders then have 21 to 30 ancestors
        # (themselves included): those over 25 leave, as Core's UpdateTransactionsFromBlock.
        node.invalidateblock(block)
        pool = set(node.getrawmempool())
        assert_equal(pool, {t["txid"] for t in chain[:25]})
        assert_equal(node.getmempoolentry(chain[24]["txid"])["ancestorcount"], 25)
        assert_equal(node.getmempoolentry(chain[0]["txid"])["descendantcount"], 25)
        node.reconsiderblock(block)
        assert_equal(sorted(node.getrawmempool()), sorted(t["txid"] for t in chain[20:25]))

        self.log.info("Over -limitancestorsize too")
        node.generatetoaddress(1, wallet.get_address())
        self.restart_node(0, ["-limitancestorsize=2"])
        chain = wallet.create_self_transfer_chain(chain_length=24)
        vsizes = [t["tx"].get_vsize() for t in chain]
        fits = max(i for i in range(len(chain) + 1) if sum(vsizes[:i]) <= 2000)
        assert 12 < fits < 24, fits
        # Nothing over the limit yet: 12 confirmed, the rest in the pool.
        for t in chain[:12]:
            node.sendrawtransaction(t["hex"])
        block = node.generatetoaddress(1, wallet.get_address())[0]
        for t in chain[12:]:
            node.sendrawtransaction(t["hex"])
        assert_equal(len(node.getrawmempool()), 12)
        node.invalidateblock(block)
        assert_equal(sorted(node.getrawmempool()), sorted(t["txid"] for t in chain[:fits]))
        node.reconsiderblock(block)
        node.generatetoaddress(1, wallet.get_address())
        self.restart_node(0, [])


if __name__ == "__main__":
    MempoolReorgTest().main()
