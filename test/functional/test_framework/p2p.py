"""The framework's own P2P peer.

One background thread runs an asyncio event loop (NetworkThread) for every
connection of the test process. P2PConnection frames and parses v1
messages (magic, 12-byte command, length, checksum); P2PInterface adds the
handshake as Bitcoin Core's test peers do it (send version on open; on the
other side's version send wtxidrelay, sendaddrv2 and verack; answer pings),
per-message counters, on_<msgtype> hooks and wait_for_* helpers.
P2PDataStore keeps blocks and transactions and serves the node's getdata
and getheaders, which is how a test feeds it a chain.

Handlers run on the network thread while holding p2p_lock; test code reads
peer state under the same lock (the wait_* helpers take it for you).

Connections: node.add_p2p_connection(peer) connects out to a node's P2P
port; listen(factory) opens a listener so the node can connect to us
(-connect, addnode, addconnection).
"""

import asyncio
import logging
import struct
import threading
from collections import defaultdict
from io import BytesIO

from .messages import (
    MESSAGEMAP,
    MIN_P2P_VERSION_SUPPORTED,
    MSG_BLOCK,
    MSG_TX,
    MSG_TYPE_MASK,
    MSG_WTX,
    NODE_NETWORK,
    NODE_WITNESS,
    CBlockHeader,
    hash256,
    msg_block,
    msg_generic,
    msg_getaddr,
    msg_headers,
    msg_notfound,
    msg_ping,
    msg_pong,
    msg_sendaddrv2,
    msg_tx,
    msg_verack,
    msg_version,
    msg_wtxidrelay,
)
from .util import wait_until

logger = logging.getLogger("TestFramework.p2p")

MAGIC_BYTES = {
    "mainnet": b"\xf9\xbe\xb4\xd9",
    "main": b"\xf9\xbe\xb4\xd9",
    "testnet3": b"\x0b\x11\x09\x07",
    "testnet4": b"\x1c\x16\x3f\x28",
    "signet": b"\x0a\x03\xcf\x40",   # the default signet challenge's
    "regtest": b"\xfa\xbf\xb5\xda",
}
HEADER_SIZE = 24
P2P_SUBVERSION = b"/cairn-python:0.1/"
P2P_SERVICES = NODE_NETWORK | NODE_WITNESS
P2P_VERSION_RELAY = 1

# Guards every peer's state: held by the network thread while it dispatches a
# message, and by test code while it inspects last_message and friends.
p2p_lock = threading.RLock()


# ---------------------------------------------------------------------------
# The network thread

class NetworkThread(threading.Thread):
    """The one event loop every P2PConnection of this process lives on."""
    instance = None
    _start_lock = threading.Lock()

    def __init__(self):
        super().__init__(name="NetworkThread", daemon=True)
        self.loop = asyncio.new_event_loop()
        self.listeners = []

    def run(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, fn, *args):
        """Runs fn(*args) on the loop thread (from any thread)."""
        self.loop.call_soon_threadsafe(fn, *args)

    def run_coroutine(self, coro, timeout=30):
        """Runs a coroutine on the loop and waits for its result from the caller's thread."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self, timeout=10):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(timeout)
        self.loop.close()
        NetworkThread.instance = None


def network_thread():
    """The process's network thread, started on first use."""
    with NetworkThread._start_lock:
        if NetworkThread.instance is None or not NetworkThread.instance.is_alive():
            NetworkThread.instance = NetworkThread()
            NetworkThread.instance.start()
        return NetworkThread.instance


class Listener:
    """A listening socket; every accepted connection gets a fresh peer from factory()."""

    def __init__(self, factory, addr="127.0.0.1", port=0, *, net="regtest", **peer_kwargs):
        self.factory = factory
        self.net = net
        self.peer_kwargs = peer_kwargs
        self.peers = []   # in accept order
        thread = network_thread()

        def protocol():
            p = self.factory()
            p.peer_accept_connection(net=self.net, **self.peer_kwargs)
            with p2p_lock:
                self.peers.append(p)
            return p

        async def start():
            return await thread.loop.create_server(protocol, addr, port)
        self.server = thread.run_coroutine(start())
        self.addr = addr
        self.port = self.server.sockets[0].getsockname()[1]

    def wait_for_peers(self, n=1, timeout=60):
        # asyncio makes the protocol object before connection_made(): a peer counts once its socket is set.
        wait_until(lambda: len(self.peers) >= n and all(p.was_connected for p in self.peers[:n]),
                   timeout, what="%d inbound connection(s) on port %d" % (n, self.port))
        return self.peers[:n]

    def close(self):
        thread = network_thread()

        async def stop():
            self.server.close()
            await self.server.wait_closed()
        try:
            thread.run_coroutine(stop(), 10)
        except Exception:  # closing is best effort (the loop may be going away)
            pass


