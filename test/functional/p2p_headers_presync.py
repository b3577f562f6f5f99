#!/usr/bin/env python3
"""Anti-DoS header sync: with -minimumchainwork above what a peer's headers
claim, the node stores none of them. A short low-work chain is ignored; a
full headers message starts a first pass that keeps no headers (getpeerinfo
shows presynced_headers, getblockchaininfo's headers stays 0), and once the
chain's work reaches the threshold the node asks for it again from the start
and stores it only on that second pass. Headers with a bad proof of work get
the peer disconnected."""

from test_framework.blocktools import create_regtest_genesis
from test_framework.messages import CBlockHeader, msg_headers
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

# Regtest blocks each add 2 to the chain work (genesis included): 2101 blocks'
# worth, so a chain needs more than 2100 headers.
MIN_WORK = 2 * 2101


def build_headers(prev_hash, count, start_time, nonce_base=0):
    headers = []
    prev = prev_hash
    for i in range(count):
        h = CBlockHeader()
        h.nVersion = 0x20000000
        h.hashPrevBlock = prev
        h.hashMerkleRoot = i + 1 + nonce_base
        h.nTime = start_time + i + 1
        h.nBits = 0x207fffff
        h.nNonce = 0
        h.rehash()
        while not h.check_pow():
            h.nNonce += 1
            h.rehash()
        headers.append(h)
        prev = h.sha256
    return headers


class GetheadersRecorder(P2PInterface):
    def __init__(self):
        super().__init__()
        self.getheaders = []

    def on_getheaders(self, message):
        self.getheaders.append(message)


class HeadersPresyncTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-listen=1", "-debug=net", "-minimumchainwork=%x" % MIN_WORK]]

    def run_test(self):
        node = self.nodes[0]
        genesis = create_regtest_genesis()
        genesis.rehash()
        chain = build_headers(genesis.sha256, 2200, genesis.nTime)
        peer = node.add_p2p_connection(GetheadersRecorder())

        def getheaders_count():
            with p2p_lock:
                return len(peer.getheaders)

        def last_locator():
            with p2p_lock:
                return peer.getheaders[-1].locator.vHave

        self.log.info("a short low-work chain is ignored")
        with node.assert_debug_log(["Ignoring low-work chain (height=100)"]):
            peer.send_message(msg_headers(chain[:100]))
            peer.sync_with_ping()
        assert_equal(node.getblockchaininfo()["headers"], 0)

        self.log.info("a full message starts the first pass: nothing stored, more asked for")
        sent = getheaders_count()
        peer.send_message(msg_headers(chain[:2000]))
        wait_until(lambda: node.getpeerinfo()[0]["presynced_headers"] == 2000, 30, what="presync to 2000")
        assert_equal(node.getblockchaininfo()["headers"], 0)
        wait_until(lambda: getheaders_count() > sent, 30, what="getheaders")
        assert_equal(last_locator()[0], chain[1999].sha256)
        assert_equal(last_locator()[-1], genesis.sha256)

        self.log.info("the work is reached: the node asks for the chain again from the start")
        sent = getheaders_count()
        peer.send_message(msg_headers(chain[2000:]))
        wait_until(lambda: getheaders_count() > sent, 30, what="redownload getheaders")
        assert_equal(last_locator(), [genesis.sha256])
        assert_equal(node.getblockchaininfo()["headers"], 0)
        assert_equal(node.getpeerinfo()[0]["presynced_headers"], -1)

        self.log.info("second pass: headers are stored once the work is reached on it")
        peer.send_message(msg_headers(chain[:2000]))
        peer.sync_with_ping()
        assert_equal(node.getblockchaininfo()["headers"], 0)
        peer.send_message(msg_headers(chain[2000:]))
        wait_until(lambda: node.getblockchaininfo()["headers"] == 2200, 30, what="headers stored")
        assert_equal(node.getblockheader(chain[-1].hash)["height"], 2200)

        self.log.info("a header with a bad proof of work gets the peer disconnected")
        bad = build_headers(chain[-1].sha256, 1, chain[-1].nTime)[0]
        while bad.check_pow():
            bad.nNonce += 1
            bad.rehash()
        peer.send_message(msg_headers([bad]))
        peer.wait_for_disconnect()
        assert node.debug_log_contains("header with invalid proof of work")


if __name__ == "__main__":
    HeadersPresyncTest().main()
