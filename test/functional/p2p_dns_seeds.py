#!/usr/bin/env python3
"""When and whether the node asks its DNS seeds (Bitcoin Core's ThreadDNSAddressSeed), on regtest.

Regtest's only seed is "dummySeed.invalid.". The node runs with -proxy pointing at
a SOCKS5 proxy of the test's own that records every CONNECT and refuses it: with a
proxy for names the node resolves nothing itself (as Core, a seed becomes an
addr-fetch connection to the seed's name through the proxy), and the addresses
put in addrman (192.0.0.x) are dialled through the proxy too, so nothing leaves
the machine. Checked, with Core's log lines:
  - an empty addrman: the seeds are queried at once;
  - -connect turns -dnsseed off by default ("DNS seeding disabled"), -connect
    with -dnsseed=1 still queries; -forcednsseed with -dnsseed=0 or -connect is
    an init error;
  - with addresses in addrman: "Waiting 11 seconds" (fewer than 1000) or
    "Waiting 300 seconds" (1000 or more) first; two outbound full-relay peers in
    that time skip the seeds, two block-relay-only peers do not;
  - -forcednsseed queries at once even with a non-empty addrman.
"""

import itertools
import queue

from test_framework.p2p import P2PInterface
from test_framework.socks5 import AddressType, Socks5Configuration, Socks5Server
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, p2p_port, wait_until

SEED = "dummySeed.invalid."
REGTEST_PORT = 18444
FAKE_ADDR = "fakenodeaddr.fakedomain.invalid."


