#!/usr/bin/env python3
"""Wire details a Bitcoin Core peer relies on, checked at the message level:

* An inbound connection gets nothing from the node before the peer's version,
  and a BIP 324 (v2) opening -- 64 bytes of key plus garbage -- is closed with
  no byte sent: exactly the case in which Core retries the connection over v1.
* The version message of each outbound connection type: protocol 70016, our
  services, the relay flag off only for block-relay-only, the start height;
  a connection to ourselves is dropped.
* sendcmpct may come before verack (Core handles it there, like sendheaders).
* An inv of an unknown block brings a getheaders with no stop hash (Core's
  MaybeSendGetHeaders).
* A getheaders whose locator starts at a header descending from our tip gets
  an empty answer (Core's FindForkInGlobalIndex), not the chain from genesis.
* Near the tip, a header announcement brings a getdata for its block from the
  announcer at once, even one without NODE_NETWORK (HeadersDirectFetchBlocks),
  logged with Core's "[net] " prefix.
"""

import os
import socket
import time

from test_framework.address import ADDRESS_BCRT1_UNSPENDABLE
from test_framework.blocktools import create_block, create_coinbase
from test_framework.messages import (
    CBlockHeader, CBlockLocator, CInv, MSG_BLOCK, msg_block, msg_getdata, NODE_NETWORK, NODE_NETWORK_LIMITED, NODE_WITNESS, msg_getheaders, msg_headers, msg_inv,
    msg_sendcmpct, msg_verack, msg_wtxidrelay,
)
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until


class EarlySendCmpct(P2PInterface):
    """Sends sendcmpct(high-bandwidth, 2) between its version and its verack."""

    def on_version(self, message):
        self.version_received = message
        self.send_message(msg_wtxidrelay())
        self.send_message(msg_sendcmpct(announce=True, version=2))
        self.send_message(msg_verack())


