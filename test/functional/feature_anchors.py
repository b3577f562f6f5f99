#!/usr/bin/env python3
"""anchors.dat, as in Bitcoin Core: the block-relay-only peers connected at
a clean shutdown are written (inbound and full-relay peers are not), read
and deleted at the next start, and dialled first."""

import os

from test_framework.p2p import P2PInterface
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


def read_anchor_ports(path):
    """Ports of the 127.0.0.1 entries of anchors.dat (magic, count, addresses, checksum)."""
    with open(path, "rb") as f:
        data = f.read()
    assert_equal(data[:4], bytes.fromhex("fabfb5da"))
    count = data[4]
    ports = []
    pos = 5
    for _ in range(count):
        version = int.from_bytes(data[pos:pos + 4], "little")
        assert version & (1 << 29), "addrv2 disk format"
        pos += 8  # version, time
        assert data[pos] < 253
        pos += 1  # services (CompactSize, small)
        net, length = data[pos], data[pos + 1]
        assert_equal((net, length), (1, 4))  # IPv4
        assert_equal(data[pos + 2:pos + 6], bytes([127, 0, 0, 1]))
        ports.append(int.from_bytes(data[pos + 6:pos + 8], "big"))
        pos += 8
    assert_equal(len(data), pos + 32)
    return ports


class AnchorsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-debug=net"]]

    def run_test(self):
        node = self.nodes[0]
        anchors = os.path.join(node.chain_dir, "anchors.dat")
        assert not os.path.exists(anchors)

        self.log.info("Two block-relay-only, one full-relay and one inbound peer")
        for _ in range(2):
            node.add_outbound_p2p_connection(P2PInterface(), connection_type="block-relay-only")
        node.add_outbound_p2p_connection(P2PInterface(), connection_type="outbound-full-relay")
        node.add_p2p_connection(P2PInterface())
        peers = node.getpeerinfo()
        block_relay_ports = sorted(int(p["addr"].split(":")[1]) for p in peers
                                   if p["connection_type"] == "block-relay-only")
        other_ports = [int(p["addr"].split(":")[1]) for p in peers if p["connection_type"] != "block-relay-only"]
        assert_equal(len(block_relay_ports), 2)

        self.log.info("A clean shutdown writes the block-relay-only peers to anchors.dat")
        self.stop_node(0)
        ports = read_anchor_ports(anchors)
        assert_equal(sorted(ports), block_relay_ports)
        assert not set(ports) & set(other_ports)

        self.log.info("The next start reads and deletes anchors.dat and dials the anchors first")
        with node.assert_debug_log(['Loaded 2 addresses from "anchors.dat"',
                                    "2 block-relay-only anchors will be tried for connections.",
                                    "Trying to make an anchor connection to 127.0.0.1:"], timeout=20):
            self.start_node(0)
        assert not os.path.exists(anchors)

        self.log.info("No block-relay-only peers: an empty anchors.dat")
        self.stop_node(0)
        assert_equal(read_anchor_ports(anchors), [])
        self.start_node(0)


if __name__ == "__main__":
    AnchorsTest().main()
