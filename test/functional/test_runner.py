#!/usr/bin/env python3
"""Runs the functional tests, a few at a time, and prints one line per test
and a closing "N passed, M failed, K skipped" line. Exit status 0 only if
nothing failed.

  test/functional/test_runner.py [--jobs=2] [--cairnd=PATH] [test names...]

Every *.py file in this folder is a test (except this runner); a missing
cairnd binary fails every test rather than skipping it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def all_tests():
    return sorted(f for f in os.listdir(HERE)
                  if f.endswith(".py") and f != "test_runner.py" and not f.startswith("_"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--cairnd", default=os.environ.get("CAIRND", os.path.join(HERE, "..", "..", "build", "src", "cairnd")))
    parser.add_argument("--tmpdirprefix", default=tempfile.gettempdir())
    parser.add_argument("--timeout", type=int, default=900, help="per test, seconds")
    parser.add_argument("--portseed-offset", type=int, default=0,
                        help="added to each test's port seed, so that several runners can share a machine")
    parser.add_argument("tests", nargs="*")
    args = parser.parse_args()

    tests = args.tests or all_tests()
    tests = [t if t.endswith(".py") else t + ".py" for t in tests]
    missing = [t for t in tests if not os.path.isfile(os.path.join(HERE, t.split()[0]))]
    if missing:
        print("unknown tests:", " ".join(missing))
        return 1
    cairnd = os.path.abspath(args.cairnd)
    run_dir = tempfile.mkdtemp(prefix="cairn_runner_", dir=args.tmpdirprefix)

    results = {}
    queue = list(enumerate(tests))
    running = []
    start_all = time.time()
    while queue or running:
        while queue and len(running) < args.jobs:
            i, test = queue.pop(0)
            log = open(os.path.join(run_dir, test.replace("/", "_") + ".log"), "w+b")
            cmd = [sys.executable, os.path.join(HERE, test), "--cairnd=" + cairnd, "--portseed=%d" % (args.portseed_offset + i + 1),
                   "--tmpdir=" + os.path.join(run_dir, test[:-3])]
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
            running.append((test, proc, log, time.time()))
        time.sleep(0.1)
        for item in list(running):
            test, proc, log, t0 = item
            ret = proc.poll()
            if ret is None and time.time() - t0 > args.timeout:
                proc.kill()
                ret = proc.wait()
                log.write(b"\n*** killed after timeout\n")
            if ret is None:
                continue
            running.remove(item)
            status = "passed" if ret == 0 else "skipped" if ret == 77 else "failed"
            results[test] = status
            print("%-40s %-8s %6.1fs" % (test, status, time.time() - t0), flush=True)
            if status != "passed":
                log.seek(0)
                sys.stdout.write(log.read().decode("utf8", "replace")[-8000:])
                sys.stdout.flush()
            log.close()

    n_pass = sum(1 for s in results.values() if s == "passed")
    n_fail = sum(1 for s in results.values() if s == "failed")
    n_skip = sum(1 for s in results.values() if s == "skipped")
    print("functional tests: %d passed, %d failed, %d skipped in %.0fs" % (n_pass, n_fail, n_skip, time.time() - start_all))
    if n_fail == 0:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print("logs of the failed tests are in", run_dir)
    return 0 if n_fail == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