class P2PDNSSeedsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def setup_nodes(self):
        conf = Socks5Configuration()
        conf.addr = ("127.0.0.1", p2p_port(self.num_nodes))
        self.proxy = Socks5Server(conf)
        self.proxy.start()
        self.proxy_arg = "-proxy=127.0.0.1:%d" % conf.addr[1]
        self.base_args = ["-dnsseed=1", self.proxy_arg, "-debug=net"]
        self.add_nodes(self.num_nodes, [self.base_args])
        self.start_nodes()

    def proxy_requests(self):
        """The CONNECT requests the proxy got since the last call, as (host str, port)."""
        out = []
        while True:
            try:
                cmd = self.proxy.queue.get_nowait()
            except queue.Empty:
                return out
            if cmd.atyp == AddressType.IPV4:
                out.append((".".join(str(b) for b in cmd.addr), cmd.port))
            elif cmd.atyp == AddressType.DOMAINNAME:
                out.append((cmd.addr.decode(), cmd.port))
            else:
                out.append((cmd.addr.hex(), cmd.port))

    def check_nothing_else_dialled(self, requests):
        # Only the seed's name (addr-fetch) and the 192.0.0.x addresses the test put in addrman,
        # all through the proxy: the node dials nothing on its own.
        for host, port in requests:
            assert host in (SEED, FAKE_ADDR) or host.startswith("192.0.0."), (host, port)

    def wait_for_seed_request(self, timeout):
        """Waits for the addr-fetch connection to the seed's name at the proxy; checks everything it got."""
        requests = []

        def seed_requested():
            requests.extend(self.proxy_requests())
            return (SEED, REGTEST_PORT) in requests
        wait_until(seed_requested, timeout, what="an addr-fetch connection to the seed through the proxy")
        self.check_nothing_else_dialled(requests)

    def restart(self, args, expected, unexpected=(), timeout=2):
        node = self.nodes[0]
        node.stop_node()
        with node.assert_debug_log(expected, unexpected_msgs=list(unexpected), timeout=timeout):
            node.start(args)

    def run_test(self):
        self.empty_addrman_test()
        self.init_arg_tests()
        self.outbound_peers_skip_seeds_test()
        self.block_relay_peers_do_not_skip_test()
        self.force_dns_test()
        self.wait_time_tests()
        self.proxy.stop()

    def empty_addrman_test(self):
        node = self.nodes[0]
        assert_equal(node.getnodeaddresses(0), [])
        self.log.info("Empty addrman: the seeds are queried at once, through the proxy (no local lookup)")
        # As Core, "Loading addresses from DNS seed <seed>" is logged also when the seed goes to the name proxy.
        self.restart(self.base_args,
                     ["Loading addresses from DNS seed %s" % SEED, "0 addresses found from DNS seeds"],
                     unexpected=["Waiting 11 seconds before querying DNS seeds", "DNS seeding disabled"])
        # The seed became an addr-fetch connection to its own name, through the proxy.
        self.wait_for_seed_request(timeout=10)

    def init_arg_tests(self):
        node = self.nodes[0]
        self.log.info("-connect turns DNS seeding off by default")
        # As Core, -dnsseed alone decides (its default is off with -connect).
        self.restart(["-connect=%s" % FAKE_ADDR, self.proxy_arg], ["DNS seeding disabled"],
                     unexpected=["Loading addresses from DNS seed"])

        self.log.info("-connect with -dnsseed=1 still queries the seeds")
        self.restart(["-connect=%s" % FAKE_ADDR, "-dnsseed=1", self.proxy_arg],
                     ["Loading addresses from DNS seed %s" % SEED], timeout=12)

        self.log.info("-forcednsseed with -dnsseed=0, or with -connect (which turns -dnsseed off): init error")
        node.stop_node()
        msg = "Error: Cannot set -forcednsseed to true when setting -dnsseed to false."
        node.assert_start_raises_init_error(["-forcednsseed=1", "-dnsseed=0", self.proxy_arg], msg)
        node.assert_start_raises_init_error(["-forcednsseed=1", "-connect=%s" % FAKE_ADDR, self.proxy_arg], msg)
        node.start(self.base_args)
        self.proxy_requests()

    def outbound_peers_skip_seeds_test(self):
        node = self.nodes[0]
        node.addpeeraddress("192.0.0.8", 8333)
        self.log.info("Two outbound full-relay peers within the 11 s wait: the seeds are skipped")
        node.stop_node()
        with node.assert_debug_log(["Waiting 11 seconds before querying DNS seeds.",
                                    "P2P peers available. Skipped DNS seeding."],
                                   unexpected_msgs=["Loading addresses from DNS seed"], timeout=15):
            node.start(self.base_args)
            for _ in range(2):
                node.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
        requests = self.proxy_requests()
        assert (SEED, REGTEST_PORT) not in requests, requests
        self.check_nothing_else_dialled(requests)

    def block_relay_peers_do_not_skip_test(self):
        node = self.nodes[0]
        self.log.info("Two block-relay-only peers do not count: the seeds are queried after the wait")
        node.stop_node()
        with node.assert_debug_log(["Waiting 11 seconds before querying DNS seeds.",
                                    "Loading addresses from DNS seed %s" % SEED],
                                   unexpected_msgs=["P2P peers available"], timeout=15):
            node.start(self.base_args)
            for _ in range(2):
                node.add_outbound_p2p_connection(P2PInterface(), connection_type="block-relay-only")
        self.wait_for_seed_request(timeout=10)

    def force_dns_test(self):
        self.log.info("-forcednsseed: queried at once although addrman is not empty")
        assert len(self.nodes[0].getnodeaddresses(0)) > 0
        self.restart(["-forcednsseed", "-dnsseed=1", self.proxy_arg, "-debug=net"],
                     ["Loading addresses from DNS seed %s" % SEED],
                     unexpected=["Waiting 11 seconds before querying DNS seeds"])
        self.wait_for_seed_request(timeout=5)

    def wait_time_tests(self):
        node = self.nodes[0]
        self.log.info("Fewer than 1000 addresses in addrman: 11 seconds before the seeds")
        for i in range(5):
            node.addpeeraddress("192.0.0.%d" % i, 8333)
        self.restart(self.base_args, ["Waiting 11 seconds before querying DNS seeds.\n"],
                     unexpected=["Loading addresses from DNS seed"])

        self.log.info("1000 addresses or more: 300 seconds")
        for i in itertools.count():
            node.addpeeraddress("%d.%d.%d.1" % (i % 2 + 1, i % 256, i % 100), 8333)
            if i > 1000 and i % 100 == 0 and len(node.getnodeaddresses(0)) >= 1000:
                break
        self.restart(self.base_args, ["Waiting 300 seconds before querying DNS seeds.\n"],
                     unexpected=["Loading addresses from DNS seed"])


if __name__ == "__main__":
    P2PDNSSeedsTest().main()
