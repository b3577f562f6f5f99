"""Bitcoin data structures and P2P messages, serialized as on the wire.

Every class has serialize() -> bytes and deserialize(f) reading from a
binary stream (io.BytesIO). Hashes are kept the way the node shows them
and the way the wire carries them: `sha256` is the hash as an integer
(little-endian bytes on the wire), `hash` the hex string RPCs print.

P2P message classes carry a `msgtype` (the 12-byte command, as bytes);
MESSAGEMAP maps each command to its class for the network code in p2p.py.
"""

import copy
import hashlib
import io
import random
import struct
import time

MY_VERSION = 70016            # wtxidrelay and sendaddrv2 are understood
MIN_P2P_VERSION_SUPPORTED = 60001
MY_SUBVERSION = b"/cairn-python:0.1/"
MY_RELAY = 1

MAX_LOCATOR_SZ = 101
MAX_BLOCK_WEIGHT = 4_000_000
MAX_BLOOM_FILTER_SIZE = 36000
MAX_HEADERS_RESULTS = 2000
MAX_INV_SIZE = 50000
MAX_PROTOCOL_MESSAGE_LENGTH = 4_000_000
WITNESS_SCALE_FACTOR = 4
COIN = 100_000_000
MAX_MONEY = 21_000_000 * COIN

SEQUENCE_FINAL = 0xFFFFFFFF
MAX_SEQUENCE_NONFINAL = 0xFFFFFFFE

NODE_NETWORK = 1 << 0
NODE_BLOOM = 1 << 2
NODE_WITNESS = 1 << 3
NODE_COMPACT_FILTERS = 1 << 6
NODE_NETWORK_LIMITED = 1 << 10
NODE_P2P_V2 = 1 << 11

MSG_TX = 1
MSG_BLOCK = 2
MSG_FILTERED_BLOCK = 3
MSG_CMPCT_BLOCK = 4
MSG_WTX = 5
MSG_WITNESS_FLAG = 1 << 30
MSG_TYPE_MASK = 0xFFFFFFFF >> 2
MSG_WITNESS_TX = MSG_TX | MSG_WITNESS_FLAG
MSG_WITNESS_BLOCK = MSG_BLOCK | MSG_WITNESS_FLAG

# BIP 141 witness commitment output: OP_RETURN push(36) aa21a9ed <root>
WITNESS_COMMITMENT_HEADER = b"\xaa\x21\xa9\xed"


# ---------------------------------------------------------------------------
# Hashes and integer encodings

def sha256(data):
    return hashlib.sha256(data).digest()


def hash256(data):
    """Double SHA-256, Bitcoin's txid/block hash function."""
    return sha256(sha256(data))


def _ripemd160(data):
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:  # OpenSSL 3 without the legacy provider
        from .ripemd160 import ripemd160
        return ripemd160(data)


def hash160(data):
    return _ripemd160(sha256(data))


