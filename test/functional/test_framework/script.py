"""Scripts: opcodes, CScript (a bytes subclass built from ops, ints and
pushes), signature hashes (legacy, BIP 143 segwit v0, BIP 341 taproot),
standard scriptPubKey builders and taproot output construction.
"""

import struct

from .key import compute_xonly_pubkey, tagged_hash, taproot_tweak, tweak_add_pubkey
from .messages import (
    CTransaction,
    CTxOut,
    hash160,
    hash256,
    ser_string,
    sha256,
)

MAX_SCRIPT_ELEMENT_SIZE = 520
MAX_PUBKEYS_PER_MULTISIG = 20
LOCKTIME_THRESHOLD = 500_000_000
ANNEX_TAG = 0x50
LEAF_VERSION_TAPSCRIPT = 0xc0

OPCODE_NAMES = {}


class CScriptOp(int):
    """One opcode; its name comes from OPCODE_NAMES."""
    __slots__ = ()

    @staticmethod
    def encode_op_pushdata(d):
        d = bytes(d)
        if len(d) < 0x4c:
            return bytes([len(d)]) + d
        if len(d) <= 0xff:
            return b"\x4c" + bytes([len(d)]) + d
        if len(d) <= 0xffff:
            return b"\x4d" + struct.pack("<H", len(d)) + d
        return b"\x4e" + struct.pack("<I", len(d)) + d

    @staticmethod
    def encode_op_n(n):
        if not 0 <= n <= 16:
            raise ValueError("integer %d not in 0..16" % n)
        return OP_0 if n == 0 else CScriptOp(OP_1 + n - 1)

    def decode_op_n(self):
        if self == OP_0:
            return 0
        if not OP_1 <= self <= OP_16:
            raise ValueError("op %r is not OP_0..OP_16" % self)
        return int(self - OP_1 + 1)

    def is_small_int(self):
        return self == OP_0 or OP_1 <= self <= OP_16

    def __str__(self):
        return repr(self)

    def __repr__(self):
        return OPCODE_NAMES.get(int(self), "CScriptOp(0x%x)" % int(self))


