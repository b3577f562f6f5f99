"""One cairnd process under test: start, RPC, stop, and checks of its exit."""

import os
import subprocess
import tempfile
import time
import urllib.parse

from .authproxy import AuthServiceProxy, JSONRPCException
from .util import rpc_port, p2p_port, wait_until


class FailedToStartError(Exception):
    pass


class TestNode:
    def __init__(self, index, datadir, binary, chain="regtest", extra_args=None, rpc_timeout=60):
        self.index = index
        self.datadir = datadir
        self.binary = binary
        self.chain = chain
        self.extra_args = list(extra_args or [])
        self.rpc_timeout = rpc_timeout
        self.process = None
        self.rpc = None
        self.stdout = None
        self.stderr = None
        self.p2p_port = p2p_port(index)
        self.rpc_port = rpc_port(index)
        self.p2ps = []  # framework P2P peers connected to this node (add_p2p_connection)
        self.auto_bind = True  # add the loopback -bind below (a test of the node's own defaults turns it off)

    @property
    def chain_dir(self):
        return os.path.join(self.datadir, {"main": "", "testnet3": "testnet3"}.get(self.chain, self.chain))

    @property
    def debug_log_path(self):
        return os.path.join(self.chain_dir, "debug.log")

    def args(self, extra_args=None):
        extra = list(self.extra_args if extra_args is None else extra_args)
        # As Bitcoin Core's framework: a node that will listen gets an explicit -bind on the command line
        # (here on loopback only), which also keeps it listening with -connect or -proxy.
        will_listen = all(a not in ("-nolisten", "-listen=0") for a in extra)
        if self.auto_bind and will_listen and not any(a.startswith("-bind=") for a in extra):
            extra.append("-bind=127.0.0.1:%d" % self.p2p_port)
        return [self.binary, "-datadir=" + self.datadir] + extra

    # ---- life cycle ----

    def start(self, extra_args=None, wait_for_rpc=True, env=None):
        self.current_args = self.extra_args if extra_args is None else list(extra_args)
        self.stdout = tempfile.TemporaryFile(dir=self.datadir, prefix="stdout")
        self.stderr = tempfile.TemporaryFile(dir=self.datadir, prefix="stderr")
        self.process = subprocess.Popen(self.args(extra_args), stdout=self.stdout, stderr=self.stderr, env=env)
        if wait_for_rpc:
            self.wait_for_rpc_connection()

    def credentials(self):
        """-rpcuser/-rpcpassword from the arguments, else the cookie (None if not there yet)."""
        opts = {}
        for a in getattr(self, "current_args", self.extra_args):
            if "=" in a:
                k, v = a.split("=", 1)
                opts[k.lstrip("-")] = v
        if "rpcuser" in opts and "rpcpassword" in opts:
            return opts["rpcuser"], opts["rpcpassword"]
        cookie = os.path.join(self.chain_dir, ".cookie")
        if not os.path.exists(cookie):
            return None
        with open(cookie, encoding="utf8") as f:
            text = f.read().strip()
        return tuple(text.split(":", 1)) if ":" in text else None

    def wait_for_rpc_connection(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise FailedToStartError("cairnd exited with status %d during start-up: %s"
                                         % (self.process.returncode, self.read_stderr()))
            creds = self.credentials()
            if creds:
                try:
                    user, password = creds
                    url = "http://%s:%s@127.0.0.1:%d" % (urllib.parse.quote(user), urllib.parse.quote(password), self.rpc_port)
                    rpc = AuthServiceProxy(url, timeout=self.rpc_timeout)
                    rpc.getblockcount()
                    self.rpc = rpc
                    return
                except JSONRPCException as e:
                    if e.error.get("code") != -28:  # warming up
                        raise
                except (OSError, ValueError):
                    pass
            time.sleep(0.05)
        raise FailedToStartError("cairnd RPC did not come up within %ds" % timeout)

    # ---- cairn-cli (built in the same folder as cairnd) ----

    @property
    def cli_binary(self):
        return os.path.join(os.path.dirname(self.binary), "cairn-cli")

    def run_cli(self, *args, input=None, timeout=60):
        """Runs cairn-cli -datadir=<datadir> args...; returns the CompletedProcess (text mode)."""
        return subprocess.run([self.cli_binary, "-datadir=" + self.datadir] + [str(a) for a in args],
                              input=input, capture_output=True, text=True, timeout=timeout)

    def cli(self, *args, input=None):
        """cairn-cli's output parsed as JSON, else its text without the final newline.
        An RPC error raises JSONRPCException; any other failure CalledProcessError."""
        import decimal, json, re
        p = self.run_cli(*args, input=input)
        if p.returncode:
            m = re.match(r"error code: ([-0-9]+)\nerror message:\n(.*)\n$", p.stderr, re.S)
            if m:
                raise JSONRPCException({"code": int(m.group(1)), "message": m.group(2)})
            raise subprocess.CalledProcessError(p.returncode, self.cli_binary, output=p.stdout, stderr=p.stderr)
        try:
            return json.loads(p.stdout, parse_float=decimal.Decimal)
        except ValueError:
            return p.stdout[:-1] if p.stdout.endswith("\n") else p.stdout

    def rpc_url(self, user, password):
        return "http://%s:%s@127.0.0.1:%d" % (urllib.parse.quote(user), urllib.parse.quote(password), self.rpc_port)

    def __getattr__(self, name):
        if name.startswith("_") or self.rpc is None:
            raise AttributeError(name)
        return getattr(self.rpc, name)

    def stop_node(self, expected_stderr="", timeout=60):
        if self.process is None:
            return
        try:
            self.rpc.stop()
        except (JSONRPCException, OSError):
            pass
        self.wait_until_stopped(timeout)
        stderr = self.read_stderr()
        if expected_stderr is not None and stderr != expected_stderr:
            raise AssertionError("unexpected stderr %r != %r" % (stderr, expected_stderr))

    def wait_until_stopped(self, timeout=60, expected_ret_code=0):
        try:
            ret = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("cairnd did not stop within %ds" % timeout)
        if expected_ret_code is not None and ret != expected_ret_code:
            raise AssertionError("cairnd exited with %d, expected %d: %s" % (ret, expected_ret_code, self.read_stderr()))
        self._forget()
        return ret

    def kill(self):
        """kill -9, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._forget()

    def _forget(self):
        if self.rpc is not None:
            self.rpc.close()
        self.rpc = None
        self.process = None

    def read_stderr(self):
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf8", "replace").strip()

    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def assert_start_raises_init_error(self, extra_args=None, expected_msg=None, match="full"):
        """Starts cairnd expecting it to fail; checks stderr (full text, or a
        substring with match="partial")."""
        self.stdout = tempfile.TemporaryFile(dir=self.datadir, prefix="stdout")
        self.stderr = tempfile.TemporaryFile(dir=self.datadir, prefix="stderr")
        proc = subprocess.Popen(self.args(extra_args), stdout=self.stdout, stderr=self.stderr)
        try:
            ret = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError("cairnd should have exited with an error")
        self.process = None
        if ret == 0:
            raise AssertionError("cairnd should have exited with an error")
        stderr = self.read_stderr()
        if expected_msg is not None:
            if match == "full" and stderr != expected_msg:
                raise AssertionError("expected stderr %r, got %r" % (expected_msg, stderr))
            if match == "partial" and expected_msg not in stderr:
                raise AssertionError("expected %r in stderr %r" % (expected_msg, stderr))
        return stderr

    def debug_log_contains(self, text):
        try:
            with open(self.debug_log_path, encoding="utf8", errors="replace") as f:
                return text in f.read()
        except FileNotFoundError:
            return False

    def wait_for_debug_log(self, text, timeout=30):
        wait_until(lambda: self.debug_log_contains(text), timeout, what="%r in debug.log" % text)

    def assert_debug_log(self, expected_msgs, unexpected_msgs=None, timeout=2):
        """Context manager: every expected text must appear in debug.log (within timeout
        after the block ends) among the lines written during the block, no unexpected one."""
        return _DebugLogCheck(self, expected_msgs, unexpected_msgs or [], timeout)

    # ---- the framework's P2P peers (test_framework/p2p.py)

    def add_p2p_connection(self, p2p_conn, *, wait_for_verack=True, **kwargs):
        """Connects p2p_conn (a P2PInterface) to this node's P2P port; waits for the
        handshake and a ping round-trip unless wait_for_verack=False."""
        kwargs.setdefault("dstaddr", "127.0.0.1")
        kwargs.setdefault("dstport", self.p2p_port)
        kwargs.setdefault("net", self.chain)
        p2p_conn.peer_connect(**kwargs)
        p2p_conn.wait_for_connect()
        self.p2ps.append(p2p_conn)
        if wait_for_verack:
            p2p_conn.wait_for_verack()
            p2p_conn.sync_with_ping()
        return p2p_conn

    def add_outbound_p2p_connection(self, p2p_conn, *, connection_type="outbound-full-relay", **kwargs):
        """Has the node open a connection to p2p_conn (through the addconnection RPC)
        on a listener of our own; returns once the handshake is done."""
        from .p2p import listen
        listener = listen(lambda: p2p_conn, net=self.chain, **kwargs)
        try:
            self.addconnection("127.0.0.1:%d" % listener.port, connection_type, False)
            listener.wait_for_peers(1)
            p2p_conn.wait_for_verack()
            p2p_conn.sync_with_ping()
        finally:
            listener.close()  # the accepted connection stays open
        self.p2ps.append(p2p_conn)
        return p2p_conn

    @property
    def p2p(self):
        assert self.p2ps, "no p2p connection"
        return self.p2ps[0]

    def disconnect_p2ps(self, timeout=60):
        """Closes every framework peer and waits until the sockets are closed."""
        for p in self.p2ps:
            p.peer_disconnect()
        for p in self.p2ps:
            p.wait_for_disconnect(timeout)
        del self.p2ps[:]
        # And until the node has let go of them too: connection slots (addconnection's
        # capacity, inbound limits) are counted on its side.
        from .p2p import P2P_SUBVERSION
        wait_until(lambda: not any(p["subver"] == P2P_SUBVERSION.decode() for p in self.getpeerinfo()), timeout,
                   what="the node dropped the framework's peers")


class _DebugLogCheck:
    def __init__(self, node, expected, unexpected, timeout):
        self.node = node
        self.expected = list(expected)
        self.unexpected = list(unexpected)
        self.timeout = timeout

    def _read(self):
        try:
            with open(self.node.debug_log_path, "rb") as f:
                f.seek(self.start)
                return f.read().decode("utf8", "replace")
        except FileNotFoundError:
            return ""

    def __enter__(self):
        try:
            self.start = os.path.getsize(self.node.debug_log_path)
        except OSError:
            self.start = 0
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False
        deadline = time.time() + self.timeout
        while True:
            text = self._read()
            for u in self.unexpected:
                if u in text:
                    raise AssertionError("unexpected %r in debug.log" % u)
            missing = [e for e in self.expected if e not in text]
            if not missing:
                return False
            if time.time() > deadline:
                raise AssertionError("expected %r not in debug.log; new lines:\n%s" % (missing, text[-4000:]))
            time.sleep(0.05)
