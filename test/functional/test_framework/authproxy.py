"""A JSON-RPC client for cairnd (and bitcoind): one HTTP/1.1 connection,
basic authentication, JSON-RPC 1.0 or 2.0 requests, amounts as Decimal."""

import base64
import decimal
import http.client
import json
import urllib.parse


class JSONRPCException(Exception):
    """An error object returned by the server (code, message), or a transport error."""

    def __init__(self, rpc_error, http_status=None):
        try:
            msg = "%(message)s (%(code)i)" % rpc_error
        except (KeyError, TypeError):
            msg = str(rpc_error)
        super().__init__(msg)
        self.error = rpc_error
        self.http_status = http_status


def _prepare(obj):
    # json cannot emit a bare number from a str subclass, so mark and strip.
    if isinstance(obj, decimal.Decimal):
        return "\u0000RAW" + str(obj) + "RAW\u0000"
    if isinstance(obj, dict):
        return {k: _prepare(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_prepare(v) for v in obj]
    return obj


def encode_json(obj):
    text = json.dumps(_prepare(obj))
    return text.replace('"\\u0000RAW', "").replace('RAW\\u0000"', "")


class AuthServiceProxy:
    """node.getblockcount() style calls; proxy.batch([...]) for batches."""

    def __init__(self, url, service_name=None, timeout=60, version="1.0", _conn=None, _id=None):
        self._url = urllib.parse.urlparse(url)
        self._service_name = service_name
        self._timeout = timeout
        self._version = version
        user = urllib.parse.unquote(self._url.username or "")
        passwd = urllib.parse.unquote(self._url.password or "")
        self._auth = b"Basic " + base64.b64encode(f"{user}:{passwd}".encode())
        self._conn = _conn
        self._id = _id if _id is not None else [0]

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        full = name if self._service_name is None else self._service_name + "." + name
        return AuthServiceProxy(self._url.geturl(), full, self._timeout, self._version, self._connection(), self._id)

    def _connection(self):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._url.hostname, self._url.port, timeout=self._timeout)
        return self._conn

    def _request(self, body, path=None):
        conn = self._connection()
        headers = {"Host": self._url.hostname, "User-Agent": "cairn-test", "Authorization": self._auth,
                   "Content-type": "application/json"}
        target = path if path is not None else (self._url.path or "/")
        try:
            conn.request("POST", target, body, headers)
            resp = conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed a kept-alive connection; retry once on a new one.
            conn.close()
            conn.request("POST", target, body, headers)
            resp = conn.getresponse()
        data = resp.read()
        return resp, data

    def __call__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("use positional or named arguments, not both")
        self._id[0] += 1
        req = {"method": self._service_name, "params": kwargs or list(args), "id": self._id[0]}
        if self._version == "2.0":
            req["jsonrpc"] = "2.0"
        resp, data = self._request(encode_json(req).encode())
        if resp.status == 401:
            raise JSONRPCException({"code": -342, "message": "non-JSON HTTP response with '401 Unauthorized'"}, 401)
        ctype = resp.getheader("Content-Type", "")
        if ctype != "application/json":
            raise JSONRPCException({"code": -342, "message": "non-JSON HTTP response with '%d %s' from server: %r"
                                    % (resp.status, resp.reason, data[:200])}, resp.status)
        reply = json.loads(data.decode(), parse_float=decimal.Decimal)
        if reply.get("error") is not None:
            raise JSONRPCException(reply["error"], resp.status)
        if "result" not in reply:
            raise JSONRPCException({"code": -343, "message": "missing JSON-RPC result"}, resp.status)
        return reply["result"]

    def batch(self, requests):
        """requests: list of dicts (method, params, id); returns the reply list."""
        resp, data = self._request(encode_json(requests).encode())
        return json.loads(data.decode(), parse_float=decimal.Decimal)

    def raw(self, body, path=None, headers_auth=True):
        """POSTs raw bytes; returns (status, headers dict, body bytes)."""
        resp, data = self._request(body, path)
        return resp.status, dict(resp.getheaders()), data

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
