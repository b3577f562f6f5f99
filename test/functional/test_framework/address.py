"""Addresses: base58check, bech32 / bech32m (BIP 173 / BIP 350), and the
address of each standard script type. Regtest by default (`main=True` for
mainnet, or pass hrp/version bytes through the low-level functions).
"""

import hashlib

from .messages import hash160, sha256
from .script import (
    CScript,
    key_to_p2wpkh_script,
    keyhash_to_p2pkh_script,
    program_to_witness_script,
    scripthash_to_p2sh_script,
)

ADDRESS_BCRT1_UNSPENDABLE = "bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq3xueyj"
ADDRESS_BCRT1_UNSPENDABLE_DESCRIPTOR = "addr(bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq3xueyj)#juyq9d97"
# OP_TRUE wrapped in P2WSH: anyone can spend it with the witness [OP_TRUE].
ADDRESS_BCRT1_P2WSH_OP_TRUE = "bcrt1qft5p2uhsdcdc3l2ua4ap5qqfg4pjaqlp250x7us7a8qqhrxrxfsqseac85"

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# ---- base58

def base58_encode(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + out


def base58_decode(s):
    n = 0
    for c in s:
        i = B58.find(c)
        if i < 0:
            raise ValueError("invalid base58 character %r" % c)
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + body


def byte_to_base58(payload, version):
    """base58check of one version byte + payload."""
    data = bytes([version]) + bytes(payload)
    return base58_encode(data + hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4])


def base58_to_byte(s):
    """(payload, version byte) of a base58check string; raises on a bad checksum."""
    raw = base58_decode(s)
    if len(raw) < 5:
        raise ValueError("base58check string too short")
    data, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4] != check:
        raise ValueError("base58 checksum mismatch")
    return data[1:], data[0]


# ---- bech32 / bech32m

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST = 1
BECH32M_CONST = 0x2bc830a3


def _polymod(values):
    gen = (0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1ffffff) << 5) ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= gen[i]
    return chk


def _hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_encode(hrp, data, const):
    """Encodes 5-bit values `data` with the checksum constant (BECH32_CONST or BECH32M_CONST)."""
    pm = _polymod(_hrp_expand(hrp) + list(data) + [0] * 6) ^ const
    checksum = [(pm >> (5 * (5 - i))) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in list(data) + checksum)


def bech32_decode(s):
    """(hrp, 5-bit data, constant used) or (None, None, None) when invalid."""
    if any(ord(c) < 33 or ord(c) > 126 for c in s) or (s.lower() != s and s.upper() != s):
        return None, None, None
    s = s.lower()
    pos = s.rfind("1")
    if pos < 1 or pos + 7 > len(s) or len(s) > 90:
        return None, None, None
    if any(c not in CHARSET for c in s[pos + 1:]):
        return None, None, None
    hrp = s[:pos]
    data = [CHARSET.find(c) for c in s[pos + 1:]]
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (BECH32_CONST, BECH32M_CONST):
        return None, None, None
    return hrp, data[:-6], const


def convertbits(data, frombits, tobits, pad=True):
    acc = 0
    bits = 0
    out = []
    maxv = (1 << tobits) - 1
    for v in data:
        if v < 0 or v >> frombits:
            return None
        acc = (acc << frombits) | v
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return out


def encode_segwit_address(hrp, witver, witprog):
    const = BECH32_CONST if witver == 0 else BECH32M_CONST
    addr = bech32_encode(hrp, [witver] + convertbits(witprog, 8, 5), const)
    assert decode_segwit_address(hrp, addr) == (witver, bytes(witprog))
    return addr


def decode_segwit_address(hrp, addr):
    """(witness version, program bytes), or (None, None) if invalid for this hrp."""
    got_hrp, data, const = bech32_decode(addr)
    if got_hrp != hrp or not data:
        return None, None
    prog = convertbits(data[1:], 5, 8, False)
    if prog is None or not 2 <= len(prog) <= 40 or data[0] > 16:
        return None, None
    if data[0] == 0 and len(prog) not in (20, 32):
        return None, None
    if (data[0] == 0) != (const == BECH32_CONST):
        return None, None
    return data[0], bytes(prog)


# ---- addresses of standard scripts

def _net(main):
    """(p2pkh version, p2sh version, bech32 hrp)."""
    return (0, 5, "bc") if main else (111, 196, "bcrt")


def keyhash_to_p2pkh(h, main=False):
    return byte_to_base58(h, _net(main)[0])


def scripthash_to_p2sh(h, main=False):
    return byte_to_base58(h, _net(main)[1])


def key_to_p2pkh(key, main=False):
    return keyhash_to_p2pkh(hash160(bytes(key)), main)


def script_to_p2sh(script, main=False):
    return scripthash_to_p2sh(hash160(bytes(script)), main)


def key_to_p2sh_p2wpkh(key, main=False):
    return script_to_p2sh(key_to_p2wpkh_script(key), main)


def program_to_witness(version, program, main=False):
    return encode_segwit_address(_net(main)[2], version, bytes(program))


def key_to_p2wpkh(key, main=False):
    return program_to_witness(0, hash160(bytes(key)), main)


def script_to_p2wsh(script, main=False):
    return program_to_witness(0, sha256(bytes(script)), main)


def script_to_p2sh_p2wsh(script, main=False):
    return script_to_p2sh(program_to_witness_script(0, sha256(bytes(script))), main)


def output_key_to_p2tr(key, main=False):
    assert len(key) == 32
    return program_to_witness(1, key, main)


def address_to_scriptpubkey(address):
    """scriptPubKey of a mainnet, testnet/regtest-style base58 or any known-hrp bech32 address."""
    for hrp in ("bcrt", "bc", "tb"):
        ver, prog = decode_segwit_address(hrp, address)
        if ver is not None:
            return program_to_witness_script(ver, prog)
    payload, version = base58_to_byte(address)
    if len(payload) != 20:
        raise ValueError("bad base58 address payload length")
    if version in (0, 111):
        return keyhash_to_p2pkh_script(payload)
    if version in (5, 196):
        return scripthash_to_p2sh_script(payload)
    raise ValueError("unknown address version %d" % version)


def check_key(key):
    if isinstance(key, str):
        key = bytes.fromhex(key)
    if isinstance(key, bytes) and len(key) in (33, 65):
        return key
    raise ValueError("not a serialized public key: %r" % (key,))


def check_script(script):
    if isinstance(script, str):
        script = bytes.fromhex(script)
    if isinstance(script, bytes):
        return CScript(script)
    raise ValueError("not a script: %r" % (script,))

