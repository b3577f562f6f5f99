#!/usr/bin/env python3
"""RPC throughput of a running node (cairnd or bitcoind: same interface).

  contrib/bench/rpc.py --port 18443 (--cookie FILE | --user U --password P)
                       [--seconds 10] [--repeat 5] [--height H]

Measures, each repeated --repeat times and reported as the median:
  * getblockcount round trips per second, 1 client and 4 concurrent clients
    (each client one keep-alive HTTP connection, requests back to back);
  * getblock <hash> 2 and getblock <hash> 3 on the largest block (by size) of
    the active chain, or on the block at --height: milliseconds per call and
    MB/s of JSON received.
The client is Python: for getblockcount it measures the whole round trip,
client included, so compare nodes only with the same script on the same machine.
"""

import argparse
import base64
import http.client
import json
import statistics
import threading
import time


class Client:
    def __init__(self, port, auth):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(),
                        "Content-Type": "application/json"}

    def raw(self, method, params):
        body = json.dumps({"jsonrpc": "1.0", "id": 1, "method": method, "params": params})
        self.conn.request("POST", "/", body, self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError("%s: HTTP %d %r" % (method, resp.status, data[:200]))
        return data

    def call(self, method, *params):
        return json.loads(self.raw(method, list(params)))["result"]


def count_calls(port, auth, seconds, results, i):
    c = Client(port, auth)
    n = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        c.raw("getblockcount", [])
        n += 1
    results[i] = n


def rps(port, auth, clients, seconds):
    results = [0] * clients
    threads = [threading.Thread(target=count_calls, args=(port, auth, seconds, results, i)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results) / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cookie")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--height", type=int)
    a = p.parse_args()
    auth = open(a.cookie).read().strip() if a.cookie else "%s:%s" % (a.user, a.password)
    c = Client(a.port, auth)

    for clients in (1, 4):
        runs = [rps(a.port, auth, clients, a.seconds) for _ in range(a.repeat)]
        print("getblockcount, %d client(s): median %.0f calls/s (runs: %s)"
              % (clients, statistics.median(runs), ", ".join("%.0f" % r for r in runs)))

    height = a.height
    if height is None:
        best, height = -1, 0
        for h in range(c.call("getblockcount") + 1):
            size = c.call("getblock", c.call("getblockhash", h), 1)["size"]
            if size > best:
                best, height = size, h
    block_hash = c.call("getblockhash", height)
    info = c.call("getblock", block_hash, 1)
    print("block %d: %d bytes, %d transactions" % (height, info["size"], info["nTx"]))
    for verbosity in (2, 3):
        times, size = [], 0
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            data = c.raw("getblock", [block_hash, verbosity])
            times.append(time.perf_counter() - t0)
            size = len(data)
        med = statistics.median(times)
        print("getblock verbosity %d: median %.1f ms per call, %.1f MB of JSON, %.0f MB/s (runs: %s ms)"
              % (verbosity, med * 1e3, size / 1e6, size / 1e6 / med, ", ".join("%.1f" % (t * 1e3) for t in times)))


if __name__ == "__main__":
    main()
