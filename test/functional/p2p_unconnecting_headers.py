#!/usr/bin/env python3
"""Headers that do not connect, handled as Bitcoin Core 28+ handles them.

With the framework's Python peer against node0:
  * a headers message whose first header's parent we do not know (a BIP 130
    announcement we cannot place) is answered with a getheaders from our
    best header; the headers that connect then lead to the blocks, which
    are fetched and connected;
  * a peer that keeps sending such headers is never punished for it (no
    counter any more): each one, after our getheaders was answered (here by
    an empty headers message), gets a new getheaders;
  * while a getheaders is in flight, unconnecting headers do not answer it
    and get no second one; connecting headers (or HEADERS_RESPONSE_TIME,
    two minutes) end the wait;
  * headers that do not follow one another ("non-continuous headers
    sequence") get the peer disconnected.
"""

import time

from test_framework.blocktools import BlockBuilder
from test_framework.messages import CBlockHeader, from_hex, msg_block, msg_headers
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until


class P2PUnconnectingHeadersTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-peertimeout=999999999"]]

    def run_test(self):
        node = self.nodes[0]
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        node.generatetoaddress(10, "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85")
        peer = node.add_p2p_connection(P2PInterface())
        # Our initial getheaders to the peer stays unanswered until this.
        peer.wait_for_getheaders()
        peer.send_and_ping(msg_headers([]))

        self.log.info("An unconnecting header: getheaders from our tip, then the blocks are fetched")
        for _ in range(3):
            builder = BlockBuilder.from_node(node)
            blocks = builder.build(2)
            tip = int(node.getbestblockhash(), 16)
            with p2p_lock:
                peer.last_message.pop("getheaders", None)
                peer.last_message.pop("getdata", None)
            with node.assert_debug_log(["received header %s: missing prev block %s, sending getheaders (%d) to end"
                                        % (blocks[1].hash, blocks[0].hash, node.getblockcount())],
                                       unexpected_msgs=["Misbehaving"]):
                peer.send_message(msg_headers([CBlockHeader(blocks[1])]))
                peer.wait_for_getheaders(block_hash=tip)
            peer.send_message(msg_headers([CBlockHeader(b) for b in blocks]))
            peer.wait_for_getdata([b.sha256 for b in blocks])
            for b in blocks:
                peer.send_message(msg_block(b))
            peer.sync_with_ping()
            assert_equal(node.getbestblockhash(), blocks[1].hash)

        self.log.info("Unconnecting headers over and over: a getheaders each time it was answered, never punished")
        builder = BlockBuilder.from_node(node)
        future = builder.build(30)
        tip = int(node.getbestblockhash(), 16)
        with node.assert_debug_log([], unexpected_msgs=["Misbehaving", "disconnecting"]):
            for i in range(1, 25):
                with p2p_lock:
                    peer.last_message.pop("getheaders", None)
                # An empty answer to the last getheaders: the next headers are an announcement.
                peer.send_message(msg_headers([]))
                peer.send_message(msg_headers([CBlockHeader(future[i])]))
                peer.wait_for_getheaders(block_hash=tip)
        assert peer.is_connected

        self.log.info("While a getheaders is in flight, unconnecting headers get no other one")
        with p2p_lock:
            peer.last_message.pop("getheaders", None)
        with node.assert_debug_log(["Not sending getheaders: one is already in flight to peer="]):
            peer.send_and_ping(msg_headers([CBlockHeader(future[26])]))
            peer.send_and_ping(msg_headers([CBlockHeader(future[27])]))
        with p2p_lock:
            assert "getheaders" not in peer.last_message

        self.log.info("Connecting headers answer it: a getheaders goes out again (towards the block announced)")
        tip_header = from_hex(CBlockHeader(), node.getblockheader(node.getbestblockhash(), False))
        peer.send_message(msg_headers([tip_header]))
        peer.wait_for_getheaders(block_hash=tip)

        self.log.info("Or two minutes pass without an answer")
        with p2p_lock:
            peer.last_message.pop("getheaders", None)
        peer.send_and_ping(msg_headers([CBlockHeader(future[29])]))
        with p2p_lock:
            assert "getheaders" not in peer.last_message
        self.mocktime += 2 * 60 + 1
        node.setmocktime(self.mocktime)
        peer.send_message(msg_headers([CBlockHeader(future[29])]))
        peer.wait_for_getheaders(block_hash=tip)

        self.log.info("Non-continuous headers: disconnected")
        with node.assert_debug_log(["Misbehaving: peer=0: non-continuous headers sequence"]):
            peer.send_message(msg_headers([CBlockHeader(future[1]), CBlockHeader(future[3])]))
            peer.wait_for_disconnect()
        wait_until(lambda: node.getconnectioncount() == 0, 30, what="peer gone")


if __name__ == "__main__":
    P2PUnconnectingHeadersTest().main()
