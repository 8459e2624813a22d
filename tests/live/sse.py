"""A small server-sent-events client over a plain socket, for tests and the benchmark:
it reads exactly what the live server writes, with a deadline on every wait."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Event:
    id: int | None
    event: str
    data: dict[str, Any]


@dataclass
class SSEStream:
    sock: socket.socket
    status: int
    headers: dict[str, str]
    body: bytes = b""
    comments: list[str] = field(default_factory=list)
    raw: bytes = b""
    closed: bool = False
    # Events with an id up to this are skipped: published before the test's own (the poller
    # may still be handing out messages of the setup, e.g. a thread's post.created).
    after: int = 0

    @property
    def chunked(self) -> bool:
        return self.headers.get("transfer-encoding", "").lower() == "chunked"

    def _take(self, data: bytes) -> None:
        """Add bytes read from the socket to the body, removing chunked framing."""
        if not self.chunked:
            self.body += data.replace(b"\r\n", b"\n")
            return
        self.raw += data
        while b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0] or b"0", 16)
            if len(rest) < size + 2:
                return
            self.body += rest[:size].replace(b"\r\n", b"\n")
            self.raw = rest[size + 2 :]
            if size == 0:
                self.closed = True

    def _fill(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            return False
        if not chunk:
            self.closed = True
            raise ConnectionError("the live server closed the stream")
        self._take(chunk)
        if self.closed:
            raise ConnectionError("the live server ended the stream")
        return True

    def text(self, timeout: float = 5.0) -> str:
        """The whole body of a short answer (an error), read to its end."""
        deadline = time.monotonic() + timeout
        try:
            while self._fill(deadline):
                pass
        except ConnectionError:
            pass
        return self.body.decode()

    def next_block(self, timeout: float = 5.0) -> str | None:
        """The next event block (up to a blank line), or None when nothing came in time."""
        deadline = time.monotonic() + timeout
        while b"\n\n" not in self.body:
            if not self._fill(deadline):
                return None
        block, self.body = self.body.split(b"\n\n", 1)
        return block.decode()

    def next_event(self, timeout: float = 5.0) -> Event | None:
        """The next real event (comments and `retry:` lines are recorded and skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            block = self.next_block(max(0.0, deadline - time.monotonic()))
            if block is None:
                return None
            fields: dict[str, str] = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                elif ":" in line:
                    name, value = line.split(":", 1)
                    fields[name] = value.removeprefix(" ")
            if "event" in fields or "data" in fields:
                pk = fields.get("id")
                if pk and int(pk) <= self.after:
                    continue
                return Event(
                    int(pk) if pk else None,
                    fields.get("event", "message"),
                    json.loads(fields.get("data") or "{}"),
                )

    def events(self, timeout: float = 1.0) -> list[Event]:
        """Every event that arrives until `timeout` passes without one."""
        found = []
        while (event := self.next_event(timeout)) is not None:
            found.append(event)
        return found

    def close(self) -> None:
        self.sock.close()


def open_stream(
    port: int,
    query: str = "",
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    after: int = 0,
) -> SSEStream:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    # HTTP/1.0: the body comes as written (no chunked framing) and ends with the connection.
    lines = [f"GET /live/stream?{query} HTTP/1.0", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    raw = b""
    while b"\r\n\r\n" not in raw:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response headers")
        raw += chunk
    head, rest = raw.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, value = line.split(":", 1)
        parsed[name.strip().lower()] = value.strip()
    stream = SSEStream(sock, int(status_line.split()[1]), parsed, after=after)
    stream._take(rest)
    return stream
