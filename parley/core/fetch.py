"""The safe fetcher: the only way Parley reaches the outside world.

    result = fetch("https://news.example/story", max_bytes=2_000_000, deadline=10.0)
    answer = post("https://push.example/send/abc", body=b"...", headers={"TTL": "60"})

`fetch` GETs and follows redirects; `post` sends a body with the caller's headers and never
follows a redirect (re-sending a body to wherever a server points is not something any
caller needs). Both go through the same vetting and transport.

What it guarantees (see docs/fetcher.md for the reasoning):

* Only http and https, only ports 80 and 443, no user name or password in the URL.
* The host is resolved exactly once per hop; if *any* address is not public (see
  `parley.core.netguard.blocked_reason`) nothing is sent. The connection then goes to one
  of those vetted addresses — the HTTP layer never resolves names itself, so a DNS answer
  that changes between the check and the connection (DNS rebinding) has nothing to act on.
  The Host header, TLS SNI and certificate check still use the original host name.
* Redirects are followed by hand, at most 5, and every hop is vetted from scratch.
* One wall-clock deadline covers DNS, connect, TLS, every hop and the whole body: every
  socket operation gets at most the time that is left, so a server that trickles bytes is
  cut off at the deadline. The body (before and after gzip/deflate decoding) is capped.
* No cookies, no credentials in URLs, no proxies from the environment, an honest
  User-Agent. Caller headers (`post`) cannot replace Host, User-Agent, the framing headers
  or Accept-Encoding, nor add a Cookie.

This module reads `django.conf.settings` for one test-only escape hatch and never touches
the ORM.
"""

from __future__ import annotations

import codecs
import functools
import ipaddress
import ssl
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from parley.core import netguard
from parley.core.netguard import IPAddress

__all__ = [
    "DEFAULT_ACCEPT",
    "USER_AGENT",
    "Deadline",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "fetch",
    "post",
]

USER_AGENT = "ParleyBot/0.1 (+link preview; https://github.com/parley)"
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_MAX_URL_LENGTH = 8192
_LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
_CHUNK = 65536


class FetchError(Exception):
    """A fetch that was refused or failed.

    `reason` is a short machine code: blocked_address, bad_scheme, bad_port, bad_url,
    too_many_redirects, too_large, timeout, dns, connect, tls, network, protocol,
    bad_encoding, http_status. `str(error)` is a message a person can read.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.url = url
        self.status = status
        # For http_status: the answer's headers (lower-case names), e.g. Retry-After.
        self.headers: Mapping[str, str] = headers or {}

    def __repr__(self) -> str:
        return f"FetchError({self.reason!r}, {self.message!r})"


@dataclass(frozen=True)
class FetchPolicy:
    """What a caller may relax or tighten. Schemes are always limited to http and https."""

    schemes: frozenset[str] = _SCHEMES
    ports: frozenset[int] = frozenset({80, 443})
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    # None means the certifi bundle (through httpx); tests pass a context that trusts a
    # throw-away CA. Certificate and host name checks can never be switched off.
    ssl_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class FetchResult:
    final_url: str
    status: int
    headers: Mapping[str, str]  # lower-case names; repeated headers joined with ", "
    content: bytes  # decoded from gzip/deflate if the server used them
    content_type: str  # lower-case media type without parameters, "" if absent
    charset: str | None  # a charset Python knows, from the Content-Type header
    redirects: list[str] = field(default_factory=list)  # URLs that answered with a redirect

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8, never raising."""
        return self.content.decode(self.charset or "utf-8", errors="replace")


