"""A small SOCKS5 proxy for tests (RFC 1928, with RFC 1929 username/password).

Socks5Server listens on conf.addr (or a local socket path with AF_UNIX), answers the method selection (no auth
and/or username/password, as conf says), records each CONNECT request as a
Socks5Command in .queue, then:
  * if conf.destinations maps the requested (addr bytes, port) to a real
    (host, port), connects there, answers success and relays both ways, so
    a node can complete a P2P handshake through it;
  * if it maps to bytes, sends those bytes as the reply and hangs up (a
    malformed or hostile proxy);
  * otherwise answers conf.fail_reply (default 0x04, host unreachable).
Only the standard library; one thread per connection.
"""

import queue
import select
import socket
import struct
import threading


class AddressType:
    IPV4 = 0x01
    DOMAINNAME = 0x03
    IPV6 = 0x04


class Socks5Command:
    def __init__(self, cmd, atyp, addr, port, username, password):
        self.cmd = cmd
        self.atyp = atyp
        self.addr = addr          # bytes: the name, or the packed IPv4/IPv6 address
        self.port = port
        self.username = username  # None without RFC 1929 auth
        self.password = password

    def __repr__(self):
        return "Socks5Command(%s,%s,%s,%s,%s,%s)" % (self.cmd, self.atyp, self.addr, self.port,
                                                     self.username, self.password)


class Socks5Configuration:
    def __init__(self):
        self.addr = None          # (host, port) to listen on
        self.af = socket.AF_INET
        self.unauth = True        # accept "no authentication"
        self.auth = False         # accept username/password
        self.destinations = {}    # (addr bytes, port) -> (host, port) to relay to, or bytes to reply
        self.fail_reply = 0x04


def _recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise IOError("connection closed by the client")
        out += chunk
    return out


def _relay(a, b):
    socks = [a, b]
    try:
        while True:
            ready, _, _ = select.select(socks, [], [], 1)
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        pass


class Socks5Server:
    def __init__(self, conf):
        self.conf = conf
        self.queue = queue.Queue()
        self.sock = socket.socket(conf.af, socket.SOCK_STREAM)
        if conf.af != socket.AF_UNIX:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(conf.addr)  # (host, port), or a path for AF_UNIX
        self.sock.listen(16)
        self.running = False
        self.thread = None
        self.conns = []
        self.lock = threading.Lock()

    def start(self):
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        self.running = False
        # Wake accept() by connecting once.
        try:
            if self.conf.af == socket.AF_UNIX:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(self.conf.addr)
            else:
                socket.create_connection(self.conf.addr[:2], timeout=1).close()
        except OSError:
            pass
        self.thread.join()
        self.sock.close()
        with self.lock:
            for c in self.conns:
                try:
                    c.close()
                except OSError:
                    pass

    def _run(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if not self.running:
                conn.close()
                return
            with self.lock:
                self.conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            ver, nmethods = _recv_exact(conn, 2)
            if ver != 5:
                raise IOError("not SOCKS5")
            methods = _recv_exact(conn, nmethods)
            if self.conf.auth and 0x02 in methods:
                method = 0x02
            elif self.conf.unauth and 0x00 in methods:
                method = 0x00
            else:
                conn.sendall(b"\x05\xff")
                raise IOError("no acceptable method")
            conn.sendall(bytes([5, method]))
            username = password = None
            if method == 0x02:
                ver, ulen = _recv_exact(conn, 2)
                username = _recv_exact(conn, ulen).decode()
                plen = _recv_exact(conn, 1)[0]
                password = _recv_exact(conn, plen).decode()
                conn.sendall(b"\x01\x00")
            ver, cmd, _, atyp = _recv_exact(conn, 4)
            if atyp == AddressType.IPV4:
                addr = _recv_exact(conn, 4)
            elif atyp == AddressType.IPV6:
                addr = _recv_exact(conn, 16)
            elif atyp == AddressType.DOMAINNAME:
                addr = _recv_exact(conn, _recv_exact(conn, 1)[0])
            else:
                raise IOError("unknown address type %d" % atyp)
            (port,) = struct.unpack(">H", _recv_exact(conn, 2))
            self.queue.put(Socks5Command(cmd, atyp, addr, port, username, password))
            dest = self.conf.destinations.get((addr, port))
            if isinstance(dest, bytes):
                conn.sendall(dest)
                return
            if dest is None:
                conn.sendall(bytes([5, self.conf.fail_reply, 0, 1, 0, 0, 0, 0, 0, 0]))
                return
            try:
                remote = socket.create_connection(dest, timeout=5)
                remote.settimeout(None)
            except OSError:
                conn.sendall(bytes([5, 0x05, 0, 1, 0, 0, 0, 0, 0, 0]))
                return
            with self.lock:
                self.conns.append(remote)
            conn.sendall(bytes([5, 0, 0, 1, 127, 0, 0, 1]) + struct.pack(">H", dest[1]))
            _relay(conn, remote)
            remote.close()
        except (IOError, OSError, ValueError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass
