#!/usr/bin/env python3
"""Fixed seeds on mainnet, as in Bitcoin Core: with an empty address table,
-dnsseed=0 and neither -seednode nor -addnode, the node adds at once the
fixed seeds of the networks it can reach (and only those) from the internal
source "fixedseeds"; -fixedseeds=0 adds none.

The node runs with -proxy (and -onion) on a closed local port, so every
automatic connection to a seed fails at once on 127.0.0.1 and the test never
dials the internet. With -proxy, IPv4, IPv6 and Tor are reachable; I2P and
CJDNS are not (no -i2psam, no -cjdnsreachable).

The address table keeps fewer addresses than were added: all seeds come from
one source, whose addresses may only use 64 of the new table's buckets, so
some of them land on the same slot and only the first stays (as in Core)."""

import ipaddress
import os

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, wait_until

SEEDS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "contrib", "seeds")

ADDING_NOW = ("Adding fixed seeds as -dnsseed=0 (or IPv4/IPv6 connections are disabled via -onlynet) "
              "and neither -addnode nor -seednode are provided")


def read_seeds(filename):
    """The list's addresses by network, as getnodeaddresses prints them: {network: {(address, port)}}."""
    out = {"ipv4": set(), "ipv6": set(), "onion": set(), "i2p": set(), "cjdns": set()}
    with open(os.path.join(SEEDS_DIR, filename), encoding="utf8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            host, port = line.rsplit(":", 1)
            if host.startswith("["):
                ip = ipaddress.IPv6Address(host[1:-1])
                out["cjdns" if ip.packed[0] == 0xFC else "ipv6"].add((ip.compressed, int(port)))
            elif host.endswith(".onion"):
                out["onion"].add((host, int(port)))
            elif host.endswith(".b32.i2p"):
                out["i2p"].add((host, int(port)))
            else:
                out["ipv4"].add((host, int(port)))
    return out


class FixedSeedsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.chain = "main"
        # The closed proxy from the first start on: nothing here may reach the internet.
        self.extra_args = [["-proxy=127.0.0.1:1"]]

    def addresses(self):
        node = self.nodes[0]
        got = {}
        for a in node.getnodeaddresses(0):
            address = a["address"]
            if a["network"] in ("ipv6", "cjdns"):
                address = ipaddress.IPv6Address(address).compressed
            got.setdefault(a["network"], set()).add((address, a["port"]))
        return got

    def start_fresh(self, args, expected_msgs, unexpected_msgs=()):
        """Restarts with an empty address table (peers.dat and anchors.dat removed) and `args`."""
        self.stop_node(0)
        node = self.nodes[0]
        for name in ("peers.dat", "anchors.dat"):
            path = os.path.join(node.chain_dir, name)
            if os.path.exists(path):
                os.remove(path)
        with node.assert_debug_log(expected_msgs, unexpected_msgs=list(unexpected_msgs), timeout=20):
            self.start_node(0, args)

    def check_table(self, seeds, networks):
        """The table holds only seeds of `networks`, and a good part of them (see the module's note)."""
        expected = set().union(*(seeds[n] for n in networks))
        wait_until(lambda: len(self.nodes[0].getnodeaddresses(0)) > 0, 10, what="fixed seeds in the table")
        got = self.addresses()
        assert_equal(sorted(got), sorted(networks))
        for net, addrs in got.items():
            assert addrs <= seeds[net], "addresses not in the %s list: %s" % (net, sorted(addrs - seeds[net])[:5])
        total = sum(len(a) for a in got.values())
        self.log.info("  %d of %d added seeds kept in the table: %s", total, len(expected),
                      {n: len(a) for n, a in sorted(got.items())})
        # Loose bounds: how many collide depends on the table's random key (Tor's 16 address groups
        # share few buckets, so fewer of its seeds stay).
        assert total >= len(expected) // 2, "only %d of %d seeds kept" % (total, len(expected))
        for net in networks:
            assert len(got[net]) >= len(seeds[net]) // 4, net

    def run_test(self):
        seeds = read_seeds("nodes_main.txt")
        for net, n in (("ipv4", 512), ("ipv6", 512), ("onion", 512), ("i2p", 512), ("cjdns", 8)):
            assert_equal(len(seeds[net]), n)

        self.log.info("-dnsseed=0, no -seednode/-addnode: the reachable networks' seeds at once (IPv4, IPv6, Tor)")
        reachable = len(seeds["ipv4"]) + len(seeds["ipv6"]) + len(seeds["onion"])
        self.start_fresh(["-proxy=127.0.0.1:1", "-dnsseed=0", "-fixedseeds=1"],
                         [ADDING_NOW, "Added %d fixed seeds from reachable networks." % reachable],
                         ["Fixed seeds are disabled"])
        self.check_table(seeds, ["ipv4", "ipv6", "onion"])

        self.log.info("A table that has addresses of every reachable network gets no more after a restart")
        self.restart_node(0, ["-proxy=127.0.0.1:1", "-dnsseed=0", "-fixedseeds=1"])
        kept = sum(len(a) for a in self.addresses().values())
        with self.nodes[0].assert_debug_log([], unexpected_msgs=["Adding fixed seeds"], timeout=2):
            self.restart_node(0, ["-proxy=127.0.0.1:1", "-dnsseed=0", "-fixedseeds=1"])
            wait_until(lambda: len(self.nodes[0].getnodeaddresses(0)) > 0, 10, what="peers.dat loaded")
        assert_equal(sum(len(a) for a in self.addresses().values()), kept)

        self.log.info("-onlynet=onion: only the Tor seeds")
        self.start_fresh(["-onlynet=onion", "-onion=127.0.0.1:1", "-dnsseed=0", "-fixedseeds=1"],
                         [ADDING_NOW, "Added %d fixed seeds from reachable networks." % len(seeds["onion"])])
        self.check_table(seeds, ["onion"])

        self.log.info("-fixedseeds=0: none")
        self.start_fresh(["-proxy=127.0.0.1:1", "-dnsseed=0", "-fixedseeds=0"],
                         ["Fixed seeds are disabled"], ["Adding fixed seeds", "fixed seeds from reachable networks"])
        assert_equal(self.nodes[0].getnodeaddresses(0), [])


if __name__ == "__main__":
    FixedSeedsTest().main()