class Deadline:
    """One wall-clock budget shared by several fetches (a link's page, its oEmbed answer and
    its lead image): each fetch stops at its own deadline or this one, whichever is sooner,
    so together they can never take longer than `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.0)


# --- settings ---------------------------------------------------------------------------


def _loopback_ports() -> frozenset[int]:
    """Ports on which 127.0.0.1 may be fetched. Test-only; production never sets it."""
    from django.conf import settings

    if not settings.configured:
        return frozenset()
    ports = getattr(settings, "PARLEY_FETCH_ALLOW_LOOPBACK_PORTS", None) or ()
    return frozenset(int(p) for p in ports)


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    context = httpx.create_ssl_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


# --- vetting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    scheme: str
    host: str  # ASCII name or IP literal, no brackets, no trailing dot
    port: int
    addresses: tuple[IPAddress, ...]
    host_header: str
    path: bytes  # path and query, percent-encoded


def _remaining(deadline_at: float) -> float:
    return deadline_at - time.monotonic()


def _vet(
    url: httpx.URL,
    *,
    policy: FetchPolicy,
    loopback_ports: frozenset[int],
    deadline_at: float,
) -> _Target:
    """Check one hop's URL and resolve its host once; raise FetchError to refuse."""
    text = str(url)
    scheme = url.scheme
    if scheme not in (policy.schemes & _SCHEMES):
        raise FetchError("bad_scheme", "Only http and https addresses are fetched.", url=text)
    if url.userinfo:
        raise FetchError(
            "bad_url", "Addresses with a user name or password are not fetched.", url=text
        )
    try:
        host = netguard.parse_host(url.raw_host.decode("ascii"))
    except (netguard.HostError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "reason", "bad_url")
        raise FetchError(reason, f"Refused host: {exc}", url=text) from None

    port = url.port if url.port is not None else _DEFAULT_PORTS[scheme]
    via_escape_hatch = port not in policy.ports
    if via_escape_hatch and port not in loopback_ports:
        raise FetchError("bad_port", f"Port {port} is not allowed.", url=text)

    if host.ip is not None:
        addresses = [host.ip]
    else:
        remaining = _remaining(deadline_at)
        if remaining <= 0:
            raise FetchError("timeout", "The time allowed for this fetch ran out.", url=text)
        try:
            addresses = netguard.resolve(host.name, port, timeout=remaining)
        except TimeoutError:
            raise FetchError(
                "timeout", "Looking up the host name took too long.", url=text
            ) from None
        except OSError:
            raise FetchError(
                "dns", f"The host name {host.name} could not be found.", url=text
            ) from None

    for ip in addresses:
        if ip == _LOOPBACK and port in loopback_ports:
            continue
        why = netguard.blocked_reason(ip)
        if why is not None:
            raise FetchError(
                "blocked_address",
                f"{host.name} points at an address that is not public ({why}).",
                url=text,
            )
        if via_escape_hatch:  # the test-only ports are for 127.0.0.1 and nothing else
            raise FetchError("bad_port", f"Port {port} is not allowed.", url=text)

    bracketed = f"[{host.name}]" if ":" in host.name else host.name
    host_header = bracketed if port == _DEFAULT_PORTS[scheme] else f"{bracketed}:{port}"
    return _Target(
        url=url,
        scheme=scheme,
        host=host.name,
        port=port,
        addresses=tuple(addresses),
        host_header=host_header,
        path=url.raw_path or b"/",
    )


def _parse_url(raw: str | httpx.URL, *, base: httpx.URL | None = None) -> httpx.URL:
    text = str(raw).strip()
    if len(text) > _MAX_URL_LENGTH:
        raise FetchError("bad_url", "The address is too long.", url=text[:200])
    try:
        url = base.join(text) if base is not None else httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError("bad_url", f"The address is malformed: {exc}", url=text[:200]) from None
    if url.scheme not in _SCHEMES:
        # Checked here too so file:, ftp:, javascript: and data: never reach the vetting step.
        raise FetchError("bad_scheme", "Only http and https addresses are fetched.", url=text)
    return url


