"""The live server: a plain ASGI application (no framework) that uvicorn serves beside
gunicorn. `GET /live/stream?thread=…&forum=…&member=…` answers `text/event-stream`.

Each stream: reserve a slot for the client address (at most PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS),
authorise once (session cookie → member → the Guardian, in a thread, connection closed
after), register with the hub, replay what the page missed since `Last-Event-ID` (or
`?last=`), then wait: messages as they come, a keep-alive comment every
PARLEY_LIVE_KEEPALIVE_SECONDS, and an end after PARLEY_LIVE_MAX_SECONDS so that a page
reconnects and is authorised afresh (permissions change)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, parse_cookie
from django.http.request import validate_host

from .access import MAX_FORUMS, MAX_THREADS, Refused, authorise, parse_ids
from .hub import Hub, Stream
from .transport import Message, Transport, current

log = logging.getLogger(__name__)

Scope = dict[str, Any]
PREFIX = "/live/"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def client_address(scope: Scope, headers: dict[str, str]) -> str:
    """The same client address rate limits use (docs/limits.md), from the ASGI scope."""
    from parley.core.clientip import client_ip

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = (scope.get("client") or ("", 0))[0] or ""
    if "x-forwarded-for" in headers:
        request.META["HTTP_X_FORWARDED_FOR"] = headers["x-forwarded-for"]
    return client_ip(request)


def allowed_origin(origin: str) -> bool:
    """Pages of this site only: an origin whose host Django would serve, or a trusted one."""
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return validate_host(host, settings.ALLOWED_HOSTS)


def _cors(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    origin = headers.get("origin")
    if not origin:
        return []
    return [
        (b"access-control-allow-origin", origin.encode("latin-1")),
        (b"access-control-allow-credentials", b"true"),
        (b"vary", b"Origin"),
    ]


async def _plain(send: Any, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-store"),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LiveApp:
    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or current()
        self.hub = Hub(self.transport)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            try:
                await self._http(scope, receive, send)
            except asyncio.CancelledError:
                # The server is shutting down and its grace period is over: open streams end
                # here, quietly (each page reconnects, to this server's successor).
                return

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.hub.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Any, send: Any) -> None:
        headers = _headers(scope)
        path, method = scope["path"], scope["method"]
        origin = headers.get("origin")
        if origin and not allowed_origin(origin):
            await _plain(send, 403, "This origin may not open live streams.", [])
            return
        cors = _cors(headers)
        if path == PREFIX + "health" and method == "GET":
            body = {"streams": len(self.hub.streams), "transport": self.transport.name}
            await _plain(send, 200, json.dumps(body), cors)
        elif path != PREFIX + "stream":
            await _plain(send, 404, "Not found.", cors)
        elif method == "OPTIONS":  # a preflight, should a browser send one for Last-Event-ID
            allow = [
                (b"access-control-allow-methods", b"GET"),
                (b"access-control-allow-headers", b"Last-Event-ID, Cache-Control"),
                (b"access-control-max-age", b"600"),
            ]
            await _plain(send, 204, "", cors + allow)
        elif method != "GET":
            await _plain(send, 405, "Use GET.", [*cors, (b"allow", b"GET, OPTIONS")])
        else:
            await self._stream(scope, headers, cors, receive, send)

    async def _stream(
        self,
        scope: Scope,
        headers: dict[str, str],
        cors: list[tuple[bytes, bytes]],
        receive: Any,
        send: Any,
    ) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        try:
            threads = parse_ids(query.get("thread", []), MAX_THREADS, "threads")
            forums = parse_ids(query.get("forum", []), MAX_FORUMS, "forums")
            members = parse_ids(query.get("member", []), 1, "members")
            last = _last_event_id(query, headers)
        except Refused as refused:
            await _plain(send, refused.status, refused.message, cors)
            return
        address = client_address(scope, headers)
        cap = settings.PARLEY_LIVE_MAX_STREAMS_PER_ADDRESS
        if not self.hub.reserve(address, cap):
            retry = [(b"retry-after", b"30")]
            await _plain(send, 429, f"At most {cap} live streams per address.", cors + retry)
            return
        try:
            session = parse_cookie(headers.get("cookie", "")).get(settings.SESSION_COOKIE_NAME)
            try:
                grant = await sync_to_async(authorise, thread_sensitive=False)(
                    session, threads, forums, members
                )
            except Refused as refused:
                await _plain(send, refused.status, refused.message, cors)
                return
            except Exception:  # the database is away: say so; the page retries later
                log.exception("could not authorise a live stream")
                retry = [(b"retry-after", b"30")]
                await _plain(send, 503, "Live updates are unavailable for now.", cors + retry)
                return
            stream = Stream(address, grant.channels, lifetime=settings.PARLEY_LIVE_MAX_SECONDS)
            self.hub.add(stream)
            try:
                await self._run(stream, last, cors, receive, send)
            finally:
                self.hub.remove(stream)
        finally:
            self.hub.release(address)

    async def _run(
        self,
        stream: Stream,
        last: int,
        cors: list[tuple[bytes, bytes]],
        receive: Any,
        send: Any,
    ) -> None:
        # Registered before the backlog is read: nothing published meanwhile is lost, and
        # what arrives twice is skipped by id.
        backlog: list[Message] = []
        complete = True
        if last and stream.channels:
            backlog, complete = await self.transport.since(stream.channels, last)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-store"),
                    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
                    *cors,
                ],
            }
        )
        first = [b"retry: 3000\n: connected\n\n"]
        if not complete:
            first.append(b"event: live.gap\ndata: {}\n\n")
        for missed in backlog:
            first.append(missed.sse())
            last = max(last, missed.id)
        await send({"type": "http.response.body", "body": b"".join(first), "more_body": True})

        watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, stream))
        try:
            while (item := await stream.queue.get()) is not None:
                if isinstance(item, Message):
                    if item.id <= last:
                        continue  # already sent from the backlog
                    last = item.id
                    body = item.sse()
                    stream.quiet_since = time.monotonic()
                else:
                    body = item  # a keep-alive comment
                await send({"type": "http.response.body", "body": body, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the client went away mid-write
        finally:
            stream.end()
            watcher.cancel()


async def _watch_disconnect(receive: Any, stream: Stream) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            stream.end()
            return


def _last_event_id(query: dict[str, list[str]], headers: dict[str, str]) -> int:
    """Where to resume: the browser's Last-Event-ID header (its own reconnect) or `?last=`
    (ours, after a back-off)."""
    raw = headers.get("last-event-id") or (query.get("last") or [""])[-1]
    raw = raw.strip()
    if not raw:
        return 0
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise Refused(400, "Last-Event-ID must be a message id (a whole number).")
    return int(raw)