_OPS = [
    ("OP_0", 0x00), ("OP_PUSHDATA1", 0x4c), ("OP_PUSHDATA2", 0x4d), ("OP_PUSHDATA4", 0x4e),
    ("OP_1NEGATE", 0x4f), ("OP_RESERVED", 0x50),
] + [("OP_%d" % i, 0x50 + i) for i in range(1, 17)] + [
    ("OP_NOP", 0x61), ("OP_VER", 0x62), ("OP_IF", 0x63), ("OP_NOTIF", 0x64), ("OP_VERIF", 0x65),
    ("OP_VERNOTIF", 0x66), ("OP_ELSE", 0x67), ("OP_ENDIF", 0x68), ("OP_VERIFY", 0x69), ("OP_RETURN", 0x6a),
    ("OP_TOALTSTACK", 0x6b), ("OP_FROMALTSTACK", 0x6c), ("OP_2DROP", 0x6d), ("OP_2DUP", 0x6e),
    ("OP_3DUP", 0x6f), ("OP_2OVER", 0x70), ("OP_2ROT", 0x71), ("OP_2SWAP", 0x72), ("OP_IFDUP", 0x73),
    ("OP_DEPTH", 0x74), ("OP_DROP", 0x75), ("OP_DUP", 0x76), ("OP_NIP", 0x77), ("OP_OVER", 0x78),
    ("OP_PICK", 0x79), ("OP_ROLL", 0x7a), ("OP_ROT", 0x7b), ("OP_SWAP", 0x7c), ("OP_TUCK", 0x7d),
    ("OP_CAT", 0x7e), ("OP_SUBSTR", 0x7f), ("OP_LEFT", 0x80), ("OP_RIGHT", 0x81), ("OP_SIZE", 0x82),
    ("OP_INVERT", 0x83), ("OP_AND", 0x84), ("OP_OR", 0x85), ("OP_XOR", 0x86), ("OP_EQUAL", 0x87),
    ("OP_EQUALVERIFY", 0x88), ("OP_RESERVED1", 0x89), ("OP_RESERVED2", 0x8a), ("OP_1ADD", 0x8b),
    ("OP_1SUB", 0x8c), ("OP_2MUL", 0x8d), ("OP_2DIV", 0x8e), ("OP_NEGATE", 0x8f), ("OP_ABS", 0x90),
    ("OP_NOT", 0x91), ("OP_0NOTEQUAL", 0x92), ("OP_ADD", 0x93), ("OP_SUB", 0x94), ("OP_MUL", 0x95),
    ("OP_DIV", 0x96), ("OP_MOD", 0x97), ("OP_LSHIFT", 0x98), ("OP_RSHIFT", 0x99), ("OP_BOOLAND", 0x9a),
    ("OP_BOOLOR", 0x9b), ("OP_NUMEQUAL", 0x9c), ("OP_NUMEQUALVERIFY", 0x9d), ("OP_NUMNOTEQUAL", 0x9e),
    ("OP_LESSTHAN", 0x9f), ("OP_GREATERTHAN", 0xa0), ("OP_LESSTHANOREQUAL", 0xa1),
    ("OP_GREATERTHANOREQUAL", 0xa2), ("OP_MIN", 0xa3), ("OP_MAX", 0xa4), ("OP_WITHIN", 0xa5),
    ("OP_RIPEMD160", 0xa6), ("OP_SHA1", 0xa7), ("OP_SHA256", 0xa8), ("OP_HASH160", 0xa9),
    ("OP_HASH256", 0xaa), ("OP_CODESEPARATOR", 0xab), ("OP_CHECKSIG", 0xac), ("OP_CHECKSIGVERIFY", 0xad),
    ("OP_CHECKMULTISIG", 0xae), ("OP_CHECKMULTISIGVERIFY", 0xaf), ("OP_NOP1", 0xb0),
    ("OP_CHECKLOCKTIMEVERIFY", 0xb1), ("OP_CHECKSEQUENCEVERIFY", 0xb2), ("OP_NOP4", 0xb3),
    ("OP_NOP5", 0xb4), ("OP_NOP6", 0xb5), ("OP_NOP7", 0xb6), ("OP_NOP8", 0xb7), ("OP_NOP9", 0xb8),
    ("OP_NOP10", 0xb9), ("OP_CHECKSIGADD", 0xba), ("OP_INVALIDOPCODE", 0xff),
]
for _name, _code in _OPS:
    globals()[_name] = CScriptOp(_code)
    OPCODE_NAMES[_code] = _name
OP_FALSE = OP_0      # noqa: F821 (defined just above)
OP_TRUE = OP_1       # noqa: F821
OP_NOP2 = OP_CHECKLOCKTIMEVERIFY  # noqa: F821
OP_NOP3 = OP_CHECKSEQUENCEVERIFY  # noqa: F821
OPCODES_BY_NAME = {name: CScriptOp(code) for name, code in _OPS}


class CScriptInvalidError(Exception):
    pass


class CScriptTruncatedPushDataError(CScriptInvalidError):
    def __init__(self, msg, data):
        self.data = data
        super().__init__(msg)


class CScriptNum:
    """A script number (minimal little-endian sign-magnitude)."""
    __slots__ = ("value",)

    def __init__(self, d=0):
        self.value = d

    @staticmethod
    def encode(obj):
        v = obj.value
        if v == 0:
            return b""
        neg = v < 0
        a = abs(v)
        r = bytearray()
        while a:
            r.append(a & 0xff)
            a >>= 8
        if r[-1] & 0x80:
            r.append(0x80 if neg else 0)
        elif neg:
            r[-1] |= 0x80
        return bytes(r)

    @staticmethod
    def decode(vch):
        vch = bytes(vch)
        if not vch:
            return 0
        v = int.from_bytes(vch, "little")
        if vch[-1] & 0x80:
            return -(v & ~(0x80 << (8 * (len(vch) - 1))))
        return v


