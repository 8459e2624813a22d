"""A local outlet on 127.0.0.1 serving feeds the tests write, answering conditional GETs
as real servers do, and a webhook receiver that checks signatures."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Doc:
    body: bytes
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    location: str = ""
    etag: str = ""
    last_modified: str = ""
    delay: float = 0.0  # seconds before answering: a server that hangs


@dataclass
class Outlet:
    port: int
    docs: dict[str, Doc] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: str | bytes, **kwargs: Any) -> str:
        self.docs[path] = Doc(body.encode() if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _outlet_handler(outlet: Outlet) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            outlet.requests.append((self.path, headers))
            doc = outlet.docs.get(self.path)
            if doc is None:
                doc = Doc(b"not found", status=404, content_type="text/plain")
            if doc.delay:
                outlet.release.wait(doc.delay)
            not_modified = (doc.etag and headers.get("if-none-match") == doc.etag) or (
                doc.last_modified and headers.get("if-modified-since") == doc.last_modified
            )
            status = 304 if not_modified else doc.status
            self.send_response(status)
            if doc.location:
                self.send_header("Location", doc.location)
            if doc.etag:
                self.send_header("ETag", doc.etag)
            if doc.last_modified:
                self.send_header("Last-Modified", doc.last_modified)
            body = b"" if status == 304 else doc.body
            self.send_header("Content-Type", doc.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the fetcher gave up waiting
                self.wfile.write(body)

    return Handler


@dataclass
class Receiver:
    """A webhook receiver that verifies each delivery as the docs tell receivers to."""

    port: int
    secret: str = ""
    status: int = 204
    retry_after: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _receiver_handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    from parley.webhooks import signing

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            valid = signing.verify(
                receiver.secret,
                timestamp=self.headers.get(signing.TIMESTAMP_HEADER, ""),
                body=body,
                signature_header=self.headers.get(signing.SIGNATURE_HEADER, ""),
                now=time.time(),
                tolerance=300,
            )
            receiver.received.append(
                {
                    "valid": valid,
                    "body": body,
                    "event": self.headers.get(signing.EVENT_HEADER, ""),
                    "timestamp": self.headers.get(signing.TIMESTAMP_HEADER, ""),
                    "signature": self.headers.get(signing.SIGNATURE_HEADER, ""),
                }
            )
            status = receiver.status if valid else 401
            self.send_response(status)
            if receiver.retry_after:
                self.send_header("Retry-After", receiver.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def _serve(handler_for: Any, state_factory: Any, settings: Any) -> Iterator[Any]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    state = state_factory(httpd.server_address[1])
    httpd.RequestHandlerClass = handler_for(state)
    ports = set(getattr(settings, "PARLEY_FETCH_ALLOW_LOOPBACK_PORTS", set()))
    settings.PARLEY_FETCH_ALLOW_LOOPBACK_PORTS = ports | {state.port}
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        if isinstance(state, Outlet):
            state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def outlet(settings: Any) -> Iterator[Outlet]:
    yield from _serve(_outlet_handler, lambda port: Outlet(port=port), settings)


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    yield from _serve(_receiver_handler, lambda port: Receiver(port=port), settings)