def listen(factory, addr="127.0.0.1", port=0, **kwargs):
    return Listener(factory, addr, port, **kwargs)


# ---------------------------------------------------------------------------
# Framing

def build_message(message, magic):
    """Header + payload of a message object (any object with msgtype and serialize())."""
    payload = message.serialize()
    cmd = message.msgtype
    return magic + cmd + b"\x00" * (12 - len(cmd)) + struct.pack("<I", len(payload)) + hash256(payload)[:4] + payload


class P2PConnection(asyncio.Protocol):
    """A raw v1-transport connection: framing, parsing and dispatch to on_message()."""

    def __init__(self):
        self._transport = None
        self.recvbuf = b""
        self.magic_bytes = MAGIC_BYTES["regtest"]
        self.dstaddr = None
        self.dstport = None
        self.on_connection_send_msg = None
        self.connect_error = None
        self.handler_errors = []
        self.was_connected = False

    @property
    def is_connected(self):
        return self._transport is not None

    # ---- opening and closing

    def _setup(self, dstaddr, dstport, net):
        assert not self.is_connected
        self.dstaddr = dstaddr
        self.dstport = dstport
        self.magic_bytes = MAGIC_BYTES[net]
        self.recvbuf = b""
        self.connect_error = None

    def peer_connect(self, dstaddr, dstport, *, net="regtest", timeout_factor=1):
        """Starts connecting out (returns at once; use wait_for_connect)."""
        self._setup(dstaddr, dstport, net)
        self._start_connect()

    def _start_connect(self):
        thread = network_thread()
        host, port = self.dstaddr, self.dstport

        async def connect():
            try:
                await thread.loop.create_connection(lambda: self, host=host, port=port)
            except OSError as e:
                self.connect_error = e
                logger.debug("connect to %s:%d failed: %s", host, port, e)
        asyncio.run_coroutine_threadsafe(connect(), thread.loop)

    def peer_accept_connection(self, *, net="regtest", **kwargs):
        """Prepares this object to be the protocol of an accepted (inbound) socket."""
        self._setup("0.0.0.0", 0, net)

    def peer_disconnect(self):
        """Closes the socket (without waiting; see wait_for_disconnect)."""
        transport = self._transport
        if transport is not None:
            network_thread().call(transport.abort)

    def connection_made(self, transport):
        self._transport = transport
        self.was_connected = True
        peer = transport.get_extra_info("peername")
        if peer and self.dstport == 0:
            self.dstaddr, self.dstport = peer[0], peer[1]
        logger.debug("connected to %s:%s", self.dstaddr, self.dstport)
        if self.on_connection_send_msg is not None:
            self.send_message(self.on_connection_send_msg)
            self.on_connection_send_msg = None
        self.on_open()

    def connection_lost(self, exc):
        logger.debug("connection to %s:%s closed%s", self.dstaddr, self.dstport, ": %s" % exc if exc else "")
        self._transport = None
        self.recvbuf = b""
        self.on_close()

    # ---- receiving

    def data_received(self, data):
        self.recvbuf += data
        try:
            self._parse()
        except Exception as e:
            logger.warning("closing the connection to %s:%s: %s", self.dstaddr, self.dstport, e)
            self.handler_errors.append(e)
            if self._transport is not None:
                self._transport.abort()

    def _parse(self):
        while len(self.recvbuf) >= HEADER_SIZE:
            if self.recvbuf[:4] != self.magic_bytes:
                raise ValueError("magic bytes mismatch: %r" % self.recvbuf[:4])
            cmd = self.recvbuf[4:16].rstrip(b"\x00")
            length, = struct.unpack("<I", self.recvbuf[16:20])
            checksum = self.recvbuf[20:24]
            if len(self.recvbuf) < HEADER_SIZE + length:
                return
            payload = self.recvbuf[HEADER_SIZE:HEADER_SIZE + length]
            self.recvbuf = self.recvbuf[HEADER_SIZE + length:]
            if hash256(payload)[:4] != checksum:
                raise ValueError("bad checksum for %r" % cmd)
            cls = MESSAGEMAP.get(cmd)
            if cls is None:
                msg = msg_generic(cmd, payload)
            else:
                msg = cls()
                f = BytesIO(payload)
                msg.deserialize(f)
            self._log_message("receive", msg)
            self.on_message(msg)

    def on_message(self, message):
        raise NotImplementedError

    def on_open(self):
        pass

    def on_close(self):
        pass

    # ---- sending

    def build_message(self, message):
        return build_message(message, self.magic_bytes)

    def send_message(self, message):
        self._log_message("send", message)
        self.send_raw_message(self.build_message(message))

    def send_raw_message(self, raw):
        """Sends bytes as they are (a whole message, or junk) from any thread."""
        transport = self._transport
        if transport is None:
            raise IOError("not connected")
        network_thread().call(transport.write, raw)

    send_raw_bytes = send_raw_message

    def _log_message(self, direction, msg):
        if logger.isEnabledFor(logging.DEBUG):
            text = repr(msg)
            logger.debug("%s %s:%s: %s", direction, self.dstaddr, self.dstport,
                         text if len(text) < 500 else text[:500] + "...")