class CScript(bytes):
    """Script bytes. CScript([OP_DUP, b'push', 5, CScriptNum(300)]) encodes each
    element: opcodes as themselves, bytes as minimal pushes, small ints as OP_n."""

    @classmethod
    def _coerce(cls, other):
        if isinstance(other, CScriptOp):
            return bytes([other])
        if isinstance(other, CScriptNum):
            return CScriptOp.encode_op_pushdata(CScriptNum.encode(other)) if other.value not in range(-1, 17) \
                else cls._coerce(int(other.value))
        if isinstance(other, int):
            if 0 <= other <= 16:
                return bytes([CScriptOp.encode_op_n(other)])
            if other == -1:
                return bytes([OP_1NEGATE])  # noqa: F821
            return CScriptOp.encode_op_pushdata(CScriptNum.encode(CScriptNum(other)))
        if isinstance(other, (bytes, bytearray)):
            return CScriptOp.encode_op_pushdata(other)
        raise TypeError("cannot put %r in a script" % (other,))

    def __new__(cls, value=b""):
        if isinstance(value, (bytes, bytearray)):
            return super().__new__(cls, value)
        return super().__new__(cls, b"".join(cls._coerce(x) for x in value))

    def __add__(self, other):
        if isinstance(other, (bytes, bytearray)):
            return CScript(bytes(self) + bytes(other))
        return CScript(bytes(self) + self._coerce(other))

    def join(self, iterable):
        raise NotImplementedError

    def raw_iter(self):
        """(opcode, pushed data or None, offset of the opcode) triples."""
        i = 0
        n = len(self)
        while i < n:
            start = i
            op = self[i]
            i += 1
            data = None
            if op <= OP_PUSHDATA4:  # noqa: F821
                if op < OP_PUSHDATA1:  # noqa: F821
                    size = op
                else:
                    width = {0x4c: 1, 0x4d: 2, 0x4e: 4}[op]
                    if i + width > n:
                        raise CScriptInvalidError("PUSHDATA%d: missing data length" % width)
                    size = int.from_bytes(self[i:i + width], "little")
                    i += width
                data = bytes(self[i:i + size])
                i += size
                if len(data) < size:
                    raise CScriptTruncatedPushDataError("push past end of script", data)
            yield CScriptOp(op), data, start

    def __iter__(self):
        """Pushes as bytes (small ints as their opcodes), other opcodes as CScriptOp."""
        for op, data, _ in self.raw_iter():
            yield data if data is not None else op

    def __repr__(self):
        parts = []
        try:
            for op, data, _ in self.raw_iter():
                parts.append(data.hex() if data is not None else repr(op))
        except CScriptInvalidError as e:
            parts.append("ERROR: %s" % e)
        return "CScript([%s])" % ", ".join(parts)

    def GetSigOpCount(self, fAccurate):
        n = 0
        last = OP_INVALIDOPCODE  # noqa: F821
        for op, _, _ in self.raw_iter():
            if op in (OP_CHECKSIG, OP_CHECKSIGVERIFY):  # noqa: F821
                n += 1
            elif op in (OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY):  # noqa: F821
                n += last.decode_op_n() if fAccurate and OP_1 <= last <= OP_16 else MAX_PUBKEYS_PER_MULTISIG  # noqa: F821
            last = op
        return n

    def IsWitnessProgram(self):
        return 4 <= len(self) <= 42 and CScriptOp(self[0]).is_small_int() and self[1] + 2 == len(self)


def FindAndDelete(script, sig):
    """Removes every whole push of exactly `sig` (as Core's interpreter does for legacy sigs)."""
    out = b""
    last = 0
    skip = False
    for _, _, start in script.raw_iter():
        if not skip:
            out += script[last:start]
        last = start
        skip = script[start:start + len(sig)] == sig
    if not skip:
        out += script[last:]
    return CScript(out)


# ---------------------------------------------------------------------------
# Signature hashes

SIGHASH_DEFAULT = 0
SIGHASH_ALL = 1
SIGHASH_NONE = 2
SIGHASH_SINGLE = 3
SIGHASH_ANYONECANPAY = 0x80

_ONE = b"\x01" + b"\x00" * 31


def _strip_codeseparators(script):
    """scriptCode as legacy sighashes serialize it: every OP_CODESEPARATOR removed.
    A malformed tail (truncated push) is kept verbatim, as Core's serializer does."""
    script = bytes(script)
    out = b""
    kept_from = 0
    try:
        for op, _, start in CScript(script).raw_iter():
            if op == OP_CODESEPARATOR:  # noqa: F821
                out += script[kept_from:start]
                kept_from = start + 1
    except CScriptInvalidError:
        pass
    return out + script[kept_from:]


def LegacySignatureHash(script, txTo, inIdx, hashtype):
    """(32-byte digest, error or None) as Core's SignatureHash for base (pre-segwit) scripts.
    The two historical quirks are kept: index out of range and SIGHASH_SINGLE without a
    matching output both give the digest 1."""
    if inIdx >= len(txTo.vin):
        return _ONE, "inIdx %d out of range (%d)" % (inIdx, len(txTo.vin))
    tx = CTransaction(txTo)
    for txin in tx.vin:
        txin.scriptSig = b""
    tx.vin[inIdx].scriptSig = _strip_codeseparators(script)
    base = hashtype & 0x1f
    if base == SIGHASH_NONE:
        tx.vout = []
        for i, txin in enumerate(tx.vin):
            if i != inIdx:
                txin.nSequence = 0
    elif base == SIGHASH_SINGLE:
        if inIdx >= len(tx.vout):
            return _ONE, "outIdx %d out of range (%d)" % (inIdx, len(tx.vout))
        tx.vout = [CTxOut(-1, b"") for _ in range(inIdx)] + [tx.vout[inIdx]]
        for i, txin in enumerate(tx.vin):
            if i != inIdx:
                txin.nSequence = 0
    if hashtype & SIGHASH_ANYONECANPAY:
        tx.vin = [tx.vin[inIdx]]
    data = tx.serialize_without_witness() + struct.pack("<i", hashtype)
    return hash256(data), None


def SignatureHash(script, txTo, inIdx, hashtype):
    return LegacySignatureHash(script, txTo, inIdx, hashtype)


def SegwitV0SignatureHash(script, txTo, inIdx, hashtype, amount):
    """BIP 143 digest; `script` is the scriptCode."""
    base = hashtype & 0x1f
    anyone = hashtype & SIGHASH_ANYONECANPAY
    zero = b"\x00" * 32
    hash_prevouts = hash256(b"".join(i.prevout.serialize() for i in txTo.vin)) if not anyone else zero
    hash_sequence = (hash256(b"".join(struct.pack("<I", i.nSequence) for i in txTo.vin))
                     if not anyone and base not in (SIGHASH_SINGLE, SIGHASH_NONE) else zero)
    if base not in (SIGHASH_SINGLE, SIGHASH_NONE):
        hash_outputs = hash256(b"".join(o.serialize() for o in txTo.vout))
    elif base == SIGHASH_SINGLE and inIdx < len(txTo.vout):
        hash_outputs = hash256(txTo.vout[inIdx].serialize())
    else:
        hash_outputs = zero
    txin = txTo.vin[inIdx]
    data = (struct.pack("<i", txTo.version) + hash_prevouts + hash_sequence + txin.prevout.serialize()
            + ser_string(bytes(script)) + struct.pack("<qI", amount, txin.nSequence) + hash_outputs
            + struct.pack("<I", txTo.nLockTime) + struct.pack("<I", hashtype))
    return hash256(data)


