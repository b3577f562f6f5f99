#!/usr/bin/env python3
"""Turns the address lists contrib/seeds/nodes_*.txt into src/net/fixed_seeds_data.cpp.

Each list holds one address a line: "a.b.c.d:port", "[ipv6]:port" (fc00::/8 is
CJDNS), "<56 chars>.onion:port" (Tor v3) or "<52 chars>.b32.i2p:port" (I2P,
port 0). Blank lines and text after '#' are ignored. Every address becomes a
BIP 155 record in one byte array per chain:

    network id (1 byte) | address length (1 byte) | address | port (2 bytes, big-endian)

which is the addrv2 address encoding followed by the port, so the node reads it
with the decoder it already uses for peers.dat (net/addr_encoding.h).

    generate_seeds.py          rewrite the .cpp
    generate_seeds.py --check  exit 1 if the committed .cpp is not what this would write

Standard library only.
"""

import argparse
import hashlib
import ipaddress
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUTPUT = os.path.join(ROOT, "src", "net", "fixed_seeds_data.cpp")

# (list file, C++ array name, ChainType enumerator). Regtest has no list.
CHAINS = [
    ("nodes_main.txt", "SEEDS_MAIN", "MAIN"),
    ("nodes_test.txt", "SEEDS_TESTNET", "TESTNET"),
    ("nodes_testnet4.txt", "SEEDS_TESTNET4", "TESTNET4"),
    ("nodes_signet.txt", "SEEDS_SIGNET", "SIGNET"),
]

# BIP 155 network ids.
NET_IPV4, NET_IPV6, NET_TORV3, NET_I2P, NET_CJDNS = 1, 2, 4, 5, 6

BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class SeedError(ValueError):
    pass


def base32_decode(text):
    """RFC 4648 base32 without padding, lower case; unused trailing bits must be zero."""
    value = 0
    bits = 0
    out = bytearray()
    for ch in text:
        idx = BASE32_ALPHABET.find(ch)
        if idx < 0:
            raise SeedError(f"not base32: {text!r}")
        value = (value << 5) | idx
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
    if value & ((1 << bits) - 1):
        raise SeedError(f"non-zero padding bits in {text!r}")
    return bytes(out)


def decode_onion(host):
    """Tor v3: base32(pubkey 32 | checksum 2 | version 1); checksum = SHA3-256(".onion checksum" | pubkey | version)[:2]."""
    label = host[: -len(".onion")]
    if len(label) != 56:
        raise SeedError(f"not a Tor v3 name (length {len(label)}): {host}")
    raw = base32_decode(label)
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34]
    if version != 3:
        raise SeedError(f"onion version {version}, not 3: {host}")
    expected = hashlib.sha3_256(b".onion checksum" + pubkey + bytes([version])).digest()[:2]
    if checksum != expected:
        raise SeedError(f"bad onion checksum: {host}")
    return pubkey


def decode_i2p(host):
    label = host[: -len(".b32.i2p")]
    if len(label) != 52:
        raise SeedError(f"not a 52-character I2P name: {host}")
    raw = base32_decode(label)
    if len(raw) != 32:
        raise SeedError(f"I2P name does not hold 32 bytes: {host}")
    return raw


def parse_line(line):
    """One address line as (network id, address bytes, port)."""
    if line.startswith("["):
        close = line.find("]")
        if close < 0 or line[close + 1 : close + 2] != ":":
            raise SeedError(f"expected [ipv6]:port: {line}")
        host, port_text = line[1:close], line[close + 2 :]
    else:
        host, sep, port_text = line.rpartition(":")
        if not sep:
            raise SeedError(f"no port: {line}")
    if not port_text.isdigit() or int(port_text) > 65535:
        raise SeedError(f"bad port: {line}")
    port = int(port_text)

    if host.endswith(".onion"):
        return NET_TORV3, decode_onion(host), port
    if host.endswith(".b32.i2p"):
        return NET_I2P, decode_i2p(host), port
    if line.startswith("["):
        try:
            ip = ipaddress.IPv6Address(host)
        except ValueError as e:
            raise SeedError(f"bad IPv6 address: {line}") from e
        raw = ip.packed
        return (NET_CJDNS if raw[0] == 0xFC else NET_IPV6), raw, port
    try:
        ip = ipaddress.IPv4Address(host)
    except ValueError as e:
        raise SeedError(f"bad address: {line}") from e
    return NET_IPV4, ip.packed, port


def read_list(path):
    records = []
    seen = set()
    with open(path, encoding="utf-8") as f:
        for number, raw_line in enumerate(f, 1):
            line = raw_line.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                net, addr, port = parse_line(line)
            except SeedError as e:
                raise SeedError(f"{os.path.basename(path)}:{number}: {e}") from None
            if net != NET_I2P and port == 0:
                raise SeedError(f"{os.path.basename(path)}:{number}: port 0 for a non-I2P address")
            key = (net, addr, port)
            if key in seen:
                raise SeedError(f"{os.path.basename(path)}:{number}: duplicate {line}")
            seen.add(key)
            records.append((line, bytes([net, len(addr)]) + addr + port.to_bytes(2, "big")))
    return records


def render(seeds_dir):
    out = [
        "// Generated by contrib/seeds/generate_seeds.py from contrib/seeds/nodes_*.txt: do not edit,",
        "// run the script (its --check mode tells whether this file is up to date).",
        "//",
        "// Per address: BIP 155 network id, address length, address bytes, port (big-endian).",
        '#include "net/fixed_seeds.h"',
        "",
        "namespace cairn {",
        "",
        "namespace {",
        "",
    ]
    present = []
    for filename, name, chain in CHAINS:
        records = read_list(os.path.join(seeds_dir, filename))
        out.append(f"// {filename}: {len(records)} addresses.")
        if not records:
            out.append("")
            continue
        present.append((name, chain))
        out.append(f"constexpr uint8_t {name}[] = {{")
        for text, data in records:
            out.append("    " + ",".join(f"0x{b:02x}" for b in data) + ", // " + text)
        out.append("};")
        out.append("")
    out.append("} // namespace")
    out.append("")
    out.append("ByteSpan FixedSeedBytes(ChainType chain)")
    out.append("{")
    out.append("    switch (chain) {")
    for name, chain in present:
        out.append(f"    case ChainType::{chain}: return ByteSpan{{{name}}};")
    out.append("    default: return {};")
    out.append("    }")
    out.append("}")
    out.append("")
    out.append("} // namespace cairn")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    parser.add_argument("--seeds-dir", default=HERE, help="where the nodes_*.txt lists are")
    parser.add_argument("--output", default=OUTPUT, help="the .cpp to write or check")
    args = parser.parse_args()
    try:
        text = render(args.seeds_dir)
    except (SeedError, OSError) as e:
        print(f"generate_seeds.py: {e}", file=sys.stderr)
        return 2
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            print(f"generate_seeds.py: {e}", file=sys.stderr)
            return 1
        if current != text:
            print(f"{args.output} is not what contrib/seeds/generate_seeds.py writes: run it.", file=sys.stderr)
            return 1
        print(f"{os.path.relpath(args.output, ROOT)} is up to date")
        return 0
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
