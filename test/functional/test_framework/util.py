"""Assertions, waiting and port allocation shared by the functional tests."""

import os
import time

from .authproxy import JSONRPCException

# Ports: each test gets its own block of them from the runner's --portseed,
# so tests running side by side never collide.
MAX_NODES = 12
PORT_MIN = 12000
PORT_RANGE = 5000


class PortSeed:
    n = None


def p2p_port(n):
    assert n < MAX_NODES
    return PORT_MIN + n + (MAX_NODES * PortSeed.n) % (PORT_RANGE - 1 - MAX_NODES)


def rpc_port(n):
    return p2p_port(n) + PORT_RANGE


def assert_equal(a, b, *more):
    if a != b or any(a != m for m in more):
        raise AssertionError("not(%s)" % " == ".join(repr(x) for x in (a, b) + more))


def assert_greater_than(a, b):
    if not a > b:
        raise AssertionError("%r <= %r" % (a, b))


def assert_greater_than_or_equal(a, b):
    if not a >= b:
        raise AssertionError("%r < %r" % (a, b))


def assert_raises_rpc_error(code, message, fun, *args, **kwargs):
    """Calls fun and checks that it raised a JSON-RPC error with this code
    (None: any) whose message contains `message` (None: any)."""
    try:
        fun(*args, **kwargs)
    except JSONRPCException as e:
        err = e.error
        if code is not None and err.get("code") != code:
            raise AssertionError("Unexpected JSONRPC error code %r (%r), expected %r" % (err.get("code"), err.get("message"), code))
        if message is not None and message not in err.get("message", ""):
            raise AssertionError("Expected substring %r not found in %r" % (message, err.get("message")))
        return err
    raise AssertionError("No exception raised")


def assert_raises(exc, fun, *args, **kwargs):
    try:
        fun(*args, **kwargs)
    except exc:
        return
    raise AssertionError("%s not raised" % exc.__name__)


def wait_until(predicate, timeout=60, interval=0.05, what=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError("wait_until() timed out after %ss%s" % (timeout, ": " + what if what else ""))


def get_datadir_path(tmpdir, n):
    return os.path.join(tmpdir, "node" + str(n))


def write_config(datadir, n, chain="regtest", extra_lines=()):
    """Writes <datadir>/cairn.conf the way Bitcoin Core's framework writes bitcoin.conf."""
    os.makedirs(datadir, exist_ok=True)
    section = "test" if chain == "testnet3" else chain
    with open(os.path.join(datadir, "cairn.conf"), "w", encoding="utf8") as f:
        f.write("%s=1\n" % chain if chain != "main" else "")
        f.write("[%s]\n" % section)
        f.write("port=%d\n" % p2p_port(n))
        f.write("rpcport=%d\n" % rpc_port(n))
        f.write("printtoconsole=0\n")
        # Never look for peers outside the test (the node's -bind is on its command line: test_node.py).
        f.write("dnsseed=0\nfixedseeds=0\ndiscover=0\nlistenonion=0\n")
        f.write("shrinkdebugfile=0\n")
        for line in extra_lines:
            f.write(line + "\n")


def count_bytes(hex_string):
    return len(bytes.fromhex(hex_string))
