#!/usr/bin/env python3
"""createrawtransaction, signrawtransactionwithkey and combinerawtransaction.

Coins are mined to a P2WPKH key the test holds, then spent into P2PKH,
P2SH-P2WPKH, P2TR (raw key and BIP 86) and 2-of-3 P2WSH multisig outputs;
those are spent again, the multisig by two one-key signers whose halves are
combined. Each transaction is mined with generateblock and its outputs found
with gettxout. ECDSA and Schnorr signatures are compared byte for byte with
the Python library's deterministic ones (RFC 6979 with Core's low-R
grinding; BIP 340 with zero auxiliary randomness).
"""
from decimal import Decimal

from test_framework.address import (
    key_to_p2pkh,
    key_to_p2sh_p2wpkh,
    key_to_p2wpkh,
    output_key_to_p2tr,
    script_to_p2wsh,
)
from test_framework.key import ECKey, compute_xonly_pubkey, sign_schnorr, taproot_tweak, tweak_add_pubkey
from test_framework.messages import CTxOut, hash160, hash256, tx_from_hex
from test_framework.script import (
    CScript,
    SegwitV0SignatureHash,
    TaprootSignatureHash,
    keyhash_to_p2pkh_script,
    key_to_p2wpkh_script,
    keys_to_multisig_script,
    LegacySignatureHash,
)
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

TXID = "1d1d4e24ed99057e84c3f80fd8fbec79ed9e1acee37da269356ecea000000000"


def make_key(tag):
    k = ECKey()
    k.set(hash256(tag.encode()), True)
    return k


def core_ecdsa(key, digest):
    """DER signature as Bitcoin Core makes it: RFC 6979, then extra entropy
    counted up (little-endian, 32 bytes) until R's top bit is clear."""
    from test_framework.key import G, N, der_encode_sig, point_mul, rfc6979_nonce
    secret = key.secret
    z = int.from_bytes(digest, "big") % N
    counter = 0
    while True:
        extra = b"" if counter == 0 else counter.to_bytes(4, "little") + bytes(28)
        k = rfc6979_nonce(secret, digest, extra)
        r = point_mul(G, k)[0] % N
        s = pow(k, -1, N) * (z + r * secret) % N
        if s > N // 2:
            s = N - s
        if r < 2**255:
            return der_encode_sig(r, s)
        counter += 1


class RawTransactionBuildTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        for method in ("createrawtransaction", "signrawtransactionwithkey", "combinerawtransaction"):
            assert self.node.help(method).startswith(method + " ")
        assert "== Rawtransactions ==" in self.node.help()
        self.test_createrawtransaction()
        self.test_sign_and_combine()

    # ---- createrawtransaction

    def test_createrawtransaction(self):
        node = self.node
        addr = key_to_p2wpkh(make_key("x").get_pubkey().get_bytes())
        addr2 = key_to_p2pkh(make_key("y").get_pubkey().get_bytes())

        # Output forms: object, array of one-key objects, data.
        h1 = node.createrawtransaction([{"txid": TXID, "vout": 1}], {addr: 1, "data": "00ff"})
        h2 = node.createrawtransaction([{"txid": TXID, "vout": 1}], [{addr: 1}, {"data": "00ff"}])
        assert_equal(h1, h2)
        dec = node.decoderawtransaction(h1)
        assert_equal(dec["vout"][0]["value"], Decimal("1"))
        assert_equal(dec["vout"][0]["scriptPubKey"]["address"], addr)
        assert_equal(dec["vout"][1]["scriptPubKey"]["hex"], "6a0200ff")
        assert_equal(dec["vout"][1]["value"], Decimal("0"))
        assert_equal(dec["vin"][0]["txid"], TXID)
        assert_equal(dec["locktime"], 0)
        assert_equal(dec["version"], 2)
        # Sequence: replaceable by default; final or non-final without RBF.
        assert_equal(dec["vin"][0]["sequence"], 0xfffffffd)
        tx = tx_from_hex(node.createrawtransaction([{"txid": TXID, "vout": 0}], {}, 0, False))
        assert_equal(tx.vin[0].nSequence, 0xffffffff)
        tx = tx_from_hex(node.createrawtransaction([{"txid": TXID, "vout": 0}], {}, 100, False))
        assert_equal(tx.vin[0].nSequence, 0xfffffffe)
        assert_equal(tx.nLockTime, 100)
        tx = tx_from_hex(node.createrawtransaction([{"txid": TXID, "vout": 0, "sequence": 1000}], {}, 0, True))
        assert_equal(tx.vin[0].nSequence, 1000)
        tx = tx_from_hex(node.createrawtransaction(inputs=[{"txid": TXID, "vout": 0}], outputs=[{addr: "0.5"}, {addr2: 2}], locktime=7))
        assert_equal([o.nValue for o in tx.vout], [50000000, 200000000])
        node.createrawtransaction(inputs=[], outputs={})
        node.createrawtransaction(inputs=[], outputs=[])
        # version (Core 30): 1-3, read as a uint32 first.
        for v in (1, 3):
            assert_equal(tx_from_hex(node.createrawtransaction([], {}, 0, True, v)).version, v)
        assert_equal(tx_from_hex(node.createrawtransaction(inputs=[], outputs={}, version=3)).version, 3)
        for v in (0, 4, 2147483648, 4294967295):
            assert_raises_rpc_error(-8, "Invalid parameter, version out of range(1~3)", node.createrawtransaction, [], {}, 0, True, v)
        for v in (-1, 4294967296):
            assert_raises_rpc_error(-1, "JSON integer out of range", node.createrawtransaction, [], {}, 0, True, v)

        # Errors, with Core's codes and messages.
        assert_raises_rpc_error(-3, "not of expected type array", node.createrawtransaction, "foo", {})
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type object", node.createrawtransaction, ["foo"], {})
        assert_raises_rpc_error(-3, "JSON value of type null is not of expected type string", node.createrawtransaction, [{}], {})
        assert_raises_rpc_error(-8, "txid must be of length 64 (not 3, for 'foo')", node.createrawtransaction, [{"txid": "foo"}], {})
        assert_raises_rpc_error(-8, "Invalid parameter, missing vout key", node.createrawtransaction, [{"txid": TXID}], {})
        assert_raises_rpc_error(-8, "Invalid parameter, missing vout key", node.createrawtransaction, [{"txid": TXID, "vout": "foo"}], {})
        assert_raises_rpc_error(-8, "Invalid parameter, vout cannot be negative", node.createrawtransaction, [{"txid": TXID, "vout": -1}], {})
        for seq in (-1, 4294967296):
            assert_raises_rpc_error(-8, "Invalid parameter, sequence number is out of range",
                                    node.createrawtransaction, [{"txid": TXID, "vout": 1, "sequence": seq}], {addr: 1})
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type array", node.createrawtransaction, [], "foo")
        assert_raises_rpc_error(-8, "Data must be hexadecimal string (not 'foo')", node.createrawtransaction, [], {"data": "foo"})
        assert_raises_rpc_error(-5, "Invalid Bitcoin address: foo", node.createrawtransaction, [], {"foo": 0})
        assert_raises_rpc_error(-3, "Invalid amount", node.createrawtransaction, [], {addr: "foo"})
        assert_raises_rpc_error(-3, "Amount out of range", node.createrawtransaction, [], {addr: -1})
        assert_raises_rpc_error(-8, "Invalid parameter, duplicated address: " + addr, node.createrawtransaction, [], [{addr: 1}, {addr: 1}])
        assert_raises_rpc_error(-8, "Invalid parameter, duplicate key: data", node.createrawtransaction, [], [{"data": "aa"}, {"data": "bb"}])
        assert_raises_rpc_error(-8, "Invalid parameter, key-value pair must contain exactly one key", node.createrawtransaction, [], [{"a": 1, "b": 2}])
        assert_raises_rpc_error(-8, "Invalid parameter, key-value pair not an object as expected", node.createrawtransaction, [], [["key-value pair1"], ["2"]])
        assert_raises_rpc_error(-8, "Invalid parameter, output argument must be non-null", node.createrawtransaction, [], None)
        assert_raises_rpc_error(-8, "Invalid parameter combination: Sequence number(s) contradict replaceable option",
                                node.createrawtransaction, [{"txid": TXID, "vout": 0, "sequence": 0xfffffffe}], {}, 0, True)
        assert_raises_rpc_error(-8, "Invalid parameter, locktime out of range", node.createrawtransaction, [], {}, -1)
        assert_raises_rpc_error(-8, "Invalid parameter, locktime out of range", node.createrawtransaction, [], {}, 4294967296)
        assert_raises_rpc_error(-3, "not of expected type bool", node.createrawtransaction, [], {}, 0, "foo")
        # A mainnet address on regtest.
        assert_raises_rpc_error(-5, "Invalid Bitcoin address", node.createrawtransaction, [], {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2": 1})

    # ---- signing

    def mine(self, tx_hex):
        tx = tx_from_hex(tx_hex)
        tx.rehash()
        self.node.generateblock(self.mine_addr, [tx_hex])
        for n, out in enumerate(tx.vout):
            if out.scriptPubKey[:1] == b"\x6a":
                assert self.node.gettxout(tx.hash, n) is None
                continue
            utxo = self.node.gettxout(tx.hash, n)
            assert_equal(utxo["value"], Decimal(out.nValue) / 100000000)
            assert_equal(utxo["scriptPubKey"]["hex"], bytes(out.scriptPubKey).hex())
            assert_equal(utxo["confirmations"], 1)
        for vin in tx.vin:
            assert self.node.gettxout("%064x" % vin.prevout.hash, vin.prevout.n) is None
        return tx.hash

    def test_sign_and_combine(self):
        node = self.node
        key_a, key_b, key_c, key_d, key_e = (make_key(t) for t in "abcde")
        m1, m2, m3 = (make_key("m%d" % i) for i in range(3))
        pub = lambda k: k.get_pubkey().get_bytes()
        self.mine_addr = key_to_p2wpkh(pub(make_key("miner")))

        # Coins to key_a (P2WPKH), matured.
        addr_a = key_to_p2wpkh(pub(key_a))
        node.generatetoaddress(101, addr_a)
        cb_txid = node.getblock(node.getblockhash(1))["tx"][0]
        cb_out = node.gettxout(cb_txid, 0)
        assert_equal(cb_out["scriptPubKey"]["address"], addr_a)
        value = cb_out["value"]

        # Outputs of every kind.
        xonly_d, _ = compute_xonly_pubkey(key_d.get_bytes())
        rawtr_addr = output_key_to_p2tr(xonly_d)  # output key = key_d itself
        xonly_e, _ = compute_xonly_pubkey(key_e.get_bytes())
        bip86_addr = output_key_to_p2tr(tweak_add_pubkey(xonly_e, taproot_tweak(xonly_e))[0])
        ms_script = keys_to_multisig_script([pub(m1), pub(m2), pub(m3)], k=2)
        ms_addr = script_to_p2wsh(ms_script)
        outs = [
            {key_to_p2pkh(pub(key_b)): 10},
            {key_to_p2sh_p2wpkh(pub(key_c)): 10},
            {rawtr_addr: 10},
            {ms_addr: 10},
            {bip86_addr: 5},
            {"data": "cafe"},
        ]
        unsigned = node.createrawtransaction([{"txid": cb_txid, "vout": 0}], outs)
        # Unknown coin when neither in the UTXO set nor given.
        res = node.signrawtransactionwithkey(node.createrawtransaction([{"txid": TXID, "vout": 0}], outs), [key_a.to_wif()])
        assert_equal(res["complete"], False)
        assert_equal(res["errors"], [{"txid": TXID, "vout": 0, "witness": [], "scriptSig": "", "sequence": 0xfffffffd,
                                      "error": "Input not found or already spent"}])
        # The wrong key: incomplete, with Core's error entry.
        res = node.signrawtransactionwithkey(unsigned, [key_b.to_wif()])
        assert_equal(res["complete"], False)
        assert_equal(res["errors"][0]["error"], "Witness program hash mismatch")
        assert_equal(res["hex"], unsigned)

        # The coin comes from the UTXO set.
        res = node.signrawtransactionwithkey(unsigned, [key_a.to_wif()])
        assert_equal(res["complete"], True)
        assert "errors" not in res
        tx = tx_from_hex(res["hex"])
        wit = tx.wit.vtxinwit[0].scriptWitness.stack
        assert_equal(wit[1], pub(key_a))
        spk_a = bytes.fromhex(cb_out["scriptPubKey"]["hex"])
        digest = SegwitV0SignatureHash(keyhash_to_p2pkh_script(hash160(pub(key_a))), tx_from_hex(unsigned), 0, 1,
                                       int(value * 100000000))
        assert_equal(wit[0], core_ecdsa(key_a, digest) + b"\x01")  # bit-exact ECDSA
        # Same with the coin given in prevtxs, and an explicit ALL.
        res2 = node.signrawtransactionwithkey(unsigned, [key_a.to_wif()],
                                              [{"txid": cb_txid, "vout": 0, "scriptPubKey": spk_a.hex(), "amount": value}], "ALL")
        assert_equal(res2["hex"], res["hex"])
        # Other hash types.
        res3 = node.signrawtransactionwithkey(unsigned, [key_a.to_wif()], None, "NONE|ANYONECANPAY")
        assert_equal(tx_from_hex(res3["hex"]).wit.vtxinwit[0].scriptWitness.stack[0][-1], 0x82)
        # An output of a pool transaction is found without prevtxs, as in Core (FindCoins reads the pool too).
        pool_txid = node.sendrawtransaction(res["hex"], 0)  # a large fee: no fee-rate cap
        spend_pool = node.createrawtransaction([{"txid": pool_txid, "vout": 0}], [{self.mine_addr: 9}])
        signed_pool = node.signrawtransactionwithkey(spend_pool, [key_b.to_wif()])
        assert_equal(signed_pool["complete"], True)
        assert_equal(node.testmempoolaccept([signed_pool["hex"]], 0)[0]["allowed"], True)
        txid1 = self.mine(res["hex"])
        prev = tx_from_hex(res["hex"]).vout

        # Spend P2PKH, P2SH-P2WPKH, raw-key P2TR and the 2-of-3 P2WSH.
        inputs = [{"txid": txid1, "vout": n} for n in range(4)]
        unsigned2 = node.createrawtransaction(inputs, [{self.mine_addr: Decimal("39.999")}])
        prevtxs = [{"txid": txid1, "vout": n, "scriptPubKey": bytes(prev[n].scriptPubKey).hex(),
                    "amount": Decimal(prev[n].nValue) / 100000000} for n in range(4)]
        prevtxs[1]["redeemScript"] = bytes(key_to_p2wpkh_script(pub(key_c))).hex()  # Core wants it for any P2SH
        prevtxs[3]["witnessScript"] = bytes(ms_script).hex()
        singles = [key_b.to_wif(), key_c.to_wif(), key_d.to_wif()]

        # First multisig signer (with the single keys), then the second alone on the unsigned tx.
        part1 = node.signrawtransactionwithkey(unsigned2, singles + [m1.to_wif()], prevtxs)
        assert_equal(part1["complete"], False)
        assert_equal(len(part1["errors"]), 1)
        assert_equal(part1["errors"][0]["vout"], 3)
        assert_equal(part1["errors"][0]["error"],
                     "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)")
        assert_equal(part1["errors"][0]["witness"][-1], bytes(ms_script).hex())
        part2 = node.signrawtransactionwithkey(unsigned2, [m3.to_wif()], prevtxs)
        assert_equal(part2["complete"], False)
        assert_equal(len(part2["errors"]), 4)
        # Combining: both multisig signatures in key order. Core's combine
        # cannot read taproot signatures, so the raw-key P2TR input is signed
        # afterwards (a complete multisig is kept as it is).
        combined = node.combinerawtransaction([part1["hex"], part2["hex"]])
        done = node.signrawtransactionwithkey(combined, [key_d.to_wif()], prevtxs)
        assert_equal(done["complete"], True)
        # The same as signing with every key at once.
        at_once = node.signrawtransactionwithkey(unsigned2, singles + [m1.to_wif(), m3.to_wif()], prevtxs)
        assert_equal(at_once["complete"], True)
        assert_equal(done["hex"], at_once["hex"])
        # Signing the complete transaction again changes nothing.
        assert_equal(node.signrawtransactionwithkey(done["hex"], [m2.to_wif()], prevtxs)["hex"], done["hex"])

        tx2 = tx_from_hex(done["hex"])
        u2 = tx_from_hex(unsigned2)
        spent = [CTxOut(p.nValue, p.scriptPubKey) for p in prev[:4]]
        # P2PKH: bit-exact ECDSA over the legacy hash.
        digest, _ = LegacySignatureHash(CScript(prev[0].scriptPubKey), u2, 0, 1)
        assert_equal(bytes(tx2.vin[0].scriptSig), bytes(CScript([core_ecdsa(key_b, digest) + b"\x01", pub(key_b)])))
        # P2TR: bit-exact BIP 340 (zero aux) over SIGHASH_DEFAULT, untweaked key.
        digest = TaprootSignatureHash(u2, spent, 0, 2)
        assert_equal(tx2.wit.vtxinwit[2].scriptWitness.stack, [sign_schnorr(key_d.get_bytes(), digest)])
        # Multisig witness: dummy, sig(m1), sig(m3), script.
        ms_wit = tx2.wit.vtxinwit[3].scriptWitness.stack
        assert_equal(len(ms_wit), 4)
        assert_equal(ms_wit[0], b"")
        digest = SegwitV0SignatureHash(ms_script, u2, 3, 1, prev[3].nValue)
        assert_equal(ms_wit[1], core_ecdsa(m1, digest) + b"\x01")
        assert_equal(ms_wit[2], core_ecdsa(m3, digest) + b"\x01")
        self.mine(done["hex"])

        # BIP 86 outputs: like Core, a bare key does not sign the tweaked key.
        unsigned3 = node.createrawtransaction([{"txid": txid1, "vout": 4}], [{self.mine_addr: 4}])
        res = node.signrawtransactionwithkey(unsigned3, [key_e.to_wif()])
        assert_equal(res["complete"], False)
        assert_equal(res["errors"][0]["error"], "Witness program was passed an empty witness")

        # Errors.
        assert_raises_rpc_error(-22, "TX decode failed. Make sure the tx has at least one input.",
                                node.signrawtransactionwithkey, "00", [])
        assert_raises_rpc_error(-5, "Invalid private key", node.signrawtransactionwithkey, unsigned2, ["foo"])
        assert_raises_rpc_error(-8, "'ALL|DEFAULT' is not a valid sighash parameter.",
                                node.signrawtransactionwithkey, unsigned2, [], None, "ALL|DEFAULT")
        assert_raises_rpc_error(-3, "Missing scriptPubKey", node.signrawtransactionwithkey, unsigned2, [],
                                [{"txid": txid1, "vout": 0}])
        assert_raises_rpc_error(-22, "vout cannot be negative", node.signrawtransactionwithkey, unsigned2, [],
                                [{"txid": TXID, "vout": -1, "scriptPubKey": "00"}])
        assert_raises_rpc_error(-8, "Missing redeemScript/witnessScript", node.signrawtransactionwithkey, unsigned2, [],
                                [{"txid": TXID, "vout": 0, "scriptPubKey": bytes(prev[3].scriptPubKey).hex()}])
        assert_raises_rpc_error(-8, "redeemScript/witnessScript does not match scriptPubKey",
                                node.signrawtransactionwithkey, unsigned2, [],
                                [{"txid": TXID, "vout": 0, "scriptPubKey": bytes(prev[3].scriptPubKey).hex(), "witnessScript": "51"}])
        no_amount = [dict(p) for p in prevtxs]
        del no_amount[1]["amount"]
        assert_raises_rpc_error(-3, "Missing amount for CTxOut(nValue=21000000.00000000, scriptPubKey=a914",
                                node.signrawtransactionwithkey, unsigned2, singles, no_amount)
        assert_raises_rpc_error(-22, "Missing transactions", node.combinerawtransaction, [])
        assert_raises_rpc_error(-22, "TX decode failed for tx 1. Make sure the tx has at least one input.",
                                node.combinerawtransaction, [unsigned2, "00"])
        # Spent now: combining needs the coins.
        assert_raises_rpc_error(-25, "Input not found or already spent", node.combinerawtransaction, [part1["hex"]])


if __name__ == "__main__":
    RawTransactionBuildTest().main()
