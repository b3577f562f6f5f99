#!/usr/bin/env python3
"""BIP 152 compact blocks, relayed as Bitcoin Core does (version 2 only).

With the framework's Python peer against node0:
  * the node offers sendcmpct(0, 2) after verack; a peer's sendcmpct(1, 2)
    shows as bip152_hb_from in getpeerinfo;
  * a new tip is announced to that peer with cmpctblock (coinbase prefilled,
    wtxid short ids), and getdata(MSG_CMPCT_BLOCK) is answered with
    cmpctblock for a recent block and with the full block for one six deep;
  * getblocktxn is answered with blocktxn (and with the full block for a
    block more than ten deep); out-of-range indexes cost the connection;
  * a cmpctblock from the peer whose transactions are partly in the mempool
    makes the node ask getblocktxn for exactly the missing ones, and the
    blocktxn completes the block ("Successfully reconstructed block"); the
    peer that delivered it first is then picked as a high-bandwidth peer
    (sendcmpct(1, 2), bip152_hb_to); a cmpctblock whose transactions are all
    in the mempool connects at once;
  * announced by headers, the tip's child is fetched as MSG_CMPCT_BLOCK;
  * a cmpctblock with a prefilled index past the end gets the peer
    disconnected ("invalid compact block").
Then two cairnd nodes: once node1 picked node0 as its high-bandwidth peer,
a block whose transactions are in both mempools travels as a cmpctblock and
is rebuilt without a round trip.
"""

from test_framework.blocktools import BlockBuilder, MiniWallet
from test_framework.messages import (
    BlockTransactions,
    BlockTransactionsRequest,
    CBlockHeader,
    CBlockLocator,
    CInv,
    HeaderAndShortIDs,
    MSG_CMPCT_BLOCK,
    MSG_WITNESS_BLOCK,
    PrefilledTransaction,
    calculate_shortid,
    msg_blocktxn,
    msg_cmpctblock,
    msg_getblocktxn,
    msg_getdata,
    msg_getheaders,
    msg_headers,
    msg_sendcmpct,
    msg_sendheaders,
)
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until


class CmpctPeer(P2PInterface):
    """Records compact block traffic; never answers getdata by itself."""

    def __init__(self):
        super().__init__()
        self.cmpctblocks = []
        self.getblocktxns = []
        self.blocktxns = []
        self.sendcmpcts = []
        self.blocks = []
        self.getdatas = []

    def on_cmpctblock(self, m):
        self.cmpctblocks.append(HeaderAndShortIDs(m.header_and_shortids))

    def on_getblocktxn(self, m):
        self.getblocktxns.append(m.block_txn_request)

    def on_blocktxn(self, m):
        self.blocktxns.append(m.block_transactions)

    def on_sendcmpct(self, m):
        self.sendcmpcts.append((m.announce, m.version))

    def on_block(self, m):
        m.block.rehash()
        self.blocks.append(m.block)

    def on_getdata(self, m):
        self.getdatas.extend(m.inv)

    def sync_headers_to(self, node):
        """Asks for the node's headers up to its tip: the node then counts its tip as known to us."""
        self.send_and_ping(msg_getheaders(CBlockLocator([int(node.getbestblockhash(), 16)])))

    def wait_for_cmpct(self, blockhash_int, timeout=60):
        self.wait_until(lambda: any(c.header.sha256 == blockhash_int for c in self.cmpctblocks),
                        timeout=timeout, what="cmpctblock %064x" % blockhash_int)
        with p2p_lock:
            return [c for c in self.cmpctblocks if c.header.sha256 == blockhash_int][-1]


