#!/usr/bin/env python3
"""Crash safety of the import: cairnd is killed with SIGKILL at random moments
while it imports a chain with -loadblock, and must come back right each time.

A chain from ../shared/bench/genchain.py (150 blocks, 75,000 transactions)
is imported by three nodes:

* node0, the reference, imports it once with -loadblock, undisturbed;
* node1, the crashed node, imports it with -dbcache=4 (the smallest) and
  -dbbatchsize=256, so that from about height 125 on the UTXO cache
  is written out at nearly every block, each flush in hundreds of LevelDB
  batches. It is killed (kill -9) at least KILLS + STARTUP_KILLS times:
    random   after a random delay (up to 0.5 s),
    short    after a very short one (up to 50 ms),
    height   once the tip reaches a random height a few blocks up,
    flush    right after it logs "Writing chainstate" (the flush's batches
             follow: the next start must replay an interrupted flush),
    rpcflush the same, in the flush that a gettxoutsetinfo call makes,
    startup  during start-up, before RPC is up (possibly inside a replay).
  Most lives start with -loadblock again, as a user re-running the same
  command would; three without it;
* node2, the stepper, gives the reference UTXO set at any height. Cairn's
  gettxoutsetinfo has no hash_or_height (no coinstatsindex), so the stepper
  is fed the file's blocks one by one with submitblock up to the height
  asked for; when it is already past it, it starts over on an empty datadir
  with a copy of the file cut after that height.

After every restart of node1 (a start-up kill is checked by the next life):
it starts without error on stderr or in debug.log; its getblockchaininfo is
consistent (tip hash, time, median time and chain work are those of the
file's block at that height, the best header is on the same chain, and the
tip is not below the last height a gettxoutsetinfo flushed to disk); and its
gettxoutsetinfo (hash_serialized_3 or muhash, with txouts, bogosize,
total_amount, transactions, bestblock) equals the stepper's at that height.
At the end node1 finishes the import and matches node0 exactly, and at
least one kill must have landed inside a flush (seen as a replay at the
next start).

The kill times come from random.Random(seed); the seed is logged and can be
set with CAIRN_CRASH_SEED=<n> to replay a failure.
"""

import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
import threading
import time

from test_framework.authproxy import AuthServiceProxy
from test_framework.test_framework import CairnTestFramework
from test_framework.test_node import FailedToStartError
from test_framework.util import assert_equal, wait_until

GENCHAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "genchain.py")
BLOCKS = 150
TXS_PER_BLOCK = 1500
MAGIC = bytes.fromhex("fabfb5da")

KILLS = 12          # lives killed after their check (each one checked)
STARTUP_KILLS = 3   # and kills during start-up, before RPC is up
MIN_REPLAYS = 1     # kills that must have landed inside a flush
MAX_EXTRA_KILLS = 8  # flush kills added while fewer than that did
LIVES_WITHOUT_FILE = 3  # lives started without -loadblock

# -par=1: no script-check threads, so the other core is left to the stepper and the test.
CRASH_ARGS = ["-dbcache=4", "-dbbatchsize=256", "-debug=coindb", "-par=1"]
FLUSH_LINE = "Writing chainstate"
REPLAY_LINE = "Replaying blocks after an interrupted flush"
IMPORT_DONE_LINE = "from external file"
REPLAYED = " replayed an interrupted flush;"
# debug.log lines that must never appear in a life of the crashed node.
BAD_LOG_LINES = ("Error: ", " is invalid: ", "Importing blocks stopped")

STATS_KEYS = ("height", "bestblock", "txouts", "bogosize", "total_amount", "transactions")


def find_genchain():
    path = os.environ.get("GENCHAIN") or GENCHAIN
    if not os.path.isfile(path):
        raise AssertionError("genchain.py not found at %s (../shared/bench beside the repository, or set GENCHAIN)"
                             % path)
    return path


def records(data):
    """The payload (a serialized block) of each record of a blk-format file."""
    out = []
    pos = 0
    while pos + 8 <= len(data):
        assert data[pos:pos + 4] == MAGIC, "bad magic at offset %d" % pos
        size = struct.unpack_from("<I", data, pos + 4)[0]
        out.append(data[pos + 8:pos + 8 + size])
        pos += 8 + size
    assert_equal(pos, len(data))
    return out


def block_hash(block):
    return hashlib.sha256(hashlib.sha256(block[:80]).digest()).digest()[::-1].hex()


