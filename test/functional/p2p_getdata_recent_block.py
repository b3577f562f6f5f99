#!/usr/bin/env python3
"""getdata for transactions of the latest block, as Bitcoin Core answers it.

A peer may see a transaction announced just before a block takes it out of
our pool; Core keeps the transactions of the last block it relayed
(m_most_recent_block_txs, set when the block is stored, before it is
connected) and serves getdata for them by txid or wtxid. With node0 and the
framework's Python peers:
  * a transaction in the pool, announced to the peer, is served;
  * once mined, it is still served from the latest block, by wtxid
    (MSG_WTX) and by txid (MSG_WITNESS_TX), also to a peer that never saw it
    announced (as Core: the block is public anyway);
  * after the next block it is not: notfound (nor is a transaction we
    never had).
"""

from test_framework.blocktools import MiniWallet
from test_framework.messages import CInv, MSG_WITNESS_TX, MSG_WTX, msg_getdata
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class TxPeer(P2PInterface):
    def __init__(self):
        super().__init__()
        self.txs = []        # wtxids of tx messages received
        self.notfound = []   # hashes in notfound messages
        self.inv_hashes = set()

    def on_tx(self, m):
        self.txs.append(m.tx.wtxid_hex)

    def on_notfound(self, m):
        self.notfound.extend("%064x" % i.hash for i in m.vec)

    def on_inv(self, m):
        self.inv_hashes.update("%064x" % i.hash for i in m.inv)

    def ask(self, inv_type, hexhash):
        self.send_and_ping(msg_getdata([CInv(inv_type, int(hexhash, 16))]))

    def served(self, wtxid):
        with p2p_lock:
            return wtxid in self.txs

    def refused(self, hexhash):
        with p2p_lock:
            return hexhash in self.notfound

    def clear(self):
        with p2p_lock:
            self.txs.clear()
            self.notfound.clear()


class P2PGetdataRecentBlockTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net"]]

    def mine_and_wait(self, peer):
        """Mines a block and waits until `peer` got its announcement (the block is relayed by then)."""
        [h] = self.wallet.generate(1)
        peer.wait_until(lambda: h in peer.inv_hashes, what="block inv")
        return h

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(110)

        peer = node.add_p2p_connection(TxPeer())
        tx = self.wallet.send_self_transfer(from_node=node)
        assert tx["txid"] != tx["wtxid"]

        self.log.info("In the pool and announced: served")
        peer.wait_until(lambda: tx["wtxid"] in peer.inv_hashes, what="tx announcement")
        peer.ask(MSG_WTX, tx["wtxid"])
        peer.wait_until(lambda: peer.served(tx["wtxid"]), what="tx from the pool")
        peer.clear()

        self.log.info("Mined: still served from the latest block, by wtxid and by txid")
        h = self.mine_and_wait(peer)
        assert_equal(node.getrawmempool(), [])
        assert tx["txid"] in node.getblock(h)["tx"]
        peer.ask(MSG_WTX, tx["wtxid"])
        peer.wait_until(lambda: peer.served(tx["wtxid"]), what="tx from the latest block (wtxid)")
        peer.clear()
        peer.ask(MSG_WITNESS_TX, tx["txid"])
        peer.wait_until(lambda: peer.served(tx["wtxid"]), what="tx from the latest block (txid)")
        peer.clear()

        self.log.info("Also to a peer that never saw it announced")
        other = node.add_p2p_connection(TxPeer())
        other.ask(MSG_WTX, tx["wtxid"])
        other.wait_until(lambda: other.served(tx["wtxid"]), what="tx for a new peer")
        other.clear()

        self.log.info("A transaction we never had: notfound")
        unknown = self.wallet.create_self_transfer()
        peer.ask(MSG_WTX, unknown["wtxid"])
        assert peer.refused(unknown["wtxid"]) and not peer.served(unknown["wtxid"])
        fresh = self.wallet.send_self_transfer(from_node=node)

        self.log.info("After the next block the older block's transaction is not served: notfound")
        self.mine_and_wait(peer)
        peer.ask(MSG_WTX, tx["wtxid"])
        assert peer.refused(tx["wtxid"]) and not peer.served(tx["wtxid"])
        peer.ask(MSG_WITNESS_TX, tx["txid"])
        assert peer.refused(tx["txid"])
        # The new block's own transaction is served instead.
        peer.ask(MSG_WTX, fresh["wtxid"])
        peer.wait_until(lambda: peer.served(fresh["wtxid"]), what="tx of the newest block")


if __name__ == "__main__":
    P2PGetdataRecentBlockTest().main()
