"""Local servers and safety nets for the fetcher tests.

Every server here listens on 127.0.0.1 with an ephemeral port. Two autouse guards make
sure no test can reach anything else: the system resolver is replaced by a table the test
fills in, and any socket connect to a non-loopback address fails the test.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from parley.core import netguard

# --- guards -----------------------------------------------------------------------------


@dataclass
class NetGuard:
    names: dict[str, list[str] | Any] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connects: list[Any] = field(default_factory=list)

    def resolve(self, name: str, port: int) -> list[str]:
        self.lookups.append(name)
        answer = self.names.get(name)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test table)")
        if callable(answer):
            return list(answer())
        return list(answer)


@pytest.fixture(autouse=True)
def netguard_table(monkeypatch: pytest.MonkeyPatch) -> NetGuard:
    guard = NetGuard()
    monkeypatch.setattr(netguard, "_system_resolve", guard.resolve)

    real_connect = socket.socket.connect

    def checked_connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            ip = ipaddress.ip_address(str(address[0]).split("%")[0])
            guard.connects.append(str(ip))
            if not ip.is_loopback:
                raise AssertionError(f"test tried to connect to non-loopback {ip}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", checked_connect)
    return guard


# --- servers ----------------------------------------------------------------------------


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.parley_seen.append(
            Seen(path=self.path, headers={k.lower(): v for k, v in self.headers.items()})
        )
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if path == "/ok":
            self._send(200, b"<html><title>ok</title></html>")
        elif path == "/latin1":
            self._send(200, "caf\u00e9".encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/echo":
            self._send(200, json.dumps(dict(self.headers.items())).encode(), "application/json")
        elif path == "/cookie":
            self.send_response(302)
            self.send_header("Set-Cookie", "session=secret; Path=/")
            self.send_header("Location", "/echo")
            self.end_headers()
        elif path == "/redirect":
            self._redirect(query["to"], int(query.get("status", "302")))
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left:
                self._redirect(f"/chain/{left - 1}")
            else:
                self._send(200, b"end of chain")
        elif path == "/no-location":
            self.send_response(302)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"status")
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(2000):  # bounded: at most ~130 MB, stops when the client hangs up
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", "50000000")
            self.end_headers()
            self.wfile.write(b"y" * 1000)
        elif path == "/gzip":
            body = gzip.compress(b"<p>compressed hello</p>" * 10)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/gzip-bomb":
            body = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/brotli":
            self.send_response(200)
            self.send_header("Content-Encoding", "br")
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"abc")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.flush()
            self._trickle(b"a" * 100)
        elif path == "/slow-headers":
            self._trickle(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: y\r\n" * 50)
        else:
            self._send(404, b"not found")

    def do_POST(self) -> None:
        self.server.parley_seen.append(
            Seen(path=self.path, headers={k.lower(): v for k, v in self.headers.items()})
        )
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = urlsplit(self.path).path
        if path == "/echo":
            answer = {"headers": dict(self.headers.items()), "body": body.hex()}
            self._send(201, json.dumps(answer).encode(), "application/json")
        elif path.startswith("/status/"):
            status = int(path.rsplit("/", 1)[1])
            self.send_response(status)
            self.send_header("Retry-After", "120")
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"status")
        elif path == "/redirect":
            self._redirect("/echo", 307)
        elif path == "/big":
            self._send(200, b"z" * 200_000, "text/plain")
        else:
            self._send(404, b"not found")

    def _trickle(self, data: bytes) -> None:
        try:
            for i in range(len(data)):  # one byte every 0.2 s, 20 s at most
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


class LocalServer:
    class HTTPServer(ThreadingHTTPServer):
        daemon_threads = True
        parley_seen: list[Seen]

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.httpd = self.HTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.parley_seen = []
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port: int = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def seen(self) -> list[Seen]:
        return self.httpd.parley_seen

    def url(self, path: str = "/ok", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server(settings: Any) -> Iterator[LocalServer]:
    """A server whose port is on the test allow-list."""
    srv = LocalServer()
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {srv.port}
    yield srv
    srv.stop()


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    """A server on a port that is NOT on the allow-list: it must never see a request."""
    srv = LocalServer()
    yield srv
    srv.stop()


# --- TLS --------------------------------------------------------------------------------


@dataclass
class TestPKI:
    ca: Path
    cert: Path
    key: Path
    hostname: str = "news.parley.test"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a throw-away certificate")
    d = tmp_path_factory.mktemp("pki")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Parley Test CA")  # fmt: skip
    run("req", *ec, "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=news.parley.test")
    (d / "ext.cnf").write_text(
        "subjectAltName=DNS:news.parley.test\n"
        "basicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
    )
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    return TestPKI(ca=d / "ca.pem", cert=d / "srv.pem", key=d / "srv.key")


@dataclass
class TLSServer:
    server: LocalServer
    sni: list[str | None]


@pytest.fixture
def tls_server(settings: Any, pki: TestPKI) -> Iterator[TLSServer]:
    sni: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.cert, pki.key)

    def remember(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, ctx: Any) -> None:
        sni.append(name)

    context.sni_callback = remember  # type: ignore[assignment]
    srv = LocalServer(ssl_context=context)
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = {srv.port}
    yield TLSServer(server=srv, sni=sni)
    srv.stop()