def TaprootSignatureMsg(txTo, spent_utxos, hash_type, input_index=0, scriptpath=False,
                        leaf_script=None, codeseparator_pos=-1, annex=None, leaf_ver=LEAF_VERSION_TAPSCRIPT):
    """The BIP 341 SigMsg (prefixed with the epoch byte 0), before tagged hashing."""
    assert hash_type in (0, 1, 2, 3, 0x81, 0x82, 0x83)
    assert len(spent_utxos) == len(txTo.vin)
    out_type = SIGHASH_ALL if hash_type == 0 else hash_type & 3
    anyone = hash_type & SIGHASH_ANYONECANPAY
    msg = b"\x00" + bytes([hash_type]) + struct.pack("<iI", txTo.version, txTo.nLockTime)
    if not anyone:
        msg += sha256(b"".join(i.prevout.serialize() for i in txTo.vin))
        msg += sha256(b"".join(struct.pack("<q", u.nValue) for u in spent_utxos))
        msg += sha256(b"".join(ser_string(bytes(u.scriptPubKey)) for u in spent_utxos))
        msg += sha256(b"".join(struct.pack("<I", i.nSequence) for i in txTo.vin))
    if out_type == SIGHASH_ALL:
        msg += sha256(b"".join(o.serialize() for o in txTo.vout))
    spend_type = (2 if scriptpath else 0) + (1 if annex is not None else 0)
    msg += bytes([spend_type])
    if anyone:
        txin = txTo.vin[input_index]
        u = spent_utxos[input_index]
        msg += txin.prevout.serialize() + struct.pack("<q", u.nValue) + ser_string(bytes(u.scriptPubKey))
        msg += struct.pack("<I", txin.nSequence)
    else:
        msg += struct.pack("<I", input_index)
    if annex is not None:
        msg += sha256(ser_string(annex))
    if out_type == SIGHASH_SINGLE:
        if input_index >= len(txTo.vout):
            raise ValueError("SIGHASH_SINGLE without a matching output")
        msg += sha256(txTo.vout[input_index].serialize())
    if scriptpath:
        msg += tapleaf_hash(leaf_script, leaf_ver) + b"\x00" + struct.pack("<i", codeseparator_pos)
    return msg


def TaprootSignatureHash(txTo, spent_utxos, hash_type, input_index=0, scriptpath=False,
                         leaf_script=None, codeseparator_pos=-1, annex=None, leaf_ver=LEAF_VERSION_TAPSCRIPT):
    """BIP 341 digest (TapSighash tagged hash of the SigMsg)."""
    return tagged_hash("TapSighash", TaprootSignatureMsg(txTo, spent_utxos, hash_type, input_index, scriptpath,
                                                         leaf_script, codeseparator_pos, annex, leaf_ver))


# ---------------------------------------------------------------------------
# Standard scripts

def key_to_p2pk_script(key):
    return CScript([bytes(key), OP_CHECKSIG])  # noqa: F821


def keyhash_to_p2pkh_script(h):
    assert len(h) == 20
    return CScript([OP_DUP, OP_HASH160, h, OP_EQUALVERIFY, OP_CHECKSIG])  # noqa: F821


def key_to_p2pkh_script(key):
    return keyhash_to_p2pkh_script(hash160(bytes(key)))


def scripthash_to_p2sh_script(h):
    assert len(h) == 20
    return CScript([OP_HASH160, h, OP_EQUAL])  # noqa: F821


def script_to_p2sh_script(script):
    return scripthash_to_p2sh_script(hash160(bytes(script)))


def program_to_witness_script(version, program):
    assert 0 <= version <= 16 and 2 <= len(program) <= 40
    return CScript([CScriptOp.encode_op_n(version), bytes(program)])


def key_to_p2wpkh_script(key):
    return program_to_witness_script(0, hash160(bytes(key)))


def script_to_p2wsh_script(script):
    return program_to_witness_script(0, sha256(bytes(script)))


def key_to_p2sh_p2wpkh_script(key):
    return script_to_p2sh_script(key_to_p2wpkh_script(key))


def script_to_p2sh_p2wsh_script(script):
    return script_to_p2sh_script(script_to_p2wsh_script(script))


def output_key_to_p2tr_script(key):
    assert len(key) == 32
    return program_to_witness_script(1, key)


def keys_to_multisig_script(keys, *, k=None):
    k = len(keys) if k is None else k
    return CScript([k] + [bytes(x) for x in keys] + [len(keys), OP_CHECKMULTISIG])  # noqa: F821


