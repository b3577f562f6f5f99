#!/usr/bin/env python3
"""setban, listbanned and clearbanned as in Bitcoin Core: banning a peer
disconnects it and refuses it afterwards, subnets and absolute end times,
Core's errors, expiry (mocktime), banlist.json across a restart, and
banned addresses left out of getnodeaddresses."""

import json
import os
import time

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, p2p_port, wait_until


class SetBanTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-connect=0"], ["-connect=0", "-debug=net"]]

    def connect(self):
        self.nodes[0].addnode("127.0.0.1:%d" % p2p_port(1), "onetry")

    def run_test(self):
        n0, n1 = self.nodes
        self.connect()
        wait_until(lambda: n1.getconnectioncount() == 1, 30, what="node0 -> node1")
        assert_equal(n1.getpeerinfo()[0]["permissions"], [])

        self.log.info("Banning a peer's address disconnects it")
        n1.setban("127.0.0.1", "add")
        wait_until(lambda: n1.getconnectioncount() == 0, 10, what="ban disconnects")
        assert_equal([b["address"] for b in n1.listbanned()], ["127.0.0.1/32"])

        self.log.info("A banned address is refused")
        with n1.assert_debug_log(["dropped (banned)"], timeout=10):
            self.connect()
        time.sleep(0.5)
        assert_equal(n1.getconnectioncount(), 0)

        self.log.info("clearbanned; subnets; Core's errors")
        n1.clearbanned()
        assert_equal(n1.listbanned(), [])
        n1.setban("127.0.0.0/24", "add")
        assert_equal(len(n1.listbanned()), 1)
        assert_raises_rpc_error(-23, "Error: IP/Subnet already banned", n1.setban, "127.0.0.0/24", "add")
        assert_raises_rpc_error(-30, "Error: Invalid IP/Subnet", n1.setban, "127.0.0.1/42", "add")
        assert_raises_rpc_error(-30, "Error: Invalid IP/Subnet", n1.setban, "not-an-ip", "add")
        assert_raises_rpc_error(-30, "Error: Invalid IP/Subnet", n1.setban, "0.0.0.0", "add")
        assert_raises_rpc_error(-8, "Error: Absolute timestamp is in the past", n1.setban, "127.27.0.1", "add", 123, True)
        assert_raises_rpc_error(-30, "Error: Unban failed. Requested address/subnet was not previously manually banned.",
                                n1.setban, "127.0.0.1", "remove")
        assert_raises_rpc_error(-1, "setban", n1.setban, "127.0.0.1", "ban")  # the help text
        assert_equal(len(n1.listbanned()), 1)
        with n1.assert_debug_log(["dropped (banned)"], timeout=10):
            self.connect()
        n1.setban("127.0.0.0/24", "remove")
        assert_equal(n1.listbanned(), [])
        self.connect()
        wait_until(lambda: n1.getconnectioncount() == 1, 30, what="reconnect after unban")

        self.log.info("Ban times, absolute ends, expiry and Core's listing order")
        now = int(time.time())
        n1.setmocktime(now)
        n1.setban("127.0.0.0/32", "add")
        n1.setban("127.0.0.0/24", "add")
        n1.setban("192.168.0.1", "add", 1)  # one second
        n1.setban("2001:4d48:ac57:400:cacf:e9ff:fe1d:9c63/19", "add", 1000)
        n1.setban("192.168.0.2", "add", now + 120, True)
        assert_equal([b["address"] for b in n1.listbanned()],
                     ["127.0.0.0/24", "127.0.0.0/32", "192.168.0.1/32", "192.168.0.2/32", "2001:4000::/19"])
        n1.setmocktime(now + 3)
        bans = {b["address"]: b for b in n1.listbanned()}
        assert_equal(sorted(bans), ["127.0.0.0/24", "127.0.0.0/32", "192.168.0.2/32", "2001:4000::/19"])
        for address, duration in [("127.0.0.0/24", 86400), ("127.0.0.0/32", 86400), ("2001:4000::/19", 1000),
                                  ("192.168.0.2/32", 120)]:
            assert_equal(bans[address]["ban_created"], now)
            assert_equal(bans[address]["banned_until"], now + duration)
            assert_equal(bans[address]["ban_duration"], duration)
            assert_equal(bans[address]["time_remaining"], duration - 3)

        self.log.info("Bans survive a restart in banlist.json (Core's format)")
        self.restart_node(1)
        n1 = self.nodes[1]
        assert_equal([b["address"] for b in n1.listbanned()],
                     ["127.0.0.0/24", "127.0.0.0/32", "192.168.0.2/32", "2001:4000::/19"])
        with open(os.path.join(n1.chain_dir, "banlist.json"), encoding="utf8") as f:
            saved = json.load(f)
        entry = [e for e in saved["banned_nets"] if e["address"] == "192.168.0.2/32"][0]
        assert_equal(entry, {"version": 1, "ban_created": now, "banned_until": now + 120, "address": "192.168.0.2/32"})

        self.log.info("-bantime sets the default ban time")
        n1.clearbanned()
        self.restart_node(1, ["-connect=0", "-bantime=600"])
        n1 = self.nodes[1]
        n1.setban("10.0.0.1", "add")
        assert_equal(n1.listbanned()[0]["ban_duration"], 600)

        self.log.info("Banned addresses are left out of getnodeaddresses")
        n1.addpeeraddress("1.2.3.4", 8333)
        n1.addpeeraddress("1.2.3.5", 8333)
        assert_equal(len(n1.getnodeaddresses(0)), 2)
        n1.setban("1.2.3.4", "add")
        assert_equal([a["address"] for a in n1.getnodeaddresses(0)], ["1.2.3.5"])
        n1.clearbanned()


if __name__ == "__main__":
    SetBanTest().main()
