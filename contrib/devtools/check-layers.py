#!/usr/bin/env python3
"""Checks the layering of src/: a folder may include headers of its own
folder and of folders in lower layers, never of a same-layer folder or one
above (see doc/architecture.md). Run by `make check`; exits 1 on a violation."""
import os
import re
import sys

# Rank of each top-level folder of src/; a folder may include strictly lower ranks.
RANK = {
    "config": 0,      # generated build configuration
    "util": 0,
    "crypto": 1,
    "primitives": 2,
    "consensus": 3,
    "policy": 5,      # uses script/ (solver) for standardness
    "storage": 4,
    "script": 4,
    "validation": 5,
    "mempool": 6,
    "mining": 7,
    "net": 8,
    "http": 8,
    "rpc": 9,
    "rest": 9,
    "zmq": 9,
    "wallet": 9,
    "node": 10,
    "cli": 10,
    "bench": 11,
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def folder_of(path):
    parts = path.split("/")
    return parts[0] if len(parts) > 1 else None


def main():
    src = os.path.join(os.environ.get("srcdir", os.path.dirname(__file__) + "/../.."), "src")
    errors = []
    checked = 0
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            own = folder_of(rel)
            if own is None:
                continue  # top-level files (cairnd.cpp, ...) sit above every layer
            if own not in RANK:
                errors.append(f"{rel}: folder '{own}' has no layer; add it to {__file__}")
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                target = folder_of(inc)
                if target is None or target == own:
                    continue
                if target not in RANK:
                    continue  # not a src/ header (e.g. test/util/...)
                checked += 1
                if RANK[target] >= RANK[own] and target != "config":
                    errors.append(f"{rel}: includes {inc} ({target} is not below {own})")
    for e in errors:
        print("layering violation:", e)
    print(f"check-layers: {checked} cross-folder includes checked, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