def legacy_scriptcode_for_p2wpkh(pubkey_hash):
    """BIP 143 scriptCode of a P2WPKH spend."""
    return keyhash_to_p2pkh_script(pubkey_hash)


def is_op_success(op):
    return op == 0x50 or op == 0x62 or op in (0x89, 0x8a) or 0x7e <= op <= 0x81 or 0x83 <= op <= 0x86 \
        or 0x8d <= op <= 0x8e or 0x95 <= op <= 0x99 or 0xbb <= op <= 0xfe


# ---------------------------------------------------------------------------
# Taproot output construction

def tapleaf_hash(script, leaf_ver=LEAF_VERSION_TAPSCRIPT):
    return tagged_hash("TapLeaf", bytes([leaf_ver]) + ser_string(bytes(script)))


def tapbranch_hash(a, b):
    return tagged_hash("TapBranch", min(a, b) + max(a, b))


class TaprootLeafInfo:
    def __init__(self, script, version, merklebranch, leaf_hash):
        self.script = script
        self.version = version
        self.merklebranch = merklebranch  # concatenated sibling hashes, leaf first
        self.leaf_hash = leaf_hash


class TaprootInfo:
    """Result of taproot_construct: scriptPubKey, internal_pubkey, negflag (output key
    has odd y), tweak, leaves (name -> TaprootLeafInfo), merkle_root, output_pubkey."""

    def __init__(self, scriptPubKey, internal_pubkey, negflag, tweak, leaves, merkle_root, output_pubkey):
        self.scriptPubKey = scriptPubKey
        self.internal_pubkey = internal_pubkey
        self.negflag = negflag
        self.tweak = tweak
        self.leaves = leaves
        self.merkle_root = merkle_root
        self.output_pubkey = output_pubkey

    def control_block(self, name):
        leaf = self.leaves[name]
        return bytes([leaf.version | int(self.negflag)]) + self.internal_pubkey + leaf.merklebranch


def _taproot_tree(node):
    """(list of (name, script, version, branch bytes), node hash) of a nested-list tree.
    A leaf is (name, script) or (name, script, leaf_version); a branch a 2-element list."""
    if node is None:
        return [], b""
    if isinstance(node, tuple):
        name, script = node[0], node[1]
        ver = node[2] if len(node) > 2 else LEAF_VERSION_TAPSCRIPT
        h = tapleaf_hash(script, ver)
        return [(name, script, ver, b"", h)], h
    if isinstance(node, list) and len(node) == 1:
        return _taproot_tree(node[0])
    if isinstance(node, list) and len(node) == 2:
        left, lh = _taproot_tree(node[0])
        right, rh = _taproot_tree(node[1])
        left = [(n, s, v, b + rh, leafh) for (n, s, v, b, leafh) in left]
        right = [(n, s, v, b + lh, leafh) for (n, s, v, b, leafh) in right]
        return left + right, tapbranch_hash(lh, rh)
    raise ValueError("taproot tree node must be a (name, script[, ver]) tuple or a 1-2 element list")


def taproot_construct(pubkey, scripts=None, treat_internal_as_infinity=False):
    """Taproot output for a 32-byte x-only internal key and an optional script tree."""
    leaves_list, root = _taproot_tree(scripts if scripts else None)
    tweak = taproot_tweak(pubkey, root)
    res = tweak_add_pubkey(pubkey, tweak)
    if res is None:
        raise ValueError("tweaked key is invalid")
    output_pubkey, negflag = res
    leaves = {name: TaprootLeafInfo(script, ver, branch, leafh) for (name, script, ver, branch, leafh) in leaves_list}
    return TaprootInfo(output_key_to_p2tr_script(output_pubkey), pubkey, negflag, tweak, leaves,
                       root if root else None, output_pubkey)


def key_to_p2tr_info(secret):
    """TaprootInfo of a key-path-only output for a 32-byte secret."""
    return taproot_construct(compute_xonly_pubkey(secret)[0])
