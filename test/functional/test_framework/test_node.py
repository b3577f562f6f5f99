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

    @property
    def chain_dir(self):
        return os.path.join(self.datadir, {"main": "", "testnet3": "testnet3"}.get(self.chain, self.chain))

    @property
    def debug_log_path(self):
        return os.path.join(self.chain_dir, "debug.log")

    def args(self, extra_args=None):
        return [self.binary, "-datadir=" + self.datadir] + (self.extra_args if extra_args is None else list(extra_args))

    # ---- life cycle ----

    def start(self, extra_args=None, wait_for_rpc=True, env=None):
        self.stdout = tempfile.TemporaryFile(dir=self.datadir, prefix="stdout")
        self.stderr = tempfile.TemporaryFile(dir=self.datadir, prefix="stderr")
        self.process = subprocess.Popen(self.args(extra_args), stdout=self.stdout, stderr=self.stderr, env=env)
        if wait_for_rpc:
            self.wait_for_rpc_connection()

    def wait_for_rpc_connection(self, timeout=60):
        deadline = time.time() + timeout
        cookie = os.path.join(self.chain_dir, ".cookie")
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise FailedToStartError("cairnd exited with status %d during start-up: %s"
                                         % (self.process.returncode, self.read_stderr()))
            if os.path.exists(cookie):
                try:
                    with open(cookie, encoding="utf8") as f:
                        user, password = f.read().strip().split(":", 1)
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
