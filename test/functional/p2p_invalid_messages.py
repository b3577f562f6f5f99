#!/usr/bin/env python3
"""Bad input from a peer, judged as Bitcoin Core v30 judges it.

Transport (v1 framing):
* a message split inside its header is put together again;
* wrong magic, or a header announcing more than 4,000,000 bytes: the peer is
  disconnected as soon as the 24-byte header is in (the payload is never
  waited for), with Core's "Header error: ..." line;
* a wrong checksum or a malformed message type: the message is dropped, the
  peer stays, and its bytes are counted under "*other*";
* an empty (all-NUL) or unknown message type: ignored ("Unknown message type");
* a header announcing a large but legal length whose payload then trickles
  in: other peers and RPC are served meanwhile, and the peer stays;
* many 4 MB junk messages from one peer do not slow down another.

Payloads:
* empty or truncated payloads of every message type Cairn decodes: the
  exception is logged ("ProcessMessages(<type>, N bytes): Exception") and the
  peer stays connected (Core punishes none of them); a version that ends
  early (after the receiver's address) is an old peer's and is accepted;
* addrv2: Core's cases (empty, no entries, a 513-byte address, an unknown
  network next to a good entry) and a known network with the wrong length;
* too many entries: inv/getdata > 50,000, headers > 2,000 (judged by the
  count alone, as Core), addr/addrv2 > 1,000: "Misbehaving" and disconnected;
* headers with invalid proof of work or out of sequence: "Misbehaving" and
  disconnected; a getheaders locator over 101 entries: disconnected;
* messages with Core's fixed answers: wtxidrelay/sendaddrv2 after verack,
  filterload/filteradd/filterclear (no NODE_BLOOM), mempool, well-formed BIP
  157 requests (no NODE_COMPACT_FILTERS), an obsolete version: disconnected;
  a second version or verack, sendtxrcncl: ignored.

Order: before the peer's version every other message is ignored ("non-version
message before version handshake"), between version and verack all but the
feature negotiation ones are ("Unsupported message ... prior to verack"); no
punishment either way, and the handshake still completes.

Afterwards the node answers RPC and takes a block from an honest peer, one it
connected to with addnode (a manual outbound peer, with which it relays
addresses: getpeerinfo's addr_relay_enabled is true, as in Core).
"""

import struct
import time

from test_framework.blocktools import BlockBuilder
from test_framework.messages import (
    MAX_HEADERS_RESULTS,
    MAX_INV_SIZE,
    MAX_PROTOCOL_MESSAGE_LENGTH,
    MSG_TX,
    CAddress,
    CBlockHeader,
    CBlockLocator,
    CInv,
    from_hex,
    hash256,
    msg_addr,
    msg_addrv2,
    msg_generic,
    msg_getdata,
    msg_getheaders,
    msg_headers,
    msg_inv,
    msg_ping,
    msg_sendaddrv2,
    msg_verack,
    msg_version,
    msg_wtxidrelay,
    ser_compact_size,
    ser_string,
)
from test_framework.p2p import P2PDataStore, P2PInterface, listen, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

# A message whose serialized payload (a 5-byte length prefix, then data) is exactly the limit.
VALID_DATA_LIMIT = MAX_PROTOCOL_MESSAGE_LENGTH - 5
HEADER_SIZE = 24
ADDRESS = "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85"


class msg_unrecognized:
    """Core's test message: its type ends in \\x01, so it is malformed as a message type."""
    msgtype = b"badmsg\x01"

    def __init__(self, *, str_data):
        self.str_data = str_data.encode() if isinstance(str_data, str) else str_data

    def serialize(self):
        return ser_string(self.str_data)

    def __repr__(self):
        return "msg_unrecognized(%r, %d bytes)" % (self.msgtype, len(self.str_data))


def raw_header(magic, msgtype, length, checksum=b"\x00" * 4):
    return magic + msgtype + b"\x00" * (12 - len(msgtype)) + struct.pack("<I", length) + checksum


class InvalidMessagesTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net", "-debug=addrman"]]

    def run_test(self):
        self.node = self.nodes[0]
        # Out of initial block download, so that transactions are decoded (Core drops them unread during IBD).
        self.node.generatetoaddress(1, ADDRESS)
        self.test_buffer()
        self.test_duplicate_version_msg()
        self.test_magic_bytes()
        self.test_checksum()
        self.test_size()
        self.test_msgtype()
        self.test_unknown_and_empty_msgtype()
        self.test_trickled_large_message()
        self.test_before_version()
        self.test_before_verack()
        self.test_version_payloads()
        self.test_empty_payloads()
        self.test_truncated_payloads()
        self.test_addrv2()
        self.test_fixed_disconnects()
        self.test_oversized_msgs()
        self.test_invalid_pow_headers_msg()
        self.test_noncontinuous_headers_msg()
        self.test_large_locator()
        self.test_resource_exhaustion()
        self.test_still_works()

    # ---- helpers ----

    def connect(self, peer=None, **kwargs):
        return self.node.add_p2p_connection(peer if peer is not None else P2PDataStore(), **kwargs)

    def expect_kept(self, conn, message, logs, raw=False):
        """Sends message (an object, or raw bytes): the logs appear and the peer stays."""
        with self.node.assert_debug_log(logs):
            if raw:
                conn.send_raw_message(message)
            else:
                conn.send_message(message)
            conn.sync_with_ping(timeout=10)
        assert conn.is_connected

    def expect_disconnect(self, conn, message, logs, raw=False):
        with self.node.assert_debug_log(logs, timeout=10):
            if raw:
                conn.send_raw_message(message)
            else:
                conn.send_message(message)
            conn.wait_for_disconnect(timeout=10)

    def other_bytes(self):
        return self.node.getpeerinfo()[0]["bytesrecv_per_msg"].get("*other*", 0)

    # ---- transport ----

    def test_buffer(self):
        self.log.info("A message whose header arrives in two pieces is put together")
        conn = self.connect()
        conn.sync_with_ping(timeout=10)  # the node's own ping round is done
        msg = conn.build_message(msg_ping(nonce=12345))
        cut_pos = 12
        before = self.node.getnettotals()["totalbytesrecv"]
        conn.send_raw_message(msg[:cut_pos])
        wait_until(lambda: self.node.getnettotals()["totalbytesrecv"] != before, timeout=10, what="first piece")
        assert_equal(self.node.getnettotals()["totalbytesrecv"], before + cut_pos)
        conn.send_raw_message(msg[cut_pos:])
        conn.sync_with_ping(timeout=10)
        self.node.disconnect_p2ps()

    def test_duplicate_version_msg(self):
        self.log.info("A second version message is ignored")
        conn = self.connect()
        self.expect_kept(conn, msg_version(), ["redundant version message from peer"])
        self.node.disconnect_p2ps()

    def test_magic_bytes(self):
        self.log.info("Wrong magic bytes: disconnected at the header")
        conn = self.connect()
        msg = conn.build_message(msg_unrecognized(str_data="d"))
        self.expect_disconnect(conn, b"\xff" * 4 + msg[4:], ["Header error: Wrong MessageStart ffffffff received"],
                               raw=True)
        self.node.disconnect_p2ps()

    def test_checksum(self):
        self.log.info("Wrong checksum: the message is dropped, the peer stays, its bytes count as *other*")
        conn = self.connect()
        msg = conn.build_message(msg_unrecognized(str_data="d"))
        cut = 4 + 12 + 4  # magic, type, length
        msg = msg[:cut] + b"\xff" * 4 + msg[cut + 4:]
        self.expect_kept(conn, msg, ["Header error: Wrong checksum (badmsg, 2 bytes), expected 78df0a04 was ffffffff"],
                         raw=True)
        assert_equal(self.other_bytes(), HEADER_SIZE + 2)
        # A well-formed message with a wrong checksum is not processed either.
        ping = bytearray(conn.build_message(msg_ping(nonce=777)))
        ping[20] ^= 0xff
        with p2p_lock:
            pongs = conn.message_count["pong"]
        self.expect_kept(conn, bytes(ping), ["Header error: Wrong checksum (ping, 8 bytes)"], raw=True)
        with p2p_lock:
            assert_equal(conn.message_count["pong"], pongs + 1)  # only sync_with_ping's
        self.node.disconnect_p2ps()

    def test_size(self):
        self.log.info("A header announcing 4,000,001 bytes: disconnected without waiting for the payload")
        conn = self.connect()
        header = raw_header(conn.magic_bytes, b"badmsg", MAX_PROTOCOL_MESSAGE_LENGTH + 1)
        self.expect_disconnect(conn, header + b"d" * 100, ["Header error: Size too large (badmsg, 4000001 bytes)"],
                               raw=True)
        self.log.info("... and the same with a full-size payload, as Core's test sends it")
        conn = self.connect()
        msg = conn.build_message(msg_unrecognized(str_data="d" * (VALID_DATA_LIMIT + 1)))
        self.expect_disconnect(conn, msg, ["Header error: Size too large (badmsg, 4000001 bytes)"], raw=True)
        self.node.disconnect_p2ps()

    def test_msgtype(self):
        self.log.info("A malformed message type: dropped, the peer stays")
        conn = self.connect()
        msg = conn.build_message(msg_unrecognized(str_data="d"))
        msg = msg[:7] + b"\x00" + msg[8:]  # "bad\0sg\x01": a byte after the NUL
        self.expect_kept(conn, msg, ["Header error: Invalid message type (bad, 2 bytes)"], raw=True)
        assert_equal(self.other_bytes(), HEADER_SIZE + 2)
        self.node.disconnect_p2ps()

    def test_unknown_and_empty_msgtype(self):
        self.log.info("An unknown, well-formed message type, and an all-NUL one, are ignored")
        conn = self.connect()
        self.expect_kept(conn, msg_generic(b"badmsg", b"\x01d"), ['Unknown message type "badmsg" from peer='])
        assert_equal(self.other_bytes(), HEADER_SIZE + 2)
        self.expect_kept(conn, msg_generic(b"", b""), ['Unknown message type "" from peer='])
        assert_equal(self.other_bytes(), 2 * HEADER_SIZE + 2)
        self.node.disconnect_p2ps()

    def test_trickled_large_message(self):
        self.log.info("A 4,000,000-byte message trickling in does not hold up others; the sender stays")
        slow = self.connect()
        other = self.connect(P2PInterface())
        payload = b"t" * MAX_PROTOCOL_MESSAGE_LENGTH
        msg = raw_header(slow.magic_bytes, b"trickle", len(payload), hash256(payload)[:4]) + payload
        pos = HEADER_SIZE + 1000
        slow.send_raw_message(msg[:pos])
        for _ in range(10):
            slow.send_raw_message(msg[pos:pos + 1000])
            pos += 1000
            other.sync_with_ping(timeout=5)
            self.node.getblockcount()
            time.sleep(0.1)
        assert slow.is_connected
        with self.node.assert_debug_log(['Unknown message type "trickle"']):
            slow.send_raw_message(msg[pos:])
            slow.sync_with_ping(timeout=30)
        assert slow.is_connected and other.is_connected
        self.node.disconnect_p2ps()

    # ---- handshake order ----

    def test_before_version(self):
        self.log.info("Before version, every other message is ignored without punishment")
        conn = self.connect(P2PInterface(), send_version=False, wait_for_verack=False)
        for m in (msg_ping(nonce=1), msg_verack(), msg_headers([CBlockHeader()] * 3), msg_inv([CInv(MSG_TX, 1)]),
                  msg_generic(b"addr", b"")):
            with self.node.assert_debug_log(['non-version message before version handshake. Message "%s" from peer='
                                             % m.msgtype.decode()]):
                conn.send_message(m)
        time.sleep(0.2)
        assert conn.is_connected
        with p2p_lock:
            assert "pong" not in conn.last_message and "version" not in conn.last_message
        conn.send_version()
        conn.wait_for_verack(timeout=10)
        conn.sync_with_ping(timeout=10)
        self.node.disconnect_p2ps()

    def test_before_verack(self):
        self.log.info("Between version and verack, only feature negotiation is taken")

        class NoVerack(P2PInterface):
            def on_version(self, message):
                self.version_received = message  # no wtxidrelay, sendaddrv2 or verack yet

        conn = self.connect(NoVerack(), wait_for_verack=False)
        conn.wait_for_message("verack", timeout=10)
        with self.node.assert_debug_log(['Unsupported message "ping" prior to verack from peer=']):
            conn.send_message(msg_ping(nonce=5))
        conn.send_message(msg_wtxidrelay())
        conn.send_message(msg_sendaddrv2())
        conn.send_message(msg_verack())
        conn.sync_with_ping(timeout=10)
        assert conn.is_connected
        self.node.disconnect_p2ps()

    def test_version_payloads(self):
        self.log.info("version: empty or cut inside a field is dropped (the peer may try again); "
                      "cut after the receiver's address is an old peer's, accepted")
        conn = self.connect(P2PInterface(), send_version=False, wait_for_verack=False)
        full = conn._make_version(0x409).serialize()
        for cut in (0, 3, 45):
            with self.node.assert_debug_log(["ProcessMessages(version, %d bytes): Exception" % cut]):
                conn.send_message(msg_generic(b"version", full[:cut]))
            time.sleep(0.05)
        assert conn.is_connected
        with self.node.assert_debug_log(["receive version message: : version 70016, blocks=-1"]):
            conn.send_message(msg_generic(b"version", full[:46]))
            conn.wait_for_verack(timeout=10)
        conn.sync_with_ping(timeout=10)
        assert_equal(self.node.getpeerinfo()[0]["startingheight"], -1)
        self.node.disconnect_p2ps()

        self.log.info("version: a user agent over 256 bytes is undecodable; an obsolete version is disconnected")
        conn = self.connect(P2PInterface(), send_version=False, wait_for_verack=False)
        v = conn._make_version(0x409)
        v.strSubVer = b"x" * 257
        with self.node.assert_debug_log(["ProcessMessages(version", "String length limit exceeded"]):
            conn.send_message(v)
        v = conn._make_version(0x409)
        v.nVersion = 31799
        self.expect_disconnect(conn, v, ["using obsolete version 31799"])
        self.node.disconnect_p2ps()

    def test_empty_payloads(self):
        self.log.info("Empty payloads: an exception is logged for each, the peer stays")
        conn = self.connect()
        for msgtype in (b"addr", b"addrv2", b"inv", b"getdata", b"notfound", b"getheaders", b"getblocks", b"headers",
                        b"block", b"tx", b"cmpctblock", b"getblocktxn", b"blocktxn", b"feefilter", b"sendcmpct",
                        b"getcfilters", b"getcfheaders", b"getcfcheckpt"):
            self.expect_kept(conn, msg_generic(msgtype, b""),
                             ["ProcessMessages(%s, 0 bytes): Exception" % msgtype.decode(), "end of data"])

        self.log.info("A ping without a nonce gets no pong; a pong without one is only logged")
        with p2p_lock:
            pongs = conn.message_count["pong"]
        self.expect_kept(conn, msg_generic(b"ping", b""), ["ProcessMessages(ping, 0 bytes): Exception"])
        with p2p_lock:
            assert_equal(conn.message_count["pong"], pongs + 1)  # only sync_with_ping's
        self.expect_kept(conn, msg_generic(b"pong", b""), ["Short payload"])

        self.log.info("A second verack and messages without payload are fine")
        self.expect_kept(conn, msg_verack(), ["ignoring redundant verack message from peer="])
        self.expect_kept(conn, msg_generic(b"sendheaders", b""), ["received: sendheaders (0 bytes)"])
        self.expect_kept(conn, msg_generic(b"getaddr", b""), ["received: getaddr (0 bytes)"])
        self.expect_kept(conn, msg_generic(b"sendtxrcncl", b""), ["received: sendtxrcncl (0 bytes)"])
        assert_equal(len(self.node.getpeerinfo()), 1)
        self.node.disconnect_p2ps()

    def test_truncated_payloads(self):
        self.log.info("Truncated payloads: an exception is logged for each, the peer stays")
        conn = self.connect()
        header = CBlockHeader()
        header.nBits = 0x207fffff
        block_hex = self.node.getblock(self.node.getbestblockhash(), 0)
        cases = [
            (b"inv", ser_compact_size(2) + CInv(MSG_TX, 1).serialize()),
            (b"getdata", ser_compact_size(1) + CInv(MSG_TX, 1).serialize()[:20]),
            (b"headers", ser_compact_size(1) + header.serialize()[:40]),
            (b"headers", ser_compact_size(1) + header.serialize()),  # the transaction count is missing
            (b"getheaders", CBlockLocator([1, 2]).serialize()),      # no hash_stop
            (b"addr", ser_compact_size(1) + CAddress("1.2.3.4", 8333, 1, int(time.time())).serialize()[:20]),
            (b"block", bytes.fromhex(block_hex)[:-1]),
            (b"tx", bytes.fromhex("02000000010000")),
            (b"feefilter", b"\xe8\x03\x00\x00"),
            (b"sendcmpct", b"\x01\x02\x00"),
            (b"ping", b"\x01\x02\x03"),
        ]
        for msgtype, payload in cases:
            self.expect_kept(conn, msg_generic(msgtype, payload),
                             ["ProcessMessages(%s, %d bytes): Exception" % (msgtype.decode(), len(payload))])
        self.log.info("A non-canonical or oversized count is an exception too")
        self.expect_kept(conn, msg_generic(b"inv", b"\xfd\x01\x00"), ["non-canonical ReadCompactSize()"])
        self.expect_kept(conn, msg_generic(b"headers", b"\xff" + struct.pack("<Q", 1 << 40)),
                         ["ReadCompactSize(): size too large"])
        self.node.disconnect_p2ps()

    def test_addrv2(self):
        now = struct.pack("<I", int(time.time())).hex()
        cases = [
            ("empty", b"", ["received: addrv2 (0 bytes)", "ProcessMessages(addrv2, 0 bytes): Exception", "end of data"]),
            ("no addresses", bytes.fromhex("00"), ["received: addrv2 (1 bytes)"]),
            ("too long address", bytes.fromhex("01" + "61bc6649" + "00" + "01" + "fd0102" + "ab" * 513 + "208d"),
             ["received: addrv2 (525 bytes)", "ProcessMessages(addrv2, 525 bytes): Exception",
              "Address too long: 513 > 512"]),
            ("known network, wrong length", bytes.fromhex("01" + now + "01" + "01" + "05" + "09" * 5 + "208d"),
             ["ProcessMessages(addrv2, 15 bytes): Exception", "BIP155 IPv4 address with length 5 (should be 4)"]),
            ("unrecognized network", bytes.fromhex("02" + now + "01" + "99" + "02" + "ab" * 2 + "208d"
                                                   + now + "01" + "01" + "04" + "09" * 4 + "208d"),
             ["received: addrv2 (25 bytes)", "Received addr: 2 addresses (2 processed, 0 rate-limited)",
              "Added 1 addresses (of 2)"]),
        ]
        for label, payload, logs in cases:
            self.log.info("addrv2: %s", label)
            conn = self.connect(P2PInterface(support_addrv2=True))
            conn.wait_for_message("sendaddrv2", timeout=10)
            # A new peer may have one address processed at once (then one per 10 s): a minute
            # later its bucket holds enough (Core's test uses the addr permission instead).
            self.node.setmocktime(int(time.time()) + 60)
            self.expect_kept(conn, msg_generic(b"addrv2", payload), logs)
            self.node.setmocktime(0)
            self.node.disconnect_p2ps()
        assert "9.9.9.9" in str(self.node.getnodeaddresses(0))

    def test_fixed_disconnects(self):
        self.log.info("Messages Core answers with a disconnect")
        cases = [
            (msg_wtxidrelay(), ["wtxidrelay received after verack"]),
            (msg_sendaddrv2(), ["sendaddrv2 received after verack"]),
            (msg_generic(b"filterload", b""), ["filterload received despite not offering bloom services"]),
            (msg_generic(b"filteradd", b"\x01\x00"), ["filteradd received despite not offering bloom services"]),
            (msg_generic(b"filterclear", b""), ["filterclear received despite not offering bloom services"]),
            (msg_generic(b"mempool", b""), ["mempool request with bloom filters disabled"]),
            (msg_generic(b"getcfilters", b"\x00" + struct.pack("<I", 0) + b"\x00" * 32),
             ["peer requested unsupported block filter type: 0"]),
            (msg_generic(b"getcfheaders", b"\x00" + struct.pack("<I", 0) + b"\x00" * 32),
             ["peer requested unsupported block filter type: 0"]),
            (msg_generic(b"getcfcheckpt", b"\x00" + b"\x00" * 32), ["peer requested unsupported block filter type: 0"]),
        ]
        for message, logs in cases:
            conn = self.connect()
            self.expect_disconnect(conn, message, logs)
            self.node.disconnect_p2ps()

    def test_oversized_msgs(self):
        def check(message, label, size):
            self.log.info("%s message of %d entries: Misbehaving, disconnected", label, size)
            conn = self.connect(P2PInterface())
            self.expect_disconnect(conn, message, ["Misbehaving", "%s message size = %d" % (label, size)])
            self.node.disconnect_p2ps()

        check(msg_inv([CInv(MSG_TX, 1)] * (MAX_INV_SIZE + 1)), "inv", MAX_INV_SIZE + 1)
        check(msg_getdata([CInv(MSG_TX, 1)] * (MAX_INV_SIZE + 1)), "getdata", MAX_INV_SIZE + 1)
        check(msg_headers([CBlockHeader()] * (MAX_HEADERS_RESULTS + 1)), "headers", MAX_HEADERS_RESULTS + 1)
        # Core reads the headers count before any header: the count alone is enough.
        check(msg_generic(b"headers", ser_compact_size(MAX_HEADERS_RESULTS + 1)), "headers", MAX_HEADERS_RESULTS + 1)
        addr = CAddress("1.2.3.4", 8333, 1, int(time.time()))
        check(msg_addr([addr] * 1001), "addr", 1001)
        check(msg_addrv2([addr] * 1001), "addrv2", 1001)

    def test_invalid_pow_headers_msg(self):
        self.log.info("A header with invalid proof of work: Misbehaving, disconnected")
        tip_hash = self.node.getbestblockhash()
        tip = from_hex(CBlockHeader(), self.node.getblockheader(tip_hash, False))
        headers_before = self.node.getblockchaininfo()["headers"]
        header = CBlockHeader()
        header.hashPrevBlock = int(tip_hash, 16)
        header.nTime = int(time.time())
        header.nBits = tip.nBits
        header.rehash()
        while not header.check_pow():
            header.nNonce += 1
            header.rehash()
        peer = self.connect(P2PInterface())
        peer.send_and_ping(msg_headers([header]))
        assert_equal(self.node.getblockchaininfo()["headers"], headers_before + 1)
        while header.check_pow():
            header.nNonce += 1
            header.rehash()
        self.expect_disconnect(peer, msg_headers([header]), ["Misbehaving", "header with invalid proof of work"])
        self.node.disconnect_p2ps()

    def test_noncontinuous_headers_msg(self):
        self.log.info("Headers out of sequence: Misbehaving, disconnected")
        hashes = self.node.generatetoaddress(10, ADDRESS)
        headers = [from_hex(CBlockHeader(), self.node.getblockheader(h, False)) for h in hashes]
        peer = self.connect(P2PInterface())
        with self.node.assert_debug_log([], unexpected_msgs=["non-continuous headers sequence"]):
            peer.send_and_ping(msg_headers(headers))
        del headers[5]
        self.expect_disconnect(peer, msg_headers(headers), ["Misbehaving", "non-continuous headers sequence"])
        self.node.disconnect_p2ps()

    def test_large_locator(self):
        self.log.info("A getheaders locator of 102 entries: disconnected")
        conn = self.connect()
        m = msg_getheaders()
        m.locator = CBlockLocator(list(range(1, 103)))
        self.expect_disconnect(conn, m, ["getheaders locator size 102 > 101"])
        self.node.disconnect_p2ps()

    def test_resource_exhaustion(self):
        self.log.info("Many 4 MB junk messages from one peer: another is served in time, both stay")
        conn = self.connect()
        conn2 = self.connect()
        msg_at_size = msg_unrecognized(str_data="b" * VALID_DATA_LIMIT)
        raw = conn.build_message(msg_at_size)
        assert_equal(len(raw), HEADER_SIZE + MAX_PROTOCOL_MESSAGE_LENGTH)
        for _ in range(20):
            conn.send_raw_message(raw)
        for _ in range(20):
            conn2.sync_with_ping(timeout=5)
        conn.sync_with_ping(timeout=120)
        assert conn.is_connected and conn2.is_connected
        self.node.disconnect_p2ps()

    def test_still_works(self):
        self.log.info("After all of it: RPC answers and an honest peer's block is taken")
        node = self.node
        assert_equal(node.getconnectioncount(), 0)
        height = node.getblockcount()
        # The honest peer is one the node connects to by hand (addnode onetry): a manual
        # outbound peer, with which Core relays addresses (addr_relay_enabled).
        honest = P2PDataStore()
        listener = listen(lambda: honest, net=node.chain)
        try:
            node.addnode("127.0.0.1:%d" % listener.port, "onetry")
            listener.wait_for_peers(1)
            honest.wait_for_verack(timeout=10)
            honest.sync_with_ping(timeout=10)
        finally:
            listener.close()
        node.p2ps.append(honest)
        info = node.getpeerinfo()
        assert_equal(len(info), 1)
        assert_equal(info[0]["connection_type"], "manual")
        assert_equal(info[0]["addr_relay_enabled"], True)
        builder = BlockBuilder.from_node(node)
        blocks = builder.build(2)
        honest.send_blocks_and_test(blocks, node, success=True)
        assert_equal(node.getblockcount(), height + 2)
        assert_equal(node.getbestblockhash(), blocks[-1].hash)
        self.node.disconnect_p2ps()


if __name__ == "__main__":
    InvalidMessagesTest().main()
