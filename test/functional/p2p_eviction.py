#!/usr/bin/env python3
"""Inbound eviction when the inbound slots are full (Bitcoin Core's AttemptToEvictConnection).

Inbound capacity is -maxconnections minus the outbound slots Core keeps free
(8 full-relay, 2 block-relay-only, 1 feeler). All framework peers come from
127.0.0.1, so they share one network group: Core's protections then are 4 peers
by network group (an arbitrary 4 here), the 8 with the lowest ping, the 4 that
last sent a new transaction, the 4 that last sent a new block, then half of the
rest by connection time; the youngest of what is left is evicted.

1. Slot arithmetic: with -maxconnections=13 (2 inbound slots) two peers are
   accepted and a third is dropped, since the netgroup rule protects both
   candidates ("failed to find an eviction candidate - connection dropped (full)").
   The same with -maxconnections=16 (5 slots): fewer than 21 candidates are all protected.
2. -maxconnections=32 (21 inbound slots): 4 peers send a block, 4 a
   transaction, 8 answer pings, then (a second later) 5 never answer pings.
   A 22nd peer is accepted and exactly one of the 5 silent peers is evicted;
   by the rules above it is the youngest silent peer the netgroup rule did not
   happen to protect.
"""

import time

from test_framework.blocktools import MiniWallet, create_block, create_coinbase
from test_framework.messages import msg_tx
from test_framework.p2p import P2PDataStore, P2PInterface
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

FULL = "failed to find an eviction candidate - connection dropped (full)"


class SilentPeer(P2PInterface):
    def on_ping(self, message):
        pass  # no pong: the node never measures a ping time for this peer


class P2PEvictionTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-maxconnections=13"]]

    def connect_and_get_dropped(self):
        """An inbound connection the node accepts at the TCP level and closes at once."""
        node = self.nodes[0]
        p = P2PInterface()
        with node.assert_debug_log([FULL], timeout=10):
            p.peer_connect(dstaddr="127.0.0.1", dstport=node.p2p_port, net=node.chain)
            wait_until(lambda: p.was_connected and not p.is_connected, 10, what="accepted, then dropped")
        assert_equal(p.message_count["version"], 0)

    def inbound_count(self):
        return len([p for p in self.nodes[0].getpeerinfo() if p["inbound"]])

    def run_test(self):
        self.test_slots()
        self.test_protection()

    def test_slots(self):
        node = self.nodes[0]
        self.log.info("-maxconnections=13: 13 - 11 reserved outbound slots = 2 inbound slots")
        a = node.add_p2p_connection(P2PInterface())
        b = node.add_p2p_connection(P2PInterface())
        self.connect_and_get_dropped()
        assert a.is_connected and b.is_connected
        assert_equal(self.inbound_count(), 2)
        node.disconnect_p2ps()

        self.log.info("-maxconnections=16: 5 inbound slots; a 6th peer is dropped too (Core's protections "
                      "cover up to 20 candidates: 4 by netgroup, 8 by ping, 4 by tx, 4 by block)")
        self.restart_node(0, ["-debug=net", "-maxconnections=16"])
        first = [node.add_p2p_connection(P2PInterface()) for _ in range(5)]
        self.connect_and_get_dropped()
        for p in first:
            p.sync_with_ping()
        assert_equal(self.inbound_count(), 5)
        node.disconnect_p2ps()

    def test_protection(self):
        node = self.nodes[0]
        self.restart_node(0, ["-debug=net", "-maxconnections=32"])
        wallet = MiniWallet(node)
        wallet.generate(101)
        peers = []  # in the order of their peer ids (the node was restarted: ids from 0)

        self.log.info("4 peers that send us a new block")
        for _ in range(4):
            p = node.add_p2p_connection(P2PDataStore())
            tip = node.getbestblockhash()
            block = create_block(int(tip, 16), create_coinbase(node.getblockcount() + 1),
                                 node.getblock(tip)["time"] + 1)
            block.solve()
            p.send_blocks_and_test([block], node, success=True)
            peers.append(("block", p))

        self.log.info("4 peers that send us a new transaction")
        for _ in range(4):
            p = node.add_p2p_connection(P2PInterface())
            tx = wallet.create_self_transfer()
            p.send_and_ping(msg_tx(tx["tx"]))
            assert tx["txid"] in node.getrawmempool()
            peers.append(("tx", p))

        self.log.info("8 peers that answer pings")
        for _ in range(8):
            peers.append(("ping", node.add_p2p_connection(P2PInterface())))
        # Every one of the 16 has a measured ping (its first pong is back).
        wait_until(lambda: sum(1 for i in node.getpeerinfo() if "minping" in i) == 16, 30, what="16 min pings")

        self.log.info("5 younger peers that never answer a ping: the only ones left unprotected")
        time.sleep(1.1)  # connection times are in seconds: the silent peers are strictly younger
        for _ in range(5):
            peers.append(("silent", node.add_p2p_connection(SilentPeer())))
        assert_equal(self.inbound_count(), 21)
        ids = [i["id"] for i in node.getpeerinfo()]
        assert_equal(sorted(ids), list(range(21)))
        silent_ids = list(range(16, 21))
        assert all("minping" not in i for i in node.getpeerinfo() if i["id"] in silent_ids)

        self.log.info("A 22nd inbound peer: accepted, one silent peer evicted")
        # Core's wording (AttemptToEvictConnection with CNode::DisconnectMsg).
        with node.assert_debug_log(["selected inbound connection for eviction, disconnecting peer="],
                                   unexpected_msgs=[FULL], timeout=10):
            newcomer = node.add_p2p_connection(P2PInterface())
            wait_until(lambda: sum(1 for _, p in peers if not p.is_connected) == 1, 10, what="one eviction")
        evicted = [i for i, (_, p) in enumerate(peers) if not p.is_connected]
        assert_equal(len(evicted), 1)
        assert_equal(peers[evicted[0]][0], "silent")
        assert evicted[0] in silent_ids
        assert newcomer.is_connected
        wait_until(lambda: self.inbound_count() == 21, 10, what="21 inbound peers")
        assert node.debug_log_contains("for eviction, disconnecting peer=%d" % evicted[0])
        remaining = {i["id"] for i in node.getpeerinfo()}
        assert evicted[0] not in remaining and 21 in remaining
        node.disconnect_p2ps()


if __name__ == "__main__":
    P2PEvictionTest().main()