class P2PCompactBlocksTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def setup_nodes(self):
        self.add_nodes(self.num_nodes)
        common = ["-listen=1", "-bind=127.0.0.1", "-debug=net", "-debug=cmpctblock"]
        for i in range(self.num_nodes):
            self.start_node(i, common)

    def run_test(self):
        node = self.nodes[0]
        self.wallet = MiniWallet(node)
        self.wallet.generate(120)

        self.test_negotiation_and_announcement()
        self.test_getdata_cmpct()
        self.test_getblocktxn()
        self.test_receive_compact_block()
        self.test_low_bandwidth_fetch()
        self.test_invalid_compact_block()
        self.test_three_hb_peers()
        self.test_two_nodes()

    # ---- sending

    def test_negotiation_and_announcement(self):
        node = self.nodes[0]
        self.log.info("sendcmpct(0, 2) after verack; the peer's sendcmpct(1, 2) is bip152_hb_from")
        peer = node.add_p2p_connection(CmpctPeer())
        peer.wait_until(lambda: (False, 2) in peer.sendcmpcts, what="sendcmpct(0, 2)")
        info = node.getpeerinfo()[-1]
        assert_equal((info["bip152_hb_to"], info["bip152_hb_from"]), (False, False))
        peer.send_and_ping(msg_sendcmpct(announce=True, version=2))
        info = node.getpeerinfo()[-1]
        assert_equal((info["bip152_hb_to"], info["bip152_hb_from"]), (False, True))

        self.log.info("A new tip goes to the HB peer as cmpctblock: coinbase prefilled, wtxid short ids")
        peer.sync_headers_to(node)
        tx = self.wallet.send_self_transfer(from_node=node)
        [h] = self.wallet.generate(1)
        c = peer.wait_for_cmpct(int(h, 16))
        block = node.getblock(h, 2)
        assert_equal(len(c.prefilled_txn), 1)
        assert_equal(c.prefilled_txn[0].index, 0)
        assert_equal(c.prefilled_txn[0].tx.txid_hex, block["tx"][0]["txid"])
        k0, k1 = c.get_siphash_keys()
        assert_equal(c.shortids, [calculate_shortid(k0, k1, int(tx["wtxid"], 16))])
        self.peer = peer

    def test_getdata_cmpct(self):
        node = self.nodes[0]
        peer = self.peer
        self.log.info("getdata(MSG_CMPCT_BLOCK): cmpctblock for the tip, the full block six deep")
        tip = int(node.getbestblockhash(), 16)
        with p2p_lock:
            peer.cmpctblocks.clear()
        peer.send_and_ping(msg_getdata([CInv(MSG_CMPCT_BLOCK, tip)]))
        peer.wait_for_cmpct(tip)
        deep = node.getblockhash(node.getblockcount() - 6)
        peer.send_and_ping(msg_getdata([CInv(MSG_CMPCT_BLOCK, int(deep, 16))]))
        peer.wait_until(lambda: any(b.hash == deep for b in peer.blocks), what="full block for a deep request")
        with p2p_lock:
            assert not any(c.header.hash == deep for c in peer.cmpctblocks)

    def test_getblocktxn(self):
        node = self.nodes[0]
        peer = self.peer
        self.log.info("getblocktxn: blocktxn for a recent block, the full block more than ten deep")
        txs = [self.wallet.send_self_transfer(from_node=node) for _ in range(3)]
        [h] = self.wallet.generate(1)
        block = node.getblock(h, 2)
        assert_equal(len(block["tx"]), 4)
        peer.send_and_ping(msg_getblocktxn(BlockTransactionsRequest(int(h, 16), [1, 3])))
        peer.wait_until(lambda: len(peer.blocktxns) > 0, what="blocktxn")
        with p2p_lock:
            bt = peer.blocktxns[-1]
        assert_equal(bt.blockhash, int(h, 16))
        assert_equal([t.txid_hex for t in bt.transactions], [block["tx"][1]["txid"], block["tx"][3]["txid"]])
        assert_equal({t.wtxid_hex for t in bt.transactions} <= {t["wtxid"] for t in txs}, True)

        deep = node.getblockhash(node.getblockcount() - 11)
        peer.send_and_ping(msg_getblocktxn(BlockTransactionsRequest(int(deep, 16), [0])))
        peer.wait_until(lambda: any(b.hash == deep for b in peer.blocks), what="full block for a deep getblocktxn")

        self.log.info("getblocktxn with an index past the block: disconnected")
        with node.assert_debug_log(["getblocktxn with out-of-bounds tx indices"]):
            peer.send_message(msg_getblocktxn(BlockTransactionsRequest(int(h, 16), [4])))
            peer.wait_for_disconnect()
        node.disconnect_p2ps()

    # ---- receiving

    def test_receive_compact_block(self):
        node = self.nodes[0]
        self.log.info("cmpctblock from a peer: getblocktxn for the transaction not in the mempool, then blocktxn")
        peer = node.add_p2p_connection(CmpctPeer())
        peer.send_and_ping(msg_sendcmpct(announce=False, version=2))
        in_pool = self.wallet.send_self_transfer(from_node=node)
        not_in_pool = self.wallet.create_self_transfer()
        also_in_pool = self.wallet.send_self_transfer(from_node=node)
        builder = BlockBuilder.from_node(node)
        block = builder.next_block(txs=[in_pool["tx"], not_in_pool["tx"], also_in_pool["tx"]])
        hc = HeaderAndShortIDs()
        hc.initialize_from_block(block, nonce=12345, use_witness=True)
        with node.assert_debug_log(["Successfully reconstructed block %s" % block.hash]):
            peer.send_and_ping(msg_cmpctblock(hc.to_p2p()))
            peer.wait_until(lambda: len(peer.getblocktxns) > 0, what="getblocktxn")
            with p2p_lock:
                req = peer.getblocktxns[-1]
            assert_equal(req.blockhash, block.sha256)
            assert_equal(req.indexes, [2])
            peer.send_and_ping(msg_blocktxn(BlockTransactions(block.sha256, [block.vtx[2]])))
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="reconstructed tip")
        self.wallet.scan_tx(not_in_pool["tx"])

        self.log.info("The peer that gave us the block first becomes a high-bandwidth peer")
        peer.wait_until(lambda: (True, 2) in peer.sendcmpcts, what="sendcmpct(1, 2)")
        wait_until(lambda: node.getpeerinfo()[-1]["bip152_hb_to"], 30, what="bip152_hb_to")
        assert_equal(node.getpeerinfo()[-1]["bip152_hb_from"], False)

        self.log.info("Everything in the mempool: connected without a round trip")
        txs = [self.wallet.send_self_transfer(from_node=node) for _ in range(2)]
        builder = BlockBuilder.from_node(node)
        block = builder.next_block(txs=[t["tx"] for t in txs])
        hc = HeaderAndShortIDs()
        hc.initialize_from_block(block, nonce=777, use_witness=True)
        n_requests = len(peer.getblocktxns)
        with node.assert_debug_log(["Successfully reconstructed block %s with 1 txn prefilled, 2 txn from mempool"
                                    % block.hash]):
            peer.send_and_ping(msg_cmpctblock(hc.to_p2p()))
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="tip from mempool only")
        assert_equal(len(peer.getblocktxns), n_requests)
        self.peer = peer

    def test_low_bandwidth_fetch(self):
        node = self.nodes[0]
        peer = self.peer
        self.log.info("Announced by headers, the tip's child is fetched as MSG_CMPCT_BLOCK")
        tx = self.wallet.send_self_transfer(from_node=node)
        builder = BlockBuilder.from_node(node)
        block = builder.next_block(txs=[tx["tx"]])
        with p2p_lock:
            peer.getdatas.clear()
        peer.send_message(msg_headers([CBlockHeader(block)]))
        peer.wait_until(lambda: any(i.hash == block.sha256 for i in peer.getdatas), what="getdata")
        with p2p_lock:
            [inv] = [i for i in peer.getdatas if i.hash == block.sha256]
        assert_equal(inv.type, MSG_CMPCT_BLOCK)
        hc = HeaderAndShortIDs()
        hc.initialize_from_block(block, nonce=99, use_witness=True)
        peer.send_and_ping(msg_cmpctblock(hc.to_p2p()))
        wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="tip fetched as compact block")

    def test_invalid_compact_block(self):
        node = self.nodes[0]
        peer = self.peer
        self.log.info("A prefilled index past the end: invalid compact block, disconnected")
        tx = self.wallet.send_self_transfer(from_node=node)
        builder = BlockBuilder.from_node(node)
        block = builder.next_block(txs=[tx["tx"]])
        hc = HeaderAndShortIDs()
        hc.initialize_from_block(block, nonce=5, use_witness=True)
        hc.prefilled_txn.append(PrefilledTransaction(5, block.vtx[1]))
        with node.assert_debug_log(["invalid compact block"]):
            peer.send_message(msg_cmpctblock(hc.to_p2p()))
            peer.wait_for_disconnect()
        assert node.getbestblockhash() != block.hash
        node.disconnect_p2ps()

    def test_three_hb_peers(self):
        node = self.nodes[0]
        self.log.info("At most three high-bandwidth peers: the oldest is demoted with sendcmpct(0, 2)")
        peers = [node.add_p2p_connection(CmpctPeer()) for _ in range(4)]
        for peer in peers:
            peer.send_and_ping(msg_sendcmpct(announce=False, version=2))
        for peer in peers:
            # A coinbase-only block, first delivered by this peer.
            block = BlockBuilder.from_node(node).next_block()
            hc = HeaderAndShortIDs()
            hc.initialize_from_block(block, nonce=1, use_witness=True)
            peer.send_and_ping(msg_cmpctblock(hc.to_p2p()))
            wait_until(lambda: node.getbestblockhash() == block.hash, 30, what="tip from compact block")
            peer.wait_until(lambda: (True, 2) in peer.sendcmpcts, what="sendcmpct(1, 2)")
        peers[0].wait_until(lambda: peers[0].sendcmpcts[-1] == (False, 2), what="sendcmpct(0, 2) to the oldest")
        for peer in peers[1:]:
            peer.sync_with_ping()
            with p2p_lock:
                assert_equal(peer.sendcmpcts[-1], (True, 2))
        infos = sorted(node.getpeerinfo(), key=lambda p: p["id"])
        assert_equal([p["bip152_hb_to"] for p in infos], [False, True, True, True])
        node.disconnect_p2ps()

    # ---- two nodes

    def test_two_nodes(self):
        n0, n1 = self.nodes
        self.log.info("Two nodes: node1 picks node0 as its high-bandwidth peer after a block")
        n1.addnode("127.0.0.1:%d" % p2p_port(0), "add")
        wait_until(lambda: any(not p["inbound"] for p in n1.getpeerinfo()), 60, what="node1 -> node0")
        wait_until(lambda: n1.getbestblockhash() == n0.getbestblockhash(), 60, what="node1 synced")
        self.wallet.generate(1)
        wait_until(lambda: n1.getbestblockhash() == n0.getbestblockhash(), 60, what="node1 synced")
        wait_until(lambda: [p for p in n1.getpeerinfo() if not p["inbound"]][0]["bip152_hb_to"], 30,
                   what="node1 chose node0 as HB peer")
        wait_until(lambda: [p for p in n0.getpeerinfo() if p["inbound"]][0]["bip152_hb_from"], 30,
                   what="node0 sees node1's HB request")

        self.log.info("A block whose transactions are in both mempools is rebuilt on node1 without a round trip")
        txs = [self.wallet.send_self_transfer(from_node=n0) for _ in range(3)]
        wait_until(lambda: all(t["txid"] in n1.getrawmempool() for t in txs), 60, what="txs in node1's pool")
        with n1.assert_debug_log(["Successfully reconstructed block", "with 1 txn prefilled, 3 txn from mempool"],
                                 timeout=30):
            with n0.assert_debug_log(["PeerManager::NewPoWValidBlock sending header-and-ids"], timeout=30):
                [h] = self.wallet.generate(1)
                wait_until(lambda: n1.getbestblockhash() == h, 60, what="node1 at the new tip")
        assert_equal(n1.getrawmempool(), [])


if __name__ == "__main__":
    P2PCompactBlocksTest().main()
