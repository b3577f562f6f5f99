#!/usr/bin/env python3
"""cairn-cli against a running cairnd (and a fake server): bitcoin-cli's
options, output, error texts and exit codes."""

import decimal
import hashlib
import hmac
import http.server
import json
import os
import re
import subprocess
import threading
import time

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_raises_rpc_error

ADDRESS = "bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq3xueyj"  # unspendable regtest address
CONNECT_HELP = ("\n\nMake sure the cairnd server is running and that you are connecting to the correct RPC port.\n"
                "Use \"cairn-cli -help\" for more info.\n")
AUTH_FAILED = "error: Authorization failed: Incorrect rpcuser or rpcpassword\n"


def connect_error(port, detail=""):
    return "error: timeout on transient error: Could not connect to the server 127.0.0.1:%d%s%s" % (port, detail, CONNECT_HELP)


def getinfo_dict(text):
    """The "Key: value" lines of -getinfo (colors removed)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    out = {}
    for line in text.splitlines():
        if ": " in line:
            key, value = line.split(": ", 1)
            out[key] = value
    return out


class FakeServer:
    """An HTTP server that records each request and answers with the reply a test sets."""

    def __init__(self):
        self.requests = []
        self.reply = (200, b'{"result":"ok","error":null,"id":1}')
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
                status, data = outer.reply(body) if callable(outer.reply) else outer.reply
                if status is None:  # never answer (client timeout)
                    time.sleep(3)
                    return
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class CairnCliTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    # ---- helpers ----

    def run(self, *args, input=None, datadir=None):
        """cairn-cli with exactly these arguments (plus -datadir unless datadir is False)."""
        node = self.nodes[0]
        cmd = [node.cli_binary] + ([] if datadir is False else ["-datadir=" + (datadir or node.datadir)])
        return subprocess.run(cmd + list(args), input=input, capture_output=True, text=True, timeout=60)

    def check(self, args, rc, stdout=None, stderr=None, **kwargs):
        p = self.run(*args, **kwargs)
        if p.returncode != rc or (stdout is not None and p.stdout != stdout) or (stderr is not None and p.stderr != stderr):
            raise AssertionError("cairn-cli %r: rc %d (want %d)\nstdout %r (want %r)\nstderr %r (want %r)"
                                 % (args, p.returncode, rc, p.stdout, stdout, p.stderr, stderr))
        return p

    def datadir(self, name, files):
        path = os.path.join(self.tmpdir, name)
        os.makedirs(path, exist_ok=True)
        for fname, text in files.items():
            with open(os.path.join(path, fname), "w", encoding="utf8") as f:
                f.write(text)
        return path

    # ---- the test ----

    def run_test(self):
        node = self.nodes[0]
        assert os.path.isfile(node.cli_binary), "cairn-cli not built next to cairnd"
        node.generatetoaddress(5, ADDRESS)

        self.test_help_and_version()
        self.test_results(node)
        self.test_conversion(node)
        self.test_errors(node)
        self.test_stdin(node)
        self.test_connection(node)
        self.test_config_files(node)
        self.test_getinfo(node)
        self.test_generate_netinfo(node)
        self.test_fake_server()
        self.test_user_password_and_rpcauth(node)
        self.test_rpcwait(node)

    def test_help_and_version(self):
        self.log.info("-version, -help, no arguments, unknown option, chain selection")
        p = self.check(["-version"], 0, datadir=False)
        assert re.match(r"Cairn RPC client version v\d+\.\d+\.\d+\n$", p.stdout), p.stdout
        p = self.check(["-help"], 0, datadir=False)
        for opt in ("-rpcconnect=<ip>", "-rpcwait", "-named", "-stdinrpcpass", "-getinfo", "-netinfo", "-generate",
                    "-rpcwallet=<walletname>", "-rpccookiefile=<loc>", "-color=<when>", "-chain=<chain>"):
            assert opt in p.stdout, opt
        assert "Usage: cairn-cli [options] <command> [params]" in p.stdout
        self.check(["-h"], 0, datadir=False)
        self.check(["-?"], 0, datadir=False)
        p = self.check([], 1, stderr="Error: too few parameters\n", datadir=False)
        assert p.stdout.startswith("Cairn RPC client version")
        self.check(["-nosuchoption", "echo"], 1, stdout="",
                   stderr="Error parsing command line arguments: Invalid parameter -nosuchoption\n")
        missing = os.path.join(self.tmpdir, "missing")
        self.check(["-datadir=" + missing, "echo"], 1, stdout="",
                   stderr="Error: Specified data directory \"%s\" does not exist.\n" % missing, datadir=False)
        # (A datadir without config: nothing there overrides the chain or its default port.)
        empty = self.datadir("empty", {})
        self.check(["-regtest", "-testnet", "echo"], 1, stderr="Error: Invalid combination of -regtest, -signet, "
                   "-testnet, -testnet4 and -chain. Can use at most one.\n", datadir=empty)
        self.check(["-chain=nosuchchain", "echo"], 1, stderr="Error: Unknown chain nosuchchain.\n", datadir=empty)
        p = self.check(["-regtest", "-testnet", "echo"], 1)
        assert "Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain." in p.stderr, p.stderr
        for chain, port in (("main", 8332), ("test", 18332), ("testnet4", 48332), ("signet", 38332), ("regtest", 18443)):
            p = self.run("-chain=" + chain, "-rpcpassword=x", "-rpcclienttimeout=5", "echo", datadir=empty)
            if "Could not connect" in p.stderr:
                assert_equal((p.returncode, p.stderr), (1, connect_error(port)))
            # else something else listens on that port on this machine
        self.check(["-testnet", "-rpcpassword=x", "-rpcport=1", "echo"], 1, stderr=connect_error(1), datadir=empty)

    def test_results(self, node):
        self.log.info("Results: JSON pretty-printed as bitcoin-cli does, strings raw, null as nothing")
        p = self.check(["getblockchaininfo"], 0)
        info = node.getblockchaininfo()
        assert_equal(json.loads(p.stdout, parse_float=decimal.Decimal), info)
        # UniValue's write(2): two-space indent, "key": value, one value per line.
        assert p.stdout.startswith('{\n  "chain": "regtest",\n  "blocks": 5,\n'), p.stdout
        self.check(["echo", "a", "b"], 0, stdout='[\n  "a",\n  "b"\n]\n')
        self.check(["echojson", "{}", "[]"], 0, stdout="[\n  {\n  },\n  [\n  ]\n]\n")
        self.check(["getblockcount"], 0, stdout="5\n")
        self.check(["getblockhash", "0"], 0, stdout=node.getblockhash(0) + "\n")
        self.check(["setmocktime", "0"], 0, stdout="")  # null result: nothing printed
        p = self.check(["help", "getblockcount"], 0)
        assert p.stdout.startswith("getblockcount\n"), p.stdout
        assert_equal(node.cli("getbestblockhash"), node.getbestblockhash())
        assert_equal(node.cli("getblockheader", node.getbestblockhash()), node.getblockheader(node.getbestblockhash()))

    def test_conversion(self, node):
        self.log.info("Client-side conversion of non-string parameters, -named")
        # echo takes strings; echojson's parameters are all JSON.
        assert_equal(node.cli("echo", "1", "true", "null"), ["1", "true", "null"])
        assert_equal(node.cli("echojson", "1", "true", "null", '{"a":[1,"x"]}', "1.50000000", '"s"'),
                     [1, True, None, {"a": [1, "x"]}, decimal.Decimal("1.50000000"), "s"])
        # getblockhash's height is a number: sent as 0, not "0".
        assert_equal(node.cli("getblockhash", "0"), node.getblockhash(0))
        assert_equal(node.cli("getblock", node.getblockhash(1), "2")["height"], 1)
        assert_equal(node.cli("getblockheader", node.getblockhash(1), "false"), node.getblockheader(node.getblockhash(1), False))
        self.check(["echojson", "foo"], 1, stdout="", stderr="error: Error parsing JSON: foo\n")
        self.check(["getblockhash", "zero"], 1, stderr="error: Error parsing JSON: zero\n")
        self.check(["-named", "getblockhash", "height=x"], 1, stderr="error: Error parsing JSON: x\n")
        assert_equal(node.cli("-named", "getblockhash", "height=2"), node.getblockhash(2))
        assert_equal(node.cli("-named", "echo", "arg0=0", "arg1=1", "arg3=3"), ["0", "1", None, "3"])
        # A later value of a name replaces an earlier one.
        assert_equal(node.cli("-named", "echo", "arg0=0", "arg1=1", "arg2=2", "arg1=3"), ["0", "3", "2"])
        assert_equal(node.cli("-named", "echojson", "arg1=[1,2]", "arg0={}"), [{}, [1, 2]])
        # Positional arguments with -named travel as "args".
        assert_equal(node.cli("-named", "echo", "0", "1", "arg3=3"), ["0", "1", None, "3"])
        assert_raises_rpc_error(-8, "Parameter args specified multiple times",
                                node.cli, "-named", "echo", "args=[0,1]", "2")
        assert_raises_rpc_error(-8, "Parameter arg1 specified twice both as positional and named argument",
                                node.cli, "-named", "echo", "0", "1", "arg1=1")

    def test_errors(self, node):
        self.log.info("RPC errors: bitcoin-cli's text on stderr, exit code abs(code) (mod 256)")
        self.check(["nosuchmethod"], 32601 % 256, stdout="", stderr="error code: -32601\nerror message:\nMethod not found\n")
        self.check(["getblockhash", "1000"], 8, stderr="error code: -8\nerror message:\nBlock height out of range\n")
        p = self.check(["getblockhash"], 1)  # missing argument: the help text, code -1
        assert p.stderr.startswith("error code: -1\nerror message:\ngetblockhash height\n"), p.stderr
        self.check(["-rpcwait"], 1, stderr="error: too few parameters (need at least command)\n")
        self.check(["-getinfo", "-netinfo"], 1, stderr="error: Only one of -getinfo, -netinfo may be specified.\n")
        self.check(["-generate", "-getinfo", "-addrinfo"], 1,
                   stderr="error: Only one of -addrinfo, -generate, -getinfo may be specified.\n")
        assert_raises_rpc_error(-8, "Block height out of range", node.cli, "getblockhash", "1000")

    def test_stdin(self, node):
        self.log.info("-stdin, -stdinrpcpass")
        assert_equal(node.cli("-stdin", "echo", "x", input="a b\nc\n"), ["x", "a b", "c"])
        assert_equal(node.cli("-stdin", "echojson", input="1\n[2]\n"), [1, [2]])
        user, password = node.credentials()
        assert_equal(node.cli("-rpcuser=" + user, "-stdinrpcpass", "getblockcount", input=password), 5)
        assert_equal(node.cli("-rpcuser=" + user, "-stdinrpcpass", "-stdin", "echo", input=password + "\nfoo\nbar"),
                     ["foo", "bar"])
        self.check(["-rpcuser=" + user, "-stdinrpcpass", "echo"], 1, stderr=AUTH_FAILED, input="wrong")
        self.check(["-rpcuser=" + user, "-stdinrpcpass", "-stdin", "echo"], 1, stderr=AUTH_FAILED, input="wrong\nx")
        self.check(["-stdinrpcpass", "echo"], 1,
                   stderr="error: -stdinrpcpass specified but failed to read from standard input\n", input="")
        self.check(["-stdinwalletpassphrase", "echo"], 1,
                   stderr="error: -stdinwalletpassphrase is only applicable for walletpassphrase(change)\n", input="x")

    def test_connection(self, node):
        self.log.info("Ports, -rpcconnect, cookie and credentials errors")
        self.check(["-rpcport=1", "echo"], 1, stdout="", stderr=connect_error(1))
        for bad in ("notaport", "-1", "0", "65536", "+1"):
            self.check(["-rpcport=" + bad, "echo"], 1, stderr="error: Invalid port provided in -rpcport: %s\n" % bad)
        for bad in ("127.0.0.1:notaport", "127.0.0.1:-1", "127.0.0.1:0", "127.0.0.1:65536", "[::1]:x"):
            self.check(["-rpcconnect=" + bad, "echo"], 1, stderr="error: Invalid port provided in -rpcconnect: %s\n" % bad)
        # -rpcport beats the port in -rpcconnect (with a warning), which beats the chain default.
        p = self.check(["-rpcconnect=127.0.0.1:1", "-rpcport=%d" % node.rpc_port, "getblockcount"], 0, stdout="5\n")
        assert_equal(p.stderr, "Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport %d\n" % node.rpc_port)
        self.check(["-rpcconnect=127.0.0.1:%d" % node.rpc_port, "-rpcport=1", "echo"], 1,
                   stderr="Warning: Port specified in both -rpcconnect and -rpcport. Using -rpcport 1\n" + connect_error(1))
        user, password = node.credentials()
        noconf = self.datadir("noconf", {"cairn.conf": "regtest=1\n"})
        self.check(["-rpcconnect=127.0.0.1:%d" % node.rpc_port, "-rpcuser=" + user, "-rpcpassword=" + password,
                    "getblockcount"], 0, stdout="5\n", datadir=noconf)
        self.check(["-rpcconnect=localhost:%d" % node.rpc_port, "-rpcuser=" + user, "-rpcpassword=" + password,
                    "getblockcount"], 0, stdout="5\n", datadir=noconf)
        # Cookie: <datadir>/regtest/.cookie by default, -rpccookiefile relative to it or absolute.
        self.check(["-rpccookiefile=.cookie", "getblockcount"], 0, stdout="5\n")
        self.check(["-rpccookiefile=" + os.path.join(node.chain_dir, ".cookie"), "-rpcport=%d" % node.rpc_port,
                    "getblockcount"], 0, stdout="5\n", datadir=noconf)
        self.check(["-rpccookiefile=does-not-exist", "-rpcpassword=", "echo"], 1, stderr=(
            "error: Could not locate RPC credentials. No authentication cookie could be found, and RPC password is "
            "not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: (%s)\n" % os.path.join(node.datadir, "cairn.conf")))
        self.check(["-norpccookiefile", "echo"], 1)
        self.check(["-norpccookiefile", "-rpcuser=" + user, "-rpcpassword=" + password, "getblockcount"], 0, stdout="5\n")
        self.check(["-rpcuser=" + user, "-rpcpassword=wrong", "echo"], 1, stdout="", stderr=AUTH_FAILED)

    def test_config_files(self, node):
        self.log.info("Config files: cairn.conf, else bitcoin.conf; sections; includeconf; -conf")
        user, password = node.credentials()
        creds = "rpcuser=%s\nrpcpassword=%s\n" % (user, password)
        good = "[regtest]\nrpcport=%d\n" % node.rpc_port
        d = self.datadir("btcconf", {"bitcoin.conf": "regtest=1\n" + creds + good})
        self.check(["getblockcount"], 0, stdout="5\n", datadir=d)
        d = self.datadir("both", {"cairn.conf": "regtest=1\n" + creds + good, "bitcoin.conf": "regtest=1\n[regtest]\nrpcport=1\n"})
        self.check(["getblockcount"], 0, stdout="5\n", datadir=d)
        d = self.datadir("include", {"cairn.conf": "regtest=1\nincludeconf=extra.conf\n", "extra.conf": creds + good})
        self.check(["getblockcount"], 0, stdout="5\n", datadir=d)
        # rpcport is network-only: at the top level it does not apply to regtest.
        d = self.datadir("toplevel", {"cairn.conf": "regtest=1\nrpcport=%d\nrpcpassword=x\n" % node.rpc_port})
        self.check(["-rpcclienttimeout=5", "echo"], 1, datadir=d)
        d = self.datadir("conf", {"other.conf": "regtest=1\n" + creds + good})
        self.check(["-conf=other.conf", "getblockcount"], 0, stdout="5\n", datadir=d)
        self.check(["-conf=missing.conf", "echo"], 1, datadir=d)

    def test_getinfo(self, node):
        self.log.info("-getinfo")
        self.check(["-getinfo", "help"], 1, stderr="error: -getinfo takes no arguments\n")
        p = self.check(["-getinfo", "-color=never"], 0)
        assert "\x1b[" not in p.stdout
        info = getinfo_dict(p.stdout)
        chain = node.getblockchaininfo()
        assert_equal(info["Chain"], "regtest")
        assert_equal(int(info["Blocks"]), chain["blocks"])
        assert_equal(int(info["Headers"]), chain["headers"])
        progress = info["Verification progress"].split(" ")[-1]
        assert_equal(progress, "%.4f%%" % (chain["verificationprogress"] * 100))
        assert_equal(decimal.Decimal(info["Difficulty"]), chain["difficulty"])
        for key in ("Network", "Version", "Time offset (s)", "Proxies", "Min tx relay fee rate (BTC/kvB)"):
            assert key in info, key
        assert p.stdout.rstrip("\n").splitlines()[-1].startswith("Warnings:")
        try:
            net = node.getnetworkinfo()
            assert_equal(info["Network"], "in %d, out %d, total %d" % (net["connections_in"], net["connections_out"], net["connections"]))
            assert_equal(int(info["Version"]), net["version"])
            assert_equal(int(info["Time offset (s)"]), net["timeoffset"])
            assert_equal(decimal.Decimal(info["Min tx relay fee rate (BTC/kvB)"]), net["relayfee"])
        except JSONRPCException as e:
            # No network RPCs in this build: a partial summary, not an error.
            assert_equal(e.error["code"], -32601)
            assert_equal(info["Network"], "in n/a, out n/a, total n/a")
            assert_equal(info["Version"], "n/a")
        try:
            node.getwalletinfo()
            assert "Wallet" in info or "Balance" in info
        except JSONRPCException:
            assert "Wallet" not in info and "Balance" not in info
        lines = p.stdout.splitlines()
        assert_equal(lines[0], "Chain: regtest")
        assert_equal(lines[5], "")
        assert lines[6].startswith("Network: in ")
        assert "\x1b[0m" in self.check(["-getinfo", "-color=always"], 0).stdout
        assert "\x1b[" not in self.check(["-getinfo"], 0).stdout  # auto: not a terminal
        self.check(["-getinfo", "-color=foo"], 1, stderr="error: Invalid value for -color option. Valid values: always, auto, never.\n")

    def test_generate_netinfo(self, node):
        self.log.info("-generate, -netinfo, -addrinfo")
        try:
            node.getnewaddress()
            has_wallet = True
        except JSONRPCException as e:
            has_wallet = False
            wallet_error = e.error
        if has_wallet:
            out = node.cli("-generate", "2")
            assert_equal(len(out["blocks"]), 2)
            assert_equal(node.getblockcount(), 7)
            node.invalidateblock(out["blocks"][0])
            self.check(["-generate", "1", "2", "3"], 1, stderr="error: too many arguments (maximum 2 for nblocks and maxtries)\n")
            self.check(["-generate", "0"], 1, stderr="error: the first argument (number of blocks to generate, default: 1) "
                       "must be an integer value greater than zero\n")
        else:
            # Bitcoin Core's behaviour without a wallet: getnewaddress's error, as is.
            code = wallet_error["code"]
            self.check(["-generate"], abs(code) % 256, stderr="error code: %d\nerror message:\n%s\n" % (code, wallet_error["message"]))
            self.check(["-generate", "1", "2", "3"], abs(code) % 256)
        assert_equal(node.getblockcount(), 5)

        p = self.check(["-netinfo", "help"], 0)
        assert p.stdout.startswith("-netinfo (level [outonly]) | help\n"), p.stdout
        self.check(["-netinfo", "foo"], 1, stderr="error: invalid -netinfo level argument: foo\n"
                   "For more information, run: cairn-cli -netinfo help\n")
        try:
            node.getpeerinfo()
            p = self.check(["-netinfo"], 0)
            assert p.stdout.startswith("Cairn client v"), p.stdout
            assert "Local addresses" in p.stdout
            p = self.check(["-netinfo", "4"], 0)
        except JSONRPCException as e:
            assert_equal(e.error["code"], -32601)
            self.check(["-netinfo"], 89, stderr="error code: -32601\nerror message:\nMethod not found\n")
        self.check(["-addrinfo", "x"], 1, stderr="error: -addrinfo takes no arguments\n")

    def test_fake_server(self):
        self.log.info("The HTTP request, -rpcwallet's endpoint, HTTP failures, -rpcclienttimeout (fake server)")
        srv = FakeServer()
        try:
            base = ["-rpcconnect=127.0.0.1", "-rpcport=%d" % srv.port, "-rpcuser=u", "-rpcpassword=p:w"]
            self.check(base + ["getblockhash", "7"], 0, stdout="ok\n")
            req = srv.requests[-1]
            assert_equal(req["path"], "/")
            assert_equal(req["headers"]["Authorization"], "Basic dTpwOnc=")  # base64("u:p:w")
            assert_equal(req["headers"]["Content-Type"], "application/json")
            body = json.loads(req["body"])
            assert_equal(body["method"], "getblockhash")
            assert_equal(body["params"], [7])
            assert_equal(body["id"], 1)
            self.check(base + ["-rpcwallet=my wallet/é", "getwalletinfo"], 0)
            assert_equal(srv.requests[-1]["path"], "/wallet/my%20wallet%2F%C3%A9")
            self.check(base + ["-rpcwallet=", "getwalletinfo"], 0)
            assert_equal(srv.requests[-1]["path"], "/wallet/")
            self.check(base + ["-named", "getblock", "blockhash=ab", "verbosity=2"], 0)
            assert_equal(json.loads(srv.requests[-1]["body"])["params"], {"blockhash": "ab", "verbosity": 2})

            srv.reply = (401, b"")
            self.check(base + ["echo"], 1, stderr=AUTH_FAILED)
            srv.reply = (503, b"Work queue depth exceeded")
            self.check(base + ["echo"], 1, stderr="error: Server response: Work queue depth exceeded\n")
            srv.reply = (403, b"")
            self.check(base + ["echo"], 1, stderr="error: server returned HTTP error 403\n")
            srv.reply = (200, b"")
            self.check(base + ["echo"], 1, stderr="error: no response from server\n")
            srv.reply = (200, b"{not json")
            self.check(base + ["echo"], 1, stderr="error: couldn't parse reply from server\n")
            srv.reply = (200, b"{}")
            self.check(base + ["echo"], 1, stderr="error: expected reply to have result, error and id properties\n")
            srv.reply = (500, b'{"result":null,"error":{"code":-5,"message":"Block not found"},"id":1}')
            self.check(base + ["getblock", "00"], 5, stderr="error code: -5\nerror message:\nBlock not found\n")
            srv.reply = (200, b'{"jsonrpc":"2.0","error":{"code":-19,"message":"Wallet file not specified."},"id":1}')
            self.check(base + ["getwalletinfo"], 19, stderr=(
                "error code: -19\nerror message:\nWallet file not specified. Or for the CLI, specify the "
                "\"-rpcwallet=<walletname>\" option before the command (run \"cairn-cli -h\" for help or "
                "\"cairn-cli listwallets\" to see which wallets are currently loaded).\n"))
            # -getinfo as a batch of four calls; -getinfo with several wallets adds per-wallet balances.
            batch = json.dumps([
                {"result": {"version": 280000, "timeoffset": 0, "connections_in": 1, "connections_out": 2,
                            "connections": 3, "networks": [{"name": "ipv4", "proxy": "127.0.0.1:9050"},
                                                           {"name": "ipv6", "proxy": "127.0.0.1:9050"},
                                                           {"name": "i2p", "proxy": "127.0.0.1:7656"}],
                            "relayfee": 0.00001, "warnings": []}, "error": None, "id": 0},
                {"result": {"chain": "main", "blocks": 10, "headers": 20, "verificationprogress": 0.5,
                            "difficulty": 1}, "error": None, "id": 1},
                {"result": None, "error": {"code": -18, "message": "No wallet"}, "id": 2},
                {"result": None, "error": {"code": -18, "message": "No wallet"}, "id": 3}]).encode()
            no_method = b'{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1}'
            srv.reply = lambda body: (200, batch if body.startswith(b"[") else no_method)
            p = self.check(base + ["-getinfo"], 0)
            assert_equal(json.loads(srv.requests[-1]["body"])["method"], "listwallets")
            assert_equal([json.loads(srv.requests[-2]["body"])[i]["method"] for i in range(4)],
                         ["getnetworkinfo", "getblockchaininfo", "getwalletinfo", "getbalances"])
            assert_equal(p.stdout, "Chain: main\nBlocks: 10\nHeaders: 20\n"
                         "Verification progress: " + "\u2592" * 10 + "\u2591" * 10 + " 50.0000%\nDifficulty: 1\n\n"
                         "Network: in 1, out 2, total 3\nVersion: 280000\nTime offset (s): 0\n"
                         "Proxies: 127.0.0.1:9050 (ipv4, ipv6), 127.0.0.1:7656 (i2p)\n"
                         "Min tx relay fee rate (BTC/kvB): 1e-05\n\nWarnings: (none)\n")

            # Several wallets: their trusted balances, right-aligned, after the summary.
            balances = {"": "1.00000000", "w2": "123456.78900000"}

            def multi_wallet(body):
                if body.startswith(b"["):
                    return 200, batch
                if json.loads(body)["method"] == "listwallets":
                    return 200, b'{"result":["","w2"],"error":null,"id":1}'
                name = srv.requests[-1]["path"][len("/wallet/"):]
                return 200, ('{"result":{"mine":{"trusted":%s}},"error":null,"id":1}' % balances[name]).encode()
            srv.reply = multi_wallet
            p = self.check(base + ["-getinfo"], 0)
            assert p.stdout.endswith("\nBalances\n     1.00000000 \"\"\n123456.78900000 w2\n\nWarnings: (none)\n"), p.stdout
            assert_equal([r["path"] for r in srv.requests[-2:]], ["/wallet/", "/wallet/w2"])
            self.check(base + ["-getinfo", "-rpcwallet=w2"], 0)  # no per-wallet balances with -rpcwallet
            assert_equal(srv.requests[-1]["path"], "/wallet/w2")
            assert isinstance(json.loads(srv.requests[-1]["body"]), list)

            # -generate: getnewaddress, then generatetoaddress nblocks address [maxtries].
            def wallet(body):
                method = json.loads(body)["method"]
                if method == "getnewaddress":
                    return 200, b'{"result":"bcrt1qaddr","error":null,"id":1}'
                return 200, b'{"result":["h1","h2"],"error":null,"id":1}'
            srv.reply = wallet
            assert_equal(json.loads(self.check(base + ["-generate", "2", "500"], 0).stdout),
                         {"address": "bcrt1qaddr", "blocks": ["h1", "h2"]})
            assert_equal(json.loads(srv.requests[-1]["body"])["params"], [2, "bcrt1qaddr", 500])
            self.check(base + ["-rpcwallet=w", "-generate"], 0)
            assert_equal(json.loads(srv.requests[-1]["body"])["params"], [1, "bcrt1qaddr"])
            assert_equal(srv.requests[-2]["path"], "/wallet/w")
            self.check(base + ["-generate", "1", "2", "3"], 1, stderr="error: too many arguments (maximum 2 for nblocks and maxtries)\n")
            self.check(base + ["-generate", "0"], 1, stderr="error: the first argument (number of blocks to generate, "
                       "default: 1) must be an integer value greater than zero\n")

            # -netinfo: a batch of getpeerinfo and getnetworkinfo.
            now = int(time.time())
            peer = {"id": 3, "addr": "203.0.113.5:8333", "network": "ipv4", "inbound": False,
                    "connection_type": "outbound-full-relay", "conntime": now - 600, "last_block": 0, "lastrecv": now,
                    "lastsend": now, "last_transaction": 0, "minping": 0.0123, "pingtime": 0.02,
                    "servicesnames": ["NETWORK", "WITNESS"], "subver": "/Satoshi:28.0.0/", "version": 70016,
                    "transport_protocol_type": "v2", "addr_relay_enabled": True, "addr_processed": 12,
                    "addr_rate_limited": 0, "bip152_hb_from": False, "bip152_hb_to": True}
            net = {"protocolversion": 70016, "subversion": "/Cairn:0.1.0/",
                   "networks": [{"name": "ipv4", "reachable": True}, {"name": "onion", "reachable": False}],
                   "localaddresses": []}
            srv.reply = (200, json.dumps([{"result": [peer], "error": None, "id": 0},
                                          {"result": net, "error": None, "id": 1}]).encode())
            p = self.check(base + ["-netinfo"], 0)
            assert_equal(p.stdout, "Cairn client v%s regtest - server 70016/Cairn:0.1.0/\n\n" % p.stdout.split(" v")[1].split(" ")[0] +
                         "         ipv4   total   block\n"
                         "in          0       0\n"
                         "out         1       1       0\n"
                         "total       1       1\n\n"
                         "Local addresses: n/a\n\n")
            p = self.check(base + ["-netinfo", "4"], 0)
            assert re.search(r"\nout   full  ipv4 +nw  2     12     20 .* 3 203\.0\.113\.5:8333 +70016/Satoshi:28\.0\.0/\n", p.stdout), p.stdout

            # A server that accepts but never answers: libevent's "timeout reached".
            srv.reply = (None, b"")
            start = time.time()
            self.check(base + ["-rpcclienttimeout=1", "echo"], 1,
                       stderr=connect_error(srv.port, ' (error code 0 - "timeout reached")'))
            assert time.time() - start < 3
        finally:
            srv.close()

    def test_user_password_and_rpcauth(self, node):
        self.log.info("A node with -rpcuser/-rpcpassword, and one with -rpcauth")
        self.restart_node(0, ["-rpcuser=alice", "-rpcpassword=s3cret"])
        self.check(["-rpcuser=alice", "-rpcpassword=s3cret", "getblockcount"], 0, stdout="5\n")
        self.check(["-rpcuser=alice", "-rpcpassword=wrong", "getblockcount"], 1, stderr=AUTH_FAILED)
        self.check(["-rpcuser=bob", "-rpcpassword=s3cret", "getblockcount"], 1, stderr=AUTH_FAILED)
        assert not os.path.exists(os.path.join(node.chain_dir, ".cookie"))
        p = self.check(["getblockcount"], 1)
        assert p.stderr.startswith("error: Could not locate RPC credentials."), p.stderr

        salt = "cafe0123"
        digest = hmac.new(salt.encode(), b"pw-of-bob", hashlib.sha256).hexdigest()
        self.restart_node(0, ["-rpcauth=bob:%s$%s" % (salt, digest)])
        self.check(["-rpcuser=bob", "-rpcpassword=pw-of-bob", "getblockcount"], 0, stdout="5\n")
        self.check(["-rpcuser=bob", "-rpcpassword=pw", "getblockcount"], 1, stderr=AUTH_FAILED)
        self.check(["getblockcount"], 0, stdout="5\n")  # the cookie still works next to -rpcauth
        self.restart_node(0, [])

    def test_rpcwait(self, node):
        self.log.info("-rpcwait before the node starts, -rpcwaittimeout")
        self.stop_node(0)
        self.check(["getblockcount"], 1, stderr=connect_error(node.rpc_port))
        start = time.time()
        self.check(["-rpcwait", "-rpcwaittimeout=2", "getblockcount"], 1, stderr=connect_error(node.rpc_port))
        assert_greater_than_or_equal(time.time() - start, 2)
        waiter = subprocess.Popen([node.cli_binary, "-datadir=" + node.datadir, "-rpcwait", "getblockcount"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiter.poll() is None, "cairn-cli -rpcwait returned before the node started"
        self.start_node(0)
        out, err = waiter.communicate(timeout=30)
        assert_equal((waiter.returncode, out, err), (0, "5\n", ""))


if __name__ == "__main__":
    CairnCliTest().main()