# ---------------------------------------------------------------------------
# A well-behaved peer

class P2PInterface(P2PConnection):
    """A peer that does the handshake, answers pings and remembers what it received.

    Subclass and define on_<msgtype>(message) to react; last_message[msgtype]
    (a str key) and message_count[msgtype] are kept for every message."""

    def __init__(self, support_addrv2=False, wtxidrelay=True):
        super().__init__()
        self.message_count = defaultdict(int)
        self.last_message = {}
        self.ping_counter = 1
        self.nServices = 0
        self.relay = 1
        self.support_addrv2 = support_addrv2
        self.wtxidrelay = wtxidrelay
        self.p2p_connected_to_node = False
        self.version_received = None

    def _make_version(self, services):
        v = msg_version()
        v.nServices = services
        v.strSubVer = P2P_SUBVERSION
        v.relay = P2P_VERSION_RELAY
        v.addrTo.ip = self.dstaddr if self.dstaddr and self.dstaddr.count(".") == 3 else "127.0.0.1"
        v.addrTo.port = self.dstport or 0
        v.addrFrom.ip = "0.0.0.0"
        v.addrFrom.port = 0
        return v

    def peer_connect(self, dstaddr, dstport, *, net="regtest", services=P2P_SERVICES, send_version=True, **kwargs):
        self._setup(dstaddr, dstport, net)
        self.p2p_connected_to_node = True
        self.on_connection_send_msg = self._make_version(services) if send_version else None
        self._start_connect()

    def peer_accept_connection(self, *, net="regtest", services=P2P_SERVICES, send_version=True, **kwargs):
        super().peer_accept_connection(net=net)
        self.p2p_connected_to_node = False
        if send_version:
            self.on_connection_send_msg = self._make_version(services)

    def on_message(self, message):
        with p2p_lock:
            try:
                msgtype = message.msgtype.decode("ascii", "replace")
                self.message_count[msgtype] += 1
                self.last_message[msgtype] = message
                getattr(self, "on_" + msgtype, self.on_unknown)(message)
            except Exception as e:
                logger.exception("error in handler for %r", message)
                self.handler_errors.append(e)
                raise

    # ---- default handlers (override as needed)

    def on_version(self, message):
        if message.nVersion < MIN_P2P_VERSION_SUPPORTED:
            raise ValueError("peer version %d too old" % message.nVersion)
        self.version_received = message
        if message.nVersion >= 70016 and self.wtxidrelay:
            self.send_message(msg_wtxidrelay())
        if self.support_addrv2:
            self.send_message(msg_sendaddrv2())
        self.send_message(msg_verack())
        self.nServices = message.nServices
        self.relay = message.relay

    def on_ping(self, message):
        self.send_message(msg_pong(message.nonce))

    def on_unknown(self, message):
        pass

    def on_verack(self, message): pass
    def on_pong(self, message): pass
    def on_addr(self, message): pass
    def on_addrv2(self, message): pass
    def on_block(self, message): pass
    def on_blocktxn(self, message): pass
    def on_cmpctblock(self, message): pass
    def on_feefilter(self, message): pass
    def on_filterclear(self, message): pass
    def on_getaddr(self, message): pass
    def on_getblocks(self, message): pass
    def on_getblocktxn(self, message): pass
    def on_getdata(self, message): pass
    def on_getheaders(self, message): pass
    def on_headers(self, message): pass
    def on_inv(self, message): pass
    def on_mempool(self, message): pass
    def on_notfound(self, message): pass
    def on_sendaddrv2(self, message): pass
    def on_sendcmpct(self, message): pass
    def on_sendheaders(self, message): pass
    def on_sendtxrcncl(self, message): pass
    def on_tx(self, message): pass
    def on_wtxidrelay(self, message): pass

    # ---- waiting

    def wait_until(self, test_function, *, timeout=60, check_connected=True, what=None):
        def test():
            if check_connected and not self.is_connected:
                raise AssertionError("peer %s:%s disconnected while waiting%s"
                                     % (self.dstaddr, self.dstport, ": " + what if what else ""))
            with p2p_lock:
                return test_function()
        wait_until(test, timeout, what=what)

    def wait_for_connect(self, timeout=60):
        def connected():
            if self.connect_error is not None:
                raise AssertionError("could not connect to %s:%s: %s" % (self.dstaddr, self.dstport, self.connect_error))
            return self.is_connected
        wait_until(connected, timeout, what="connection to %s:%s" % (self.dstaddr, self.dstport))

    def wait_for_disconnect(self, timeout=60):
        wait_until(lambda: not self.is_connected, timeout, what="disconnect of %s:%s" % (self.dstaddr, self.dstport))

    def wait_for_verack(self, timeout=60):
        self.wait_until(lambda: "verack" in self.last_message, timeout=timeout, what="verack")

    def wait_for_message(self, msgtype, timeout=60):
        """Waits for a message of this type (str), returns the last one."""
        self.wait_until(lambda: msgtype in self.last_message, timeout=timeout, what=msgtype)
        with p2p_lock:
            return self.last_message[msgtype]

    def wait_for_tx(self, txid, timeout=60):
        """txid: the node's hex."""
        def test():
            m = self.last_message.get("tx")
            return m is not None and m.tx.txid_hex == txid
        self.wait_until(test, timeout=timeout, what="tx %s" % txid)

    def wait_for_block(self, blockhash, timeout=60):
        """blockhash: int (or the node's hex)."""
        h = int(blockhash, 16) if isinstance(blockhash, str) else blockhash

        def test():
            m = self.last_message.get("block")
            return m is not None and m.block.rehash() == h
        self.wait_until(test, timeout=timeout, what="block %064x" % h)

    def wait_for_header(self, blockhash, timeout=60):
        h = int(blockhash, 16) if isinstance(blockhash, str) else blockhash

        def test():
            m = self.last_message.get("headers")
            return m is not None and bool(m.headers) and m.headers[0].rehash() == h
        self.wait_until(test, timeout=timeout, what="header %064x" % h)

    def wait_for_getdata(self, hash_list, timeout=60):
        """Waits for a getdata whose hashes (ints) are exactly hash_list."""
        def test():
            m = self.last_message.get("getdata")
            return m is not None and [i.hash for i in m.inv] == list(hash_list)
        self.wait_until(test, timeout=timeout, what="getdata")

    def wait_for_getheaders(self, block_hash=None, timeout=60):
        """Waits for a getheaders (whose locator starts at block_hash, if given)."""
        def test():
            m = self.last_message.get("getheaders")
            if m is None:
                return False
            return block_hash is None or (m.locator.vHave and m.locator.vHave[0] == block_hash)
        self.wait_until(test, timeout=timeout, what="getheaders")

    def wait_for_inv(self, expected_inv, timeout=60):
        def test():
            m = self.last_message.get("inv")
            return m is not None and m.inv == list(expected_inv)
        self.wait_until(test, timeout=timeout, what="inv %r" % expected_inv)

    # ---- sending helpers

    def send_version(self, services=P2P_SERVICES):
        self.send_message(self._make_version(services))

    def send_and_ping(self, message, timeout=60):
        self.send_message(message)
        self.sync_with_ping(timeout=timeout)

    def sync_with_ping(self, timeout=60):
        """Sends a ping and waits for its pong: everything sent before is processed."""
        with p2p_lock:
            nonce = self.ping_counter
            self.ping_counter += 1
        self.send_message(msg_ping(nonce))

        def test():
            m = self.last_message.get("pong")
            return m is not None and m.nonce == nonce
        self.wait_until(test, timeout=timeout, what="pong %d" % nonce)

    def send_getaddr(self):
        self.send_message(msg_getaddr())


