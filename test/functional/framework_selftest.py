#!/usr/bin/env python3
"""Checks the framework's own Bitcoin library against known data, so that the
P2P and block tests built on it can be trusted.

Needs nothing from the node but start-up and getblockhash(0): the rest is
serialization round trips, real mainnet blocks (../shared/vectors/blocks),
Bitcoin Core's sighash and key_io vectors, BIP 143/340/341 vectors, and a
P2P handshake between two of the framework's own peers over 127.0.0.1.
"""

import bz2
import csv
import io
import json
import os
import struct
import sys

from test_framework.address import (
    ADDRESS_BCRT1_P2WSH_OP_TRUE,
    address_to_scriptpubkey,
    base58_decode,
    base58_encode,
    key_to_p2pkh,
    key_to_p2wpkh,
    script_to_p2wsh,
)
from test_framework.blocktools import (
    REGTEST_GENESIS_HASH,
    BlockBuilder,
    MiniWallet,
    MiniWalletMode,
    create_coinbase,
    create_regtest_genesis,
    create_tx,
    script_type,
)
from test_framework.key import (
    ECKey,
    ECPubKey,
    bytes_to_wif,
    compute_xonly_pubkey,
    der_decode_sig,
    sign_schnorr,
    taproot_tweak,
    tweak_add_privkey,
    verify_schnorr,
    wif_to_privkey,
)
from test_framework.messages import (
    MESSAGEMAP,
    CBlock,
    CTxOut,
    COutPoint,
    HeaderAndShortIDs,
    BlockTransactionsRequest,
    CInv,
    MSG_BLOCK,
    deser_compact_size,
    from_binary,
    msg_block,
    msg_cmpctblock,
    msg_getblocktxn,
    msg_headers,
    msg_inv,
    msg_ping,
    msg_verack,
    msg_version,
    ser_compact_size,
    sha256,
    siphash,
    tx_from_hex,
)
from test_framework.p2p import P2PInterface, build_message, listen, MAGIC_BYTES
from test_framework.script import (
    OP_TRUE,
    SIGHASH_ALL,
    CScript,
    CScriptNum,
    LegacySignatureHash,
    SegwitV0SignatureHash,
    TaprootSignatureHash,
    key_to_p2pkh_script,
    key_to_p2sh_p2wpkh_script,
    key_to_p2wpkh_script,
    script_to_p2wsh_script,
    taproot_construct,
)
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_raises

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "vectors"))


def vector(path):
    for base in (VECTORS, "/work/shared/vectors"):
        full = os.path.join(base, path)
        if os.path.exists(full):
            return full
    raise AssertionError("test vector %s not found under %s" % (path, VECTORS))


def read_blk_file(path):
    """Raw blocks of a bz2'd blk file (magic, LE length, block)."""
    data = bz2.decompress(open(path, "rb").read())
    blocks = []
    pos = 0
    while pos + 8 <= len(data):
        assert_equal(data[pos:pos + 4], MAGIC_BYTES["mainnet"])
        n, = struct.unpack("<I", data[pos + 4:pos + 8])
        blocks.append(data[pos + 8:pos + 8 + n])
        pos += 8 + n
    return blocks


class FrameworkSelfTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.test_compact_size()
        self.test_mainnet_blocks()
        self.test_transactions()
        self.test_sighash()
        self.test_keys()
        self.test_addresses()
        self.test_compact_blocks()
        self.test_messages_round_trip()
        self.test_block_building()
        self.test_p2p_between_python_peers()

    def test_compact_size(self):
        self.log.info("CompactSize and script numbers")
        for n, enc in [(0, "00"), (0xfc, "fc"), (0xfd, "fdfd00"), (0xffff, "fdffff"), (0x10000, "fe00000100"),
                       (0xffffffff, "feffffffff"), (0x100000000, "ff0000000001000000")]:
            assert_equal(ser_compact_size(n).hex(), enc)
            assert_equal(deser_compact_size(io.BytesIO(bytes.fromhex(enc))), n)
        assert_raises(ValueError, deser_compact_size, io.BytesIO(bytes.fromhex("fd0500")))  # non-canonical
        for v, enc in [(0, ""), (1, "01"), (-1, "81"), (127, "7f"), (128, "8000"), (-128, "8080"), (255, "ff00"),
                       (256, "0001"), (-255, "ff80"), (2**31 - 1, "ffffff7f")]:
            assert_equal(CScriptNum.encode(CScriptNum(v)).hex(), enc)
            assert_equal(CScriptNum.decode(bytes.fromhex(enc)), v)

    def test_mainnet_blocks(self):
        self.log.info("Mainnet blocks 0, 1-255, 277647 and 413567: hashes, merkle roots, round trips")
        raw = read_blk_file(vector("blocks/mainnet-0-4.blk.bz2"))
        assert_equal(len(raw), 5)
        blocks = [from_binary(CBlock, r) for r in raw]
        assert_equal(blocks[0].rehash(), int("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", 16))
        assert_equal(blocks[0].hash, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")
        assert_equal(blocks[0].vtx[0].txid_hex, "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")
        for prev, b in zip(blocks, blocks[1:]):
            assert_equal(b.hashPrevBlock, prev.sha256)
        for b, r in zip(blocks, raw):
            assert b.is_valid()
            assert_equal(b.serialize(), r)
        chain = [from_binary(CBlock, r) for r in read_blk_file(vector("blocks/mainnet-1-255.blk.bz2"))]
        assert_equal(len(chain), 255)
        # (blocks 1-4 of the first file are btcd's own fork on the real genesis; this file is the real chain)
        assert_equal(chain[0].hash, "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048")
        assert_equal(chain[0].hashPrevBlock, blocks[0].sha256)
        for prev, b in zip(chain, chain[1:]):
            b.rehash()
            assert_equal(b.hashPrevBlock, prev.sha256)
            assert b.is_valid()
        for path in ("blocks/mainnet-277647.blk.bz2",):
            r = read_blk_file(vector(path))[0]
            b = from_binary(CBlock, r)
            assert b.is_valid()
            assert_equal(b.serialize(), r)
        r = open(vector("blocks/mainnet-413567.raw"), "rb").read()
        b = from_binary(CBlock, r)
        assert_equal(len(b.vtx), 1557)
        assert b.is_valid()  # proof of work and merkle root
        assert_equal(b.serialize(), r)
        assert_equal(b.get_weight(), 4 * len(r))  # pre-segwit: no witness data
        b.vtx[1].vout[0].nValue += 1
        assert not b.is_valid()  # merkle root no longer matches

    def test_transactions(self):
        self.log.info("Transactions of Core's tx_valid/tx_invalid: parse and re-serialize byte for byte")
        n = 0
        for name in ("core/tx_valid.json", "core/tx_invalid.json"):
            for row in json.load(open(vector(name))):
                if len(row) < 3 or not isinstance(row[1], str):
                    continue
                try:
                    tx = tx_from_hex(row[1])
                except ValueError:
                    continue  # a few invalid cases are unparseable on purpose
                assert_equal(tx.serialize().hex(), row[1])
                n += 1
        assert n > 200, n
        mega = bz2.decompress(open(vector("blocks/megatx.bin.bz2"), "rb").read())
        tx = tx_from_hex(mega.hex())
        assert_equal(tx.serialize(), mega)
        # A segwit tx (BIP 143 native P2WPKH example, signed): txid vs wtxid, weight.
        signed = tx_from_hex(
            "01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc"
            "26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944cc"
            "f4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000fffff"
            "fff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42db"
            "ee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f"
            "01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e"
            "7acafcdb3566bb0ad253f62fc70f07aeee635711000000")
        assert signed.has_witness()
        assert signed.txid_hex != signed.wtxid_hex
        assert_equal(signed.txid_hex, "e8151a2af31c368a35053ddd4bdb285a8595c769a3ad83e0fa02314a602d4609")
        base = len(signed.serialize_without_witness())
        total = len(signed.serialize())
        assert_equal(signed.get_weight(), 3 * base + total)
        assert_equal(signed.get_vsize(), (3 * base + total + 3) // 4)

    def test_sighash(self):
        self.log.info("Legacy sighash (Core's sighash.json), BIP 143, BIP 341 key-path vectors")
        rows = [r for r in json.load(open(vector("core/sighash.json"))) if len(r) == 5]
        for raw, script, idx, hashtype, expected in rows:
            digest, _ = LegacySignatureHash(CScript(bytes.fromhex(script)), tx_from_hex(raw), idx, hashtype)
            assert_equal(digest[::-1].hex(), expected)
        assert len(rows) >= 500
        tx = tx_from_hex(
            "0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89"
            "d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db"
            "99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000")
        digest = SegwitV0SignatureHash(bytes.fromhex("76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac"), tx, 1,
                                       SIGHASH_ALL, 600000000)
        assert_equal(digest.hex(), "c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670")

        vectors = json.load(open(vector("core/bip341_wallet_vectors.json")))

        def tree(n):
            if n is None:
                return None
            if isinstance(n, dict):
                return ("leaf%d" % n["id"], CScript(bytes.fromhex(n["script"])), n["leafVersion"])
            return [tree(x) for x in n]
        for v in vectors["scriptPubKey"]:
            info = taproot_construct(bytes.fromhex(v["given"]["internalPubkey"]), tree(v["given"]["scriptTree"]))
            assert_equal(info.scriptPubKey.hex(), v["expected"]["scriptPubKey"])
            if "scriptPathControlBlocks" in v["expected"]:
                names = sorted(info.leaves, key=lambda n: int(n[4:]))
                assert_equal([info.control_block(n).hex() for n in names], v["expected"]["scriptPathControlBlocks"])
        spend = vectors["keyPathSpending"][0]
        tx = tx_from_hex(spend["given"]["rawUnsignedTx"])
        utxos = [CTxOut(u["amountSats"], bytes.fromhex(u["scriptPubKey"])) for u in spend["given"]["utxosSpent"]]
        for inp in spend["inputSpending"]:
            g, mid = inp["given"], inp["intermediary"]
            digest = TaprootSignatureHash(tx, utxos, g["hashType"], g["txinIndex"])
            assert_equal(digest.hex(), mid["sigHash"])
            root = bytes.fromhex(g["merkleRoot"]) if g["merkleRoot"] else b""
            tweaked = tweak_add_privkey(bytes.fromhex(g["internalPrivkey"]), taproot_tweak(bytes.fromhex(mid["internalPubkey"]), root))
            sig = sign_schnorr(tweaked, digest, bytes(32)) + (bytes([g["hashType"]]) if g["hashType"] else b"")
            assert_equal(sig.hex(), inp["expected"]["witness"][0])

    def test_keys(self):
        self.log.info("ECDSA (RFC 6979 vector, low S, DER) and BIP 340 vectors")
        key = ECKey()
        key.set((1).to_bytes(32, "big"))
        sig = key.sign_ecdsa(sha256(b"Satoshi Nakamoto"))
        assert_equal(sig.hex(), "3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d802202442ce9d2b91"
                                "6064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")
        assert_equal(key.get_pubkey().get_bytes().hex(), "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
        for compressed in (True, False):
            key.generate(compressed)
            pub = key.get_pubkey()
            assert_equal(len(pub.get_bytes()), 33 if compressed else 65)
            reparsed = ECPubKey()
            reparsed.set(pub.get_bytes())
            assert reparsed.is_valid
            msg = sha256(os.urandom(8))
            sig = key.sign_ecdsa(msg)
            r, s = der_decode_sig(sig)
            assert s <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0
            assert reparsed.verify_ecdsa(sig, msg)
            assert not reparsed.verify_ecdsa(sig, sha256(msg))
            high_s = bytes(sig[:4 + sig[3]]) + b"\x02\x21\x00" + (
                0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141 - s).to_bytes(32, "big")
            high_s = b"\x30" + bytes([len(high_s) - 2]) + high_s[2:]
            assert not reparsed.verify_ecdsa(high_s, msg)
            assert reparsed.verify_ecdsa(high_s, msg, low_s=False)
        n = 0
        with open(vector("bips/bip340-test-vectors.csv"), newline="") as f:
            for row in csv.DictReader(f):
                pub, msg, sig = (bytes.fromhex(row[k]) for k in ("public key", "message", "signature"))
                if row["secret key"]:
                    secret = bytes.fromhex(row["secret key"])
                    assert_equal(compute_xonly_pubkey(secret)[0], pub)
                    assert_equal(sign_schnorr(secret, msg, bytes.fromhex(row["aux_rand"])), sig)
                assert_equal(verify_schnorr(pub, sig, msg), row["verification result"] == "TRUE")
                n += 1
        assert n >= 15

    def test_addresses(self):
        self.log.info("base58, bech32/bech32m, WIF (Core's key_io and base58 vectors)")
        for raw, enc in json.load(open(vector("core/base58_encode_decode.json"))):
            assert_equal(base58_encode(bytes.fromhex(raw)), enc)
            assert_equal(base58_decode(enc).hex(), raw.lower())
        n = 0
        for addr, payload, meta in json.load(open(vector("core/key_io_valid.json"))):
            if meta["chain"] not in ("main", "regtest"):
                continue
            main = meta["chain"] == "main"
            if meta["isPrivkey"]:
                secret, compressed, is_main = wif_to_privkey(addr)
                assert_equal((secret.hex(), compressed, is_main), (payload, meta["isCompressed"], main))
                assert_equal(bytes_to_wif(secret, compressed, main), addr)
            else:
                assert_equal(address_to_scriptpubkey(addr).hex(), payload)
            n += 1
        assert n >= 30, n
        invalid_rows = json.load(open(vector("core/key_io_invalid.json")))
        rejected = 0
        for row in invalid_rows:
            try:
                address_to_scriptpubkey(row[0])
            except (ValueError, IndexError):
                rejected += 1
        assert_equal(rejected, len(invalid_rows))
        assert_equal(script_to_p2wsh(CScript([OP_TRUE])), ADDRESS_BCRT1_P2WSH_OP_TRUE)
        key = ECKey()
        key.set(bytes(31) + b"\x01")
        pub = key.get_pubkey().get_bytes()
        assert_equal(key_to_p2pkh(pub, main=True), "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH")
        assert_equal(key_to_p2wpkh(pub, main=True), "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")

    def test_compact_blocks(self):
        self.log.info("SipHash-2-4 vectors and BIP 152 short ids / differential indexes")
        k0, k1 = 0x0706050403020100, 0x0F0E0D0C0B0A0908
        assert_equal(siphash(k0, k1, b""), 0x726fdb47dd0e0e31)
        assert_equal(siphash(k0, k1, bytes(range(15))), 0xa129ca6149be45e5)
        assert_equal(siphash(k0, k1, bytes(range(8))), 0x93f5f5799a932462)
        block = from_binary(CBlock, read_blk_file(vector("blocks/mainnet-277647.blk.bz2"))[0])
        hs = HeaderAndShortIDs()
        hs.initialize_from_block(block, nonce=12345, prefill_list=[0, 2, 5])
        assert_equal(len(hs.shortids), len(block.vtx) - 3)
        assert all(0 <= s < 2**48 for s in hs.shortids)
        wire = msg_cmpctblock(hs.to_p2p()).serialize()
        back = msg_cmpctblock()
        back.deserialize(io.BytesIO(wire))
        assert_equal([p.index for p in back.header_and_shortids.prefilled_txn], [0, 1, 2])  # differential
        again = HeaderAndShortIDs(back.header_and_shortids)
        assert_equal([p.index for p in again.prefilled_txn], [0, 2, 5])
        assert_equal(again.shortids, hs.shortids)
        assert_equal(again.header.rehash(), block.rehash())
        req = msg_getblocktxn(BlockTransactionsRequest(block.sha256, [1, 3, 4, 10]))
        back = msg_getblocktxn()
        back.deserialize(io.BytesIO(req.serialize()))
        assert_equal(back.block_txn_request.indexes, [1, 3, 4, 10])
        assert_equal(req.serialize()[32:].hex(), "0401010005")

    def test_messages_round_trip(self):
        self.log.info("Every P2P message class survives serialize/deserialize")
        for msgtype, cls in MESSAGEMAP.items():
            m = cls()
            data = m.serialize()
            m2 = cls()
            m2.deserialize(io.BytesIO(data))
            assert_equal(m2.serialize(), data)
        v = msg_version()
        v.nStartingHeight = 7
        v2 = msg_version()
        v2.deserialize(io.BytesIO(v.serialize()))
        assert_equal((v2.nVersion, v2.nStartingHeight, v2.strSubVer, v2.nNonce), (70016, 7, v.strSubVer, v.nNonce))
        assert_equal(len(v.serialize()), 4 + 8 + 8 + 26 + 26 + 8 + 1 + len(v.strSubVer) + 4 + 1)
        # verack: empty payload, whose checksum is the well-known 5df6e0e2
        assert_equal(build_message(msg_verack(), MAGIC_BYTES["regtest"]).hex(),
                     "fabfb5da76657261636b000000000000000000005df6e0e2")

    def test_block_building(self):
        self.log.info("Regtest genesis built in Python matches the node's; blocks built on it")
        node = self.nodes[0]
        genesis = create_regtest_genesis()
        assert_equal(genesis.hash, REGTEST_GENESIS_HASH)
        assert_equal(node.getblockhash(0), genesis.hash)
        builder = BlockBuilder(genesis.hash, 0, genesis.nTime)
        blocks = builder.build(3)
        for b in blocks:
            assert b.is_valid()
        assert_equal(builder.height, 3)
        assert_equal(builder.tip, blocks[-1].sha256)
        assert_equal(blocks[0].vtx[0].vin[0].scriptSig.hex(), "5100")  # BIP 34 height 1, padded
        assert_equal(blocks[0].vtx[0].vout[0].nValue, 50 * 100_000_000)
        assert_equal(create_coinbase(150).vout[0].nValue, 25 * 100_000_000)  # regtest halving
        assert_equal(create_coinbase(1000).vin[0].scriptSig.hex(), "02e803")
        fork = builder.fork(blocks[0])
        alt = fork.build(1)[0]
        assert_equal(alt.hashPrevBlock, blocks[0].sha256)
        assert alt.sha256 != blocks[1].sha256

        self.log.info("Signing every standard output type; MiniWallet spends")
        key = ECKey()
        key.generate()
        pub = key.get_pubkey().get_bytes()
        xonly = compute_xonly_pubkey(key.get_bytes())[0]
        spks = [key_to_p2pkh_script(pub), key_to_p2wpkh_script(pub), key_to_p2sh_p2wpkh_script(pub),
                taproot_construct(xonly).scriptPubKey, script_to_p2wsh_script(CScript([OP_TRUE]))]
        assert_equal([script_type(s) for s in spks], ["p2pkh", "p2wpkh", "p2sh", "p2tr", "p2wsh"])
        spends = [(COutPoint(0x1234 + i, i), CTxOut(100_000, s)) for i, s in enumerate(spks)]
        tx = create_tx(spends, [(CScript([OP_TRUE]), 400_000)], key)
        assert_equal(len(tx.vin[0].scriptSig) > 0 and len(tx.vin[1].scriptSig) == 0, True)
        # Check each signature against its own sighash.
        p = ECPubKey()
        p.set(pub)
        sig = list(CScript(tx.vin[0].scriptSig))[0]
        digest, _ = LegacySignatureHash(spks[0], tx, 0, SIGHASH_ALL)
        assert p.verify_ecdsa(sig[:-1], digest)
        sig = tx.wit.vtxinwit[1].scriptWitness.stack[0]
        digest = SegwitV0SignatureHash(key_to_p2pkh_script(pub), tx, 1, SIGHASH_ALL, 100_000)
        assert p.verify_ecdsa(sig[:-1], digest)
        info = taproot_construct(xonly)
        digest = TaprootSignatureHash(tx, [u for _, u in spends], 0, 3)
        assert verify_schnorr(info.output_pubkey, tx.wit.vtxinwit[3].scriptWitness.stack[0], digest)
        assert_equal(tx.wit.vtxinwit[4].scriptWitness.stack, [b"\x51"])

        for mode in (MiniWalletMode.ADDRESS_OP_TRUE, MiniWalletMode.P2WPKH, MiniWalletMode.P2TR):
            wallet = MiniWallet(mode=mode)
            wb = BlockBuilder(genesis.hash, 0, genesis.nTime, coinbase_script=wallet.get_scriptPubKey())
            for b in wb.build(2):
                wallet.scan_block(b, wb.height)
            chain = wallet.create_self_transfer_chain(chain_length=3)
            assert_equal(chain[1]["tx"].vin[0].prevout.hash, int(chain[0]["txid"], 16))
            blk = wb.next_block([c["tx"] for c in chain])
            assert blk.is_valid()
            assert_equal(blk.vtx[0].vout[-1].scriptPubKey[:6].hex(), "6a24aa21a9ed")  # witness commitment

    def test_p2p_between_python_peers(self):
        self.log.info("P2P: handshake, ping and a block between two framework peers over 127.0.0.1")
        listener = listen(P2PInterface)
        outbound = P2PInterface()
        outbound.peer_connect("127.0.0.1", listener.port)
        outbound.wait_for_connect()
        inbound = listener.wait_for_peers(1)[0]
        outbound.wait_for_verack()
        inbound.wait_for_verack()
        assert_equal(outbound.version_received.nVersion, 70016)
        assert_equal(inbound.message_count["wtxidrelay"], 1)
        outbound.sync_with_ping()
        inbound.sync_with_ping()
        block = BlockBuilder(REGTEST_GENESIS_HASH, 0, 1296688602).next_block()
        outbound.send_message(msg_block(block))
        inbound.wait_for_block(block.sha256)
        outbound.send_message(msg_headers([block]))
        inbound.wait_for_header(block.hash)
        outbound.send_and_ping(msg_inv([CInv(MSG_BLOCK, block.sha256)]))
        assert_equal(inbound.last_message["inv"].inv, [CInv(MSG_BLOCK, block.sha256)])
        self.log.info("P2P: a message with the wrong magic closes the connection")
        outbound.send_raw_bytes(b"\x0b\x11\x09\x07" + build_message(msg_ping(5), b"\x00\x00\x00\x00")[4:])
        inbound.wait_for_disconnect()
        outbound.wait_for_disconnect()
        listener.close()


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    FrameworkSelfTest().main()
