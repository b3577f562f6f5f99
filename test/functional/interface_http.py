#!/usr/bin/env python3
"""The JSON-RPC-over-HTTP interface: request and reply shapes of JSON-RPC 1.0
and 2.0, batches, HTTP statuses, keep-alive, body-size limit, bad JSON."""

import http.client
import json
import base64

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class HttpInterfaceTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-rpcuser=alice", "-rpcpassword=secret"]]

    def post(self, body, path="/", auth=("alice", "secret"), conn=None, headers=None):
        own = conn is None
        if own:
            conn = http.client.HTTPConnection("127.0.0.1", self.nodes[0].rpc_port, timeout=30)
        hdrs = {"Content-Type": "application/json"}
        if auth:
            hdrs["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % auth).encode()).decode()
        hdrs.update(headers or {})
        conn.request("POST", path, body if isinstance(body, bytes) else body.encode(), hdrs)
        resp = conn.getresponse()
        data = resp.read()
        if own:
            conn.close()
        return resp, data

    def run_test(self):
        self.jsonrpc_1()
        self.jsonrpc_2()
        self.batches()
        self.http_statuses()
        self.keep_alive()
        self.limits()

    def jsonrpc_1(self):
        self.log.info("JSON-RPC 1.0: result, error and id always present; errors with HTTP 500/404")
        resp, data = self.post('{"method":"getblockcount","params":[],"id":1}')
        assert_equal(resp.status, 200)
        assert_equal(resp.getheader("Content-Type"), "application/json")
        assert_equal(json.loads(data), {"result": 0, "error": None, "id": 1})
        resp, data = self.post('{"method":"nosuchmethod","params":[],"id":"x"}')
        assert_equal(resp.status, 404)
        reply = json.loads(data)
        assert_equal(reply["result"], None)
        assert_equal(reply["error"]["code"], -32601)
        assert_equal(reply["id"], "x")
        resp, data = self.post('{"method":"getblockhash","params":[99],"id":2}')
        assert_equal(resp.status, 500)
        assert_equal(json.loads(data)["error"], {"code": -8, "message": "Block height out of range"})
        self.log.info("named parameters")
        resp, data = self.post('{"method":"getblockhash","params":{"height":0},"id":3}')
        assert_equal(resp.status, 200)
        assert_equal(len(json.loads(data)["result"]), 64)
        resp, data = self.post('{"method":"getblockhash","params":{"nosuch":0},"id":3}')
        assert_equal(json.loads(data)["error"]["code"], -8)

    def jsonrpc_2(self):
        self.log.info("JSON-RPC 2.0: HTTP 200 for results and errors; no error key on success")
        resp, data = self.post('{"jsonrpc":"2.0","method":"getblockcount","params":[],"id":1}')
        assert_equal(resp.status, 200)
        assert_equal(resp.getheader("Content-Type"), "application/json")
        assert_equal(json.loads(data), {"jsonrpc": "2.0", "result": 0, "id": 1})
        resp, data = self.post('{"jsonrpc":"2.0","method":"nosuchmethod","id":1}')
        assert_equal(resp.status, 200)
        reply = json.loads(data)
        assert "result" not in reply
        assert_equal(reply["error"]["code"], -32601)
        self.log.info("a notification (no id) gets 204 and no body")
        resp, data = self.post('{"jsonrpc":"2.0","method":"getblockcount"}')
        assert_equal(resp.status, 204)
        assert_equal(data, b"")

    def batches(self):
        self.log.info("batches: one reply per request, in order")
        body = json.dumps([
            {"method": "getblockcount", "id": 1},
            {"method": "nosuchmethod", "id": 2},
            {"jsonrpc": "2.0", "method": "getblockcount", "id": 3},
        ])
        resp, data = self.post(body)
        assert_equal(resp.status, 200)
        replies = json.loads(data)
        assert_equal([r["id"] for r in replies], [1, 2, 3])
        assert_equal(replies[0]["result"], 0)
        assert_equal(replies[1]["error"]["code"], -32601)
        assert "error" not in replies[2]

    def http_statuses(self):
        self.log.info("401 without or with wrong credentials")
        resp, _ = self.post('{"method":"getblockcount","id":1}', auth=None)
        assert_equal(resp.status, 401)
        resp, _ = self.post('{"method":"getblockcount","id":1}', auth=("alice", "wrong"))
        assert_equal(resp.status, 401)
        self.log.info("404 for an unknown path, 405 for GET")
        resp, _ = self.post('{"method":"getblockcount","id":1}', path="/nosuchpath")
        assert_equal(resp.status, 404)
        conn = http.client.HTTPConnection("127.0.0.1", self.nodes[0].rpc_port, timeout=30)
        conn.request("GET", "/", headers={"Authorization": "Basic " + base64.b64encode(b"alice:secret").decode()})
        resp = conn.getresponse()
        resp.read()
        assert_equal(resp.status, 405)
        conn.close()
        self.log.info("malformed JSON, or a top level that is neither object nor array: parse error -32700")
        resp, data = self.post("{not json")
        assert_equal(resp.status, 500)
        assert_equal(json.loads(data)["error"]["code"], -32700)
        resp, data = self.post("42")
        assert_equal(json.loads(data)["error"], {"code": -32700, "message": "Top-level object parse error"})
        self.log.info("wrong parameter type")
        resp, data = self.post('{"method":"getblockhash","params":["zero"],"id":1}')
        assert_equal(json.loads(data)["error"]["code"], -3)

    def keep_alive(self):
        self.log.info("HTTP/1.1 keep-alive serves several requests on one connection")
        conn = http.client.HTTPConnection("127.0.0.1", self.nodes[0].rpc_port, timeout=30)
        for i in range(5):
            resp, data = self.post('{"method":"getblockcount","id":%d}' % i, conn=conn)
            assert_equal(json.loads(data)["id"], i)
        conn.close()

    def limits(self):
        self.log.info("a huge body is refused, and the node keeps serving")
        big = b'{"method":"echo","params":["' + b"a" * (40 * 1024 * 1024) + b'"],"id":1}'
        try:
            resp, _ = self.post(big)
            assert resp.status in (400, 413), resp.status
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server may close the connection before reading it all
        assert_equal(self.nodes[0].getblockcount(), 0)


if __name__ == "__main__":
    HttpInterfaceTest().main()