# ---------------------------------------------------------------------------
# A peer that has blocks and transactions to give

class P2PDataStore(P2PInterface):
    """Keeps blocks (by int hash) and txs; answers getdata and getheaders from them.

    send_blocks_and_test() announces blocks by headers (or sends them outright)
    and checks the node's tip afterwards."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.block_store = {}
        self.last_block_hash = None
        self.tx_store = {}
        self.getdata_requests = []

    def on_getdata(self, message):
        notfound = []
        for inv in message.inv:
            self.getdata_requests.append(inv.hash)
            kind = inv.type & MSG_TYPE_MASK
            if kind in (MSG_TX, MSG_WTX) and inv.hash in self.tx_store:
                self.send_message(msg_tx(self.tx_store[inv.hash]))
            elif kind == MSG_BLOCK and inv.hash in self.block_store:
                self.send_message(msg_block(self.block_store[inv.hash]))
            else:
                notfound.append(inv)
        if notfound:
            logger.debug("getdata for unknown items %r", notfound)
            self.send_message(msg_notfound(notfound))

    def on_getheaders(self, message):
        """Headers from the first locator hash we know up to our last block (max 2000)."""
        if self.last_block_hash is None:
            return
        known = set(message.locator.vHave)
        chain = []
        h = self.last_block_hash
        while h in self.block_store and h not in known:
            chain.append(self.block_store[h])
            h = self.block_store[h].hashPrevBlock
        if h not in known and h in self.block_store:
            return
        chain.reverse()
        if message.hashstop:
            for i, b in enumerate(chain):
                if b.sha256 == message.hashstop:
                    chain = chain[:i + 1]
                    break
        self.send_message(msg_headers([CBlockHeader(b) for b in chain[:2000]]))

    def _store_blocks(self, blocks):
        with p2p_lock:
            for b in blocks:
                b.rehash()
                self.block_store[b.sha256] = b
                self.last_block_hash = b.sha256

    def send_blocks_and_test(self, blocks, node, *, success=True, force_send=False, reject_reason=None,
                             expect_disconnect=False, timeout=60):
        """Sends blocks; success: the node's tip ends at the last one (else it must not).
        force_send sends msg_block directly; otherwise headers are announced and the
        node fetches what it wants through getdata. reject_reason: text that must
        appear in debug.log meanwhile."""
        self._store_blocks(blocks)
        log_ctx = node.assert_debug_log([reject_reason] if reject_reason else [], timeout=timeout) \
            if hasattr(node, "assert_debug_log") else None
        if log_ctx is not None:
            log_ctx.__enter__()
        try:
            if force_send:
                for b in blocks:
                    self.send_message(msg_block(b))
            else:
                self.send_message(msg_headers([CBlockHeader(b) for b in blocks]))
                last = blocks[-1].sha256
                self.wait_until(lambda: last in self.getdata_requests, timeout=timeout,
                                check_connected=success, what="getdata for %064x" % last)
            if expect_disconnect:
                self.wait_for_disconnect(timeout=timeout)
            else:
                self.sync_with_ping(timeout=timeout)
            tip = blocks[-1].hash
            if success:
                wait_until(lambda: node.getbestblockhash() == tip, timeout, what="tip %s" % tip)
            else:
                assert node.getbestblockhash() != tip, "node accepted %s" % tip
        finally:
            if log_ctx is not None:
                log_ctx.__exit__(None, None, None)

    def send_txs_and_test(self, txs, node, *, success=True, expect_disconnect=False, reject_reason=None,
                          timeout=60):
        """Sends txs; success: all end up in the mempool (else none do)."""
        with p2p_lock:
            for tx in txs:
                self.tx_store[tx.txid_int] = tx
                self.tx_store[tx.wtxid_int] = tx
        log_ctx = node.assert_debug_log([reject_reason] if reject_reason else [], timeout=timeout) \
            if hasattr(node, "assert_debug_log") else None
        if log_ctx is not None:
            log_ctx.__enter__()
        try:
            for tx in txs:
                self.send_message(msg_tx(tx))
            if expect_disconnect:
                self.wait_for_disconnect(timeout=timeout)
            else:
                self.sync_with_ping(timeout=timeout)
            mempool = node.getrawmempool()
            for tx in txs:
                assert (tx.txid_hex in mempool) == success, "%s %sin mempool" % (tx.txid_hex, "not " if success else "")
        finally:
            if log_ctx is not None:
                log_ctx.__exit__(None, None, None)