def ser_compact_size(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b"\xfd" + struct.pack("<H", n)
    if n <= 0xffffffff:
        return b"\xfe" + struct.pack("<I", n)
    return b"\xff" + struct.pack("<Q", n)


def deser_compact_size(f):
    first = _read(f, 1)[0]
    if first < 0xfd:
        return first
    width, fmt, minimum = {0xfd: (2, "<H", 0xfd), 0xfe: (4, "<I", 0x10000), 0xff: (8, "<Q", 0x100000000)}[first]
    n = struct.unpack(fmt, _read(f, width))[0]
    if n < minimum:
        raise ValueError("non-canonical ReadCompactSize()")
    return n


def _read(f, n):
    data = f.read(n)
    if len(data) != n:
        raise ValueError("stream ended: wanted %d bytes, got %d" % (n, len(data)))
    return data


def ser_string(s):
    return ser_compact_size(len(s)) + s


def deser_string(f):
    return _read(f, deser_compact_size(f))


def ser_uint256(u):
    return u.to_bytes(32, "little")


def deser_uint256(f):
    return int.from_bytes(_read(f, 32), "little")


def uint256_from_str(b):
    """32 little-endian bytes (wire order) -> int."""
    return int.from_bytes(b[:32], "little")


def uint256_from_hex(h):
    """The node's display hex (big-endian) -> int."""
    return int(h, 16)


def uint256_to_hex(u):
    return "%064x" % u


def uint256_from_compact(c):
    """nBits -> target."""
    size = c >> 24
    word = c & 0x007fffff
    return word >> (8 * (3 - size)) if size <= 3 else word << (8 * (size - 3))


def ser_vector(items, ser_function_name=None):
    # One join, not repeated +=: a 24,000-input transaction would be quadratic.
    return ser_compact_size(len(items)) + b"".join(
        getattr(item, ser_function_name)() if ser_function_name else item.serialize() for item in items)


def deser_vector(f, cls):
    return [_deser_obj(f, cls) for _ in range(deser_compact_size(f))]


def _deser_obj(f, cls):
    obj = cls()
    obj.deserialize(f)
    return obj


def ser_uint256_vector(items):
    return ser_compact_size(len(items)) + b"".join(ser_uint256(i) for i in items)


def deser_uint256_vector(f):
    return [deser_uint256(f) for _ in range(deser_compact_size(f))]


def ser_string_vector(items):
    return ser_compact_size(len(items)) + b"".join(ser_string(s) for s in items)


def deser_string_vector(f):
    return [deser_string(f) for _ in range(deser_compact_size(f))]


def from_hex(obj, hex_string):
    """Deserializes hex into obj (an instance) and returns it; raises on trailing bytes."""
    f = io.BytesIO(bytes.fromhex(hex_string))
    obj.deserialize(f)
    if f.read(1):
        raise ValueError("trailing data after %s" % type(obj).__name__)
    return obj


def from_binary(cls, data):
    f = io.BytesIO(data)
    obj = _deser_obj(f, cls)
    if f.read(1):
        raise ValueError("trailing data after %s" % cls.__name__)
    return obj


def tx_from_hex(hex_string):
    return from_hex(CTransaction(), hex_string)


# ---------------------------------------------------------------------------
# Transactions

class COutPoint:
    __slots__ = ("hash", "n")

    def __init__(self, hash=0, n=0xFFFFFFFF):
        self.hash = hash  # txid as int
        self.n = n

    def deserialize(self, f):
        self.hash = deser_uint256(f)
        self.n = struct.unpack("<I", _read(f, 4))[0]

    def serialize(self):
        return ser_uint256(self.hash) + struct.pack("<I", self.n)

    def __eq__(self, other):
        return isinstance(other, COutPoint) and (self.hash, self.n) == (other.hash, other.n)

    def __hash__(self):
        return hash((self.hash, self.n))

    def __repr__(self):
        return "COutPoint(hash=%064x n=%i)" % (self.hash, self.n)


class CTxIn:
    __slots__ = ("prevout", "scriptSig", "nSequence")

    def __init__(self, outpoint=None, scriptSig=b"", nSequence=0):
        self.prevout = COutPoint() if outpoint is None else outpoint
        self.scriptSig = scriptSig
        self.nSequence = nSequence

    def deserialize(self, f):
        self.prevout = _deser_obj(f, COutPoint)
        self.scriptSig = deser_string(f)
        self.nSequence = struct.unpack("<I", _read(f, 4))[0]

    def serialize(self):
        return self.prevout.serialize() + ser_string(bytes(self.scriptSig)) + struct.pack("<I", self.nSequence)

    def __repr__(self):
        return "CTxIn(prevout=%r scriptSig=%s nSequence=%i)" % (self.prevout, bytes(self.scriptSig).hex(), self.nSequence)


class CTxOut:
    __slots__ = ("nValue", "scriptPubKey")

    def __init__(self, nValue=0, scriptPubKey=b""):
        self.nValue = nValue
        self.scriptPubKey = scriptPubKey

    def deserialize(self, f):
        self.nValue = struct.unpack("<q", _read(f, 8))[0]
        self.scriptPubKey = deser_string(f)

    def serialize(self):
        return struct.pack("<q", self.nValue) + ser_string(bytes(self.scriptPubKey))

    def __repr__(self):
        return "CTxOut(nValue=%d.%08d scriptPubKey=%s)" % (self.nValue // COIN, self.nValue % COIN, bytes(self.scriptPubKey).hex())


class CScriptWitness:
    __slots__ = ("stack",)

    def __init__(self):
        self.stack = []  # list of bytes

    def is_null(self):
        return not self.stack

    def __repr__(self):
        return "CScriptWitness(%s)" % ",".join(x.hex() for x in self.stack)


class CTxInWitness:
    __slots__ = ("scriptWitness",)

    def __init__(self):
        self.scriptWitness = CScriptWitness()

    def deserialize(self, f):
        self.scriptWitness.stack = deser_string_vector(f)

    def serialize(self):
        return ser_string_vector(self.scriptWitness.stack)

    def is_null(self):
        return self.scriptWitness.is_null()


class CTxWitness:
    __slots__ = ("vtxinwit",)

    def __init__(self):
        self.vtxinwit = []

    def deserialize(self, f):
        for w in self.vtxinwit:
            w.deserialize(f)

    def serialize(self):
        # One stack per input, no count: the input count already says how many.
        return b"".join(w.serialize() for w in self.vtxinwit)

    def is_null(self):
        return all(w.is_null() for w in self.vtxinwit)


class CTransaction:
    """A transaction; `wit` holds the per-input witnesses (BIP 144 layout)."""

    def __init__(self, tx=None):
        if tx is None:
            self.version = 2
            self.vin = []
            self.vout = []
            self.wit = CTxWitness()
            self.nLockTime = 0
            self.sha256 = None
            self.hash = None
        else:
            self.version = tx.version
            self.vin = copy.deepcopy(tx.vin)
            self.vout = copy.deepcopy(tx.vout)
            self.nLockTime = tx.nLockTime
            self.wit = copy.deepcopy(tx.wit)
            self.sha256 = tx.sha256
            self.hash = tx.hash

    # Core's Python framework calls it nVersion; accept both spellings.
    @property
    def nVersion(self):
        return self.version

    @nVersion.setter
    def nVersion(self, v):
        self.version = v

    def deserialize(self, f):
        self.version = struct.unpack("<i", _read(f, 4))[0]
        self.vin = deser_vector(f, CTxIn)
        flags = 0
        if not self.vin:
            # Either a real zero-input tx, or the segwit marker (0) followed by the flag.
            flags = _read(f, 1)[0]
            if flags != 0:
                self.vin = deser_vector(f, CTxIn)
                self.vout = deser_vector(f, CTxOut)
            # flags == 0: the "0 inputs" was followed by the output count 0... but
            # that count is exactly the byte read; keep vout empty.
        else:
            self.vout = deser_vector(f, CTxOut)
        self.wit = CTxWitness()
        if flags != 0:
            if flags != 1:
                raise ValueError("unknown transaction optional data")
            self.wit.vtxinwit = [CTxInWitness() for _ in self.vin]
            self.wit.deserialize(f)
            if self.wit.is_null():
                raise ValueError("superfluous witness record")
        self.nLockTime = struct.unpack("<I", _read(f, 4))[0]
        self.sha256 = None
        self.calc_sha256()
        return self

    def serialize_without_witness(self):
        return (struct.pack("<i", self.version) + ser_vector(self.vin) + ser_vector(self.vout)
                + struct.pack("<I", self.nLockTime))

    def serialize_with_witness(self):
        if not self.has_witness():
            return self.serialize_without_witness()
        wit = CTxWitness()
        wit.vtxinwit = list(self.wit.vtxinwit[:len(self.vin)])
        wit.vtxinwit += [CTxInWitness() for _ in range(len(self.vin) - len(wit.vtxinwit))]
        return (struct.pack("<i", self.version) + b"\x00\x01" + ser_vector(self.vin) + ser_vector(self.vout)
                + wit.serialize() + struct.pack("<I", self.nLockTime))

    def serialize(self):
        return self.serialize_with_witness()

    def has_witness(self):
        return not self.wit.is_null()

    def rehash(self):
        """Recomputes and returns the txid hex (and sets sha256/hash)."""
        self.sha256 = None
        self.calc_sha256()
        return self.hash

    def calc_sha256(self, with_witness=False):
        """Returns the wtxid (int) with with_witness; always refreshes sha256/hash (txid)."""
        if with_witness:
            return uint256_from_str(hash256(self.serialize_with_witness()))
        if self.sha256 is None:
            h = hash256(self.serialize_without_witness())
            self.sha256 = uint256_from_str(h)
            self.hash = h[::-1].hex()
        return self.sha256

    @property
    def txid_int(self):
        return uint256_from_str(hash256(self.serialize_without_witness()))

    @property
    def txid_hex(self):
        return hash256(self.serialize_without_witness())[::-1].hex()

    @property
    def wtxid_int(self):
        return uint256_from_str(hash256(self.serialize_with_witness()))

    @property
    def wtxid_hex(self):
        return hash256(self.serialize_with_witness())[::-1].hex()

    def getwtxid(self):
        return self.wtxid_hex

    def get_weight(self):
        base = len(self.serialize_without_witness())
        total = len(self.serialize_with_witness())
        return base * (WITNESS_SCALE_FACTOR - 1) + total

    def get_vsize(self):
        return (self.get_weight() + WITNESS_SCALE_FACTOR - 1) // WITNESS_SCALE_FACTOR

    def is_coinbase(self):
        return len(self.vin) == 1 and self.vin[0].prevout.hash == 0 and self.vin[0].prevout.n == 0xFFFFFFFF

    def is_valid(self):
        """The amount checks of CheckTransaction (nothing else)."""
        self.calc_sha256()
        return all(0 <= o.nValue <= MAX_MONEY for o in self.vout)

    def serialize_hex(self):
        return self.serialize().hex()

    def __repr__(self):
        return "CTransaction(version=%i vin=%r vout=%r wit=%r nLockTime=%i)" % (
            self.version, self.vin, self.vout, [w.scriptWitness for w in self.wit.vtxinwit], self.nLockTime)


# ---------------------------------------------------------------------------
# Blocks

class CBlockHeader:
    def __init__(self, header=None):
        if header is None:
            self.set_null()
        else:
            self.nVersion = header.nVersion
            self.hashPrevBlock = header.hashPrevBlock
            self.hashMerkleRoot = header.hashMerkleRoot
            self.nTime = header.nTime
            self.nBits = header.nBits
            self.nNonce = header.nNonce
            self.sha256 = header.sha256
            self.hash = header.hash
            self.calc_sha256()

    def set_null(self):
        self.nVersion = 4
        self.hashPrevBlock = 0
        self.hashMerkleRoot = 0
        self.nTime = 0
        self.nBits = 0
        self.nNonce = 0
        self.sha256 = None
        self.hash = None

    def deserialize(self, f):
        self.nVersion, = struct.unpack("<i", _read(f, 4))
        self.hashPrevBlock = deser_uint256(f)
        self.hashMerkleRoot = deser_uint256(f)
        self.nTime, self.nBits, self.nNonce = struct.unpack("<III", _read(f, 12))
        self.sha256 = None
        self.calc_sha256()

    def serialize_header(self):
        return (struct.pack("<i", self.nVersion) + ser_uint256(self.hashPrevBlock) + ser_uint256(self.hashMerkleRoot)
                + struct.pack("<III", self.nTime, self.nBits, self.nNonce))

    def serialize(self):
        return self.serialize_header()

    def calc_sha256(self):
        if self.sha256 is None:
            h = hash256(self.serialize_header())
            self.sha256 = uint256_from_str(h)
            self.hash = h[::-1].hex()
        return self.sha256

    def rehash(self):
        self.sha256 = None
        self.calc_sha256()
        return self.sha256

    def check_pow(self):
        return self.calc_sha256() <= uint256_from_compact(self.nBits)

    def __repr__(self):
        return "CBlockHeader(nVersion=%i hashPrevBlock=%064x hashMerkleRoot=%064x nTime=%s nBits=%08x nNonce=%08x)" % (
            self.nVersion, self.hashPrevBlock, self.hashMerkleRoot, self.nTime, self.nBits, self.nNonce)


def merkle_root(hashes):
    """Merkle root of a list of 32-byte (wire order) hashes, duplicating the last of an odd level."""
    if not hashes:
        return b"\x00" * 32
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hash256(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


class CBlock(CBlockHeader):
    def __init__(self, header=None):
        super().__init__(header)
        self.vtx = []

    def deserialize(self, f):
        super().deserialize(f)
        self.vtx = deser_vector(f, CTransaction)
        return self

    def serialize(self, with_witness=True):
        body = b"".join(tx.serialize_with_witness() if with_witness else tx.serialize_without_witness()
                        for tx in self.vtx)
        return self.serialize_header() + ser_compact_size(len(self.vtx)) + body

    def serialize_without_witness(self):
        return self.serialize(with_witness=False)

    def calc_merkle_root(self):
        return uint256_from_str(merkle_root([ser_uint256(tx.txid_int) for tx in self.vtx]))

    def calc_witness_merkle_root(self):
        # The coinbase's wtxid counts as zero (BIP 141).
        leaves = [b"\x00" * 32] + [ser_uint256(tx.wtxid_int) for tx in self.vtx[1:]]
        return uint256_from_str(merkle_root(leaves))

    def is_valid(self):
        """Proof of work, merkle root and per-tx amounts; not consensus-complete."""
        self.calc_sha256()
        if not self.check_pow():
            return False
        if any(not tx.is_valid() for tx in self.vtx):
            return False
        return self.calc_merkle_root() == self.hashMerkleRoot

    def solve(self):
        """Grinds nNonce until the header meets nBits (instant on regtest's 207fffff)."""
        self.rehash()
        target = uint256_from_compact(self.nBits)
        while self.sha256 > target:
            self.nNonce = (self.nNonce + 1) & 0xFFFFFFFF
            self.rehash()

    def get_weight(self):
        return (len(self.serialize(with_witness=False)) * (WITNESS_SCALE_FACTOR - 1)
                + len(self.serialize(with_witness=True)))

    def __repr__(self):
        return "CBlock(%s vtx=%d)" % (super().__repr__(), len(self.vtx))


# ---------------------------------------------------------------------------
# BIP 152 compact blocks

def _rotl64(x, b):
    return ((x << b) | (x >> (64 - b))) & 0xFFFFFFFFFFFFFFFF


def siphash(k0, k1, data):
    """SipHash-2-4 of bytes `data` with the 128-bit key (k0, k1), as an int."""
    M = 0xFFFFFFFFFFFFFFFF
    v0 = k0 ^ 0x736f6d6570736575
    v1 = k1 ^ 0x646f72616e646f6d
    v2 = k0 ^ 0x6c7967656e657261
    v3 = k1 ^ 0x7465646279746573

    def rounds(n):
        nonlocal v0, v1, v2, v3
        for _ in range(n):
            v0 = (v0 + v1) & M; v1 = _rotl64(v1, 13) ^ v0; v0 = _rotl64(v0, 32)
            v2 = (v2 + v3) & M; v3 = _rotl64(v3, 16) ^ v2
            v0 = (v0 + v3) & M; v3 = _rotl64(v3, 21) ^ v0
            v2 = (v2 + v1) & M; v1 = _rotl64(v1, 17) ^ v2; v2 = _rotl64(v2, 32)

    full = len(data) - len(data) % 8
    for i in range(0, full, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        rounds(2)
        v0 ^= m
    last = ((len(data) & 0xFF) << 56) | int.from_bytes(data[full:], "little")
    v3 ^= last
    rounds(2)
    v0 ^= last
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


def siphash256(k0, k1, h):
    """SipHash-2-4 of a uint256 (int), as Core's SipHashUint256."""
    return siphash(k0, k1, ser_uint256(h))


def calculate_shortid(k0, k1, tx_hash):
    return siphash256(k0, k1, tx_hash) & 0xFFFFFFFFFFFF


class PrefilledTransaction:
    def __init__(self, index=0, tx=None):
        self.index = index
        self.tx = tx

    def deserialize(self, f):
        self.index = deser_compact_size(f)
        self.tx = _deser_obj(f, CTransaction)

    def serialize(self, with_witness=True):
        return ser_compact_size(self.index) + (self.tx.serialize_with_witness() if with_witness
                                               else self.tx.serialize_without_witness())

    def serialize_without_witness(self):
        return self.serialize(with_witness=False)

    def __repr__(self):
        return "PrefilledTransaction(index=%d tx=%r)" % (self.index, self.tx)


class P2PHeaderAndShortIDs:
    """cmpctblock as on the wire: prefilled indexes differentially encoded."""

    def __init__(self):
        self.header = CBlockHeader()
        self.nonce = 0
        self.shortids_length = 0
        self.shortids = []
        self.prefilled_txn_length = 0
        self.prefilled_txn = []

    def deserialize(self, f):
        self.header.deserialize(f)
        self.nonce, = struct.unpack("<Q", _read(f, 8))
        self.shortids_length = deser_compact_size(f)
        self.shortids = []
        for _ in range(self.shortids_length):
            lo, hi = struct.unpack("<IH", _read(f, 6))
            self.shortids.append(lo | (hi << 32))
        self.prefilled_txn = deser_vector(f, PrefilledTransaction)
        self.prefilled_txn_length = len(self.prefilled_txn)

    def serialize(self, with_witness=True):
        out = self.header.serialize() + struct.pack("<Q", self.nonce) + ser_compact_size(self.shortids_length)
        for sid in self.shortids:
            out += struct.pack("<IH", sid & 0xFFFFFFFF, sid >> 32)
        out += ser_compact_size(len(self.prefilled_txn))
        out += b"".join(p.serialize(with_witness) for p in self.prefilled_txn)
        return out


class HeaderAndShortIDs:
    """The same with absolute indexes; to_p2p()/from P2PHeaderAndShortIDs convert."""

    def __init__(self, p2pheaders_and_shortids=None):
        self.header = CBlockHeader()
        self.nonce = 0
        self.shortids = []
        self.prefilled_txn = []
        self.use_witness = False
        if p2pheaders_and_shortids is not None:
            p = p2pheaders_and_shortids
            self.header = p.header
            self.nonce = p.nonce
            self.shortids = list(p.shortids)
            last = -1
            for pt in p.prefilled_txn:
                last += pt.index + 1
                self.prefilled_txn.append(PrefilledTransaction(last, pt.tx))

    def to_p2p(self):
        p = P2PHeaderAndShortIDs()
        p.header = self.header
        p.nonce = self.nonce
        p.shortids_length = len(self.shortids)
        p.shortids = list(self.shortids)
        last = -1
        for pt in self.prefilled_txn:
            p.prefilled_txn.append(PrefilledTransaction(pt.index - last - 1, pt.tx))
            last = pt.index
        p.prefilled_txn_length = len(p.prefilled_txn)
        return p

    def get_siphash_keys(self):
        h = sha256(self.header.serialize() + struct.pack("<Q", self.nonce))
        return struct.unpack("<QQ", h[:16])

    def initialize_from_block(self, block, nonce=0, prefill_list=None, use_witness=False):
        """Short ids of every tx not in prefill_list (default: just the coinbase)."""
        prefill_list = [0] if prefill_list is None else prefill_list
        self.header = CBlockHeader(block)
        self.nonce = nonce
        self.use_witness = use_witness
        self.prefilled_txn = [PrefilledTransaction(i, block.vtx[i]) for i in prefill_list]
        self.shortids = []
        k0, k1 = self.get_siphash_keys()
        for i, tx in enumerate(block.vtx):
            if i not in prefill_list:
                h = tx.wtxid_int if use_witness else tx.txid_int
                self.shortids.append(calculate_shortid(k0, k1, h))

    def __repr__(self):
        return "HeaderAndShortIDs(header=%r nonce=%d shortids=%r prefilled=%r)" % (
            self.header, self.nonce, self.shortids, self.prefilled_txn)


class BlockTransactionsRequest:
    """getblocktxn body; `indexes` are absolute (encoded differentially on the wire)."""

    def __init__(self, blockhash=0, indexes=None):
        self.blockhash = blockhash
        self.indexes = list(indexes) if indexes is not None else []

    def deserialize(self, f):
        self.blockhash = deser_uint256(f)
        self.indexes = []
        last = -1
        for _ in range(deser_compact_size(f)):
            last += deser_compact_size(f) + 1
            self.indexes.append(last)

    def serialize(self):
        out = ser_uint256(self.blockhash) + ser_compact_size(len(self.indexes))
        last = -1
        for i in self.indexes:
            out += ser_compact_size(i - last - 1)
            last = i
        return out

    def from_absolute(self, absolute_indexes):
        self.indexes = list(absolute_indexes)

    def to_absolute(self):
        return list(self.indexes)

    def __repr__(self):
        return "BlockTransactionsRequest(hash=%064x indexes=%r)" % (self.blockhash, self.indexes)


class BlockTransactions:
    def __init__(self, blockhash=0, transactions=None):
        self.blockhash = blockhash
        self.transactions = transactions if transactions is not None else []

    def deserialize(self, f):
        self.blockhash = deser_uint256(f)
        self.transactions = deser_vector(f, CTransaction)

    def serialize(self, with_witness=True):
        return ser_uint256(self.blockhash) + ser_vector(
            self.transactions, "serialize_with_witness" if with_witness else "serialize_without_witness")

    def __repr__(self):
        return "BlockTransactions(hash=%064x transactions=%r)" % (self.blockhash, self.transactions)


# ---------------------------------------------------------------------------
# Addresses, inventory, locators

class CAddress:
    """A network address; `time` is carried in addr/addrv2 but not in version."""
    NET_IPV4, NET_IPV6, NET_TORV2, NET_TORV3, NET_I2P, NET_CJDNS = 1, 2, 3, 4, 5, 6
    ADDRV2_ADDRESS_LENGTH = {1: 4, 2: 16, 4: 32, 5: 32, 6: 16}

    def __init__(self, ip="0.0.0.0", port=0, nServices=0, time=0, net=1):
        self.time = time
        self.nServices = nServices
        self.net = net
        self.ip = ip
        self.port = port

    def _ip_bytes_v1(self):
        if self.net == self.NET_IPV4:
            return b"\x00" * 10 + b"\xff\xff" + bytes(int(x) for x in self.ip.split("."))
        import ipaddress
        return ipaddress.IPv6Address(self.ip).packed

    def _set_from_v1(self, raw):
        if raw[:12] == b"\x00" * 10 + b"\xff\xff":
            self.net = self.NET_IPV4
            self.ip = ".".join(str(b) for b in raw[12:])
        else:
            import ipaddress
            self.net = self.NET_IPV6
            self.ip = str(ipaddress.IPv6Address(raw))

    def deserialize(self, f, with_time=True):
        if with_time:
            self.time, = struct.unpack("<I", _read(f, 4))
        self.nServices, = struct.unpack("<Q", _read(f, 8))
        self._set_from_v1(_read(f, 16))
        self.port, = struct.unpack(">H", _read(f, 2))

    def serialize(self, with_time=True):
        out = struct.pack("<I", self.time) if with_time else b""
        return out + struct.pack("<Q", self.nServices) + self._ip_bytes_v1() + struct.pack(">H", self.port)

    def deserialize_v2(self, f):
        self.time, = struct.unpack("<I", _read(f, 4))
        self.nServices = deser_compact_size(f)
        self.net = _read(f, 1)[0]
        raw = deser_string(f)
        if self.net == self.NET_IPV4:
            self.ip = ".".join(str(b) for b in raw)
        elif self.net in (self.NET_IPV6, self.NET_CJDNS):
            import ipaddress
            self.ip = str(ipaddress.IPv6Address(raw))
        else:
            self.ip = raw.hex()
        self.port, = struct.unpack(">H", _read(f, 2))

    def serialize_v2(self):
        if self.net == self.NET_IPV4:
            raw = bytes(int(x) for x in self.ip.split("."))
        elif self.net in (self.NET_IPV6, self.NET_CJDNS):
            import ipaddress
            raw = ipaddress.IPv6Address(self.ip).packed
        else:
            raw = bytes.fromhex(self.ip)
        return (struct.pack("<I", self.time) + ser_compact_size(self.nServices) + bytes([self.net])
                + ser_string(raw) + struct.pack(">H", self.port))

    def __repr__(self):
        return "CAddress(nServices=%i net=%d addr=%s port=%i)" % (self.nServices, self.net, self.ip, self.port)


class CInv:
    TYPE_NAMES = {0: "Error", MSG_TX: "TX", MSG_BLOCK: "Block", MSG_FILTERED_BLOCK: "FilteredBlock",
                  MSG_CMPCT_BLOCK: "CompactBlock", MSG_WTX: "WTX",
                  MSG_WITNESS_TX: "WitnessTx", MSG_WITNESS_BLOCK: "WitnessBlock"}

    def __init__(self, t=0, h=0):
        self.type = t
        self.hash = h

    def deserialize(self, f):
        self.type, = struct.unpack("<I", _read(f, 4))
        self.hash = deser_uint256(f)

    def serialize(self):
        return struct.pack("<I", self.type) + ser_uint256(self.hash)

    def __eq__(self, other):
        return isinstance(other, CInv) and (self.type, self.hash) == (other.type, other.hash)

    def __hash__(self):
        return hash((self.type, self.hash))

    def __repr__(self):
        return "CInv(type=%s hash=%064x)" % (self.TYPE_NAMES.get(self.type, self.type), self.hash)


class CBlockLocator:
    def __init__(self, vHave=None):
        self.nVersion = MY_VERSION
        self.vHave = list(vHave) if vHave is not None else []

    def deserialize(self, f):
        self.nVersion, = struct.unpack("<i", _read(f, 4))
        self.vHave = deser_uint256_vector(f)

    def serialize(self):
        return struct.pack("<i", self.nVersion) + ser_uint256_vector(self.vHave)

    def __repr__(self):
        return "CBlockLocator(vHave=%r)" % ["%064x" % h for h in self.vHave]


# ---------------------------------------------------------------------------
# P2P messages

class _EmptyMessage:
    """Base of messages without a payload."""
    msgtype = b""

    def deserialize(self, f):
        pass

    def serialize(self):
        return b""

    def __repr__(self):
        return "%s()" % type(self).__name__


class msg_version:
    msgtype = b"version"

    def __init__(self):
        self.nVersion = MY_VERSION
        self.nServices = NODE_NETWORK | NODE_WITNESS
        self.nTime = int(time.time())
        self.addrTo = CAddress()
        self.addrFrom = CAddress()
        self.nNonce = random.getrandbits(64)
        self.strSubVer = MY_SUBVERSION
        self.nStartingHeight = -1
        self.relay = MY_RELAY

    def deserialize(self, f):
        self.nVersion, = struct.unpack("<i", _read(f, 4))
        self.nServices, = struct.unpack("<Q", _read(f, 8))
        self.nTime, = struct.unpack("<q", _read(f, 8))
        self.addrTo = CAddress()
        self.addrTo.deserialize(f, with_time=False)
        self.addrFrom = CAddress()
        self.addrFrom.deserialize(f, with_time=False)
        self.nNonce, = struct.unpack("<Q", _read(f, 8))
        self.strSubVer = deser_string(f)
        self.nStartingHeight, = struct.unpack("<i", _read(f, 4))
        rest = f.read(1)  # fRelay is optional on the wire
        self.relay = rest[0] if rest else 1

    def serialize(self):
        return (struct.pack("<iQq", self.nVersion, self.nServices, self.nTime)
                + self.addrTo.serialize(with_time=False) + self.addrFrom.serialize(with_time=False)
                + struct.pack("<Q", self.nNonce) + ser_string(self.strSubVer)
                + struct.pack("<i", self.nStartingHeight) + struct.pack("<B", self.relay))

    def __repr__(self):
        return "msg_version(nVersion=%i nServices=%i nTime=%i strSubVer=%r nStartingHeight=%i relay=%i)" % (
            self.nVersion, self.nServices, self.nTime, self.strSubVer, self.nStartingHeight, self.relay)


class msg_verack(_EmptyMessage):
    msgtype = b"verack"


class msg_sendheaders(_EmptyMessage):
    msgtype = b"sendheaders"


class msg_wtxidrelay(_EmptyMessage):
    msgtype = b"wtxidrelay"


class msg_sendaddrv2(_EmptyMessage):
    msgtype = b"sendaddrv2"


class msg_getaddr(_EmptyMessage):
    msgtype = b"getaddr"


class msg_mempool(_EmptyMessage):
    msgtype = b"mempool"


class msg_filterclear(_EmptyMessage):
    msgtype = b"filterclear"


class _NonceMessage:
    msgtype = b""

    def __init__(self, nonce=0):
        self.nonce = nonce

    def deserialize(self, f):
        self.nonce, = struct.unpack("<Q", _read(f, 8))

    def serialize(self):
        return struct.pack("<Q", self.nonce)

    def __repr__(self):
        return "%s(nonce=%08x)" % (type(self).__name__, self.nonce)


class msg_ping(_NonceMessage):
    msgtype = b"ping"


class msg_pong(_NonceMessage):
    msgtype = b"pong"


class msg_sendcmpct:
    msgtype = b"sendcmpct"

    def __init__(self, announce=False, version=1):
        self.announce = announce
        self.version = version

    def deserialize(self, f):
        self.announce = bool(_read(f, 1)[0])
        self.version, = struct.unpack("<Q", _read(f, 8))

    def serialize(self):
        return struct.pack("<?Q", self.announce, self.version)

    def __repr__(self):
        return "msg_sendcmpct(announce=%s version=%d)" % (self.announce, self.version)


class msg_feefilter:
    msgtype = b"feefilter"

    def __init__(self, feerate=0):
        self.feerate = feerate  # sat per 1000 vbytes

    def deserialize(self, f):
        self.feerate, = struct.unpack("<q", _read(f, 8))

    def serialize(self):
        return struct.pack("<q", self.feerate)

    def __repr__(self):
        return "msg_feefilter(feerate=%d)" % self.feerate


class msg_addr:
    msgtype = b"addr"

    def __init__(self, addrs=None):
        self.addrs = addrs if addrs is not None else []

    def deserialize(self, f):
        self.addrs = []
        for _ in range(deser_compact_size(f)):
            a = CAddress()
            a.deserialize(f)
            self.addrs.append(a)

    def serialize(self):
        return ser_vector(self.addrs)

    def __repr__(self):
        return "msg_addr(addrs=%r)" % self.addrs


class msg_addrv2:
    msgtype = b"addrv2"

    def __init__(self, addrs=None):
        self.addrs = addrs if addrs is not None else []

    def deserialize(self, f):
        self.addrs = []
        for _ in range(deser_compact_size(f)):
            a = CAddress()
            a.deserialize_v2(f)
            self.addrs.append(a)

    def serialize(self):
        return ser_vector(self.addrs, "serialize_v2")

    def __repr__(self):
        return "msg_addrv2(addrs=%r)" % self.addrs


class _InvMessage:
    msgtype = b""

    def __init__(self, inv=None):
        self.inv = inv if inv is not None else []

    def deserialize(self, f):
        self.inv = deser_vector(f, CInv)

    def serialize(self):
        return ser_vector(self.inv)

    def __repr__(self):
        return "%s(inv=%r)" % (type(self).__name__, self.inv)


class msg_inv(_InvMessage):
    msgtype = b"inv"


class msg_getdata(_InvMessage):
    msgtype = b"getdata"


class msg_notfound(_InvMessage):
    msgtype = b"notfound"

    def __init__(self, vec=None):
        super().__init__(vec)

    @property
    def vec(self):
        return self.inv


class _LocatorMessage:
    msgtype = b""

    def __init__(self, locator=None, hashstop=0):
        self.locator = locator if locator is not None else CBlockLocator()
        self.hashstop = hashstop

    def deserialize(self, f):
        self.locator = _deser_obj(f, CBlockLocator)
        self.hashstop = deser_uint256(f)

    def serialize(self):
        return self.locator.serialize() + ser_uint256(self.hashstop)

    def __repr__(self):
        return "%s(locator=%r hashstop=%064x)" % (type(self).__name__, self.locator, self.hashstop)


class msg_getheaders(_LocatorMessage):
    msgtype = b"getheaders"


class msg_getblocks(_LocatorMessage):
    msgtype = b"getblocks"


class msg_headers:
    msgtype = b"headers"

    def __init__(self, headers=None):
        self.headers = headers if headers is not None else []

    def deserialize(self, f):
        self.headers = []
        for _ in range(deser_compact_size(f)):
            h = CBlockHeader()
            h.deserialize(f)
            if deser_compact_size(f) != 0:  # each header is followed by a zero tx count
                raise ValueError("headers message with transactions")
            self.headers.append(h)

    def serialize(self):
        return ser_compact_size(len(self.headers)) + b"".join(
            CBlockHeader(h).serialize_header() + b"\x00" for h in self.headers)

    def __repr__(self):
        return "msg_headers(headers=%r)" % self.headers


class msg_block:
    msgtype = b"block"

    def __init__(self, block=None):
        self.block = block if block is not None else CBlock()

    def deserialize(self, f):
        self.block.deserialize(f)

    def serialize(self):
        return self.block.serialize(with_witness=True)

    def __repr__(self):
        return "msg_block(block=%r)" % self.block


class msg_no_witness_block(msg_block):
    def serialize(self):
        return self.block.serialize(with_witness=False)


class msg_tx:
    msgtype = b"tx"

    def __init__(self, tx=None):
        self.tx = tx if tx is not None else CTransaction()

    def deserialize(self, f):
        self.tx.deserialize(f)

    def serialize(self):
        return self.tx.serialize_with_witness()

    def __repr__(self):
        return "msg_tx(tx=%r)" % self.tx


class msg_no_witness_tx(msg_tx):
    def serialize(self):
        return self.tx.serialize_without_witness()


class msg_cmpctblock:
    msgtype = b"cmpctblock"

    def __init__(self, header_and_shortids=None):
        self.header_and_shortids = header_and_shortids if header_and_shortids is not None else P2PHeaderAndShortIDs()

    def deserialize(self, f):
        self.header_and_shortids = _deser_obj(f, P2PHeaderAndShortIDs)

    def serialize(self):
        return self.header_and_shortids.serialize()

    def __repr__(self):
        return "msg_cmpctblock(header_and_shortids=%r)" % self.header_and_shortids


class msg_getblocktxn:
    msgtype = b"getblocktxn"

    def __init__(self, block_txn_request=None):
        self.block_txn_request = block_txn_request if block_txn_request is not None else BlockTransactionsRequest()

    def deserialize(self, f):
        self.block_txn_request = _deser_obj(f, BlockTransactionsRequest)

    def serialize(self):
        return self.block_txn_request.serialize()

    def __repr__(self):
        return "msg_getblocktxn(block_txn_request=%r)" % self.block_txn_request


class msg_blocktxn:
    msgtype = b"blocktxn"

    def __init__(self, block_transactions=None):
        self.block_transactions = block_transactions if block_transactions is not None else BlockTransactions()

    def deserialize(self, f):
        self.block_transactions = _deser_obj(f, BlockTransactions)

    def serialize(self):
        return self.block_transactions.serialize(with_witness=True)

    def __repr__(self):
        return "msg_blocktxn(block_transactions=%r)" % self.block_transactions


class msg_no_witness_blocktxn(msg_blocktxn):
    def serialize(self):
        return self.block_transactions.serialize(with_witness=False)


class msg_sendtxrcncl:
    msgtype = b"sendtxrcncl"

    def __init__(self, version=1, salt=0):
        self.version = version
        self.salt = salt

    def deserialize(self, f):
        self.version, self.salt = struct.unpack("<IQ", _read(f, 12))

    def serialize(self):
        return struct.pack("<IQ", self.version, self.salt)

    def __repr__(self):
        return "msg_sendtxrcncl(version=%d salt=%d)" % (self.version, self.salt)


class msg_generic:
    """Any command with a raw payload: for unknown or malformed messages."""

    def __init__(self, msgtype, data=b""):
        self.msgtype = msgtype
        self.data = data

    def deserialize(self, f):
        self.data = f.read()

    def serialize(self):
        return self.data

    def __repr__(self):
        return "msg_generic(msgtype=%r data=%s)" % (self.msgtype, self.data.hex())


MESSAGEMAP = {cls.msgtype: cls for cls in (
    msg_version, msg_verack, msg_ping, msg_pong, msg_sendheaders, msg_sendcmpct, msg_wtxidrelay,
    msg_sendaddrv2, msg_feefilter, msg_getaddr, msg_addr, msg_addrv2, msg_inv, msg_getdata,
    msg_notfound, msg_getheaders, msg_getblocks, msg_headers, msg_block, msg_tx, msg_mempool,
    msg_cmpctblock, msg_getblocktxn, msg_blocktxn, msg_sendtxrcncl, msg_filterclear,
)}
