#!/usr/bin/env python3
"""The address manager and peers.dat, as in Bitcoin Core:

* addpeeraddress (new and tried tables), getnodeaddresses (count, network,
  Core's errors), getaddrmaninfo and getrawaddrman;
* the table survives a restart through peers.dat;
* a missing peers.dat is created; one from a newer version is moved to
  peers.dat.bak and replaced; a damaged one (truncated, another network's
  magic, bad checksum, bad sizes, an inconsistent table) stops start-up
  with Core's message naming the reason and the file."""

import os
import re

from test_framework.messages import hash256
from test_framework.p2p import MAGIC_BYTES
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

ADDRMAN_NEW_BUCKET_COUNT = 1 << 10
ADDRMAN_TRIED_BUCKET_COUNT = 1 << 8
ADDRMAN_BUCKET_SIZE = 1 << 6


def serialize_addrman(*, format=1, lowest_compatible=4, net_magic="regtest", bucket_key=1, len_new=None,
                      len_tried=None, mock_checksum=None):
    """An empty address table in Core's peers.dat layout (the same file Core's test writes)."""
    r = MAGIC_BYTES[net_magic]
    r += format.to_bytes(1, "little")
    r += (32 + lowest_compatible).to_bytes(1, "little")
    r += bucket_key.to_bytes(32, "little")
    r += (len_new or 0).to_bytes(4, "little", signed=True)
    r += (len_tried or 0).to_bytes(4, "little", signed=True)
    r += (ADDRMAN_NEW_BUCKET_COUNT ^ (1 << 30)).to_bytes(4, "little", signed=True)
    for _ in range(ADDRMAN_NEW_BUCKET_COUNT):
        r += (0).to_bytes(4, "little", signed=True)
    r += mock_checksum or hash256(r)
    return r


class AddrmanTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        # -connect=0: the node must not dial the test addresses by itself.
        self.extra_args = [["-connect=0", "-checkaddrman=1"]]

    def write_addrman(self, **kwargs):
        with open(self.peers_dat, "wb") as f:
            f.write(serialize_addrman(**kwargs))

    def assert_init_error(self, reason_regex):
        node = self.nodes[0]
        stderr = node.assert_start_raises_init_error(["-connect=0"], match="none")
        expected = ("Error: Invalid or corrupt peers.dat \\(" + reason_regex + "\\). If you believe this is a bug, "
                    "please report it to .*\\. As a workaround, you can move the file \\(\"" +
                    re.escape(self.peers_dat) + "\"\\) out of the way \\(rename, move, or delete\\) to have a new one "
                    "created on the next start.")
        assert re.fullmatch(expected, stderr), "stderr %r does not match %r" % (stderr, expected)

    def run_test(self):
        node = self.nodes[0]
        self.peers_dat = os.path.join(node.chain_dir, "peers.dat")
        assert os.path.exists(self.peers_dat)  # created at the first start

        self.log.info("addpeeraddress: new and tried tables")
        assert_equal(node.getnodeaddresses(), [])
        assert_equal(node.addpeeraddress("1.2.3.4", 8333), {"success": True})
        assert_equal(node.addpeeraddress("1.2.3.4", 8333), {"success": False, "error": "failed-adding-to-new"})
        assert_equal(node.addpeeraddress("2.3.4.5", 8444, True), {"success": True})
        assert_equal(node.addpeeraddress("2a00:1450:4001::1", 8333), {"success": True})
        assert_equal(node.addpeeraddress("127.0.0.1", 8333), {"success": False, "error": "failed-adding-to-new"})
        assert_equal(node.addpeeraddress("not an address", 8333), {"success": False})
        info = node.getaddrmaninfo()
        assert_equal(info["ipv4"], {"new": 1, "tried": 1, "total": 2})
        assert_equal(info["ipv6"], {"new": 1, "tried": 0, "total": 1})
        assert_equal(info["all_networks"], {"new": 2, "tried": 1, "total": 3})
        assert_equal(sorted(info), ["all_networks", "cjdns", "i2p", "ipv4", "ipv6", "onion"])
        raw = node.getrawaddrman()
        assert_equal(len(raw["new"]), 2)
        assert_equal([e["address"] for e in raw["tried"].values()], ["2.3.4.5"])
        entry = list(raw["tried"].values())[0]
        assert_equal(entry["source"], "2.3.4.5")
        assert_equal(entry["network"], "ipv4")
        assert re.fullmatch(r"\d+/\d+", list(raw["tried"])[0])

        self.log.info("getnodeaddresses: count, network filter, Core's errors")
        assert_equal(len(node.getnodeaddresses()), 1)
        assert_equal(len(node.getnodeaddresses(0)), 3)
        assert_equal(len(node.getnodeaddresses(2)), 2)
        v6 = node.getnodeaddresses(0, "ipv6")
        assert_equal(v6[0]["address"], "2a00:1450:4001::1")
        assert_equal(v6[0]["port"], 8333)
        assert_equal(v6[0]["network"], "ipv6")
        assert_equal(v6[0]["services"], 9)
        assert_equal(sorted(v6[0]), ["address", "network", "port", "services", "time"])
        assert_equal(node.getnodeaddresses(0, "onion"), [])

        self.log.info("addpeeraddress takes Tor v3 and I2P names as Core does (BIP 155 addresses, never looked up)")
        onion = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion"
        i2p = "c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vyq.b32.i2p"
        assert_equal(node.addpeeraddress(onion, 8333), {"success": True})
        assert_equal(node.addpeeraddress(i2p, 0), {"success": True})
        assert_equal(node.addpeeraddress("c4gfnttsuwqomiygupdqqqyy5y5emnk5c73hrfvatri67prd7vy1.b32.i2p", 0),
                     {"success": False})
        assert_equal([(a["address"], a["network"]) for a in node.getnodeaddresses(0, "onion")], [(onion, "onion")])
        assert_equal([(a["address"], a["port"], a["network"]) for a in node.getnodeaddresses(0, "i2p")],
                     [(i2p, 0, "i2p")])
        assert_equal(len(node.getnodeaddresses(0)), 5)
        assert_raises_rpc_error(-8, "Address count out of range", node.getnodeaddresses, -1)
        assert_raises_rpc_error(-8, "Network not recognized: xyz", node.getnodeaddresses, 1, "xyz")

        self.log.info("The table survives a restart (peers.dat)")
        before = node.getaddrmaninfo()
        with node.assert_debug_log(["Loaded 5 addresses from peers.dat"], timeout=10):
            self.restart_node(0)
        node = self.nodes[0]
        assert_equal(node.getaddrmaninfo(), before)
        assert_equal(sorted(a["address"] for a in node.getnodeaddresses(0)),
                     sorted(["1.2.3.4", "2.3.4.5", "2a00:1450:4001::1", onion, i2p]))

        self.log.info("Core's empty mock file loads")
        self.stop_node(0)
        self.write_addrman()
        with node.assert_debug_log(["Loaded 0 addresses from peers.dat"], timeout=10):
            self.start_node(0)
        assert_equal(node.getnodeaddresses(0), [])

        self.log.info("A file from a newer version is moved to peers.dat.bak and replaced")
        self.stop_node(0)
        self.write_addrman(lowest_compatible=111)
        assert not os.path.exists(self.peers_dat + ".bak")
        with node.assert_debug_log(['Creating new peers.dat because the file version was not compatible ("%s"). '
                                    'Original backed up to peers.dat.bak' % self.peers_dat], timeout=10):
            self.start_node(0)
        assert os.path.exists(self.peers_dat + ".bak")
        assert_equal(node.getnodeaddresses(0), [])
        self.stop_node(0)

        self.log.info("Damaged files stop start-up with Core's message")
        self.write_addrman(lowest_compatible=-32)
        self.assert_init_error("Corrupted addrman database: The compat value \\(0\\) is lower than the expected "
                               "minimum value 32.: .+")
        with open(self.peers_dat, "wb") as f:
            f.write(serialize_addrman()[:-1])
        self.assert_init_error("AutoFile::read: end of file.*")
        self.write_addrman(net_magic="testnet3")
        self.assert_init_error("Invalid network magic number")
        self.write_addrman(mock_checksum=b"ab" * 32)
        self.assert_init_error("Checksum mismatch, data corrupted")
        max_tried = ADDRMAN_TRIED_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE
        self.write_addrman(len_tried=-1)
        self.assert_init_error("Corrupt AddrMan serialization: nTried=-1, should be in \\[0, %d\\]:.*" % max_tried)
        self.write_addrman(len_tried=max_tried + 1)
        self.assert_init_error("Corrupt AddrMan serialization: nTried=%d, should be in \\[0, %d\\]:.*"
                               % (max_tried + 1, max_tried))
        max_new = ADDRMAN_NEW_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE
        self.write_addrman(len_new=-1)
        self.assert_init_error("Corrupt AddrMan serialization: nNew=-1, should be in \\[0, %d\\]:.*" % max_new)
        self.write_addrman(bucket_key=0)
        self.assert_init_error("Corrupt data. Consistency check failed with code -16: .*")

        self.log.info("A missing peers.dat is created")
        os.remove(self.peers_dat)
        with node.assert_debug_log(['Creating peers.dat because the file was not found ("%s")' % self.peers_dat],
                                   timeout=10):
            self.start_node(0)
        assert os.path.exists(self.peers_dat)
        assert_equal(node.getnodeaddresses(0), [])


if __name__ == "__main__":
    AddrmanTest().main()
