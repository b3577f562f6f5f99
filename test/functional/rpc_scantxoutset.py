#!/usr/bin/env python3
"""scantxoutset: finds coinbase outputs paid to keys of an extended key,
reports them as Bitcoin Core does (inferred descriptors with key origins),
and checks ranges, actions and errors."""

from decimal import Decimal

from test_framework.address import key_to_p2pkh, key_to_p2wpkh
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

TPUB = "tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B"
TPRV = "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK"
PUB_110 = bytes.fromhex("03e1c5b6e650966971d7e71ef2674f80222752740fc1dfd63bbbd220d2da9bd0fb")
PUB_111 = bytes.fromhex("030d820fc9e8211c4169be8530efbc632775d8286167afd178caaf1089b77daba7")
# Bitcoin Core's reported descriptors for these keys (its rpc_scantxoutset test).
DESC_110 = "pkh([0c5f9a1e/1/1/0]03e1c5b6e650966971d7e71ef2674f80222752740fc1dfd63bbbd220d2da9bd0fb)#cxmct4w8"


class ScanTxOutSetTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        addr_pkh = key_to_p2pkh(PUB_110)
        addr_wpkh = key_to_p2wpkh(PUB_111)
        hashes = node.generatetoaddress(3, addr_pkh) + node.generatetoaddress(2, addr_wpkh)
        node.generatetoaddress(2, key_to_p2wpkh(PUB_110))

        self.log.info("Matches by key, with Core's descriptors")
        res = node.scantxoutset("start", ["pkh(%s)" % PUB_110.hex()])
        assert_equal(list(res.keys()), ["success", "txouts", "height", "bestblock", "unspents", "total_amount"])
        assert_equal(res["success"], True)
        assert_equal(res["height"], 7)
        assert_equal(res["bestblock"], node.getbestblockhash())
        assert res["txouts"] >= 7
        assert_equal(len(res["unspents"]), 3)
        assert_equal(res["total_amount"], Decimal("150"))
        heights = sorted(u["height"] for u in res["unspents"])
        assert_equal(heights, [1, 2, 3])
        for u in res["unspents"]:
            assert_equal(list(u.keys()), ["txid", "vout", "scriptPubKey", "desc", "amount", "coinbase", "height",
                                          "blockhash", "confirmations"])
            assert_equal(u["coinbase"], True)
            assert_equal(u["amount"], Decimal("50"))
            assert_equal(u["blockhash"], hashes[u["height"] - 1])
            assert_equal(u["confirmations"], 7 - u["height"] + 1)
            assert_equal(u["scriptPubKey"], "76a914" + u["scriptPubKey"][6:46] + "88ac")

        # From the extended key: the same coins, described with their origin.
        res = node.scantxoutset("start", ["combo(%s/1/1/0)" % TPRV])
        assert_equal(res["total_amount"], Decimal("250"))
        assert_equal(sorted(set(u["desc"] for u in res["unspents"])),
                     sorted([DESC_110, node.getdescriptorinfo("wpkh([0c5f9a1e/1/1/0]%s)" % PUB_110.hex())["descriptor"]]))
        res = node.scantxoutset("start", [{"desc": "combo(%s/1/1/*)" % TPUB, "range": [0, 1]}])
        assert_equal(res["total_amount"], Decimal("350"))
        res = node.scantxoutset("start", [{"desc": "combo(%s/1/1/*)" % TPUB, "range": [1, 5]}])
        assert_equal(res["total_amount"], Decimal("100"))
        res = node.scantxoutset("start", ["addr(%s)" % addr_wpkh, "addr(%s)" % addr_pkh])
        assert_equal(res["total_amount"], Decimal("250"))
        assert_equal(node.scantxoutset("start", [])["unspents"], [])
        assert_equal(node.scantxoutset("start", [])["total_amount"], Decimal("0"))

        self.log.info("Ranges and errors")
        assert_raises_rpc_error(-8, "End of range is too high", node.scantxoutset, "start", [{"desc": "desc", "range": -1}])
        assert_raises_rpc_error(-8, "Range should be greater or equal than 0", node.scantxoutset, "start", [{"desc": "desc", "range": [-1, 10]}])
        assert_raises_rpc_error(-8, "End of range is too high", node.scantxoutset, "start", [{"desc": "desc", "range": [(2 << 31 + 1) - 1000000, (2 << 31 + 1)]}])
        assert_raises_rpc_error(-8, "Range specified as [begin,end] must not have begin after end", node.scantxoutset, "start", [{"desc": "desc", "range": [2, 1]}])
        assert_raises_rpc_error(-8, "Range is too large", node.scantxoutset, "start", [{"desc": "desc", "range": [0, 1000001]}])
        assert_raises_rpc_error(-8, "Descriptor needs to be provided in scan object", node.scantxoutset, "start", [{"range": 1}])
        assert_raises_rpc_error(-8, "Scan object needs to be either a string or an object", node.scantxoutset, "start", [1])
        assert_raises_rpc_error(-5, "'foo' is not a valid descriptor function", node.scantxoutset, "start", ["foo"])
        assert_raises_rpc_error(-5, "Cannot derive script without private keys: 'pkh(%s/1h)'" % TPUB, node.scantxoutset, "start", ["pkh(%s/1h)" % TPUB])
        assert_raises_rpc_error(-8, "Invalid action 'go'", node.scantxoutset, "go")

        self.log.info("status and abort without a scan")
        assert_equal(node.scantxoutset("status"), None)
        assert_equal(node.scantxoutset("abort"), False)
        assert_raises_rpc_error(-1, "scanobjects argument is required for the start action", node.scantxoutset, "start")


if __name__ == "__main__":
    ScanTxOutSetTest().main()