class P2PCoreInteropTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net"]]

    def run_test(self):
        node = self.nodes[0]
        node.setmocktime(int(time.time()))
        node.generatetoaddress(5, ADDRESS_BCRT1_UNSPENDABLE)
        self.test_silence_and_v2_opening()
        self.test_version_fields()
        self.test_sendcmpct_before_verack()
        self.test_inv_getheaders()
        self.test_locator_ahead_of_tip()
        self.test_headers_direct_fetch()

    def test_silence_and_v2_opening(self):
        node = self.nodes[0]
        self.log.info("an inbound peer that says nothing hears nothing")
        s = socket.create_connection(("127.0.0.1", p2p_port(0)), timeout=10)
        s.settimeout(2)
        try:
            data = s.recv(65536)
            raise AssertionError("the node spoke first: %r" % data)
        except socket.timeout:
            pass
        s.close()

        self.log.info("a BIP 324 opening is closed without a byte sent (Core then retries over v1)")
        s = socket.create_connection(("127.0.0.1", p2p_port(0)), timeout=10)
        s.sendall(os.urandom(64 + 100))
        s.settimeout(10)
        received = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received += chunk
        except ConnectionResetError:
            pass
        s.close()
        assert_equal(received, b"")
        wait_until(lambda: node.getconnectioncount() == 0, timeout=10)

    def test_version_fields(self):
        node = self.nodes[0]
        height = node.getblockcount()
        for conn_type, relay in [("outbound-full-relay", 1), ("block-relay-only", 0), ("addr-fetch", 1)]:
            self.log.info("version on %s: relay=%d, start height %d" % (conn_type, relay, height))
            peer = node.add_outbound_p2p_connection(P2PInterface(), connection_type=conn_type,
                                                    services=NODE_NETWORK | NODE_WITNESS)
            v = peer.version_received
            assert_equal(v.nVersion, 70016)
            assert_equal(v.nServices, NODE_NETWORK | NODE_WITNESS | NODE_NETWORK_LIMITED)
            assert_equal(v.relay, relay)
            assert_equal(v.nStartingHeight, height)
            assert v.nNonce != 0
            peer.peer_disconnect()
            peer.wait_for_disconnect()
        self.log.info("a connection to ourselves is dropped")
        with node.assert_debug_log(["connected to self"], timeout=20):
            node.addnode("127.0.0.1:%d" % p2p_port(0), "onetry")

    def test_sendcmpct_before_verack(self):
        node = self.nodes[0]
        self.log.info("sendcmpct between version and verack is honoured")
        peer = node.add_p2p_connection(EarlySendCmpct())
        peer.sync_with_ping()
        info = [p for p in node.getpeerinfo() if p["inbound"]][-1]
        assert_equal(info["bip152_hb_from"], True)
        peer.peer_disconnect()
        peer.wait_for_disconnect()

    def test_inv_getheaders(self):
        node = self.nodes[0]
        self.log.info("an inv of an unknown block brings a getheaders with a null stop hash")
        peer = node.add_p2p_connection(P2PInterface())
        # Our tip is recent, so the node starts a headers sync at once; answer it (nothing new) first.
        peer.wait_until(lambda: "getheaders" in peer.last_message, timeout=30)
        with p2p_lock:
            peer.last_message.pop("getheaders")
        peer.send_message(msg_headers([]))
        peer.sync_with_ping()
        unknown = 0x1234
        peer.send_message(msg_inv([CInv(MSG_BLOCK, unknown)]))
        peer.wait_until(lambda: "getheaders" in peer.last_message, timeout=30)
        with p2p_lock:
            getheaders = peer.last_message["getheaders"]
        assert_equal(getheaders.hashstop, 0)
        assert_equal(getheaders.locator.vHave[0], int(node.getbestblockhash(), 16))
        peer.peer_disconnect()
        peer.wait_for_disconnect()

    def test_locator_ahead_of_tip(self):
        node = self.nodes[0]
        self.log.info("a locator starting past our tip (a header we hold) gets no headers")
        tip = node.getbestblockhash()
        header_time = node.getblockheader(tip)["time"] + 1
        block = create_block(int(tip, 16), create_coinbase(node.getblockcount() + 1), header_time)
        block.solve()
        node.submitheader(block.serialize().hex()[:160])
        assert_equal(node.getbestblockhash(), tip)  # a header only: not the active tip
        peer = node.add_p2p_connection(P2PInterface())
        with p2p_lock:
            peer.last_message.pop("headers", None)
        peer.send_message(msg_getheaders(CBlockLocator([block.sha256]), 0))
        peer.wait_until(lambda: "headers" in peer.last_message, timeout=30)
        with p2p_lock:
            assert_equal(len(peer.last_message["headers"].headers), 0)
            peer.last_message.pop("headers")
        self.log.info("while a locator from our chain gets the headers after it")
        genesis = int(node.getblockhash(0), 16)
        peer.send_message(msg_getheaders(CBlockLocator([genesis]), 0))
        peer.wait_until(lambda: "headers" in peer.last_message, timeout=30)
        with p2p_lock:
            assert_equal(len(peer.last_message["headers"].headers), node.getblockcount())

    def test_headers_direct_fetch(self):
        node = self.nodes[0]
        self.log.info("a header announcement near the tip is fetched from its announcer, even without NODE_NETWORK")
        node.setmocktime(int(time.time()))
        peer = node.add_p2p_connection(P2PInterface(), services=NODE_WITNESS)  # no NODE_NETWORK
        tip = node.getbestblockhash()
        block = create_block(int(tip, 16), create_coinbase(node.getblockcount() + 1),
                             node.getblockheader(tip)["time"] + 2)
        block.solve()
        with node.assert_debug_log(["[net] received getdata for: "], timeout=30):
            peer.send_message(msg_headers([CBlockHeader(block)]))
            peer.wait_until(lambda: "getdata" in peer.last_message and
                            peer.last_message["getdata"].inv[-1].hash == block.sha256, timeout=30)
            peer.send_and_ping(msg_block(block))
            assert_equal(node.getbestblockhash(), block.hash)
            peer.send_and_ping(msg_getdata([CInv(MSG_BLOCK, block.sha256)]))


if __name__ == "__main__":
    P2PCoreInteropTest().main()