# --- transport: pinned addresses and one deadline -------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """Gives every socket operation at most the time left before the overall deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline_at: float) -> None:
        self._inner = inner
        self._deadline_at = deadline_at

    def _budget(self, timeout: float | None, exc_type: type[Exception]) -> float:
        remaining = _remaining(self._deadline_at)
        if remaining <= 0:
            raise exc_type("deadline reached")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = self._budget(timeout, httpcore.ConnectTimeout)
        inner = self._inner.start_tls(ssl_context, server_hostname, budget)
        return _DeadlineStream(inner, self._deadline_at)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses vetted beforehand, whatever host name it is asked for."""

    def __init__(self, target: _Target, deadline_at: float) -> None:
        self._target = target
        self._deadline_at = deadline_at
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if port != self._target.port:
            raise FetchError("bad_port", "Unexpected port at connect time.")
        last_error: Exception = httpcore.ConnectError("no address to connect to")
        for ip in self._target.addresses:
            remaining = _remaining(self._deadline_at)
            if remaining <= 0:
                raise httpcore.ConnectTimeout("deadline reached")
            budget = remaining if timeout is None else min(timeout, remaining)
            try:
                stream = self._inner.connect_tcp(
                    str(ip), port, timeout=budget, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last_error = exc
                continue
            peer = stream.get_extra_info("server_addr")
            if not peer or ipaddress.ip_address(str(peer[0]).split("%")[0]) != ip:
                stream.close()
                raise FetchError("blocked_address", "Connected to an unexpected address.")
            return _DeadlineStream(stream, self._deadline_at)
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchError("bad_url", "Unix sockets are never used.")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, max(_remaining(self._deadline_at), 0.0)))


# --- body decoding ----------------------------------------------------------------------


class _BodyReader:
    """Collects the body, decoding gzip/deflate, refusing anything past `max_bytes`."""

    def __init__(self, content_encoding: str, max_bytes: int, url: str) -> None:
        encoding = content_encoding.strip().lower()
        self._max = max_bytes
        self._url = url
        self._raw = 0
        self._parts: list[bytes] = []
        self._size = 0
        self._z: Any = None
        self._deflate_first = False
        if encoding in ("", "identity"):
            pass
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            self._deflate_first = True
        else:
            raise FetchError(
                "bad_encoding", f"Unsupported content encoding {encoding[:40]!r}.", url=url
            )

    def _too_large(self) -> FetchError:
        return FetchError(
            "too_large", f"The response is larger than {self._max} bytes.", url=self._url
        )

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            raise self._too_large()
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        self._raw += len(chunk)
        if self._raw > self._max:
            raise self._too_large()
        if self._z is None:
            self._keep(chunk)
            return
        try:
            out = self._decompress(chunk)
        except zlib.error:
            raise FetchError("bad_encoding", "Corrupt compressed body.", url=self._url) from None
        if self._z.unconsumed_tail:
            raise self._too_large()
        self._keep(out)

    def _decompress(self, chunk: bytes) -> bytes:
        limit = self._max - self._size + 1
        if not self._deflate_first:
            return bytes(self._z.decompress(chunk, limit))
        self._deflate_first = False
        try:
            return bytes(self._z.decompress(chunk, limit))
        except zlib.error:
            # Some servers send raw deflate without the zlib header.
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            return bytes(self._z.decompress(chunk, limit))

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self._keep(self._z.flush())
            except zlib.error:
                raise FetchError(
                    "bad_encoding", "Corrupt compressed body.", url=self._url
                ) from None
        return b"".join(self._parts)


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            candidate = val.strip().strip("\"'").lower()
            try:
                charset = codecs.lookup(candidate).name if candidate else None
            except LookupError:
                charset = None
    return media.strip().lower(), charset


# --- the fetch loop ---------------------------------------------------------------------


@dataclass
class _Hop:
    status: int
    headers: dict[str, str]
    content: bytes


# Headers the fetcher itself decides; a caller of `post` cannot set them.
_RESERVED_HEADERS = frozenset(
    {
        "host",
        "user-agent",
        "accept-encoding",
        "connection",
        "content-length",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "keep-alive",
        "proxy-authorization",
        "proxy-connection",
        "cookie",
    }
)
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz")


def _caller_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """Check headers a caller passes: valid names, no line breaks, none we decide ourselves.

    These come from Parley's own code, never from a member, so a bad one is a programming
    error (ValueError), not a FetchError.
    """
    checked: list[tuple[bytes, bytes]] = []
    for name, value in headers.items():
        lower = name.lower()
        if not lower or not set(lower) <= _TOKEN_CHARS:
            raise ValueError(f"Malformed header name {name!r}.")
        if lower in _RESERVED_HEADERS:
            raise ValueError(f"The fetcher sets {name} itself.")
        if any(ch in value for ch in "\r\n\0") or not value.isascii():
            raise ValueError(f"Header {name} has a value that cannot be sent.")
        checked.append((name.encode("ascii"), value.encode("ascii")))
    return checked


def _request(
    target: _Target,
    *,
    policy: FetchPolicy,
    accept: str,
    max_bytes: int,
    deadline_at: float,
    method: str = "GET",
    body: bytes = b"",
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> _Hop:
    text = str(target.url)
    ssl_context = policy.ssl_context or _default_ssl_context()
    pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=1,
        http1=True,
        http2=False,
        retries=0,
        network_backend=_PinnedBackend(target, deadline_at),
    )
    remaining = max(_remaining(deadline_at), 0.001)
    request_url = httpcore.URL(
        scheme=target.scheme.encode("ascii"),
        host=target.host.encode("ascii"),
        port=target.port,
        target=target.path,
    )
    headers = [
        (b"Host", target.host_header.encode("ascii")),
        (b"User-Agent", policy.user_agent.encode("ascii", "replace")),
        (b"Accept", accept.encode("ascii", "replace")),
        (b"Accept-Encoding", b"gzip, deflate"),
        (b"Connection", b"close"),
    ]
    if method == "POST":
        headers.append((b"Content-Length", str(len(body)).encode("ascii")))
    headers.extend(extra_headers or ())
    extensions = {
        "timeout": {"connect": remaining, "read": remaining, "write": remaining, "pool": remaining},
        "sni_hostname": target.host,
    }
    try:
        with pool.stream(
            method, request_url, headers=headers, content=body or None, extensions=extensions
        ) as response:
            hop_headers = _headers(response.headers)
            status = response.status
            if status in _REDIRECT_STATUSES and method == "GET":
                return _Hop(status=status, headers=hop_headers, content=b"")
            if not 200 <= status < 300:
                raise FetchError(
                    "http_status",
                    f"The server answered {status}.",
                    url=text,
                    status=status,
                    headers=hop_headers,
                )
            declared = hop_headers.get("content-length", "").strip()
            if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    "too_large", f"The response is larger than {max_bytes} bytes.", url=text
                )
            reader = _BodyReader(hop_headers.get("content-encoding", ""), max_bytes, text)
            for chunk in response.iter_stream():
                reader.feed(chunk)
                if _remaining(deadline_at) <= 0:
                    raise FetchError(
                        "timeout", "The time allowed for this fetch ran out.", url=text
                    )
            return _Hop(status=status, headers=hop_headers, content=reader.finish())
    except httpcore.TimeoutException:
        raise FetchError("timeout", "The time allowed for this fetch ran out.", url=text) from None
    except httpcore.ConnectError as exc:
        if _caused_by_tls(exc):
            raise FetchError("tls", f"The secure connection failed: {exc}", url=text) from exc
        raise FetchError("connect", "Could not connect to the server.", url=text) from exc
    except httpcore.ProtocolError:
        raise FetchError("protocol", "The server sent a malformed response.", url=text) from None
    except httpcore.NetworkError:
        raise FetchError("network", "The connection failed while reading.", url=text) from None
    finally:
        pool.close()


def _start(
    policy: FetchPolicy | None, deadline: float, total: Deadline | None, url: str
) -> tuple[FetchPolicy, float]:
    """The policy to use and the moment everything must be done by."""
    policy = policy or FetchPolicy()
    context = policy.ssl_context
    if context is not None and (
        not context.check_hostname or context.verify_mode != ssl.CERT_REQUIRED
    ):
        raise ValueError("FetchPolicy.ssl_context must verify certificates and host names.")
    deadline_at = time.monotonic() + deadline
    if total is not None:
        if total.remaining() <= 0:
            raise FetchError("timeout", "The time allowed for this fetch ran out.", url=url[:200])
        deadline_at = min(deadline_at, total.at)
    return policy, deadline_at


def _result(url: httpx.URL, hop: _Hop, redirects: list[str]) -> FetchResult:
    content_type, charset = _content_type(hop.headers.get("content-type", ""))
    return FetchResult(
        final_url=str(url),
        status=hop.status,
        headers=hop.headers,
        content=hop.content,
        content_type=content_type,
        charset=charset,
        redirects=redirects,
    )


def fetch(
    url: str,
    *,
    max_bytes: int = 2_000_000,
    deadline: float = 10.0,
    accept: str = DEFAULT_ACCEPT,
    policy: FetchPolicy | None = None,
    total: Deadline | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """GET `url` safely, following up to `policy.max_redirects` redirects; see module doc.

    `headers` are checked like those of `post` (conditional GETs send `If-None-Match` and
    `If-Modified-Since`); a 304 answer raises FetchError("http_status", status=304).

    `deadline` is the wall-clock budget in seconds for everything (DNS, connects, TLS,
    every redirect hop and the body); `total`, when given, is a budget shared with other
    fetches and may cut this one sooner. Raises FetchError; never returns a non-2xx answer.
    """
    policy, deadline_at = _start(policy, deadline, total, url)
    extra = _caller_headers(headers or {})
    loopback_ports = _loopback_ports()
    current = _parse_url(url)
    redirects: list[str] = []
    while True:
        target = _vet(
            current, policy=policy, loopback_ports=loopback_ports, deadline_at=deadline_at
        )
        hop = _request(
            target,
            policy=policy,
            accept=accept,
            max_bytes=max_bytes,
            deadline_at=deadline_at,
            extra_headers=extra,
        )
        if hop.status not in _REDIRECT_STATUSES:
            return _result(current, hop, redirects)
        location = hop.headers.get("location", "").strip()
        if not location:
            raise FetchError(
                "http_status",
                f"The server answered {hop.status} without a Location.",
                url=str(current),
                status=hop.status,
            )
        if len(redirects) >= policy.max_redirects:
            raise FetchError(
                "too_many_redirects",
                f"More than {policy.max_redirects} redirects.",
                url=str(current),
            )
        redirects.append(str(current))
        current = _parse_url(_decode_location(location), base=current)


def post(
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = 64_000,
    deadline: float = 10.0,
    accept: str = "*/*",
    policy: FetchPolicy | None = None,
    total: Deadline | None = None,
) -> FetchResult:
    """POST `body` to `url` with the caller's `headers`, under every guard `fetch` applies.

    A redirect is not followed: it raises FetchError("http_status", status=3xx) like any
    other answer outside 2xx (whose headers are on the error, e.g. Retry-After).
    """
    policy, deadline_at = _start(policy, deadline, total, url)
    extra = _caller_headers(headers or {})
    current = _parse_url(url)
    target = _vet(current, policy=policy, loopback_ports=_loopback_ports(), deadline_at=deadline_at)
    hop = _request(
        target,
        policy=policy,
        accept=accept,
        max_bytes=max_bytes,
        deadline_at=deadline_at,
        method="POST",
        body=body,
        extra_headers=extra,
    )
    return _result(current, hop, [])


def _caused_by_tls(exc: BaseException) -> bool:
    """httpcore wraps ssl errors in ConnectError; the original is an arg or the context."""
    candidates = [*exc.args, exc.__cause__, exc.__context__]
    return any(isinstance(c, ssl.SSLError | ssl.CertificateError) for c in candidates)


def _decode_location(value: str) -> str:
    """Headers arrive as latin-1; most servers that send non-ASCII Locations mean UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value
