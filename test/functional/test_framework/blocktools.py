"""Building blocks and transactions in Python for feeding to a node.

create_coinbase / create_block / add_witness_commitment make blocks;
sign_input / create_tx make signed spends for every standard script type;
BlockBuilder extends a chain (or a fork) block by block; MiniWallet tracks
coins paid to one script (OP_TRUE P2WSH by default, or a key) and spends
them, through the node's RPCs when they exist or from blocks built here.
"""

import time
from decimal import Decimal

from .key import ECKey, compute_xonly_pubkey, sign_schnorr, taproot_tweak, tweak_add_privkey
from .messages import (
    COIN,
    WITNESS_COMMITMENT_HEADER,
    COutPoint,
    CBlock,
    CTransaction,
    CTxIn,
    CTxInWitness,
    CTxOut,
    hash160,
    hash256,
    ser_uint256,
    uint256_from_str,
)
from .script import (
    OP_0,
    OP_RETURN,
    OP_TRUE,
    SIGHASH_ALL,
    SIGHASH_DEFAULT,
    CScript,
    CScriptNum,
    CScriptOp,
    LegacySignatureHash,
    SegwitV0SignatureHash,
    TaprootSignatureHash,
    key_to_p2pk_script,
    key_to_p2pkh_script,
    key_to_p2sh_p2wpkh_script,
    key_to_p2wpkh_script,
    keyhash_to_p2pkh_script,
    output_key_to_p2tr_script,
    script_to_p2sh_script,
    script_to_p2wsh_script,
    taproot_construct,
)

REGTEST_BITS = 0x207fffff
VERSIONBITS_LAST_OLD_BLOCK_VERSION = 4
REGTEST_HALVING_INTERVAL = 150
COINBASE_MATURITY = 100
MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60
# Regtest genesis (Core's): the same coinbase as mainnet's, other time/nonce/bits.
REGTEST_GENESIS_HASH = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
GENESIS_COINBASE_SCRIPTSIG = bytes.fromhex(
    "04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e20"
    "6272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73")
GENESIS_OUTPUT_KEY = bytes.fromhex(
    "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e5"
    "1ec112de5c384df7ba0b8d578a4c702b6bf11d5f")


def _as_int_hash(h):
    if h is None:
        return 0
    return int(h, 16) if isinstance(h, str) else h


def subsidy(height, halving_interval=REGTEST_HALVING_INTERVAL):
    halvings = height // halving_interval
    return 0 if halvings >= 64 else (50 * COIN) >> halvings


def script_BIP34_coinbase_height(height):
    """scriptSig prefix BIP 34 wants: `CScript() << height`, padded to the 2-byte minimum
    for heights 0..16 (which encode as a single OP_n)."""
    if height <= 16:
        return CScript([CScriptOp.encode_op_n(height), OP_0])
    return CScript([CScriptNum(height)])


