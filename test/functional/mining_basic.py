#!/usr/bin/env python3
"""Mining by RPC on regtest: generatetoaddress to every address type, the
coinbase each template gets (BIP 34 height, subsidy, witness commitment),
coinbase maturity, getmininginfo, getnetworkhashps, setmocktime (block times
follow it; regtest only) and the retired generate."""

import hashlib
import time
from decimal import Decimal

from test_framework.address import (
    ADDRESS_BCRT1_P2WSH_OP_TRUE,
    address_to_scriptpubkey,
    key_to_p2pkh,
    key_to_p2sh_p2wpkh,
    key_to_p2wpkh,
    output_key_to_p2tr,
    script_to_p2sh,
    script_to_p2wsh,
)
from test_framework.test_framework import CairnTestFramework
from test_framework.test_node import TestNode
from test_framework.util import (
    assert_equal,
    assert_greater_than,
    assert_raises_rpc_error,
    get_datadir_path,
    write_config,
)

# The generator point: any valid compressed key will do.
PUBKEY = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
REGTEST_BITS = "207fffff"
REGTEST_TARGET = "7fffff" + "00" * 29
WITNESS_COMMITMENT_PREFIX = "6a24aa21a9ed"


def bip34_push(height):
    """The scriptSig start BIP 34 requires, as hex (OP_n for 1..16)."""
    if 1 <= height <= 16:
        return "%02x" % (0x50 + height)
    n = height.to_bytes((height.bit_length() + 8) // 8, "little")  # room for the sign bit
    while len(n) > 1 and n[-1] == 0 and not (n[-2] & 0x80):
        n = n[:-1]
    return "%02x" % len(n) + n.hex()


def ser_compact(n):
    assert n < 0xfd
    return bytes([n])


def spend_op_true_p2wsh(txid, vout, value_sat, out_spk):
    """A version-2 segwit transaction spending a P2WSH(OP_TRUE) output to `out_spk`."""
    tx = (2).to_bytes(4, "little") + b"\x00\x01"  # version, marker, flag
    tx += ser_compact(1) + bytes.fromhex(txid)[::-1] + vout.to_bytes(4, "little") + b"\x00" + b"\xff\xff\xff\xff"
    tx += ser_compact(1) + value_sat.to_bytes(8, "little") + ser_compact(len(out_spk)) + out_spk
    tx += ser_compact(1) + ser_compact(1) + b"\x51"  # witness: the script OP_TRUE
    tx += (0).to_bytes(4, "little")
    return tx.hex()


class MiningBasicTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def setup_nodes(self):
        super().setup_nodes()
        # A signet node, for what regtest's methods say elsewhere.
        datadir = get_datadir_path(self.tmpdir, 1)
        write_config(datadir, 1, "signet")
        self.nodes.append(TestNode(1, datadir, self.binary, "signet"))
        self.nodes[1].start()

    def run_test(self):
        self.test_mininginfo_genesis()
        self.test_address_types()
        self.test_errors_and_limits()
        self.test_descriptors()
        self.test_maturity()
        self.test_mocktime()
        self.test_networkhashps()
        self.test_other_chain()

    def coinbase_of(self, blockhash):
        return self.nodes[0].getblock(blockhash, 2)["tx"][0]

    def test_mininginfo_genesis(self):
        node = self.nodes[0]
        info = node.getmininginfo()
        assert_equal(info["blocks"], 0)
        assert "currentblockweight" not in info and "currentblocktx" not in info  # no template yet
        assert_equal(info["bits"], REGTEST_BITS)
        assert_equal(info["target"], REGTEST_TARGET)
        assert_equal(info["difficulty"], Decimal("4.656542373906925E-10"))
        assert_equal(info["networkhashps"], 0)
        assert_equal(info["pooledtx"], 0)
        assert_equal(info["chain"], "regtest")
        assert "signet_challenge" not in info
        assert_equal(info["next"], {"height": 1, "bits": REGTEST_BITS,
                                    "difficulty": Decimal("4.656542373906925E-10"), "target": REGTEST_TARGET})
        assert_equal(info["warnings"], [])
        assert_equal(info["blockmintxfee"], Decimal("0.00000001"))
        assert_equal(list(info.keys()), ["blocks", "bits", "difficulty", "target", "networkhashps", "pooledtx",
                                         "blockmintxfee", "chain", "next", "warnings"])

    def test_address_types(self):
        node = self.nodes[0]
        addresses = {
            "p2pkh": key_to_p2pkh(PUBKEY),
            "p2sh": script_to_p2sh(b"\x51"),
            "p2sh-p2wpkh": key_to_p2sh_p2wpkh(PUBKEY),
            "p2wpkh": key_to_p2wpkh(PUBKEY),
            "p2wsh": script_to_p2wsh(b"\x51"),
            "p2tr": output_key_to_p2tr(PUBKEY[1:]),
        }
        assert_equal(addresses["p2wsh"], ADDRESS_BCRT1_P2WSH_OP_TRUE)
        for kind, address in addresses.items():
            self.log.info("generatetoaddress to a %s address", kind)
            height = node.getblockcount() + 1
            hashes = node.generatetoaddress(1, address)
            assert_equal(len(hashes), 1)
            assert_equal(node.getbestblockhash(), hashes[0])
            block = node.getblock(hashes[0], 2)
            assert_equal(block["height"], height)
            assert_equal(block["bits"], REGTEST_BITS)
            assert_equal(block["nTx"], 1)
            cb = block["tx"][0]
            # BIP 34 height, then OP_0 (so the scriptSig is at least 2 bytes).
            assert_equal(cb["vin"][0]["coinbase"], bip34_push(height) + "00")
            assert_equal(cb["vout"][0]["value"], Decimal("50.00000000"))
            assert_equal(cb["vout"][0]["scriptPubKey"]["hex"], bytes(address_to_scriptpubkey(address)).hex())
            assert_equal(cb["vout"][0]["scriptPubKey"]["address"], address)
            # Segwit is active from genesis: always a commitment, with the zero reserved value.
            assert_equal(len(cb["vout"]), 2)
            assert_equal(cb["vout"][1]["value"], Decimal("0"))
            assert cb["vout"][1]["scriptPubKey"]["hex"].startswith(WITNESS_COMMITMENT_PREFIX)
            assert_equal(cb["vin"][0]["txinwitness"], ["00" * 32])
            # Coinbase-only: the witness root is zero, so the commitment is fixed.
            commitment = hashlib.sha256(hashlib.sha256(b"\x00" * 64).digest()).digest().hex()
            assert_equal(cb["vout"][1]["scriptPubKey"]["hex"], WITNESS_COMMITMENT_PREFIX + commitment)

        info = node.getmininginfo()
        assert_equal(info["blocks"], len(addresses))
        assert_equal(info["currentblockweight"], 8000)  # -blockreservedweight's default
        assert_equal(info["currentblocktx"], 0)
        assert_equal(info["next"]["height"], len(addresses) + 1)

        # Several at once, and heights above 16 (a real number push).
        hashes = node.generatetoaddress(12, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        assert_equal(len(set(hashes)), 12)
        assert_equal(node.getblockcount(), len(addresses) + 12)
        assert_equal([node.getblockhash(h) for h in range(len(addresses) + 1, len(addresses) + 13)], hashes)
        assert_equal(self.coinbase_of(hashes[-1])["vin"][0]["coinbase"], "0112" + "00")  # height 18
        # Named parameters.
        assert_equal(len(node.generatetoaddress(nblocks=1, address=ADDRESS_BCRT1_P2WSH_OP_TRUE, maxtries=100)), 1)

    def test_errors_and_limits(self):
        node = self.nodes[0]
        height = node.getblockcount()
        assert_raises_rpc_error(-5, "Error: Invalid address", node.generatetoaddress, 1, "not-an-address")
        # A mainnet address on regtest.
        assert_raises_rpc_error(-5, "Error: Invalid address", node.generatetoaddress, 1,
                                key_to_p2wpkh(PUBKEY, main=True))
        assert_raises_rpc_error(-3, None, node.generatetoaddress, "1", ADDRESS_BCRT1_P2WSH_OP_TRUE)
        assert_raises_rpc_error(-1, None, node.generatetoaddress, 1)  # missing argument: help
        assert_equal(node.generatetoaddress(0, ADDRESS_BCRT1_P2WSH_OP_TRUE), [])
        # No tries: nothing mined (the nonce search needs at least one).
        assert_equal(node.generatetoaddress(5, ADDRESS_BCRT1_P2WSH_OP_TRUE, 0), [])
        assert_equal(node.getblockcount(), height)
        # generate is gone, with Core's pointer to its replacement.
        assert_raises_rpc_error(-32601, "has been replaced by the -generate cli option", node.generate)
        assert "generatetoaddress nblocks" in node.help("generatetoaddress")
        assert "generate\n" not in node.help()  # hidden

    def test_descriptors(self):
        node = self.nodes[0]
        self.log.info("generatetodescriptor, and generateblock to a descriptor")
        cases = [
            ("addr(%s)" % ADDRESS_BCRT1_P2WSH_OP_TRUE, bytes(address_to_scriptpubkey(ADDRESS_BCRT1_P2WSH_OP_TRUE)).hex()),
            ("raw(51)", "51"),
            ("pkh(%s)" % PUBKEY.hex(), bytes(address_to_scriptpubkey(key_to_p2pkh(PUBKEY))).hex()),
            ("pk(%s)" % PUBKEY.hex(), "21" + PUBKEY.hex() + "ac"),
            # combo() of a compressed key gives four scripts: Core pays the P2WPKH one.
            ("combo(%s)" % PUBKEY.hex(), bytes(address_to_scriptpubkey(key_to_p2wpkh(PUBKEY))).hex()),
        ]
        for desc, spk in cases:
            h = node.generatetodescriptor(1, desc)[0]
            assert_equal(self.coinbase_of(h)["vout"][0]["scriptPubKey"]["hex"], spk)
            h = node.generateblock(desc, [])["hash"]
            assert_equal(self.coinbase_of(h)["vout"][0]["scriptPubKey"]["hex"], spk)
        assert_equal(len(node.generatetodescriptor(num_blocks=2, descriptor="raw(51)", maxtries=1000)), 2)
        assert_equal(node.generatetodescriptor(1, "raw(51)", 0), [])
        assert_raises_rpc_error(-5, "'foo(51)' is not a valid descriptor function", node.generatetodescriptor, 1,
                                "foo(51)")
        assert_raises_rpc_error(-5, None, node.generatetodescriptor, 1, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        assert_raises_rpc_error(-5, "Provided checksum 'aaaaaaaa' does not match computed checksum",
                                node.generatetodescriptor, 1, "raw(51)#aaaaaaaa")

    def test_maturity(self):
        node = self.nodes[0]
        self.log.info("Coinbase outputs mature after 100 blocks")
        start = node.getblockcount()
        first = node.generatetoaddress(2, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        node.generatetoaddress(98, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        # The next block is 100 above `first[0]` and 99 above `first[1]`.
        out_spk = address_to_scriptpubkey(ADDRESS_BCRT1_P2WSH_OP_TRUE)
        old = self.coinbase_of(first[0])["txid"]
        young = self.coinbase_of(first[1])["txid"]
        assert_equal(node.getblockcount(), start + 100)
        premature = spend_op_true_p2wsh(young, 0, 49_0000_0000, bytes(out_spk))
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-premature-spend-of-coinbase",
                                node.generateblock, ADDRESS_BCRT1_P2WSH_OP_TRUE, [premature])
        mature = spend_op_true_p2wsh(old, 0, 49_0000_0000, bytes(out_spk))
        result = node.generateblock(ADDRESS_BCRT1_P2WSH_OP_TRUE, [mature])
        block = node.getblock(result["hash"], 2)
        assert_equal(block["nTx"], 2)
        assert_equal(node.getbestblockhash(), result["hash"])
        # As Core: generateblock does not claim the fee (1 BTC here) for the coinbase.
        assert_equal(block["tx"][0]["vout"][0]["value"], Decimal("50"))
        # Now the younger one is old enough too.
        node.generateblock(ADDRESS_BCRT1_P2WSH_OP_TRUE, [premature])

    def test_mocktime(self):
        node = self.nodes[0]
        self.log.info("setmocktime moves the time of new blocks")
        now = int(time.time())
        future = now + 3600
        node.setmocktime(future)
        h = node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)[0]
        assert_equal(node.getblock(h)["time"], future)
        h = node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)[0]
        assert_equal(node.getblock(h)["time"], future)  # still above median time past + 1
        # A clock behind the chain: the block time is median time past + 1.
        tip_mtp = node.getblock(node.getbestblockhash())["mediantime"]
        node.setmocktime(tip_mtp - 60)
        h = node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)[0]
        assert_equal(node.getblock(h)["time"], tip_mtp + 1)
        # Far behind it, the template would be too far in the future for the node's own clock.
        node.setmocktime(tip_mtp - 3 * 3600)
        assert_raises_rpc_error(-1, "CreateNewBlock: TestBlockValidity failed: time-too-new",
                                node.generatetoaddress, 1, ADDRESS_BCRT1_P2WSH_OP_TRUE)
        # Back to the system clock.
        node.setmocktime(0)
        before = int(time.time())
        h = node.generatetoaddress(1, ADDRESS_BCRT1_P2WSH_OP_TRUE)[0]
        block = node.getblock(h)
        prev_mtp = node.getblock(block["previousblockhash"])["mediantime"]
        assert_greater_than(prev_mtp + 1, before)  # the earlier future blocks keep the median ahead
        assert_equal(block["time"], prev_mtp + 1)
        assert_raises_rpc_error(-8, "Mocktime must be in the range [0, 9223372036], not -1.", node.setmocktime, -1)
        assert_raises_rpc_error(-8, "Mocktime must be in the range [0, 9223372036], not 9223372037.",
                                node.setmocktime, 9223372037)
        assert "setmocktime" not in node.help()  # hidden

    def test_networkhashps(self):
        node = self.nodes[0]
        hps = node.getnetworkhashps()
        assert_greater_than(hps, 0)
        assert_equal(node.getmininginfo()["networkhashps"], hps)
        assert_equal(node.getnetworkhashps(120, 0), 0)  # the genesis block: no estimate
        assert_raises_rpc_error(-8, "Invalid nblocks. Must be a positive number or -1.", node.getnetworkhashps, 0)
        assert_raises_rpc_error(-8, "Invalid nblocks. Must be a positive number or -1.", node.getnetworkhashps, -2)
        assert_raises_rpc_error(-8, "Block does not exist at specified height", node.getnetworkhashps, 100,
                                node.getblockcount() + 1)
        assert_raises_rpc_error(-8, "Block does not exist at specified height", node.getnetworkhashps, 100, -2)
        assert_greater_than(node.getnetworkhashps(-1), 0)

    def test_other_chain(self):
        signet = self.nodes[1]
        assert_raises_rpc_error(-1, "setmocktime is for regression testing (-regtest mode) only",
                                signet.setmocktime, 1)
        info = signet.getmininginfo()
        assert_equal(info["chain"], "signet")
        assert_equal(info["blocks"], 0)
        assert_equal(info["bits"], "1e0377ae")
        assert_equal(info["networkhashps"], 0)
        assert "signet_challenge" in info
        assert_equal(list(info.keys()), ["blocks", "bits", "difficulty", "target", "networkhashps", "pooledtx",
                                         "blockmintxfee", "chain", "next", "signet_challenge", "warnings"])


if __name__ == "__main__":
    MiningBasicTest().main()
