#!/usr/bin/env python3
"""-mempoolexpiry, as in Bitcoin Core 30's mempool_expiry.py: a transaction
older than the expiry leaves the pool, with its descendants, the next time
the pool is trimmed (after any new transaction), while a younger
independent one stays; its prioritisation outlives it. Times come from
setmocktime."""

from datetime import timedelta

from test_framework.blocktools import COINBASE_MATURITY, MiniWallet
from test_framework.messages import COIN
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

DEFAULT_MEMPOOL_EXPIRY_HOURS = 336
CUSTOM_MEMPOOL_EXPIRY = 10


class MempoolExpiryTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def test_transaction_expiry(self, timeout):
        node = self.nodes[0]
        parent = self.wallet.send_self_transfer(from_node=node)
        parent_txid = parent["txid"]
        parent_utxo = self.wallet.get_utxo(txid=parent_txid)
        independent_utxo = self.wallet.get_utxo()
        # Transactions that only make the pool trim, spending unrelated coins.
        trigger_utxo1 = self.wallet.get_utxo()
        trigger_utxo2 = self.wallet.get_utxo()

        # The delta survives the expiry.
        node.prioritisetransaction(parent_txid, 0, COIN)
        modified = COIN + int(parent["fee"] * COIN)
        assert_equal(node.getprioritisedtransactions()[parent_txid],
                     {"fee_delta": COIN, "in_mempool": True, "modified_fee": modified})

        entry_time = node.getmempoolentry(parent_txid)["time"]
        node.setmocktime(entry_time)

        half_expiry_time = entry_time + int(60 * 60 * timeout / 2)
        node.setmocktime(half_expiry_time)
        child_txid = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=parent_utxo)["txid"]
        assert_equal(node.getmempoolentry(child_txid)["depends"], [parent_txid])
        self.log.info("Child sent after %s" % timedelta(seconds=half_expiry_time - entry_time))
        independent_txid = self.wallet.send_self_transfer(from_node=node, utxo_to_spend=independent_utxo)["txid"]

        nearly_expiry_time = entry_time + 60 * 60 * timeout - 5
        node.setmocktime(nearly_expiry_time)
        self.wallet.send_self_transfer(from_node=node, utxo_to_spend=trigger_utxo1)
        self.log.info("The parent is still there after %s" % timedelta(seconds=nearly_expiry_time - entry_time))
        assert_equal(node.getmempoolentry(parent_txid)["time"], entry_time)

        expiry_time = entry_time + 60 * 60 * timeout + 5
        node.setmocktime(expiry_time)
        # Nothing happens until the pool is trimmed...
        assert parent_txid in node.getrawmempool()
        # ... after the next transaction.
        self.wallet.send_self_transfer(from_node=node, utxo_to_spend=trigger_utxo2)
        self.log.info("The parent expired after %s, and its child with it"
                      % timedelta(seconds=expiry_time - entry_time))
        assert_raises_rpc_error(-5, "Transaction not in mempool", node.getmempoolentry, parent_txid)
        assert_raises_rpc_error(-5, "Transaction not in mempool", node.getmempoolentry, child_txid)
        assert_equal(node.getprioritisedtransactions()[parent_txid], {"fee_delta": COIN, "in_mempool": False})

        self.log.info("The independent transaction stays (in the pool for %s)"
                      % timedelta(seconds=expiry_time - half_expiry_time))
        assert_equal(node.getmempoolentry(independent_txid)["time"], half_expiry_time)
        node.setmocktime(0)

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(COINBASE_MATURITY + 20)

        self.log.info("Default expiry: %d hours" % DEFAULT_MEMPOOL_EXPIRY_HOURS)
        self.test_transaction_expiry(DEFAULT_MEMPOOL_EXPIRY_HOURS)

        self.log.info("-mempoolexpiry=%d" % CUSTOM_MEMPOOL_EXPIRY)
        self.restart_node(0, ["-mempoolexpiry=%d" % CUSTOM_MEMPOOL_EXPIRY])
        self.test_transaction_expiry(CUSTOM_MEMPOOL_EXPIRY)


if __name__ == "__main__":
    MempoolExpiryTest().main()