def create_coinbase(height, pubkey=None, *, script_pubkey=None, extra_output_script=None, fees=0,
                    nValue=None, halving_interval=REGTEST_HALVING_INTERVAL, extra_script_sig=b""):
    """Coinbase for `height`: pays subsidy+fees (or nValue satoshis) to pubkey (P2PK),
    script_pubkey, or OP_TRUE. With extra_output_script, 0.5 BTC of it goes to a second output."""
    tx = CTransaction()
    tx.vin.append(CTxIn(COutPoint(0, 0xFFFFFFFF), script_BIP34_coinbase_height(height) + extra_script_sig,
                        0xFFFFFFFF))
    value = subsidy(height, halving_interval) + fees if nValue is None else nValue
    if pubkey is not None:
        spk = key_to_p2pk_script(pubkey)
    elif script_pubkey is not None:
        spk = CScript(script_pubkey)
    else:
        spk = CScript([OP_TRUE])
    if extra_output_script is not None:
        tx.vout.append(CTxOut(value - 5 * COIN // 10, spk))
        tx.vout.append(CTxOut(5 * COIN // 10, CScript(extra_output_script)))
    else:
        tx.vout.append(CTxOut(value, spk))
    tx.calc_sha256()
    return tx


def create_regtest_genesis():
    tx = CTransaction()
    tx.version = 1
    tx.vin.append(CTxIn(COutPoint(0, 0xFFFFFFFF), GENESIS_COINBASE_SCRIPTSIG, 0xFFFFFFFF))
    tx.vout.append(CTxOut(50 * COIN, key_to_p2pk_script(GENESIS_OUTPUT_KEY)))
    block = CBlock()
    block.nVersion = 1
    block.nTime = 1296688602
    block.nBits = REGTEST_BITS
    block.nNonce = 2
    block.vtx = [tx]
    block.hashMerkleRoot = block.calc_merkle_root()
    block.rehash()
    return block


def get_witness_script(witness_root, witness_nonce):
    commitment = uint256_from_str(hash256(ser_uint256(witness_root) + ser_uint256(witness_nonce)))
    return CScript([OP_RETURN, WITNESS_COMMITMENT_HEADER + ser_uint256(commitment)])


def add_witness_commitment(block, nonce=0):
    """Adds the BIP 141 commitment output to the coinbase (and its witness nonce),
    then refreshes the merkle root and hash. Call before solve()."""
    coinbase = block.vtx[0]
    coinbase.wit.vtxinwit = [CTxInWitness()]
    coinbase.wit.vtxinwit[0].scriptWitness.stack = [ser_uint256(nonce)]
    coinbase.vout.append(CTxOut(0, get_witness_script(block.calc_witness_merkle_root(), nonce)))
    coinbase.rehash()
    block.hashMerkleRoot = block.calc_merkle_root()
    block.rehash()


def create_block(hashprev=None, coinbase=None, ntime=None, *, version=None, tmpl=None, txlist=None,
                 bits=None, witness_commitment=None):
    """An unsolved block (call .solve()). hashprev is an int or the node's hex.
    witness_commitment: True/False, default only when some tx carries a witness."""
    block = CBlock()
    tmpl = tmpl or {}
    block.nVersion = version or tmpl.get("version") or VERSIONBITS_LAST_OLD_BLOCK_VERSION
    block.nTime = ntime or tmpl.get("curtime") or int(time.time() + 600)
    block.hashPrevBlock = _as_int_hash(hashprev if hashprev is not None else tmpl.get("previousblockhash"))
    if bits is not None:
        block.nBits = bits
    elif "bits" in tmpl:
        block.nBits = int(tmpl["bits"], 16)
    else:
        block.nBits = REGTEST_BITS
    if coinbase is None:
        coinbase = create_coinbase(height=tmpl["height"]) if "height" in tmpl else None
        if coinbase is None:
            raise ValueError("create_block needs a coinbase (or tmpl with height)")
    block.vtx.append(coinbase)
    for tx in txlist or []:
        if not hasattr(tx, "calc_sha256"):
            from .messages import tx_from_hex
            tx = tx_from_hex(tx)
        block.vtx.append(tx)
    if witness_commitment is None:
        witness_commitment = any(tx.has_witness() for tx in block.vtx[1:])
    if witness_commitment:
        add_witness_commitment(block)
    block.hashMerkleRoot = block.calc_merkle_root()
    block.rehash()
    return block


def create_tx_with_script(prevtx, n, script_sig=b"", *, amount, script_pub_key=CScript(), sequence=0xFFFFFFFF):
    """Unsigned spend of output n of prevtx (a CTransaction) to script_pub_key."""
    prevtx.calc_sha256()
    tx = CTransaction()
    tx.vin.append(CTxIn(COutPoint(prevtx.sha256, n), script_sig, sequence))
    tx.vout.append(CTxOut(amount, script_pub_key))
    tx.calc_sha256()
    return tx


# ---------------------------------------------------------------------------
# Signing

def _push_witness(tx, index, stack):
    while len(tx.wit.vtxinwit) < len(tx.vin):
        tx.wit.vtxinwit.append(CTxInWitness())
    tx.wit.vtxinwit[index].scriptWitness.stack = list(stack)


def script_type(spk):
    """'p2pk', 'p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown' or 'nonstandard'."""
    spk = bytes(spk)
    if len(spk) == 25 and spk[:3] == b"\x76\xa9\x14" and spk[23:] == b"\x88\xac":
        return "p2pkh"
    if len(spk) == 23 and spk[:2] == b"\xa9\x14" and spk[22] == 0x87:
        return "p2sh"
    if len(spk) == 22 and spk[:2] == b"\x00\x14":
        return "p2wpkh"
    if len(spk) == 34 and spk[:2] == b"\x00\x20":
        return "p2wsh"
    if len(spk) == 34 and spk[:2] == b"\x51\x20":
        return "p2tr"
    if len(spk) in (35, 67) and spk[0] == len(spk) - 2 and spk[-1] == 0xac:
        return "p2pk"
    if CScript(spk).IsWitnessProgram():
        return "witness_unknown"
    return "nonstandard"


def sign_input(tx, index, spent_utxos, key=None, hashtype=None, *, witness_script=None, redeem_script=None):
    """Signs input `index` of tx in place. spent_utxos: the CTxOut each input spends
    (all of them for taproot; at least this one otherwise, as a list or a dict by index).
    Handles P2PK, P2PKH, P2WPKH, P2SH-P2WPKH and P2TR key path with `key` (ECKey),
    and keyless P2WSH / P2SH whose witness_script / redeem_script is OP_TRUE-like."""
    utxo = spent_utxos[index]
    spk = bytes(utxo.scriptPubKey)
    kind = script_type(spk)
    if kind == "p2tr":
        secret = key.get_bytes()
        xonly, _ = compute_xonly_pubkey(secret)
        if output_key_to_p2tr_script(taproot_construct(xonly).output_pubkey) != spk:
            raise ValueError("key does not match the P2TR output (only key-path outputs without scripts)")
        ht = SIGHASH_DEFAULT if hashtype is None else hashtype
        utxos = [spent_utxos[i] for i in range(len(tx.vin))]
        digest = TaprootSignatureHash(tx, utxos, ht, index)
        sig = sign_schnorr(tweak_add_privkey(secret, taproot_tweak(xonly)), digest)
        _push_witness(tx, index, [sig + (bytes([ht]) if ht != SIGHASH_DEFAULT else b"")])
        return
    ht = SIGHASH_ALL if hashtype is None else hashtype
    if kind == "p2wsh":
        ws = CScript(witness_script if witness_script is not None else [OP_TRUE])
        if script_to_p2wsh_script(ws) != spk:
            raise ValueError("witness_script does not match the P2WSH output")
        _push_witness(tx, index, [bytes(ws)])
        return
    if kind == "p2sh" and key is None:
        rs = CScript(redeem_script if redeem_script is not None else [OP_TRUE])
        if script_to_p2sh_script(rs) != spk:
            raise ValueError("redeem_script does not match the P2SH output")
        tx.vin[index].scriptSig = CScript([bytes(rs)])
        return
    pub = key.get_pubkey().get_bytes()
    if kind == "p2pk":
        digest, _ = LegacySignatureHash(CScript(spk), tx, index, ht)
        tx.vin[index].scriptSig = CScript([key.sign_ecdsa(digest) + bytes([ht])])
    elif kind == "p2pkh":
        digest, _ = LegacySignatureHash(CScript(spk), tx, index, ht)
        tx.vin[index].scriptSig = CScript([key.sign_ecdsa(digest) + bytes([ht]), pub])
    elif kind == "p2wpkh" or (kind == "p2sh" and key_to_p2sh_p2wpkh_script(pub) == spk):
        script_code = keyhash_to_p2pkh_script(hash160(pub))
        digest = SegwitV0SignatureHash(script_code, tx, index, ht, utxo.nValue)
        _push_witness(tx, index, [key.sign_ecdsa(digest) + bytes([ht]), pub])
        if kind == "p2sh":
            tx.vin[index].scriptSig = CScript([bytes(key_to_p2wpkh_script(pub))])
    else:
        raise ValueError("cannot sign a %s output" % kind)
    tx.rehash()


def create_tx(spends, outputs, key=None, *, version=2, locktime=0, sequence=0xFFFFFFFD, hashtype=None):
    """A signed transaction. spends: list of (COutPoint, spent CTxOut); outputs: list of
    CTxOut or (scriptPubKey, satoshis) pairs; key: ECKey for keyed outputs (or a list, one per spend)."""
    tx = CTransaction()
    tx.version = version
    tx.nLockTime = locktime
    for outpoint, _ in spends:
        tx.vin.append(CTxIn(outpoint, b"", sequence))
    for out in outputs:
        tx.vout.append(out if isinstance(out, CTxOut) else CTxOut(out[1], CScript(out[0])))
    utxos = [u for _, u in spends]
    keys = key if isinstance(key, list) else [key] * len(spends)
    for i in range(len(spends)):
        sign_input(tx, i, utxos, keys[i], hashtype)
    tx.rehash()
    return tx


# ---------------------------------------------------------------------------
# Chains built in Python

class BlockBuilder:
    """Extends a chain from a known tip: next_block() makes (and solves) a child of the
    current tip; add_block()/build() move the tip. Use one per fork."""
    _forks = 0

    def __init__(self, tip_hash, height, tip_time, *, coinbase_script=None, bits=REGTEST_BITS, tag=b""):
        self.tag = tag  # pushed after the BIP 34 height: keeps a fork's blocks distinct from the main chain's
        self.tip = _as_int_hash(tip_hash)
        self.height = height
        self.time = tip_time
        self.coinbase_script = CScript(coinbase_script) if coinbase_script is not None else CScript([OP_TRUE])
        self.bits = bits
        self.blocks = []

    @classmethod
    def from_node(cls, node, **kwargs):
        tip = node.getbestblockhash()
        height = node.getblockcount()
        try:
            tip_time = node.getblockheader(tip)["time"]
        except Exception:  # getblockheader not there yet: any time after genesis works
            tip_time = int(time.time()) - 3600 if height else 1296688602
        return cls(tip, height, tip_time, **kwargs)

    def fork(self, at_block, tag=None):
        """A builder whose tip is `at_block`, one of the blocks this builder added; its
        coinbases carry `tag` (default: a fresh one) so its blocks differ from ours."""
        idx = self.blocks.index(at_block)
        BlockBuilder._forks += 1
        b = BlockBuilder(at_block.sha256, self.height - len(self.blocks) + idx + 1, at_block.nTime,
                         coinbase_script=self.coinbase_script, bits=self.bits,
                         tag=tag if tag is not None else b"fork%d" % BlockBuilder._forks)
        b.blocks = self.blocks[:idx + 1]
        return b

    def next_block(self, txs=(), *, coinbase_script=None, fees=0, ntime=None, version=4, nValue=None,
                   solve=True, witness_commitment=None):
        height = self.height + 1
        cb = create_coinbase(height, script_pubkey=coinbase_script if coinbase_script is not None
                             else self.coinbase_script, fees=fees, nValue=nValue,
                             extra_script_sig=CScript([self.tag]) if self.tag else b"")
        block = create_block(self.tip, cb, ntime or self.time + 1, version=version, txlist=list(txs),
                             bits=self.bits, witness_commitment=witness_commitment)
        if solve:
            block.solve()
        return block

    def add_block(self, block):
        block.rehash()
        assert block.hashPrevBlock == self.tip, "block does not extend this builder's tip"
        self.tip = block.sha256
        self.height += 1
        self.time = max(self.time, block.nTime)
        self.blocks.append(block)
        return block

    def build(self, n=1, **kwargs):
        return [self.add_block(self.next_block(**kwargs)) for _ in range(n)]

    @property
    def tip_hex(self):
        return "%064x" % self.tip


# ---------------------------------------------------------------------------
# MiniWallet

class MiniWalletMode:
    ADDRESS_OP_TRUE = "op_true_p2wsh"   # anyone-can-spend P2WSH(OP_TRUE); no signatures
    P2WPKH = "p2wpkh"
    P2PKH = "p2pkh"
    P2TR = "p2tr"


class MiniWallet:
    """Coins paid to one script. Values are satoshis (int) internally; utxo dicts carry
    txid (hex), vout, value (Decimal BTC, as RPCs print it), amount (satoshis), height,
    coinbase, confirmed."""

    def __init__(self, test_node=None, *, mode=MiniWalletMode.ADDRESS_OP_TRUE, key=None):
        self._test_node = test_node
        self._mode = mode
        self._utxos = []
        self._key = None
        if mode == MiniWalletMode.ADDRESS_OP_TRUE:
            self._witness_script = CScript([OP_TRUE])
            self._spk = script_to_p2wsh_script(self._witness_script)
        else:
            self._key = key if key is not None else ECKey()
            if key is None:
                self._key.set(hash256(b"cairn MiniWallet key"), True)
            pub = self._key.get_pubkey().get_bytes()
            if mode == MiniWalletMode.P2WPKH:
                self._spk = key_to_p2wpkh_script(pub)
            elif mode == MiniWalletMode.P2PKH:
                self._spk = key_to_p2pkh_script(pub)
            elif mode == MiniWalletMode.P2TR:
                self._spk = taproot_construct(compute_xonly_pubkey(self._key.get_bytes())[0]).scriptPubKey
            else:
                raise ValueError("unknown MiniWallet mode %r" % mode)

    # ---- identity

    def get_scriptPubKey(self):
        return self._spk

    def get_address(self, main=False):
        from .address import output_key_to_p2tr, program_to_witness, scripthash_to_p2sh, keyhash_to_p2pkh
        spk = bytes(self._spk)
        kind = script_type(spk)
        if kind in ("p2wpkh", "p2wsh"):
            return program_to_witness(0, spk[2:], main)
        if kind == "p2tr":
            return output_key_to_p2tr(spk[2:], main)
        if kind == "p2pkh":
            return keyhash_to_p2pkh(spk[3:23], main)
        return scripthash_to_p2sh(spk[2:22], main)

    def get_descriptor(self):
        return "addr(%s)" % self.get_address()

    @property
    def key(self):
        return self._key

    # ---- tracking coins

    def _utxo(self, txid, vout, amount, height=0, coinbase=False, confirmed=False):
        return {"txid": txid, "vout": vout, "amount": amount, "value": Decimal(amount) / COIN,
                "height": height, "coinbase": coinbase, "confirmed": confirmed}

    def add_utxo(self, txid, vout, amount, *, height=0, coinbase=False, confirmed=True):
        self._utxos.append(self._utxo(txid, vout, amount, height, coinbase, confirmed))

    def scan_tx(self, tx, *, height=0, confirmed=False):
        """Forgets coins tx spends and adds its outputs that pay this wallet."""
        spent = {("%064x" % i.prevout.hash, i.prevout.n) for i in tx.vin}
        self._utxos = [u for u in self._utxos if (u["txid"], u["vout"]) not in spent]
        txid = tx.txid_hex
        for n, out in enumerate(tx.vout):
            if bytes(out.scriptPubKey) == bytes(self._spk):
                self._utxos = [u for u in self._utxos if (u["txid"], u["vout"]) != (txid, n)]
                self._utxos.append(self._utxo(txid, n, out.nValue, height, tx.is_coinbase(), confirmed))

    def scan_block(self, block, height):
        for tx in block.vtx:
            self.scan_tx(tx, height=height, confirmed=True)

    def generate(self, num_blocks, **kwargs):
        """Mines through the node's generatetoaddress and adds the coinbases."""
        node = self._test_node
        hashes = node.generatetoaddress(num_blocks, self.get_address(), **kwargs)
        for h in hashes:
            info = node.getblock(h, 2)
            cb = info["tx"][0]
            for out in cb["vout"]:
                if out["scriptPubKey"]["hex"] == bytes(self._spk).hex():
                    self.add_utxo(cb["txid"], out["n"], int(Decimal(out["value"]) * COIN), height=info["height"],
                                  coinbase=True)
        return hashes

    def rescan_utxos(self):
        """Replaces the coin list with the node's UTXO set for this script (scantxoutset)."""
        res = self._test_node.scantxoutset("start", [self.get_descriptor()])
        self._utxos = [self._utxo(u["txid"], u["vout"], int(Decimal(u["amount"]) * COIN), u["height"],
                                  u.get("coinbase", False), True) for u in res["unspents"]]

    def _tip_height(self, tip_height):
        """The height maturity is judged at: the given one, else (as Core's
        MiniWallet) the attached node's tip, else None (no filtering)."""
        if tip_height is None and self._test_node is not None:
            return self._test_node.getblockcount()
        return tip_height

    def get_utxos(self, *, include_immature_coinbase=False, mark_as_spent=True, tip_height=None):
        tip_height = self._tip_height(tip_height)
        out = []
        for u in self._utxos:
            if not include_immature_coinbase and u["coinbase"] and tip_height is not None \
                    and tip_height - u["height"] + 1 < COINBASE_MATURITY:
                continue
            out.append(u)
        if mark_as_spent:
            self._utxos = [u for u in self._utxos if u not in out]
        return out

    def get_utxo(self, *, txid=None, vout=None, mark_as_spent=True, tip_height=None):
        """The largest (or the given) coin; a mature one at tip_height (default: the attached node's tip)."""
        cands = [u for u in self._utxos if (txid is None or u["txid"] == txid) and (vout is None or u["vout"] == vout)]
        # A coin asked for by txid is returned even if immature (the caller knows best).
        if txid is None:
            tip_height = self._tip_height(tip_height)
        if tip_height is not None:
            cands = [u for u in cands if not u["coinbase"] or tip_height - u["height"] + 1 >= COINBASE_MATURITY]
        if not cands:
            raise IndexError("MiniWallet has no matching coin")
        best = max(cands, key=lambda u: (u["amount"], -u["height"]))
        if mark_as_spent:
            self._utxos.remove(best)
        return best

    # ---- spending

    def _spent_txout(self, utxo):
        return CTxOut(utxo["amount"], self._spk)

    def sign_tx(self, tx, spent_utxos=None):
        """Signs every input as spending this wallet's script. spent_utxos (CTxOut per
        input index) are needed by the keyed modes, whose sighashes commit to amounts."""
        if self._mode == MiniWalletMode.ADDRESS_OP_TRUE:
            for i in range(len(tx.vin)):
                _push_witness(tx, i, [bytes(self._witness_script)])
        else:
            for i in range(len(tx.vin)):
                sign_input(tx, i, spent_utxos, self._key)
        tx.rehash()

    def _estimate_vsize(self, n_in, n_out):
        per_in = {MiniWalletMode.ADDRESS_OP_TRUE: 41 + 1, MiniWalletMode.P2WPKH: 41 + 27,
                  MiniWalletMode.P2PKH: 41 + 107, MiniWalletMode.P2TR: 41 + 17}[self._mode]
        return 11 + per_in * n_in + (9 + len(self._spk)) * n_out

    def create_self_transfer_multi(self, *, utxos_to_spend=None, num_outputs=1, amount_per_output=0,
                                   fee_per_output=1000, sequence=0xFFFFFFFD, locktime=0, version=2):
        """Spends utxos_to_spend (default: the largest coin) into num_outputs coins to self."""
        utxos = utxos_to_spend if utxos_to_spend is not None else [self.get_utxo()]
        total = sum(u["amount"] for u in utxos)
        fee = fee_per_output * num_outputs
        each = amount_per_output or (total - fee) // num_outputs
        assert each > 0 and each * num_outputs + fee <= total, "coins too small for these outputs"
        tx = CTransaction()
        tx.version = version
        tx.nLockTime = locktime
        for u in utxos:
            tx.vin.append(CTxIn(COutPoint(int(u["txid"], 16), u["vout"]), b"", sequence))
        for _ in range(num_outputs):
            tx.vout.append(CTxOut(each, self._spk))
        self.sign_tx(tx, {i: self._spent_txout(u) for i, u in enumerate(utxos)})
        txid = tx.txid_hex
        new = [self._utxo(txid, n, each) for n in range(num_outputs)]
        return {"tx": tx, "txid": txid, "wtxid": tx.wtxid_hex, "hex": tx.serialize().hex(),
                "new_utxos": new, "fee": Decimal(total - each * num_outputs) / COIN}

    def create_self_transfer(self, *, fee_rate=Decimal("0.003"), fee=None, utxo_to_spend=None,
                             sequence=0xFFFFFFFD, locktime=0, version=2):
        """One coin in, one coin back to self; fee (BTC) or fee_rate (BTC/kvB)."""
        utxo = utxo_to_spend if utxo_to_spend is not None else self.get_utxo()
        vsize = self._estimate_vsize(1, 1)
        fee_sat = int(Decimal(fee) * COIN) if fee is not None else int(Decimal(fee_rate) * COIN * vsize / 1000)
        res = self.create_self_transfer_multi(utxos_to_spend=[utxo], num_outputs=1,
                                              amount_per_output=utxo["amount"] - fee_sat, fee_per_output=fee_sat,
                                              sequence=sequence, locktime=locktime, version=version)
        res["new_utxo"] = res["new_utxos"][0]
        return res

    def create_self_transfer_chain(self, *, chain_length, utxo_to_spend=None):
        """chain_length transactions, each spending the previous one's output."""
        chain = []
        utxo = utxo_to_spend if utxo_to_spend is not None else self.get_utxo()
        for _ in range(chain_length):
            res = self.create_self_transfer(utxo_to_spend=utxo)
            chain.append(res)
            utxo = res["new_utxo"]
        return chain

    def create_to(self, script_pubkey, amount, *, fee=1000, utxo_to_spend=None):
        """Pays `amount` satoshis to script_pubkey, change back to self."""
        utxo = utxo_to_spend if utxo_to_spend is not None else self.get_utxo()
        tx = CTransaction()
        tx.vin.append(CTxIn(COutPoint(int(utxo["txid"], 16), utxo["vout"]), b"", 0xFFFFFFFD))
        tx.vout.append(CTxOut(amount, CScript(script_pubkey)))
        change = utxo["amount"] - amount - fee
        assert change >= 0
        if change > 0:
            tx.vout.append(CTxOut(change, self._spk))
        self.sign_tx(tx, {0: self._spent_txout(utxo)})
        return {"tx": tx, "txid": tx.txid_hex, "wtxid": tx.wtxid_hex, "hex": tx.serialize().hex(),
                "sent_vout": 0,
                "new_utxo": self._utxo(tx.txid_hex, 1, change) if change > 0 else None}

    def sendrawtransaction(self, *, from_node, tx_hex, **kwargs):
        txid = from_node.sendrawtransaction(hexstring=tx_hex, **kwargs)
        from .messages import tx_from_hex
        self.scan_tx(tx_from_hex(tx_hex))
        return txid

    def send_self_transfer(self, *, from_node, **kwargs):
        res = self.create_self_transfer(**kwargs)
        self.sendrawtransaction(from_node=from_node, tx_hex=res["hex"])
        return res

    def send_self_transfer_multi(self, *, from_node, **kwargs):
        res = self.create_self_transfer_multi(**kwargs)
        self.sendrawtransaction(from_node=from_node, tx_hex=res["hex"])
        return res

    def send_to(self, *, from_node, scriptPubKey, amount, fee=1000):
        res = self.create_to(scriptPubKey, amount, fee=fee)
        self.sendrawtransaction(from_node=from_node, tx_hex=res["hex"])
        return res
