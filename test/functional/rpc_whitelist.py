#!/usr/bin/env python3
"""-rpcwhitelist and -rpcwhitelistdefault, as Bitcoin Core: a user with a
whitelist may call only its methods (several entries for one user
intersect; an entry without methods allows nothing), a user without one may
call nothing once any whitelist is set unless -rpcwhitelistdefault=0, and a
refused call (or a batch holding one) gets HTTP 403."""

import base64
import hashlib
import hmac
import http.client
import json

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


def rpcauth(user, password, salt="9f6b4d5c2a1e"):
    digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
    return "-rpcauth=%s:%s$%s" % (user, salt, digest)


USERS = {"alice": "a-pass", "bob": "b-pass", "carol": "c-pass"}
# The framework talks to the node with the cookie: it needs these two.
FRAMEWORK = "-rpcwhitelist=__cookie__:getblockcount,stop"


class RpcWhitelistTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def call(self, user, body):
        conn = http.client.HTTPConnection("127.0.0.1", self.nodes[0].rpc_port, timeout=30)
        auth = base64.b64encode(("%s:%s" % (user, USERS[user])).encode()).decode()
        conn.request("POST", "/", json.dumps(body).encode(), {"Authorization": "Basic " + auth})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, data

    def status(self, user, *methods):
        if len(methods) == 1:
            return self.call(user, {"method": methods[0], "id": 1})[0]
        return self.call(user, [{"method": m, "id": i} for i, m in enumerate(methods)])[0]

    def run_test(self):
        node = self.nodes[0]
        auth = [rpcauth(u, p) for u, p in USERS.items()]
        self.log.info("alice: two entries intersect to getblockcount; bob: an empty whitelist; carol: none")
        with node.assert_debug_log(["RPC User alice not allowed to call method getbestblockhash",
                                    "RPC User bob not allowed to call method getblockcount",
                                    "RPC User carol not allowed to call any methods"]):
            self.restart_node(0, auth + [FRAMEWORK, "-rpcwhitelist=alice:getblockcount,getbestblockhash",
                                         "-rpcwhitelist=alice:getblockcount getblockhash",
                                         "-rpcwhitelist=bob"])
            assert_equal(self.status("alice", "getblockcount"), 200)
            assert_equal(self.status("alice", "getbestblockhash"), 403)
            assert_equal(self.status("alice", "getblockhash"), 403)
            assert_equal(self.status("bob", "getblockcount"), 403)
            assert_equal(self.status("carol", "getblockcount"), 403)
        # The 403 has no body (Core's HTTP_FORBIDDEN reply).
        assert_equal(self.call("alice", {"method": "help", "id": 1}), (403, b""))

        self.log.info("a batch is refused whole when one call is not allowed")
        assert_equal(self.status("alice", "getblockcount", "getblockcount"), 200)
        assert_equal(self.status("alice", "getblockcount", "getbestblockhash"), 403)

        self.log.info("-rpcwhitelistdefault=0: users without a whitelist may call anything")
        self.restart_node(0, auth + [FRAMEWORK, "-rpcwhitelist=alice:getblockcount", "-rpcwhitelistdefault=0"])
        assert_equal(self.status("carol", "getbestblockhash"), 200)
        assert_equal(self.status("alice", "getbestblockhash"), 403)

        self.log.info("no option: no restriction")
        self.restart_node(0, auth)
        assert_equal(self.status("bob", "getblockcount"), 200)


if __name__ == "__main__":
    RpcWhitelistTest().main()