def median_time_past(times, height):
    """Core's GetMedianTimePast: the median of the last 11 block times up to height."""
    window = sorted(times[max(0, height - 10):height + 1])
    return window[len(window) // 2]


class LogTail:
    """Reads what a node appends to its debug.log from now on, whole lines only."""

    def __init__(self, path):
        self.path = path
        try:
            self.offset = os.path.getsize(path)
        except OSError:
            self.offset = 0

    def read(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return ""
        end = data.rfind(b"\n") + 1
        self.offset += end
        return data[:end].decode("utf8", "replace")


class Stepper:
    """The reference UTXO set at any height, from a node fed block by block."""

    def __init__(self, test, node, blocks):
        self.test = test
        self.node = node
        self.blocks = blocks  # blocks[h - 1] is the block at height h
        self.height = node.getblockcount()
        self.cache = {}
        self.rebuilds = 0

    def stats(self, height, hash_type):
        key = (height, hash_type)
        if key not in self.cache:
            if height < self.height:
                self.rebuild(height)
            while self.height < height:
                result = self.node.submitblock(self.blocks[self.height].hex())
                assert result is None, "stepper: submitblock at height %d: %r" % (self.height + 1, result)
                self.height += 1
            assert_equal(self.node.getblockcount(), height)
            stats = self.node.gettxoutsetinfo(hash_type)
            assert_equal(stats["height"], height)
            self.cache[key] = stats
        return self.cache[key]

    def rebuild(self, height):
        """Starts over on an empty datadir, importing a copy of the file cut after `height`."""
        self.rebuilds += 1
        self.test.log.info("Stepper: back to height %d (from %d), importing a truncated copy", height, self.height)
        node = self.node
        node.stop_node()
        for sub in ("blocks", "chainstate"):
            shutil.rmtree(os.path.join(node.chain_dir, sub), ignore_errors=True)
        prefix = os.path.join(self.test.tmpdir, "prefix.blk")
        with open(prefix, "wb") as f:
            for block in self.blocks[:height]:
                f.write(MAGIC + struct.pack("<I", len(block)) + block)
        node.start(["-loadblock=" + prefix])
        wait_until(lambda: node.getblockcount() == height, timeout=300, what="stepper import to %d" % height)
        self.height = height


class CrashImportTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 3

    def setup_nodes(self):
        # node0 and node1 start later, with the chain file; node2 now.
        self.add_nodes(self.num_nodes)
        self.nodes[2].start()

    def run_test(self):
        t0 = time.time()
        self.seed = int(os.environ.get("CAIRN_CRASH_SEED") or random.randrange(1 << 32))
        self.log.info("Random seed: %d (set CAIRN_CRASH_SEED=%d to replay)", self.seed, self.seed)
        self.rng = random.Random(self.seed)

        genchain = find_genchain()
        self.chain = os.path.join(self.tmpdir, "chain.blk")
        subprocess.run([sys.executable, genchain, "--blocks", str(BLOCKS), "--txs-per-block", str(TXS_PER_BLOCK),
                        "--out", self.chain], check=True, stdout=subprocess.DEVNULL)
        with open(self.chain, "rb") as f:
            blocks = records(f.read())
        assert_equal(len(blocks), BLOCKS)
        self.log.info("Generated %d blocks in %.1f s", BLOCKS, time.time() - t0)

        ref, crash, stepper_node = self.nodes
        self.hashes = [stepper_node.getblockhash(0)] + [block_hash(b) for b in blocks]
        self.times = [stepper_node.getblockheader(self.hashes[0])["time"]] + \
            [struct.unpack_from("<I", b, 68)[0] for b in blocks]
        self.stepper = Stepper(self, stepper_node, blocks)

        # The reference imports meanwhile; it is needed only at the end.
        ref.start(["-loadblock=" + self.chain])

        self.durable = 0   # a gettxoutsetinfo flushed the UTXO set at this height to disk
        self.replays = 0   # starts that replayed an interrupted flush
        self.kills = 0
        self.life = 0
        modes = ["random", "short", "height"] * 2 + ["flush", "rpcflush"] * 3 + ["startup"] * STARTUP_KILLS
        assert_equal(len(modes), KILLS + STARTUP_KILLS)
        self.rng.shuffle(modes)
        # A few lives start without -loadblock: not the first (there would be
        # nothing to import) nor those that wait for the import to go on.
        can_skip = [i for i, m in enumerate(modes) if i > 0 and m not in ("flush", "height")]
        without_file = set(self.rng.sample(can_skip, LIVES_WITHOUT_FILE))
        for i, mode in enumerate(modes):
            self.one_life(mode, with_file=i not in without_file)
        extra = 0
        while self.replays < MIN_REPLAYS and extra < MAX_EXTRA_KILLS:
            extra += 1
            self.one_life(self.rng.choice(["flush", "rpcflush"]), with_file=True)

        self.one_life("final", with_file=True)
        self.log.info("%d kills, %d inside a flush (replayed at the next start); %d stepper rebuilds", self.kills,
                      self.replays, self.stepper.rebuilds)
        assert self.kills >= KILLS + STARTUP_KILLS
        if self.replays < MIN_REPLAYS:
            raise AssertionError("only %d of %d kills landed inside a flush (seed %d)" %
                                 (self.replays, self.kills, self.seed))

        self.log.info("Reference: the full import gives the same UTXO set and chain")
        wait_until(lambda: ref.getblockcount() == BLOCKS, timeout=300, what="reference import")
        for hash_type in ("hash_serialized_3", "muhash"):
            want = ref.gettxoutsetinfo(hash_type)
            got = crash.gettxoutsetinfo(hash_type)
            assert_equal(want["height"], BLOCKS)
            assert_equal(want["bestblock"], self.hashes[BLOCKS])
            for k in STATS_KEYS + (hash_type,):
                assert_equal((k, got[k]), (k, want[k]))
        want = ref.getblockchaininfo()
        got = crash.getblockchaininfo()
        for k in ("blocks", "headers", "bestblockhash", "chainwork", "time", "mediantime"):
            assert_equal((k, got[k]), (k, want[k]))
        self.log.info("Done in %.1f s", time.time() - t0)

    # ---- one life of the crashed node ----

    def one_life(self, mode, with_file):
        crash = self.nodes[1]
        self.life += 1
        args = CRASH_ARGS + (["-loadblock=" + self.chain] if with_file else [])
        what = "life %d (%s, %s -loadblock, seed %d)" % (self.life, mode, "with" if with_file else "without",
                                                          self.seed)
        tail = LogTail(crash.debug_log_path)
        replays = self.replays

        if mode == "startup":
            crash.start(args, wait_for_rpc=False)
            time.sleep(self.rng.uniform(0.02, 0.5))
            self.kill(crash, what)
            self.scan_log(tail.read(), what)
            self.log.info("%s:%s killed during start-up", what, REPLAYED if self.replays > replays else "")
            return

        try:
            crash.start(args)
        except FailedToStartError as e:
            raise AssertionError("%s: the node did not restart: %s" % (what, e))
        tip, stats = self.check_restart(crash, tail, what)
        # The flush of that gettxoutsetinfo is not one to kill in.
        self.scan_log(tail.read(), what)
        what_start = what + (":" + REPLAYED if self.replays > replays else ":")

        if mode == "final":
            wait_until(lambda: crash.getblockcount() == BLOCKS, timeout=300, what="the crashed node's import")
            self.scan_log(tail.read(), what)
            self.compare(stats, what)
            self.log.info("%s tip %d, UTXO set at %d checked; import finished", what_start, tip, stats["height"])
            return

        if mode == "flush":
            when = self.kill_in_flush(crash, tail, what, trigger=False)
        elif mode == "rpcflush":
            when = self.kill_in_flush(crash, tail, what, trigger=True)
        elif mode == "height":
            when = self.kill_at_height(crash, tail, what)
        else:
            d = self.rng.uniform(0, 0.05) if mode == "short" else self.rng.uniform(0, 0.5)
            time.sleep(d)
            when = "after %.3f s" % d
            self.kill(crash, what)
        self.scan_log(tail.read(), what)
        self.log.info("%s tip %d, UTXO set at %d checked; killed %s", what_start, tip, stats["height"], when)
        # The node is dead meanwhile: the stepper has both cores.
        self.compare(stats, what)

    def kill_in_flush(self, node, tail, what, trigger):
        """Kills right after the engine logs that it writes the chainstate:
        the batches follow, so the kill most likely lands among them. The
        flush is the engine's own (trigger=False; if none comes before the
        import ends, or within 20 s, a gettxoutsetinfo is sent) or the one
        that a gettxoutsetinfo sent a moment later makes (trigger=True)."""
        caller = None
        if trigger:
            time.sleep(self.rng.uniform(0.05, 0.5))  # blocks connected meanwhile are to be written
            caller = self.flush_in_background(node)
        deadline = time.time() + 20
        while True:
            returned = caller is not None and not caller.is_alive()
            text = tail.read()
            self.scan_log(text, what)
            if FLUSH_LINE in text:
                d = self.rng.uniform(0, 0.002)
                time.sleep(d)
                self.kill(node, what)
                when = "%.4f s after a flush line%s" % (d, " (gettxoutsetinfo)" if caller else "")
                break
            if returned:
                self.kill(node, what)
                when = "after gettxoutsetinfo returned"
                break
            if caller is None and (IMPORT_DONE_LINE in text or time.time() > deadline):
                caller = self.flush_in_background(node)
            time.sleep(0.0005)
        if caller is not None:
            caller.join(60)
        return when

    def flush_in_background(self, node):
        """gettxoutsetinfo (which flushes first) on its own connection; it fails when the node is killed."""
        url = node.rpc_url(*node.credentials())

        def call():
            try:
                AuthServiceProxy(url, timeout=60).gettxoutsetinfo("none")
            except Exception:
                pass
        t = threading.Thread(target=call, daemon=True)
        t.start()
        return t

    def kill_at_height(self, node, tail, what):
        """Kills once the tip reaches a random height a few blocks up: the
        next block is then being connected (or the chainstate written)."""
        tip = node.getblockcount()
        target = self.rng.randint(min(tip + 1, BLOCKS), min(tip + 8, BLOCKS))
        deadline = time.time() + 120
        while node.getblockcount() < target:
            if time.time() > deadline:
                raise AssertionError("%s: height %d not reached within 120 s" % (what, target))
            self.scan_log(tail.read(), what)
            time.sleep(0.002)
        self.kill(node, what)
        return "at height %d" % target

    def kill(self, node, what):
        if node.process.poll() is not None:
            raise AssertionError("%s: cairnd exited by itself with %d: %s" % (what, node.process.returncode,
                                                                               node.read_stderr()))
        node.kill()
        self.kills += 1

    def scan_log(self, text, what):
        for line in text.splitlines():
            for bad in BAD_LOG_LINES:
                if bad in line:
                    raise AssertionError("%s: unexpected debug.log line: %s" % (what, line))
            if REPLAY_LINE in line:
                self.replays += 1

    def check_restart(self, node, tail, what):
        """Checks a freshly restarted node; returns its tip and its
        gettxoutsetinfo, compared with the stepper once the node is dead."""
        stderr = node.read_stderr()
        if stderr:
            raise AssertionError("%s: stderr after restart: %s" % (what, stderr))
        self.scan_log(tail.read(), what)

        info = node.getblockchaininfo()
        h = info["blocks"]
        assert_equal(info["chain"], "regtest")
        if not self.durable <= h <= info["headers"] <= BLOCKS:
            raise AssertionError("%s: heights out of order: on disk %d, blocks %d, headers %d" %
                                 (what, self.durable, h, info["headers"]))
        assert_equal((what, "bestblockhash", info["bestblockhash"]), (what, "bestblockhash", self.hashes[h]))
        assert_equal((what, "time", info["time"]), (what, "time", self.times[h]))
        assert_equal((what, "mediantime", info["mediantime"]), (what, "mediantime", median_time_past(self.times, h)))
        # Regtest: every block is worth 2 units of work, genesis included.
        assert_equal((what, "chainwork", int(info["chainwork"], 16)), (what, "chainwork", 2 * (h + 1)))
        assert_equal(info["pruned"], False)
        assert 0 < info["verificationprogress"] <= 1, info["verificationprogress"]
        # The best header is on the file's chain.
        assert_equal(node.getblockheader(self.hashes[info["headers"]])["height"], info["headers"])

        hash_type = "muhash" if self.life % 2 else "hash_serialized_3"
        stats = node.gettxoutsetinfo(hash_type)
        # The import only moves forward: the UTXO set is at or above the tip seen before.
        if not h <= stats["height"] <= BLOCKS:
            raise AssertionError("%s: gettxoutsetinfo at height %d, below the tip %d" % (what, stats["height"], h))
        assert_equal((what, "bestblock", stats["bestblock"]), (what, "bestblock", self.hashes[stats["height"]]))
        # gettxoutsetinfo flushes first (synced): from now on this height survives any crash.
        self.durable = max(self.durable, stats["height"])
        return h, stats

    def compare(self, got, what):
        hash_type = "muhash" if "muhash" in got else "hash_serialized_3"
        want = self.stepper.stats(got["height"], hash_type)
        for k in STATS_KEYS + (hash_type,):
            if got[k] != want[k]:
                raise AssertionError("%s: UTXO set at height %d differs from the reference: %s %r != %r" %
                                     (what, got["height"], k, got[k], want[k]))


if __name__ == "__main__":
    CrashImportTest().main()
