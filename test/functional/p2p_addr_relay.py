#!/usr/bin/env python3
"""Address relay as Bitcoin Core does it, seen from the framework's P2P peers:

* a small fresh addr message is stored and relayed to exactly two other
  peers taking part in address relay; a large one is stored, not relayed;
* outbound full-relay peers get a getaddr at once, block-relay-only peers
  never, and their addr messages are ignored;
* the token bucket: 1 address at first for inbound peers, 1001 for an
  outbound one we asked, then 0.1 per second (getpeerinfo's
  addr_processed / addr_rate_limited);
* getaddr is answered once per connection, only for inbound peers, with 23%
  of the table from a cache every connection of the same kind sees;
* the node advertises its -externalip address once out of initial block
  download, and getnetworkinfo lists it.
Timers (30 s on average between addr messages) are moved with setmocktime."""

import time

from test_framework.address import ADDRESS_BCRT1_UNSPENDABLE
from test_framework.messages import NODE_NETWORK, NODE_WITNESS, CAddress, msg_addr, msg_getaddr
from test_framework.p2p import P2PInterface, p2p_lock
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port

P2P_SERVICES = NODE_NETWORK | NODE_WITNESS


class AddrReceiver(P2PInterface):
    """Counts the addresses it receives; asks for addresses on connecting so the node relays to it."""

    def __init__(self, send_getaddr=True, prefix="123."):
        super().__init__()
        self.send_getaddr = send_getaddr
        self.prefix = prefix
        self.received = []
        self.addr_messages = 0

    def on_version(self, message):
        super().on_version(message)
        if self.send_getaddr:
            self.send_message(msg_getaddr())

    def on_addr(self, message):
        self.addr_messages += 1
        for a in message.addrs:
            if a.ip.startswith(self.prefix):
                self.received.append((a.ip, a.port))

    def sync_send_with_ping(self):
        """Two pings: the node ran SendMessages for us at least once in between."""
        self.sync_with_ping()
        self.sync_with_ping()

    def count(self):
        with p2p_lock:
            return len(self.received)


def make_addrs(n, start, timestamp, prefix="123"):
    out = []
    for i in range(start, start + n):
        # Consecutive addresses in different /16 groups: they land in different new buckets.
        a = CAddress(ip="%s.%d.%d.%d" % (prefix, i & 255, (i >> 8) & 255, ((i >> 16) & 127) + 1), port=8333,
                     nServices=P2P_SERVICES, time=timestamp)
        out.append(a)
    return out


class AddrRelayTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        # -connect=0: no automatic outbound connections to the (routable) test addresses.
        # -test=addrman: a fixed bucket key, so no run can lose an address to a bucket collision.
        self.extra_args = [["-connect=0", "-debug=net", "-debug=addrman", "-test=addrman"]]

    def bump(self, seconds):
        self.mocktime += seconds
        self.nodes[0].setmocktime(self.mocktime)

    def peer_info(self, peer_index=-1):
        return self.nodes[0].getpeerinfo()[peer_index]

    def run_test(self):
        node = self.nodes[0]
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        self.relay_test()
        self.oversized_and_inbound_getaddr_rules()
        self.rate_limit_test()
        self.getaddr_test()
        self.self_advertisement_test()

    def relay_test(self):
        node = self.nodes[0]
        self.log.info("A fresh addr message of <= 10 addresses is stored and relayed to two peers")
        source = node.add_p2p_connection(P2PInterface())
        receivers = [node.add_p2p_connection(AddrReceiver()) for _ in range(6)]
        silent = node.add_p2p_connection(AddrReceiver(send_getaddr=False))
        # Inbound peers take part in address relay only once they speak addr or getaddr.
        assert_equal([p["addr_relay_enabled"] for p in node.getpeerinfo()], [False] + [True] * 6 + [False])

        # An inbound peer starts with one token and earns 0.1 per second: 100 s buy ten more.
        self.bump(100)
        addrs = make_addrs(10, 1, self.mocktime)
        with node.assert_debug_log(["Received addr: 10 addresses (10 processed, 0 rate-limited) from peer=0"]):
            source.send_and_ping(msg_addr(addrs))
        self.bump(10 * 60)  # past every peer's next addr send time (30 s on average)
        for r in receivers + [silent]:
            r.sync_send_with_ping()
        assert_equal(sum(r.count() for r in receivers), 10 * 2)
        assert_equal(silent.count(), 0)
        for a in addrs:
            assert_equal(sum(1 for r in receivers for (ip, port) in r.received if ip == a.ip), 2)
        assert_equal(len(node.getnodeaddresses(0)), 10)
        info = node.getpeerinfo()[0]
        assert_equal(info["addr_processed"], 10)
        assert_equal(info["addr_rate_limited"], 0)
        assert_equal(info["addr_relay_enabled"], True)

        self.log.info("Addresses a peer knows are not sent to it again")
        again = make_addrs(2, 1, self.mocktime)  # the same addresses with a fresh time are relayed again
        source.send_and_ping(msg_addr(again))
        self.bump(10 * 60)
        for r in receivers:
            r.sync_send_with_ping()
        for r in receivers:
            assert_equal(len(set(r.received)), len(r.received))
        relayed = sum(r.count() for r in receivers)

        self.log.info("A message of more than 10 addresses is stored but not relayed")
        self.bump(200)  # 20 more tokens
        source.send_and_ping(msg_addr(make_addrs(11, 100, self.mocktime)))
        self.bump(10 * 60)
        for r in receivers:
            r.sync_send_with_ping()
        assert_equal(sum(r.count() for r in receivers), relayed)
        assert_equal(len(node.getnodeaddresses(0)), 21)
        node.disconnect_p2ps()

    def oversized_and_inbound_getaddr_rules(self):
        node = self.nodes[0]
        self.log.info("More than 1000 addresses: misbehaving, disconnected")
        peer = node.add_p2p_connection(P2PInterface())
        with node.assert_debug_log(["addr message size = 1001"]):
            peer.send_message(msg_addr(make_addrs(1001, 5000, self.mocktime)))
            peer.wait_for_disconnect()
        node.disconnect_p2ps()

    def rate_limit_test(self):
        node = self.nodes[0]
        for conn_type, no_relay in [("outbound-full-relay", False), ("block-relay-only", True), ("inbound", False)]:
            self.log.info("Rate limiting of addr processing for %s peers" % conn_type)
            if conn_type == "inbound":
                peer = node.add_p2p_connection(AddrReceiver(send_getaddr=False))
            else:
                peer = node.add_outbound_p2p_connection(AddrReceiver(send_getaddr=False), connection_type=conn_type)
                if not no_relay:
                    # An outbound full-relay peer is asked for addresses right away.
                    peer.wait_for_message("getaddr")
                else:
                    peer.sync_with_ping()
                    assert "getaddr" not in peer.message_count
            base = 100000 * (1 + ["outbound-full-relay", "block-relay-only", "inbound"].index(conn_type))
            tokens = 1001 if conn_type == "outbound-full-relay" else 1
            sent = 0
            expected_processed = 0

            def send(n):
                nonlocal sent, tokens, expected_processed
                peer.send_and_ping(msg_addr(make_addrs(n, base + sent, self.mocktime, prefix="124")))
                sent += n
                if not no_relay:
                    used = min(tokens, n)
                    tokens -= used
                    expected_processed += used
                info = [p for p in node.getpeerinfo() if p["connection_type"] == conn_type][-1]
                assert_equal(info["addr_relay_enabled"], not no_relay)
                assert_equal(info["addr_processed"], expected_processed)
                assert_equal(info["addr_rate_limited"], 0 if no_relay else sent - expected_processed)

            send(600)
            send(600)
            send(10)
            self.bump(100)  # 10 more tokens
            tokens += 10
            send(200)
            self.bump(1000)  # 100 more tokens
            tokens += 100
            send(200)
            node.disconnect_p2ps()

    def getaddr_test(self):
        node = self.nodes[0]
        self.log.info("getaddr from an outbound peer is ignored")
        out = node.add_outbound_p2p_connection(AddrReceiver(send_getaddr=False), connection_type="outbound-full-relay")
        with node.assert_debug_log(['Ignoring "getaddr" from outbound-full-relay connection.']):
            out.send_and_ping(msg_getaddr())
        node.disconnect_p2ps()

        self.log.info("getaddr is answered once per connection with 23% of the table")
        # A restart empties the getaddr cache (it was filled while the table was empty) and
        # shows the table survives in peers.dat.
        before = node.getaddrmaninfo()["all_networks"]["total"]
        self.restart_node(0)
        node = self.nodes[0]
        assert_equal(node.getaddrmaninfo()["all_networks"]["total"], before)
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        total = node.getaddrmaninfo()["all_networks"]["total"]
        assert total > 1000, total
        expected = min(1000, total * 23 // 100)
        first = node.add_p2p_connection(AddrReceiver(prefix="12"))
        first.wait_until(lambda: first.count() >= expected, what="getaddr answer")
        first.sync_send_with_ping()
        assert_equal(first.count(), expected)
        answer = sorted(first.received)
        with node.assert_debug_log(['Ignoring repeated "getaddr".']):
            first.send_and_ping(msg_getaddr())
        self.bump(10 * 60)
        first.sync_send_with_ping()
        assert_equal(first.count(), expected)

        self.log.info("Another connection gets the same cached answer, even after the table changed")
        node.add_p2p_connection(P2PInterface()).send_and_ping(msg_addr(make_addrs(5, 900000, self.mocktime, "125")))
        second = node.add_p2p_connection(AddrReceiver(prefix="12"))
        second.wait_until(lambda: second.count() >= expected, what="cached getaddr answer")
        second.sync_send_with_ping()
        assert_equal(sorted(second.received), answer)
        node.disconnect_p2ps()

    def self_advertisement_test(self):
        self.log.info("-externalip: listed by getnetworkinfo, advertised to outbound peers once out of IBD")
        self.restart_node(0, ["-connect=0", "-externalip=1.2.3.4", "-debug=net"])
        node = self.nodes[0]
        assert_equal(node.getnetworkinfo()["localaddresses"],
                     [{"address": "1.2.3.4", "port": p2p_port(0), "score": 4}])
        self.mocktime = int(time.time())
        node.setmocktime(self.mocktime)
        node.generatetoaddress(1, ADDRESS_BCRT1_UNSPENDABLE)
        peer = node.add_outbound_p2p_connection(AddrReceiver(send_getaddr=False, prefix="1.2.3.4"),
                                                connection_type="outbound-full-relay")
        peer.wait_until(lambda: peer.count() == 1, what="self-advertisement")
        assert_equal(peer.received, [("1.2.3.4", p2p_port(0))])
        node.disconnect_p2ps()


if __name__ == "__main__":
    AddrRelayTest().main()
