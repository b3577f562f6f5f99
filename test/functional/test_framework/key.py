"""secp256k1 in pure Python: keys, ECDSA (RFC 6979, low-S, DER), BIP 340
Schnorr, BIP 341 key tweaks, WIF.

Slow (a few milliseconds per signature) and not constant-time: for tests
only, never for real keys.
"""

import hashlib
import hmac
import os

# Curve y^2 = x^3 + 7 over F_p; G has prime order N.
P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
G = (GX, GY)
INFINITY = None


def tagged_hash(tag, data):
    t = hashlib.sha256(tag.encode()).digest()
    return hashlib.sha256(t + t + data).digest()


# ---- group arithmetic, Jacobian coordinates internally, affine tuples outside

def _jac_double(p):
    x, y, z = p
    if y == 0:
        return (0, 1, 0)
    y2 = y * y % P
    s = 4 * x * y2 % P
    m = 3 * x * x % P
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * y2 * y2) % P
    nz = 2 * y * z % P
    return (nx, ny, nz)


def _jac_add_affine(p, q):
    """Jacobian p + affine q."""
    x1, y1, z1 = p
    if z1 == 0:
        return (q[0], q[1], 1)
    x2, y2 = q
    z1z1 = z1 * z1 % P
    u2 = x2 * z1z1 % P
    s2 = y2 * z1 * z1z1 % P
    if u2 == x1:
        if s2 == y1:
            return _jac_double(p)
        return (0, 1, 0)
    h = (u2 - x1) % P
    r = (s2 - y1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = x1 * hh % P
    nx = (r * r - hhh - 2 * v) % P
    ny = (r * (v - nx) - y1 * hhh) % P
    nz = z1 * h % P
    return (nx, ny, nz)


def _to_affine(p):
    x, y, z = p
    if z == 0:
        return INFINITY
    zi = pow(z, -1, P)
    zi2 = zi * zi % P
    return (x * zi2 % P, y * zi2 * zi % P)


def point_mul(pt, k):
    """k * pt for an affine point (or INFINITY)."""
    k %= N
    if pt is INFINITY or k == 0:
        return INFINITY
    acc = (0, 1, 0)
    for bit in bin(k)[2:]:
        acc = _jac_double(acc)
        if bit == "1":
            acc = _jac_add_affine(acc, pt)
    return _to_affine(acc)


def point_add(a, b):
    if a is INFINITY:
        return b
    if b is INFINITY:
        return a
    return _to_affine(_jac_add_affine((a[0], a[1], 1), b))


def point_neg(a):
    return INFINITY if a is INFINITY else (a[0], (-a[1]) % P)


def lift_x(x):
    """The point with x-coordinate x and even y, or None."""
    if x >= P:
        return None
    y2 = (pow(x, 3, P) + 7) % P
    y = pow(y2, (P + 1) // 4, P)
    if y * y % P != y2:
        return None
    return (x, y if y % 2 == 0 else P - y)


def point_from_bytes(b):
    """Parses a 33-byte compressed or 65-byte uncompressed public key, or returns None."""
    if len(b) == 33 and b[0] in (2, 3):
        pt = lift_x(int.from_bytes(b[1:], "big"))
        if pt is None:
            return None
        return pt if (pt[1] & 1) == (b[0] & 1) else point_neg(pt)
    if len(b) == 65 and b[0] == 4:
        x = int.from_bytes(b[1:33], "big")
        y = int.from_bytes(b[33:], "big")
        if x >= P or y >= P or (y * y - x * x * x - 7) % P != 0:
            return None
        return (x, y)
    return None


def point_to_bytes(pt, compressed=True):
    if compressed:
        return bytes([2 + (pt[1] & 1)]) + pt[0].to_bytes(32, "big")
    return b"\x04" + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")


# ---- DER

def der_encode_sig(r, s):
    def enc_int(v):
        b = v.to_bytes((v.bit_length() + 8) // 8, "big")  # room for a sign bit
        return b"\x02" + bytes([len(b)]) + b
    body = enc_int(r) + enc_int(s)
    return b"\x30" + bytes([len(body)]) + body


def der_decode_sig(sig):
    """(r, s) from a strict DER signature, or None."""
    if len(sig) < 8 or len(sig) > 72 or sig[0] != 0x30 or sig[1] != len(sig) - 2:
        return None
    pos = 2
    vals = []
    for _ in range(2):
        if pos + 2 > len(sig) or sig[pos] != 0x02:
            return None
        ln = sig[pos + 1]
        v = sig[pos + 2:pos + 2 + ln]
        if ln == 0 or len(v) != ln or v[0] & 0x80 or (ln > 1 and v[0] == 0 and not v[1] & 0x80):
            return None
        vals.append(int.from_bytes(v, "big"))
        pos += 2 + ln
    if pos != len(sig):
        return None
    return tuple(vals)


# ---- RFC 6979 nonces (HMAC-SHA256)

def rfc6979_nonce(secret, msg32, extra=b""):
    x = secret.to_bytes(32, "big")
    h = (int.from_bytes(msg32, "big") % N).to_bytes(32, "big")
    v = b"\x01" * 32
    k = b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h + extra, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h + extra, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        t = int.from_bytes(v, "big")
        if 1 <= t < N:
            return t
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


class ECPubKey:
    """A public key; set() parses 33/65 bytes, is_valid tells whether it worked."""

    def __init__(self):
        self.p = None
        self.valid = False
        self.compressed = True

    def set(self, data):
        self.p = point_from_bytes(bytes(data))
        self.valid = self.p is not None
        self.compressed = len(data) == 33

    @property
    def is_compressed(self):
        return self.compressed

    @property
    def is_valid(self):
        return self.valid

    def get_bytes(self):
        assert self.valid
        return point_to_bytes(self.p, self.compressed)

    def verify_ecdsa(self, sig, msg32, low_s=True):
        """Checks a DER signature (without the sighash byte) over a 32-byte digest."""
        if not self.valid:
            return False
        rs = der_decode_sig(sig)
        if rs is None:
            return False
        r, s = rs
        if not (1 <= r < N and 1 <= s < N):
            return False
        if low_s and s > N // 2:
            return False
        z = int.from_bytes(msg32, "big") % N
        w = pow(s, -1, N)
        pt = point_add(point_mul(G, z * w), point_mul(self.p, r * w))
        return pt is not INFINITY and pt[0] % N == r


def generate_privkey():
    while True:
        k = int.from_bytes(os.urandom(32), "big")
        if 1 <= k < N:
            return k.to_bytes(32, "big")


class ECKey:
    """A private key; set(32 bytes, compressed) or generate()."""

    def __init__(self):
        self.secret = None
        self.valid = False
        self.compressed = True

    def set(self, secret, compressed=True):
        assert len(secret) == 32
        v = int.from_bytes(secret, "big")
        self.valid = 1 <= v < N
        self.secret = v if self.valid else None
        self.compressed = compressed

    def generate(self, compressed=True):
        self.set(generate_privkey(), compressed)

    @property
    def is_compressed(self):
        return self.compressed

    @property
    def is_valid(self):
        return self.valid

    def get_bytes(self):
        assert self.valid
        return self.secret.to_bytes(32, "big")

    def get_pubkey(self):
        assert self.valid
        pub = ECPubKey()
        pub.p = point_mul(G, self.secret)
        pub.valid = True
        pub.compressed = self.compressed
        return pub

    def sign_ecdsa(self, msg32, low_s=True, rfc6979=True):
        """DER signature (no sighash byte) over a 32-byte digest: RFC 6979 nonce, low S."""
        assert self.valid
        z = int.from_bytes(msg32, "big") % N
        k = rfc6979_nonce(self.secret, msg32) if rfc6979 else int.from_bytes(generate_privkey(), "big")
        r = point_mul(G, k)[0] % N
        s = pow(k, -1, N) * (z + r * self.secret) % N
        if low_s and s > N // 2:
            s = N - s
        return der_encode_sig(r, s)

    def sign_schnorr(self, msg, aux=None):
        return sign_schnorr(self.get_bytes(), msg, aux)

    def to_wif(self, main=False):
        from .address import byte_to_base58
        payload = self.get_bytes() + (b"\x01" if self.compressed else b"")
        return byte_to_base58(payload, 128 if main else 239)


def bytes_to_wif(secret, compressed=True, main=False):
    k = ECKey()
    k.set(secret, compressed)
    return k.to_wif(main)


def wif_to_privkey(wif):
    """(32-byte secret, compressed, main) from a WIF string."""
    from .address import base58_to_byte
    payload, version = base58_to_byte(wif)
    if version not in (128, 239):
        raise ValueError("not a WIF private key")
    if len(payload) == 33 and payload[32] == 1:
        return payload[:32], True, version == 128
    if len(payload) == 32:
        return payload, False, version == 128
    raise ValueError("bad WIF payload length")


# ---- BIP 340 Schnorr

def compute_xonly_pubkey(key):
    """(32-byte x-only pubkey, whether the full point had odd y) for a 32-byte secret."""
    pt = point_mul(G, int.from_bytes(key, "big"))
    return pt[0].to_bytes(32, "big"), bool(pt[1] & 1)


def sign_schnorr(key, msg, aux=None):
    """BIP 340 signature (64 bytes) of msg (any length, usually 32) with a 32-byte secret."""
    if aux is None:
        aux = bytes(32)
    d0 = int.from_bytes(key, "big")
    if not 1 <= d0 < N:
        raise ValueError("bad secret key")
    pt = point_mul(G, d0)
    d = d0 if pt[1] % 2 == 0 else N - d0
    t = (d ^ int.from_bytes(tagged_hash("BIP0340/aux", aux), "big")).to_bytes(32, "big")
    px = pt[0].to_bytes(32, "big")
    k0 = int.from_bytes(tagged_hash("BIP0340/nonce", t + px + msg), "big") % N
    if k0 == 0:
        raise ValueError("zero nonce")
    rpt = point_mul(G, k0)
    k = k0 if rpt[1] % 2 == 0 else N - k0
    rx = rpt[0].to_bytes(32, "big")
    e = int.from_bytes(tagged_hash("BIP0340/challenge", rx + px + msg), "big") % N
    return rx + ((k + e * d) % N).to_bytes(32, "big")


def verify_schnorr(pubkey, sig, msg):
    """BIP 340 verification with a 32-byte x-only pubkey."""
    if len(pubkey) != 32 or len(sig) != 64:
        return False
    pt = lift_x(int.from_bytes(pubkey, "big"))
    if pt is None:
        return False
    r = int.from_bytes(sig[:32], "big")
    s = int.from_bytes(sig[32:], "big")
    if r >= P or s >= N:
        return False
    e = int.from_bytes(tagged_hash("BIP0340/challenge", sig[:32] + pubkey + msg), "big") % N
    rpt = point_add(point_mul(G, s), point_neg(point_mul(pt, e)))
    return rpt is not INFINITY and rpt[1] % 2 == 0 and rpt[0] == r


# ---- BIP 341 tweaks

def tweak_add_pubkey(pubkey, tweak):
    """(tweaked x-only key, odd-y flag) of x-only `pubkey` + tweak*G, or None."""
    t = int.from_bytes(tweak, "big")
    if t >= N:
        return None
    pt = lift_x(int.from_bytes(pubkey, "big"))
    if pt is None:
        return None
    q = point_add(pt, point_mul(G, t))
    if q is INFINITY:
        return None
    return q[0].to_bytes(32, "big"), bool(q[1] & 1)


def tweak_add_privkey(key, tweak):
    """Secret for the tweaked key: negate if the pubkey has odd y, then add tweak."""
    d = int.from_bytes(key, "big")
    t = int.from_bytes(tweak, "big")
    if not 1 <= d < N or t >= N:
        return None
    if point_mul(G, d)[1] & 1:
        d = N - d
    d = (d + t) % N
    return None if d == 0 else d.to_bytes(32, "big")


def taproot_tweak(internal_xonly, merkle_root=b""):
    return tagged_hash("TapTweak", internal_xonly + (merkle_root or b""))
