#!/usr/bin/env python3
"""Util RPCs: validateaddress, createmultisig, getdescriptorinfo,
deriveaddresses, signmessagewithprivkey, verifymessage, getindexinfo.

Expected addresses are computed here with the framework's own encoders (or
are Bitcoin Core's published values), never read back from the node."""

from test_framework.address import (
    key_to_p2pkh,
    key_to_p2wpkh,
    key_to_p2sh_p2wpkh,
    script_to_p2sh,
    script_to_p2sh_p2wsh,
    script_to_p2wsh,
)
from test_framework.script import keys_to_multisig_script
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

# BIP 380 checksum, written independently of the node's.
INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "
CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
GENERATOR = [0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd]


def descsum_create(s):
    symbols, groups = [], []
    for c in s:
        v = INPUT_CHARSET.find(c)
        symbols.append(v & 31)
        groups.append(v >> 5)
        if len(groups) == 3:
            symbols.append(groups[0] * 9 + groups[1] * 3 + groups[2])
            groups = []
    if len(groups) == 1:
        symbols.append(groups[0])
    elif len(groups) == 2:
        symbols.append(groups[0] * 3 + groups[1])
    chk = 1
    for value in symbols + [0] * 8:
        top = chk >> 35
        chk = (chk & 0x7ffffffff) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                chk ^= GENERATOR[i]
    chk ^= 1
    return s + "#" + "".join(CHECKSUM_CHARSET[(chk >> (5 * (7 - i))) & 31] for i in range(8))


TPRV = "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK"
TPUB = "tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B"
# Public keys of TPRV/1/1/0 and TPRV/1/1/1 (Bitcoin Core's scantxoutset test).
PUB_110 = bytes.fromhex("03e1c5b6e650966971d7e71ef2674f80222752740fc1dfd63bbbd220d2da9bd0fb")
PUB_111 = bytes.fromhex("030d820fc9e8211c4169be8530efbc632775d8286167afd178caaf1089b77daba7")
UNCOMPRESSED = bytes.fromhex("04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235")


class RpcUtilTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.test_validateaddress()
        self.test_createmultisig()
        self.test_getdescriptorinfo()
        self.test_deriveaddresses()
        self.test_messages()
        self.test_getindexinfo()

    def test_validateaddress(self):
        node = self.node
        p2pkh = key_to_p2pkh(PUB_110)
        info = node.validateaddress(p2pkh)
        assert_equal(info, {"isvalid": True, "address": p2pkh,
                            "scriptPubKey": "76a914" + info["scriptPubKey"][6:46] + "88ac",
                            "isscript": False, "iswitness": False})
        p2wpkh = key_to_p2wpkh(PUB_110)
        info = node.validateaddress(p2wpkh)
        assert_equal(list(info.keys()), ["isvalid", "address", "scriptPubKey", "isscript", "iswitness",
                                         "witness_version", "witness_program"])
        assert_equal((info["isscript"], info["iswitness"], info["witness_version"]), (False, True, 0))
        assert_equal(info["scriptPubKey"], "0014" + info["witness_program"])
        ms = keys_to_multisig_script([PUB_110, PUB_111], k=1)
        info = node.validateaddress(script_to_p2wsh(ms))
        assert_equal((info["isscript"], info["iswitness"], len(info["witness_program"])), (True, True, 64))
        info = node.validateaddress(script_to_p2sh(ms))
        assert_equal((info["isscript"], info["iswitness"]), (True, False))
        # A mainnet address is not valid on regtest.
        info = node.validateaddress("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
        assert_equal(info["isvalid"], False)
        assert_equal(info["error"], "Invalid or unsupported Base58-encoded address.")
        assert_equal(info["error_locations"], [])
        # A Bech32 typo is located.
        bad = p2wpkh[:-1] + ("q" if p2wpkh[-1] != "q" else "p")
        info = node.validateaddress(bad)
        assert_equal(info["isvalid"], False)
        assert_equal(info["error"], "Invalid Bech32 checksum")
        assert_equal(info["error_locations"], [len(bad) - 1])

    def test_createmultisig(self):
        node = self.node
        keys = [PUB_110.hex(), PUB_111.hex()]
        ms = keys_to_multisig_script([PUB_110, PUB_111], k=2)
        res = node.createmultisig(2, keys)
        assert_equal(res["address"], script_to_p2sh(ms))
        assert_equal(res["redeemScript"], bytes(ms).hex())
        assert_equal(res["descriptor"], descsum_create("sh(multi(2,%s,%s))" % tuple(keys)))
        assert "warnings" not in res
        res = node.createmultisig(2, keys, "bech32")
        assert_equal(res["address"], script_to_p2wsh(ms))
        assert_equal(res["descriptor"], descsum_create("wsh(multi(2,%s,%s))" % tuple(keys)))
        res = node.createmultisig(2, keys, "p2sh-segwit")
        assert_equal(res["address"], script_to_p2sh_p2wsh(ms))
        assert_equal(res["descriptor"], descsum_create("sh(wsh(multi(2,%s,%s)))" % tuple(keys)))
        # An uncompressed key forces legacy P2SH, with Core's warning.
        ms_u = keys_to_multisig_script([PUB_110, UNCOMPRESSED], k=1)
        res = node.createmultisig(1, [PUB_110.hex(), UNCOMPRESSED.hex()], "bech32")
        assert_equal(res["address"], script_to_p2sh(ms_u))
        assert_equal(res["warnings"], ["Unable to make chosen address type, please ensure no uncompressed public keys are present."])
        assert_raises_rpc_error(-5, "createmultisig cannot create bech32m multisig addresses", node.createmultisig, 1, keys, "bech32m")
        assert_raises_rpc_error(-5, "Unknown address type 'foo'", node.createmultisig, 1, keys, "foo")
        assert_raises_rpc_error(-5, "Invalid public key: 02ab\n.", node.createmultisig, 1, ["02ab"])
        assert_raises_rpc_error(-5, "must be cryptographically valid", node.createmultisig, 1, ["02" + "00" * 32])
        assert_raises_rpc_error(-8, "a multisignature address must require at least one key to redeem", node.createmultisig, 0, keys)
        assert_raises_rpc_error(-8, "not enough keys supplied (got 2 keys, but need at least 3 to redeem)", node.createmultisig, 3, keys)
        assert_raises_rpc_error(-8, "Number of keys involved in the multisignature address creation > 20", node.createmultisig, 1, [keys[0]] * 21)
        assert_raises_rpc_error(-8, "redeemScript exceeds size limit: 833 > 520", node.createmultisig, 1, [UNCOMPRESSED.hex()] * 10 + [keys[0]] * 5)

    def test_getdescriptorinfo(self):
        node = self.node
        desc = "wpkh(%s/1/1/0)" % TPRV
        info = node.getdescriptorinfo(desc)
        assert_equal(info, {"descriptor": descsum_create("wpkh(%s/1/1/0)" % TPUB), "checksum": descsum_create(desc)[-8:],
                            "isrange": False, "issolvable": True, "hasprivatekeys": True})
        info = node.getdescriptorinfo("sh(multi(1,[deadbeef/0'/1h]%s/0/*,%s))" % (TPUB, PUB_111.hex()))
        # One hardened style per key, the last one written: "0'" becomes "0h" here.
        assert_equal(info["descriptor"], descsum_create("sh(multi(1,[deadbeef/0h/1h]%s/0/*,%s))" % (TPUB, PUB_111.hex())))
        assert_equal((info["isrange"], info["hasprivatekeys"]), (True, False))
        info = node.getdescriptorinfo("addr(%s)" % key_to_p2pkh(PUB_110))
        assert_equal(info["issolvable"], False)
        info = node.getdescriptorinfo("wpkh(%s/<0;1>/*)" % TPUB)
        assert_equal(info["multipath_expansion"], [descsum_create("wpkh(%s/0/*)" % TPUB), descsum_create("wpkh(%s/1/*)" % TPUB)])
        assert_raises_rpc_error(-5, "'foo' is not a valid descriptor function", node.getdescriptorinfo, "foo")
        assert_raises_rpc_error(-5, "Provided checksum 'aaaaaaaa' does not match computed checksum '%s'" % descsum_create(desc)[-8:],
                                node.getdescriptorinfo, desc + "#aaaaaaaa")
        assert_raises_rpc_error(-5, "wpkh(): Uncompressed keys are not allowed", node.getdescriptorinfo, "wpkh(%s)" % UNCOMPRESSED.hex())

    def test_deriveaddresses(self):
        node = self.node
        desc = descsum_create("wpkh(%s/1/1/0)" % TPRV)
        address = key_to_p2wpkh(PUB_110)
        assert_equal(node.deriveaddresses(desc), [address])
        assert_equal(node.deriveaddresses(descsum_create("wpkh(%s/1/1/0)" % TPUB)), [address])
        assert_raises_rpc_error(-5, "Missing checksum", node.deriveaddresses, desc[:-9])
        ranged = descsum_create("wpkh(%s/1/1/*)" % TPRV)
        assert_equal(node.deriveaddresses(ranged, [0, 1]), [address, key_to_p2wpkh(PUB_111)])
        assert_equal(node.deriveaddresses(ranged, 1), [address, key_to_p2wpkh(PUB_111)])
        assert_equal(node.deriveaddresses(descsum_create("combo(%s/1/1/0)" % TPUB)),
                     [key_to_p2pkh(PUB_110), address, key_to_p2sh_p2wpkh(PUB_110)])
        assert_equal(node.deriveaddresses(descsum_create("pkh(%s/1/1/<0;1>)" % TPUB)),
                     [[key_to_p2pkh(PUB_110)], [key_to_p2pkh(PUB_111)]])
        assert_raises_rpc_error(-8, "Range should not be specified for an un-ranged descriptor", node.deriveaddresses, desc, [0, 2])
        assert_raises_rpc_error(-8, "Range must be specified for a ranged descriptor", node.deriveaddresses, ranged)
        assert_raises_rpc_error(-8, "End of range is too high", node.deriveaddresses, ranged, 10000000000)
        assert_raises_rpc_error(-8, "Range is too large", node.deriveaddresses, ranged, [1000000000, 2000000000])
        assert_raises_rpc_error(-8, "Range specified as [begin,end] must not have begin after end", node.deriveaddresses, ranged, [2, 0])
        assert_raises_rpc_error(-8, "Range should be greater or equal than 0", node.deriveaddresses, ranged, [-1, 0])
        assert_raises_rpc_error(-5, "Cannot derive script without private keys", node.deriveaddresses, descsum_create("wpkh(%s/1h/0)" % TPUB))
        assert_raises_rpc_error(-5, "Descriptor does not have a corresponding address", node.deriveaddresses, descsum_create("pk(%s)" % PUB_110.hex()))
        assert_raises_rpc_error(-5, "Descriptor does not have a corresponding address", node.deriveaddresses, descsum_create("raw(6a)"))

    def test_messages(self):
        node = self.node
        # Bitcoin Core's signmessagewithprivkey test values.
        priv = "cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N"
        address = "mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB"
        message = "This is just a test message"
        expected = "INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0="
        signature = node.signmessagewithprivkey(priv, message)
        assert_equal(signature, expected)
        assert node.verifymessage(address, signature, message)
        assert not node.verifymessage(address, signature, message + "!")
        assert not node.verifymessage(key_to_p2pkh(PUB_110), signature, message)
        assert_raises_rpc_error(-5, "Invalid private key", node.signmessagewithprivkey, "invalid_key", message)
        assert_raises_rpc_error(-5, "Invalid address", node.verifymessage, "invalid_addr", signature, message)
        assert_raises_rpc_error(-3, "Address does not refer to key", node.verifymessage, key_to_p2wpkh(PUB_110), signature, message)
        assert_raises_rpc_error(-3, "Malformed base64 encoding", node.verifymessage, address, "invalid_sig", message)

    def test_getindexinfo(self):
        assert_equal(self.node.getindexinfo(), {})
        assert_equal(self.node.getindexinfo("txindex"), {})


if __name__ == "__main__":
    RpcUtilTest().main()
