#!/usr/bin/env python3
"""RPC authentication: the cookie file (written at start, removed at stop,
-rpccookiefile), -rpcuser/-rpcpassword, -rpcauth salted hashes, and the
delay on a failed attempt."""

import base64
import hashlib
import hmac
import http.client
import os
import time

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


def rpcauth_line(user, password, salt="cb77f0957de88ff388cf817ddbc7273"):
    digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
    return "%s:%s$%s" % (user, salt, digest)


class RpcAuthTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def status(self, user, password):
        conn = http.client.HTTPConnection("127.0.0.1", self.nodes[0].rpc_port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if user is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        conn.request("POST", "/", b'{"method":"getblockcount","id":1}', headers)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status

    def run_test(self):
        node = self.nodes[0]
        cookie_path = os.path.join(node.chain_dir, ".cookie")

        self.log.info("the cookie holds __cookie__:<64 hex> and authenticates")
        with open(cookie_path, encoding="utf8") as f:
            user, password = f.read().split(":")
        assert_equal(user, "__cookie__")
        assert_equal(len(password), 64)
        int(password, 16)
        assert_equal(self.status(user, password), 200)
        assert_equal(self.status(user, password[:-1] + ("0" if password[-1] != "0" else "1")), 401)

        self.log.info("a failed attempt is answered after a delay")
        t0 = time.time()
        assert_equal(self.status("__cookie__", "wrong"), 401)
        assert time.time() - t0 >= 0.2
        assert_equal(self.status(None, None), 401)

        self.log.info("the cookie is removed at shutdown")
        self.stop_node(0)
        assert not os.path.exists(cookie_path)

        self.log.info("-rpcauth (several users) together with -rpcuser/-rpcpassword; no cookie then")
        self.restart_with(["-rpcauth=" + rpcauth_line("alice", "wonderland"),
                           "-rpcauth=" + rpcauth_line("bob", "builder", salt="00ff"),
                           "-rpcuser=carol", "-rpcpassword=pass123"], user="carol", password="pass123")
        assert_equal(self.status("alice", "wonderland"), 200)
        assert_equal(self.status("bob", "builder"), 200)
        assert_equal(self.status("carol", "pass123"), 200)
        assert_equal(self.status("alice", "builder"), 401)
        assert_equal(self.status("bob", "wonderland"), 401)
        assert not os.path.exists(cookie_path)
        self.stop_node(0)

        self.log.info("-rpcauth alone still writes a cookie")
        self.restart_with(["-rpcauth=" + rpcauth_line("alice", "wonderland")])
        assert os.path.exists(cookie_path)
        assert_equal(self.status("alice", "wonderland"), 200)
        self.stop_node(0)

        self.log.info("-rpccookiefile puts the cookie elsewhere (relative to the network datadir)")
        self.restart_with(["-rpccookiefile=mycookie"], cookie=os.path.join(node.chain_dir, "mycookie"))
        assert not os.path.exists(cookie_path)
        self.stop_node(0)
        assert not os.path.exists(os.path.join(node.chain_dir, "mycookie"))

        self.log.info("a malformed -rpcauth stops start-up")
        node.assert_start_raises_init_error(["-rpcauth=alice"], "Error: Invalid -rpcauth argument.", match="partial")
        self.log.info("a password with '#' in the config file is refused")
        conf = os.path.join(node.datadir, "cairn.conf")
        with open(conf, encoding="utf8") as f:
            saved = f.read()
        with open(conf, "a", encoding="utf8") as f:
            f.write("rpcpassword=abc#def\n")
        node.assert_start_raises_init_error([], "using # in rpcpassword can be ambiguous and should be avoided",
                                            match="partial")
        with open(conf, "w", encoding="utf8") as f:
            f.write(saved)
        node.start([])  # restore for the framework's final stop

    def restart_with(self, args, user=None, password=None, cookie=None):
        node = self.nodes[0]
        node.start(args, wait_for_rpc=False)
        if cookie:
            deadline = time.time() + 30
            while not os.path.exists(cookie) and time.time() < deadline:
                time.sleep(0.05)
            with open(cookie, encoding="utf8") as f:
                user, password = f.read().split(":")
            node.current_args = args + ["-rpcuser=" + user, "-rpcpassword=" + password]
        node.wait_for_rpc_connection()


if __name__ == "__main__":
    RpcAuthTest().main()
