#!/usr/bin/env python3
"""Outbound connections through SOCKS5 proxies, as in Bitcoin Core.

- -proxy: addnode to an IPv4 address arrives at the proxy as a domain name
  (Core sends every destination as ATYP 3, resolving nothing itself) with the
  right port, and the P2P handshake completes through the proxy to another
  node; IPv6 addresses, host names (never resolved locally) and .onion names
  likewise; a proxy's refusal is logged with Core's text.
- -onion: .onion names go to that proxy instead.
- -proxyrandomize: RFC 1929 credentials, different for every connection.
- A proxy's malformed reply fails the connection, the node carries on.
- -proxy=unix:<path>: a proxy on a local socket.
- getnetworkinfo "networks": limited, reachable, proxy, proxy_randomize_credentials.
- Core's start-up errors for bad -proxy/-onion/-onlynet combinations, and
  -onlynet's effect on reachability.
"""

import os
import queue
import shutil
import socket
import tempfile

from test_framework.socks5 import AddressType, Socks5Command, Socks5Configuration, Socks5Server
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until

ONION = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion"
NETWORKS = {"ipv4", "ipv6", "onion", "i2p", "cjdns"}


def networks_dict(info):
    return {n["name"]: n for n in info["networks"]}


class ProxyTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 4

    def setup_nodes(self):
        # serv1: no authentication only; serv2: also username/password (like Tor); serv3: the onion proxy.
        self.confs = []
        for i, auth in enumerate([False, True, True]):
            conf = Socks5Configuration()
            conf.addr = ("127.0.0.1", p2p_port(self.num_nodes + i))
            conf.unauth = True
            conf.auth = auth
            self.confs.append(conf)
        self.servs = [Socks5Server(c) for c in self.confs]
        for s in self.servs:
            s.start()
        self.proxy_str = ["%s:%d" % c.addr for c in self.confs]
        # Node 0 is the peer reached through the proxies; a routable address stands for it, since
        # local addresses are never proxied (Core's rule).
        self.fake_peer = b"15.61.23.23"
        self.fake_port = 1234
        for c in self.confs:
            c.destinations[(self.fake_peer, self.fake_port)] = ("127.0.0.1", p2p_port(0))
        # serv1 also takes the onion name to node 3.
        self.confs[0].destinations[(ONION.encode(), 8333)] = ("127.0.0.1", p2p_port(3))
        args = [
            [],
            ["-proxy=%s" % self.proxy_str[0], "-proxyrandomize=0", "-debug=net", "-debug=proxy"],
            ["-proxy=%s" % self.proxy_str[1], "-onion=%s" % self.proxy_str[2], "-debug=net"],
            [],
        ]
        self.add_nodes(self.num_nodes, args)
        self.start_nodes()

    def get_cmd(self, serv):
        try:
            cmd = serv.queue.get(timeout=30)
        except queue.Empty:
            raise AssertionError("no CONNECT request reached the proxy")
        assert isinstance(cmd, Socks5Command)
        return cmd

    def check_handshake(self, node, addr, network="ipv4"):
        def done():
            return any(p["addr"] == addr and p["version"] > 0 for p in node.getpeerinfo())
        wait_until(done, 30, what="handshake with %s through the proxy" % addr)
        peer = [p for p in node.getpeerinfo() if p["addr"] == addr][0]
        assert_equal(peer["network"], network)
        assert_equal(peer["inbound"], False)

    def node_test(self, node, proxies, auth):
        """addnode to IPv4, IPv6, onion and a host name; returns the CONNECT requests."""
        cmds = []
        addr = "%s:%d" % (self.fake_peer.decode(), self.fake_port)
        self.log.info("IPv4: sent as a domain name, the handshake completes through the proxy")
        before = len(self.nodes[0].getpeerinfo())
        node.addnode(addr, "onetry")
        cmd = self.get_cmd(proxies[0])
        assert_equal(cmd.cmd, 1)
        assert_equal(cmd.atyp, AddressType.DOMAINNAME)
        assert_equal(cmd.addr, self.fake_peer)
        assert_equal(cmd.port, self.fake_port)
        cmds.append(cmd)
        self.check_handshake(node, addr)
        wait_until(lambda: len(self.nodes[0].getpeerinfo()) == before + 1, 30, what="inbound peer on node 0")

        self.log.info("IPv6: the address text, without brackets")
        node.addnode("[1233:3432:2434:2343:3234:2345:6546:4534]:5443", "onetry")
        cmd = self.get_cmd(proxies[1])
        assert_equal(cmd.atyp, AddressType.DOMAINNAME)
        assert_equal(cmd.addr, b"1233:3432:2434:2343:3234:2345:6546:4534")
        assert_equal(cmd.port, 5443)
        cmds.append(cmd)

        self.log.info("An onion name goes to the onion proxy as it is")
        node.addnode(ONION + ":8333", "onetry")
        cmd = self.get_cmd(proxies[2])
        assert_equal(cmd.atyp, AddressType.DOMAINNAME)
        assert_equal(cmd.addr, ONION.encode())
        assert_equal(cmd.port, 8333)
        cmds.append(cmd)
        if proxies[2] is self.servs[0]:
            self.log.info("... and the handshake completes: a peer of network onion (as Core parses v3 names)")
            self.check_handshake(node, ONION + ":8333", "onion")

        self.log.info("A host name is not resolved locally but sent to the proxy; its refusal is logged")
        with node.assert_debug_log(["Socks5() connect to node.test:8333 failed: host unreachable"], timeout=10):
            node.addnode("node.test:8333", "onetry")
            cmd = self.get_cmd(proxies[3])
        assert_equal(cmd.atyp, AddressType.DOMAINNAME)
        assert_equal(cmd.addr, b"node.test")
        assert_equal(cmd.port, 8333)
        cmds.append(cmd)

        for cmd in cmds:
            if auth:
                assert cmd.username is not None and cmd.password is not None
                assert_equal(cmd.username, cmd.password)
            else:
                assert_equal(cmd.username, None)
                assert_equal(cmd.password, None)
        return cmds

    def run_test(self):
        s1, s2, s3 = self.servs
        try:
            self.log.info("-proxy, no randomized credentials")
            self.node_test(self.nodes[1], [s1, s1, s1, s1], auth=False)

            self.log.info("-proxy and -onion, -proxyrandomize (default): fresh credentials per connection")
            cmds = self.node_test(self.nodes[2], [s2, s2, s3, s2], auth=True)
            assert_equal(len({(c.username, c.password) for c in cmds}), len(cmds))

            self.log.info("A local address is connected to directly, never through the proxy")
            self.nodes[1].addnode("127.0.0.1:%d" % p2p_port(3), "onetry")
            wait_until(lambda: any(p["addr"] == "127.0.0.1:%d" % p2p_port(3) for p in self.nodes[1].getpeerinfo()),
                       30, what="direct connection")
            assert s1.queue.empty()

            self.log.info("A malformed proxy reply fails the connection; the node carries on")
            self.confs[0].destinations[(b"bad.test", 8333)] = b"\x04\x00\x00\x01"
            with self.nodes[1].assert_debug_log(["Proxy failed to accept request"], timeout=10):
                self.nodes[1].addnode("bad.test:8333", "onetry")
                self.get_cmd(s1)
            self.confs[0].destinations[(b"bad2.test", 8333)] = b"\x05\x00\x00\x09"
            with self.nodes[1].assert_debug_log(["Error: malformed proxy response"], timeout=10):
                self.nodes[1].addnode("bad2.test:8333", "onetry")
                self.get_cmd(s1)
            assert_equal(self.nodes[1].getblockcount(), 0)

            self.log.info("getnetworkinfo: proxies and reachability per network")
            n0 = networks_dict(self.nodes[0].getnetworkinfo())
            assert_equal(set(n0.keys()), NETWORKS)
            for net in NETWORKS:
                assert_equal(n0[net]["proxy"], "")
                assert_equal(n0[net]["proxy_randomize_credentials"], False)
                reachable = net in ("ipv4", "ipv6")
                assert_equal(n0[net]["reachable"], reachable)
                assert_equal(n0[net]["limited"], not reachable)

            n1 = networks_dict(self.nodes[1].getnetworkinfo())
            for net in NETWORKS:
                assert_equal(n1[net]["proxy"], "" if net == "i2p" else self.proxy_str[0])
                assert_equal(n1[net]["proxy_randomize_credentials"], False)
            assert_equal(n1["onion"]["reachable"], True)
            assert_equal(n1["i2p"]["reachable"], False)
            assert_equal(n1["cjdns"]["reachable"], False)
            assert_equal(n1["ipv4"]["reachable"], True)

            n2 = networks_dict(self.nodes[2].getnetworkinfo())
            for net in NETWORKS:
                expected = {"i2p": "", "onion": self.proxy_str[2]}.get(net, self.proxy_str[1])
                assert_equal(n2[net]["proxy"], expected)
                assert_equal(n2[net]["proxy_randomize_credentials"], net != "i2p")
            assert_equal(n2["onion"]["reachable"], True)
            # Through a proxy: no address discovery, so nothing of ours to advertise.
            assert_equal(self.nodes[2].getnetworkinfo()["localaddresses"], [])

            self.log.info("-noonion: no onion proxy, onion unreachable")
            self.restart_node(1, ["-proxy=%s" % self.proxy_str[0], "-noonion"])
            n1 = networks_dict(self.nodes[1].getnetworkinfo())
            assert_equal(n1["onion"]["proxy"], "")
            assert_equal(n1["onion"]["reachable"], False)
            assert_equal(n1["ipv4"]["proxy"], self.proxy_str[0])
            assert_equal(n1["ipv4"]["proxy_randomize_credentials"], True)

            self.log.info("-onlynet=onion with a proxy: only onion is reachable")
            self.restart_node(1, ["-proxy=%s" % self.proxy_str[0], "-onlynet=onion"])
            n1 = networks_dict(self.nodes[1].getnetworkinfo())
            for net in NETWORKS:
                assert_equal(n1[net]["reachable"], net == "onion")
                assert_equal(n1[net]["limited"], net != "onion")

            self.log.info("-proxy=<addr>=<net>: a proxy for one network")
            self.restart_node(1, ["-proxy=%s=ipv6" % self.proxy_str[0]])
            n1 = networks_dict(self.nodes[1].getnetworkinfo())
            assert_equal(n1["ipv6"]["proxy"], self.proxy_str[0])
            assert_equal(n1["ipv4"]["proxy"], "")
            assert_equal(n1["onion"]["proxy"], "")

            self.log.info("-connect with a host name: sent to the proxy unresolved, the handshake completes")
            self.confs[0].destinations[(b"connect.test", 1234)] = ("127.0.0.1", p2p_port(0))
            while not s1.queue.empty():
                s1.queue.get()
            self.restart_node(1, ["-proxy=%s" % self.proxy_str[0], "-connect=connect.test:1234"])
            cmd = self.get_cmd(s1)
            assert_equal((cmd.atyp, cmd.addr, cmd.port), (AddressType.DOMAINNAME, b"connect.test", 1234))
            # A proxied name has no address of its own (Core's rule), so its network is unroutable.
            self.check_handshake(self.nodes[1], "connect.test:1234", "not_publicly_routable")
            self.stop_node(1)

            self.log.info("-seednode with a host name: an addr-fetch connection through the proxy, unresolved")
            self.confs[0].destinations[(b"seed.test", 1234)] = ("127.0.0.1", p2p_port(0))
            self.stop_node(3)
            self.start_node(3, ["-proxy=%s" % self.proxy_str[0], "-seednode=seed.test:1234"])
            assert_equal(self.nodes[3].getnodeaddresses(0), [])
            cmd = self.get_cmd(s1)
            assert_equal((cmd.atyp, cmd.addr, cmd.port), (AddressType.DOMAINNAME, b"seed.test", 1234))
            self.stop_node(3)

            self.log.info("-proxy=unix:<path>: a proxy on a local socket")
            sockdir = tempfile.mkdtemp(prefix="cairn_socks_")
            unix_conf = Socks5Configuration()
            unix_conf.af = socket.AF_UNIX
            unix_conf.addr = os.path.join(sockdir, "socks.sock")
            unix_conf.destinations[(self.fake_peer, self.fake_port)] = ("127.0.0.1", p2p_port(0))
            unix_serv = Socks5Server(unix_conf)
            unix_serv.start()
            try:
                self.start_node(1, ["-proxy=unix:%s" % unix_conf.addr])
                n1 = networks_dict(self.nodes[1].getnetworkinfo())
                assert_equal(n1["ipv4"]["proxy"], "unix:%s" % unix_conf.addr)
                assert_equal(n1["ipv4"]["proxy_randomize_credentials"], True)
                addr = "%s:%d" % (self.fake_peer.decode(), self.fake_port)
                self.nodes[1].addnode(addr, "onetry")
                cmd = self.get_cmd(unix_serv)
                assert_equal((cmd.addr, cmd.port), (self.fake_peer, self.fake_port))
                self.check_handshake(self.nodes[1], addr)
                self.stop_node(1)
            finally:
                unix_serv.stop()
                shutil.rmtree(sockdir, ignore_errors=True)

            self.log.info("Start-up errors")
            node = self.nodes[1]
            node.assert_start_raises_init_error(["-proxy=abc:def"],
                                                "Error: Invalid -proxy address or hostname: 'abc:def'")
            node.assert_start_raises_init_error(["-onion=xyz:abc"],
                                                "Error: Invalid -onion address or hostname: 'xyz:abc'")
            node.assert_start_raises_init_error(["-proxy=127.0.0.1:9050="],
                                                "Error: Invalid -proxy address or hostname, ends with '=': "
                                                "'127.0.0.1:9050='")
            node.assert_start_raises_init_error(["-proxy=127.0.0.1:9050=foo"],
                                                "Error: Unrecognized network in -proxy='127.0.0.1:9050=foo': 'foo'")
            msg = ("Error: Outbound connections restricted to Tor (-onlynet=onion) but the proxy for reaching the "
                   "Tor network is explicitly forbidden: -onion=0")
            for arg in ["-onion=0", "-noonion"]:
                node.assert_start_raises_init_error(["-onlynet=onion", arg], msg)
            node.assert_start_raises_init_error(
                ["-onlynet=onion", "-listenonion=0"],
                "Error: Outbound connections restricted to Tor (-onlynet=onion) but the proxy for reaching the Tor "
                "network is not provided: none of -proxy, -onion or -listenonion is given")
            node.assert_start_raises_init_error(["-onlynet=abc"], "Error: Unknown network specified in -onlynet: 'abc'")
            node.assert_start_raises_init_error(
                ["-onlynet=onion", "-proxy=%s" % self.proxy_str[0], "-dnsseed=1"],
                "Error: Incompatible options: -dnsseed=1 was explicitly specified, but -onlynet forbids "
                "connections to IPv4/IPv6")

            self.log.info("-onlynet=onion without a proxy but with -listenonion=1 starts (onion unreachable)")
            self.start_node(1, ["-onlynet=onion", "-listenonion=1"])
            n1 = networks_dict(self.nodes[1].getnetworkinfo())
            assert_equal(n1["onion"]["reachable"], False)
            assert_equal(n1["ipv4"]["reachable"], False)
            self.stop_node(1)
        finally:
            for s in self.servs:
                s.stop()


if __name__ == "__main__":
    ProxyTest().main()
