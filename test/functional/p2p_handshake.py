#!/usr/bin/env python3
"""The v1 wire protocol against raw sockets: version/verack and the
negotiation messages in Core's order, ping/pong, and the framing rules
(bad magic or an oversized header disconnects before any payload is read;
a bad checksum drops only the message)."""

import hashlib
import socket
import struct
import time

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until

MAGIC_REGTEST = bytes.fromhex("fabfb5da")


def checksum(payload):
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def frame(command, payload=b"", magic=MAGIC_REGTEST, length=None, bad_checksum=False):
    header = magic + command.encode().ljust(12, b"\0")
    header += struct.pack("<I", len(payload) if length is None else length)
    header += b"\xff\xff\xff\xff" if bad_checksum else checksum(payload)
    return header + payload


def version_payload(nonce=0x1234, ua=b"/rawpeer:0.1/"):
    addr = struct.pack("<Q", 0) + b"\0" * 10 + b"\xff\xff" + bytes([127, 0, 0, 1]) + struct.pack(">H", 0)
    return (struct.pack("<iQq", 70016, 9, int(time.time())) + addr + addr + struct.pack("<Q", nonce) +
            bytes([len(ua)]) + ua + struct.pack("<i", 0) + b"\x01")


class RawPeer:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def recv_msg(self, timeout=10):
        deadline = time.time() + timeout
        while True:
            if len(self.buf) >= 24:
                length = struct.unpack("<I", self.buf[16:20])[0]
                if len(self.buf) >= 24 + length:
                    command = self.buf[4:16].rstrip(b"\0").decode()
                    payload = self.buf[24:24 + length]
                    assert_equal(self.buf[:4], MAGIC_REGTEST)
                    assert_equal(self.buf[20:24], checksum(payload))
                    self.buf = self.buf[24 + length:]
                    return command, payload
            if time.time() > deadline:
                raise AssertionError("no message within %ds" % timeout)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed by the node")
            self.buf += data

    def wait_for(self, command):
        while True:
            c, p = self.recv_msg()
            if c == command:
                return p

    def wait_closed(self, timeout=10):
        self.sock.settimeout(timeout)
        try:
            while self.sock.recv(65536):
                pass
        except ConnectionResetError:
            pass
        self.sock.close()

    def handshake(self):
        self.send(frame("version", version_payload()))
        got = [self.recv_msg()[0] for _ in range(4)]
        self.send(frame("verack"))
        return got


class P2PHandshakeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-listen=1", "-debug=net", "-uacomment=raw-test"]]

    def run_test(self):
        node = self.nodes[0]
        port = p2p_port(0)
        assert_equal(node.getnetworkinfo()["subversion"], "/Cairn:0.1.0(raw-test)/")
        # "version" names the Core interface followed (clients such as electrs require >= 210000).
        assert_equal(node.getnetworkinfo()["version"], 300000)

        self.log.info("version/verack: the node answers version, wtxidrelay, sendaddrv2, verack in Core's order")
        peer = RawPeer(port)
        assert_equal(peer.handshake(), ["version", "wtxidrelay", "sendaddrv2", "verack"])
        # After our verack: sendcmpct(0, 2), then the first ping.
        assert_equal(peer.wait_for("sendcmpct"), b"\x00" + struct.pack("<Q", 2))
        nonce = peer.wait_for("ping")
        peer.send(frame("pong", nonce))
        wait_until(lambda: "pingtime" in node.getpeerinfo()[0], 10, what="pingtime after pong")
        info = node.getpeerinfo()[0]
        assert_equal(info["subver"], "/rawpeer:0.1/")
        assert_equal(info["version"], 70016)
        assert_equal(info["inbound"], True)
        assert_equal(info["servicesnames"], ["NETWORK", "WITNESS"])

        self.log.info("ping is answered with the same nonce")
        peer.send(frame("ping", struct.pack("<Q", 0xdeadbeef)))
        assert_equal(peer.wait_for("pong"), struct.pack("<Q", 0xdeadbeef))

        self.log.info("a bad checksum drops the message, not the peer (as Core)")
        peer.send(frame("ping", struct.pack("<Q", 7), bad_checksum=True))
        peer.send(frame("ping", struct.pack("<Q", 8)))
        assert_equal(peer.wait_for("pong"), struct.pack("<Q", 8))
        assert node.getpeerinfo()[0]["bytesrecv_per_msg"].get("*other*", 0) >= 32

        self.log.info("getheaders is answered with headers (empty: the node has only genesis)")
        genesis = bytes.fromhex(node.getblockhash(0))[::-1]
        peer.send(frame("getheaders", struct.pack("<I", 70016) + b"\x01" + genesis + b"\0" * 32))
        assert_equal(peer.wait_for("headers"), b"\x00")

        self.log.info("an oversized header (4,000,001 bytes) disconnects before any payload")
        peer.send(frame("block", b"", length=4_000_001))
        peer.wait_closed()
        wait_until(lambda: node.getconnectioncount() == 0, 10, what="disconnect")

        self.log.info("a 4,000,000-byte header is accepted (the limit is inclusive)")
        peer = RawPeer(port)
        peer.handshake()
        peer.send(frame("block", b"", length=4_000_000)[:24] + b"\0" * 1000)
        peer.send(frame("ping", b""))  # swallowed by the pending payload: the node must keep the peer
        time.sleep(0.5)
        assert_equal(node.getconnectioncount(), 1)
        peer.sock.close()
        wait_until(lambda: node.getconnectioncount() == 0, 10, what="close")

        self.log.info("wrong magic disconnects")
        peer = RawPeer(port)
        peer.send(frame("version", version_payload(), magic=bytes.fromhex("f9beb4d9")))
        peer.wait_closed()
        wait_until(lambda: node.getconnectioncount() == 0, 10, what="disconnect")

        self.log.info("messages before version are ignored; verack before version does not complete a handshake")
        peer = RawPeer(port)
        peer.send(frame("ping", struct.pack("<Q", 1)))
        peer.send(frame("verack"))
        assert_equal(peer.handshake(), ["version", "wtxidrelay", "sendaddrv2", "verack"])
        peer.send(frame("ping", struct.pack("<Q", 2)))
        assert_equal(peer.wait_for("pong"), struct.pack("<Q", 2))

        self.log.info("wtxidrelay after verack is a protocol violation: disconnect")
        peer.send(frame("wtxidrelay"))
        peer.wait_closed()
        wait_until(lambda: node.getconnectioncount() == 0, 10, what="disconnect")

        self.log.info("more than 2000 headers: misbehaving, disconnected")
        peer = RawPeer(port)
        peer.handshake()
        headers = b"\xfd" + struct.pack("<H", 2001) + (b"\0" * 80 + b"\0") * 2001
        peer.send(frame("headers", headers))
        peer.wait_closed()
        wait_until(lambda: node.getconnectioncount() == 0, 10, what="disconnect")
        node.wait_for_debug_log("headers message size = 2001")


if __name__ == "__main__":
    P2PHandshakeTest().main()
