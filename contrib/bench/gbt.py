#!/usr/bin/env python3
"""getblocktemplate and getrawmempool latency with a full mempool (issue 6).

  contrib/bench/gbt.py [--cairnd PATH] [--target-mb MB] [--max-minutes 10]
                       [--repeat 5] [--maxmempool 300] [--rpcport 23020]
                       [--workdir DIR] [-- extra cairnd args]

Starts its own cairnd (regtest, a temporary datadir, RPC on 127.0.0.1 only,
no P2P listening) and:
  1. mines coinbases to P2WSH(OP_TRUE), lets 100 blocks mature them, and
     confirms fan-out transactions that split each coinbase into 2000
     P2WSH(OP_TRUE) outputs (no signatures anywhere: spending such an output
     needs only the witness script, so Python builds transactions quickly);
  2. fills the mempool with sendrawtransaction (JSON-RPC batches of
     --batch calls) until it is full (it refuses transactions for its
     minimum fee: usage at -maxmempool), getmempoolinfo's "usage" reaches
     --target-mb, or --max-minutes pass. Each transaction spends one output into two
     P2WSH(OP_TRUE) outputs (139 vB) at a fee rate drawn from 1-50 sat/vB
     (fixed seed); one output in --chain-every starts a chain of
     --chain-length such transactions instead (each spends its parent's
     first output), so package selection has ancestors to account for;
  3. times getblocktemplate({"rules":["segwit"]}): the first call (builds
     the template), --repeat calls straight after (served from the template
     cache: Core and Cairn reuse a template for 5 s while only the pool
     changes), and --repeat rebuilds (one new transaction, then more than
     6 s of waiting, so the next call assembles a new template);
  4. times getrawmempool (txids only) --repeat times and, with
     --verbose-mempool, getrawmempool true once.
Times are client wall times of whole HTTP requests (the JSON is read but not
parsed). Prints key=value lines; the last one is a summary.
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "test", "functional"))
from test_framework.address import script_to_p2wsh  # noqa: E402

OP_TRUE = b"\x51"
P2WSH_OP_TRUE = b"\x00\x20" + hashlib.sha256(OP_TRUE).digest()
FANOUT = 2000
SIDE_OUTPUT = 1000  # sat in every transaction's second output (above dust)
TX_VSIZE = 139      # 1 P2WSH(OP_TRUE) input, 2 P2WSH outputs


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def compact_size(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def build_tx(prev_txid, prev_n, outputs):
    """Version 2, one P2WSH(OP_TRUE) input, `outputs` (value, script) pairs.
    Returns (txid bytes in internal order, hex with witness)."""
    vin = prev_txid + struct.pack("<I", prev_n) + b"\x00" + b"\xff\xff\xff\xff"
    vout = b"".join(struct.pack("<q", v) + compact_size(len(s)) + s for v, s in outputs)
    body = b"\x01" + vin + compact_size(len(outputs)) + vout
    version, locktime = struct.pack("<i", 2), b"\x00\x00\x00\x00"
    txid = sha256d(version + body + locktime)
    witness = b"\x01\x01" + OP_TRUE  # one stack item: the witness script
    return txid, (version + b"\x00\x01" + body + witness + locktime).hex()


class Rpc:
    def __init__(self, port, cookie_path):
        self.port = port
        self.cookie_path = cookie_path
        self.conn = None

    def connect(self):
        auth = open(self.cookie_path).read().strip()
        self.headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(),
                        "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)

    def raw(self, body):
        self.conn.request("POST", "/", body, self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError("HTTP %d: %r" % (resp.status, data[:300]))
        return data

    def call(self, method, *params):
        reply = json.loads(self.raw(json.dumps({"jsonrpc": "1.0", "id": 1, "method": method, "params": list(params)})))
        if reply.get("error"):
            raise RuntimeError("%s: %s" % (method, reply["error"]))
        return reply["result"]

    def timed(self, method, *params):
        """Seconds for the whole request and the reply's size in bytes (not
        parsed: an RPC error is an HTTP error status, as in Core)."""
        body = json.dumps({"jsonrpc": "1.0", "id": 1, "method": method, "params": list(params)})
        t0 = time.perf_counter()
        data = self.raw(body)
        return time.perf_counter() - t0, len(data)

    def send_batch(self, hexes):
        """Sends the batch; returns how many were accepted and the errors."""
        calls = [{"jsonrpc": "1.0", "id": i, "method": "sendrawtransaction", "params": [h, 0]}
                 for i, h in enumerate(hexes)]
        errors = [r["error"] for r in json.loads(self.raw(json.dumps(calls))) if r.get("error")]
        return len(hexes) - len(errors), errors


def is_full(error):
    """The refusal of a full pool (its minimum fee went up, or the new
    transaction was trimmed right away)."""
    return error["message"].startswith(("mempool min fee not met", "mempool full"))


def start_node(a, datadir):
    port = a.rpcport
    args = [a.cairnd, "-regtest", "-datadir=" + datadir, "-rpcport=%d" % port, "-rpcbind=127.0.0.1",
            "-rpcallowip=127.0.0.1", "-listen=0", "-dnsseed=0", "-fixedseeds=0", "-discover=0",
            "-printtoconsole=0", "-maxmempool=%d" % a.maxmempool, "-rpcworkqueue=1000",
            "-persistmempool=0", "-checkmempool=0", "-checkblockindex=0"] + a.extra
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rpc = Rpc(port, os.path.join(datadir, "regtest", ".cookie"))
    deadline = time.time() + 120
    while True:
        if proc.poll() is not None:
            raise RuntimeError("cairnd exited with %d: %s" % (proc.returncode, proc.stderr.read().decode()[-2000:]))
        try:
            rpc.connect()
            rpc.call("getblockcount")
            return proc, rpc
        except (OSError, RuntimeError, http.client.HTTPException):
            if time.time() > deadline:
                proc.kill()  # our own process: it never answered
                proc.wait()
                raise
            time.sleep(0.2)


def median_ms(xs):
    return "%.1f" % (statistics.median(xs) * 1e3)


def fill(a, rpc, address):
    """Mines the coinbases and fan-outs, then fills the pool. Returns (txs
    sent, seconds filling, confirmed outputs kept back for later rounds)."""
    # Enough fan-outs for the target: Cairn's pool uses about 1.3 kB per
    # such transaction, so 1 kB is a generous guess (filling stops on the
    # measured usage anyway).
    est_txs = int(a.target_mb * 1e6 / 1000)
    fanouts = max(1, min(a.max_fanouts, est_txs // FANOUT + 1))
    t0 = time.perf_counter()
    hashes = rpc.call("generatetoaddress", fanouts, address)
    rpc.call("generatetoaddress", 100, address)
    coinbases = []
    for h in hashes:
        cb = rpc.call("getblock", h, 2)["tx"][0]
        out = cb["vout"][0]
        assert out["scriptPubKey"]["hex"] == P2WSH_OP_TRUE.hex()
        coinbases.append((bytes.fromhex(cb["txid"])[::-1], round(out["value"] * 1e8)))
    utxos = []
    pending = []
    for txid, value in coinbases:
        each = (value - 200_000) // FANOUT
        ftxid, fhex = build_tx(txid, 0, [(each, P2WSH_OP_TRUE)] * FANOUT)
        utxos += [(ftxid, n, each) for n in range(FANOUT)]
        pending.append(fhex)
        if len(pending) == 10:  # about 3.5 MWU: one block's worth
            rpc.send_batch(pending)
            rpc.call("generatetoaddress", 1, address)
            pending = []
    if pending:
        rpc.send_batch(pending)
        rpc.call("generatetoaddress", 1, address)
    assert rpc.call("getmempoolinfo")["size"] == 0, "fan-outs not all mined"
    print("setup_s=%.1f blocks=%d confirmed_outputs=%d" % (time.perf_counter() - t0, rpc.call("getblockcount"),
                                                          len(utxos)), flush=True)

    reserve = utxos[-a.repeat:]
    utxos = utxos[:-a.repeat]
    rnd = random.Random(6)
    sent, batch, batches, t_fill = 0, [], 0, time.perf_counter()
    deadline = t_fill + a.max_minutes * 60
    target = a.target_mb * 1e6
    usage = 0

    full = False

    def flush():
        nonlocal batch, batches, sent, usage, full
        accepted, errors = rpc.send_batch(batch)
        # Once the pool is full, transactions below its minimum fee (and
        # children of refused parents) are refused: filling is done.
        full = full or any(is_full(e) for e in errors)
        if errors and not full:
            raise RuntimeError("sendrawtransaction: %s" % errors[0])
        sent += accepted
        batch = []
        batches += 1
        if batches % 20 == 0 or full:
            info = rpc.call("getmempoolinfo")
            usage = info["usage"]
            print("progress txs=%d usage_mb=%.1f elapsed_s=%.0f%s" % (info["size"], usage / 1e6,
                  time.perf_counter() - t_fill, " full" if full else ""), flush=True)

    for i, (txid, n, value) in enumerate(utxos):
        length = a.chain_length if i % a.chain_every == 0 else 1
        for _ in range(length):
            fee = TX_VSIZE * rnd.randint(1, 50)
            value -= fee + SIDE_OUTPUT
            txid, h = build_tx(txid, n, [(value, P2WSH_OP_TRUE), (SIDE_OUTPUT, P2WSH_OP_TRUE)])
            n = 0
            batch.append(h)
        if len(batch) >= a.batch:
            flush()
            if full or usage >= target or time.perf_counter() > deadline:
                break
    else:
        if batch:
            flush()
    return sent, time.perf_counter() - t_fill, reserve


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cairnd", default=os.environ.get("CAIRND", os.path.join(TOP, "build", "src", "cairnd")))
    p.add_argument("--target-mb", type=float, help="stop filling at this mempool usage in MB (default: until "
                   "the pool is full, i.e. refuses transactions for its minimum fee)")
    p.add_argument("--max-minutes", type=float, default=10, help="stop filling after this long")
    p.add_argument("--max-fanouts", type=int, default=400, help="at most this many coinbases to split")
    p.add_argument("--maxmempool", type=int, default=300)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--batch", type=int, default=500, help="sendrawtransaction calls per JSON-RPC batch")
    p.add_argument("--chain-every", type=int, default=50)
    p.add_argument("--chain-length", type=int, default=25)
    p.add_argument("--verbose-mempool", action="store_true", help="also time getrawmempool true once")
    p.add_argument("--rpcport", type=int, default=23020,
                   help="outside the functional tests' port range (12000-21999)")
    p.add_argument("--workdir", help="datadir parent (kept); default: a temporary directory, removed")
    p.add_argument("extra", nargs="*", help="extra cairnd arguments (after --)")
    a = p.parse_args()
    if a.target_mb is None:
        a.target_mb = float(a.maxmempool) * 1.1  # never reached: the pool trims at -maxmempool

    work = a.workdir or tempfile.mkdtemp(prefix="cairn_gbt_")
    datadir = os.path.join(work, "data")
    os.makedirs(datadir, exist_ok=True)
    load_before = open("/proc/loadavg").read().split()[0]
    try:
        proc, rpc = start_node(a, datadir)
    except BaseException:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
        raise
    try:
        address = script_to_p2wsh(OP_TRUE)
        sent, fill_s, reserve = fill(a, rpc, address)
        info = rpc.call("getmempoolinfo")
        print("mempool txs=%d bytes=%d usage_mb=%.1f sent=%d fill_s=%.1f accept_tx_per_s=%.0f"
              % (info["size"], info["bytes"], info["usage"] / 1e6, sent, fill_s, sent / fill_s), flush=True)

        req = {"rules": ["segwit"]}
        first, size = rpc.timed("getblocktemplate", req)
        tmpl = rpc.call("getblocktemplate", req)  # cached: only to count what it holds
        cached = [rpc.timed("getblocktemplate", req)[0] for _ in range(a.repeat)]
        print("gbt_first_ms=%.1f gbt_cached_median_ms=%s gbt_json_kb=%d template_txs=%d template_weight=%d"
              % (first * 1e3, median_ms(cached), size // 1000, len(tmpl["transactions"]),
                 sum(t["weight"] for t in tmpl["transactions"])), flush=True)

        # Rebuilds: the pool changes (one more transaction, spending an
        # output kept back), then the template cache expires after 5 s.
        rebuilt = []
        for ptxid, pn, pvalue in reserve:
            rpc.call("sendrawtransaction", build_tx(ptxid, pn, [(pvalue - 5000, P2WSH_OP_TRUE)])[1], 0)
            time.sleep(6.5)  # the cache keeps a template while now - start <= 5 (whole seconds)
            rebuilt.append(rpc.timed("getblocktemplate", req)[0])
        print("gbt_rebuild_median_ms=%s gbt_rebuild_runs_ms=%s" % (median_ms(rebuilt), ",".join(
            "%.0f" % (t * 1e3) for t in rebuilt)), flush=True)

        raw = [rpc.timed("getrawmempool") for _ in range(a.repeat)]
        print("getrawmempool_median_ms=%s getrawmempool_json_kb=%d" % (median_ms([t for t, _ in raw]), raw[0][1] // 1000),
              flush=True)
        verbose = ""
        if a.verbose_mempool:
            t, size = rpc.timed("getrawmempool", True)
            verbose = " getrawmempool_verbose_ms=%.0f getrawmempool_verbose_json_mb=%.1f" % (t * 1e3, size / 1e6)
            print(verbose.strip(), flush=True)
        info = rpc.call("getmempoolinfo")
        print("summary mempool_txs=%d usage_mb=%.1f gbt_first_ms=%.1f gbt_cached_ms=%s gbt_rebuild_ms=%s "
              "getrawmempool_ms=%s%s load_avg_before=%s load_avg_after=%s"
              % (info["size"], info["usage"] / 1e6, first * 1e3, median_ms(cached), median_ms(rebuilt),
                 median_ms([t for t, _ in raw]), verbose, load_before, open("/proc/loadavg").read().split()[0]))
    finally:
        try:
            rpc.call("stop")
            proc.wait(timeout=300)
        except Exception:
            proc.kill()
            proc.wait()
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
