"""Whole pages for guests from the cache (docs/caching.md).

Two parts:

- `@guest_page(stamps_of)` on a view says which version stamps the page shows
  (`stamps_of(request, **kwargs)`, plus the site stamp). For a guest it reads their tokens
  *before* the view reads any row, and holds the stampede lock while the view renders.
- `GuestPageMiddleware`, early in the middleware list (before sessions, CSRF and
  authentication), answers a guest from the `pages` cache when the entry stored for the
  address still carries the current tokens of its stamps: no URL resolving, no session,
  no query. Otherwise the request goes on, and the middleware stores what comes back —
  complete with the headers the inner middleware added — if it is storable.
- `GuestPageApp` wraps the WSGI application (`parley.wsgi`, what `parley serve` runs). It
  answers the same hits before Django sees the request at all — no request object, no
  middleware, no request signals: a third of the CPU of a hit (docs/caching.md has the
  figures). It stores the page itself, with the headers as they finally went out, so a
  hit replays exactly what the miss sent. The middleware remains for every other way in
  (the test client, ASGI) and for everything on a miss.

A request is a guest's when it carries no session cookie and no flash-message cookie: a
member never receives a guest's page, and only a guest rendering is ever stored, and only
when nothing in it is personal (status 200, no cookie set, no CSRF token rendered, no flash
message shown, nobody signed in). So a page holding what a guest may not see cannot be
made from a member's rendering.

While one request renders a new version, the others get the previous copy (when the site
stamp — permissions, forums — is unchanged, so a permission change never serves a stale
copy) or wait briefly for the new one. PARLEY_GUEST_CACHE_SECONDS is only a safety net.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.cookie import parse_cookie

from . import stamps

StampsOf = Callable[..., list[str]]

# The response header that says where a guest page came from (tests and benchmarks read it).
SOURCE_HEADER = "X-Parley-Cache"
# Headers never replayed from a stored page (the outer middleware sets them on every answer).
_NOT_STORED = {"set-cookie", "content-length", "cache-control", SOURCE_HEADER.lower()}

# Headers of a miss not stored for the WSGI replay: those above, which the replay sets
# itself, and the ones the server adds to every answer.
_NOT_REPLAYED = _NOT_STORED | {"vary", "date", "server"}
# The environ key through which the WSGI wrapper and the middleware talk on a miss.
CHANNEL = "parley.guest_page"

# name -> what to do when a page comes from the cache instead of its view (count a view).
_hit_hooks: dict[str, Callable[[int], None]] = {}
# What to do for every guest page served from the cache, with the request's WSGI environ
# (who's online counts the guest); the apps register these, the core imports no app.
_guest_listeners: list[Callable[[Mapping[str, Any]], None]] = []


def register_hit_hook(name: str, hook: Callable[[int], None]) -> None:
    _hit_hooks[name] = hook


def register_guest_listener(listener: Callable[[Mapping[str, Any]], None]) -> None:
    if listener not in _guest_listeners:
        _guest_listeners.append(listener)


@dataclass(frozen=True)
class CachedPage:
    names: tuple[str, ...]
    tokens: str
    content: bytes
    headers: tuple[tuple[str, str], ...]
    # (hook name, argument): run on every hit, e.g. ("thread view", thread id)
    on_hit: tuple[str, int] | None = None
    # True when `headers` are every header the miss finally sent (stored by GuestPageApp):
    # only such a page can be replayed before the middleware that adds some of them.
    complete: bool = False

    @property
    def site_token(self) -> str:
        return self.tokens.split(".", 1)[0]


@dataclass
class _Pending:
    """What the decorator tells the middleware about the page being rendered."""

    names: tuple[str, ...]
    tokens: str
    on_hit: tuple[str, int] | None
    stored: bool = field(default=True)


def is_guest_request(request: HttpRequest) -> bool:
    """No session (so nobody signed in) and no flash message waiting in a cookie."""
    return request.method in ("GET", "HEAD") and _guest_cookies(request.COOKIES)


def _guest_cookies(cookies: Mapping[str, str]) -> bool:
    """The cookie half of the rule, for the middleware's parsed cookies and the WSGI
    wrapper's alike."""
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
    )


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.PARLEY_GUEST_MAX_AGE}, "
        f"stale-while-revalidate={settings.PARLEY_GUEST_STALE_SECONDS}"
    )


# Every part of a request that its address is made of, raw, as the WSGI server passed it.
# Both the WSGI wrapper (which has no request object) and the middleware key on these, so
# they agree; a forwarded header the settings ignore only splits the cache, never mixes it.
_ADDRESS_PARTS = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


def address_key(meta: Mapping[str, Any]) -> str:
    address = "\n".join(str(meta.get(part, "")) for part in _ADDRESS_PARTS)
    return "page:" + hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _address_key(request: HttpRequest) -> str:
    request.get_host()  # validated against ALLOWED_HOSTS (DisallowedHost: a 400)
    return address_key(request.META)


def _mark_public(response: HttpResponseBase, source: str) -> None:
    response["Cache-Control"] = public_cache_control()
    # A browser or proxy keeps one copy for guests; once a session cookie exists the
    # request differs and the copy is not used (nginx's micro-cache bypasses on it too).
    response["Vary"] = "Cookie"
    response[SOURCE_HEADER] = source


def _run_hit_hook(page: CachedPage) -> None:
    if page.on_hit is not None and page.on_hit[0] in _hit_hooks:
        _hit_hooks[page.on_hit[0]](page.on_hit[1])


def _answer(page: CachedPage, source: str) -> HttpResponse:
    response = HttpResponse(page.content)
    for name, value in page.headers:
        if name.lower() not in _NOT_STORED:
            response[name] = value
    _mark_public(response, source)
    _run_hit_hook(page)
    return response


def _storable(request: HttpRequest, response: Any) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a form with a CSRF token was rendered: not for everyone
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    return b"csrfmiddlewaretoken" not in response.content


class GuestPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.PARLEY_GUEST_CACHE or not is_guest_request(request):
            return self.get_response(request)
        store = caches["pages"]
        key = _address_key(request)
        channel: dict[str, Any] | None = request.META.get(CHANNEL)
        if channel is not None:
            page: CachedPage | None = channel["previous"]  # GuestPageApp has just looked
        else:
            page = store.get(key)
            if page is not None and stamps.read(page.names) == page.tokens:
                return _answer(page, "hit")
        request._parley_guest_previous = page  # type: ignore[attr-defined]
        response = self.get_response(request)
        pending: _Pending | None = getattr(request, "_parley_guest_page", None)
        if pending is None or not pending.stored:
            return response
        if isinstance(response, HttpResponse) and _storable(request, response):
            headers = tuple(
                (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
            )
            fresh = CachedPage(
                pending.names, pending.tokens, response.content, headers, pending.on_hit
            )
            if channel is not None:
                channel["page"] = fresh  # GuestPageApp stores it with the final headers
            else:
                store.set(key, fresh, timeout=settings.PARLEY_GUEST_CACHE_SECONDS)
            _mark_public(response, "miss")
        return response


# --- before Django: the WSGI wrapper -----------------------------------------------------------

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _guest_header(header: str) -> bool:
    """`_guest_cookies` on the raw Cookie header, parsed as Django parses it. A header with
    NUL in it goes the long way, through the request guard."""
    return not header or ("\x00" not in header and _guest_cookies(parse_cookie(header)))


class GuestPageApp:
    """A guest's GET whose page is cached and current is answered here, before Django.

    Sound because a page is stored only from a response Django produced for the very same
    raw address (`address_key`) to a guest, through every middleware: what the request
    guard, the host check and the views decided for that address they decide again. A
    page stored by the middleware alone (no wrapper) lacks the outer headers and is left to
    the middleware.
    """

    # Pages this process replayed lately, as objects: the local-memory cache unpickles the
    # whole page on every get (a fifth of a hit's CPU). A page found here is replayed only
    # when its tokens are current — what makes a stored page good, whoever stored it — and
    # within the cache's own lifetime for it.
    HOT_PAGES = 256

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._hot: dict[str, tuple[float, CachedPage]] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not settings.PARLEY_GUEST_CACHE
            or not _guest_header(environ.get("HTTP_COOKIE", ""))
        ):
            return self.app(environ, start_response)
        key = address_key(environ)
        page, previous = self._current(key)
        if page is not None:
            start_response("200 OK", list(page.headers))
            _run_hit_hook(page)
            for listener in _guest_listeners:
                listener(environ)
            return [page.content]
        return self._through_django(key, previous, environ, start_response)

    def _current(self, key: str) -> tuple[CachedPage | None, CachedPage | None]:
        """(the page to replay, or None and the stored copy, current or not)."""
        hot = self._hot.get(key)
        fresh_enough = hot is not None and hot[0] > time.monotonic()
        if hot is not None and fresh_enough and stamps.read(hot[1].names) == hot[1].tokens:
            return hot[1], None
        page: CachedPage | None = caches["pages"].get(key)
        if page is None or not page.complete or stamps.read(page.names) != page.tokens:
            return None, page
        self._keep_hot(key, page)
        return page, None

    def _keep_hot(self, key: str, page: CachedPage) -> None:
        if len(self._hot) >= self.HOT_PAGES:
            self._hot.clear()
        # The store's own lifetime is not readable back; this copy lives at most as long.
        self._hot[key] = (time.monotonic() + settings.PARLEY_GUEST_CACHE_SECONDS, page)

    def _through_django(
        self,
        key: str,
        previous: CachedPage | None,
        environ: dict[str, Any],
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        channel: dict[str, Any] = {"previous": previous}
        environ[CHANNEL] = channel
        sent: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        fresh: CachedPage | None = channel.get("page")
        if fresh is None or sent.get("status") != "200 OK":
            return result
        headers = sent["headers"]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        replay = tuple(
            [(n, v) for n, v in headers if n.lower() not in _NOT_REPLAYED]
            + [
                ("Content-Length", str(len(fresh.content))),
                ("Cache-Control", public_cache_control()),
                ("Vary", "Cookie"),
                (SOURCE_HEADER, "hit"),
            ]
        )
        complete = CachedPage(
            fresh.names, fresh.tokens, fresh.content, replay, fresh.on_hit, complete=True
        )
        caches["pages"].set(key, complete, timeout=settings.PARLEY_GUEST_CACHE_SECONDS)
        self._keep_hot(key, complete)
        return result


def guest_page(
    stamps_of: StampsOf, *, on_hit: Callable[..., tuple[str, int]] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`on_hit(request, **kwargs)` names a registered hit hook and its argument, run when
    the page later comes from the cache instead of this view (counting a thread view)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not settings.PARLEY_GUEST_CACHE or not is_guest_request(request):
                return view(request, *args, **kwargs)
            names = (stamps.SITE, *stamps_of(request, *args, **kwargs))
            pending = _Pending(
                names,
                stamps.read(names),  # before the view reads a row: see docs/caching.md
                on_hit(request, *args, **kwargs) if on_hit else None,
            )
            request._parley_guest_page = pending  # type: ignore[attr-defined]
            return _render_once(request, pending, lambda: view(request, *args, **kwargs))

        return wrapped

    return decorator


def _render_once(request: HttpRequest, pending: _Pending, render: Callable[[], Any]) -> Any:
    """The stampede lock: one request per address and version renders."""
    store = caches["pages"]
    key = _address_key(request)
    lock = f"{key}:{pending.tokens}:lock"
    if store.add(lock, 1, timeout=settings.PARLEY_GUEST_LOCK_SECONDS):
        try:
            return render()
        finally:
            store.delete(lock)
    # Someone else renders this version: the previous copy will do if the site stamp is
    # what it was; otherwise wait a little for the new one, then render without the lock.
    previous: CachedPage | None = getattr(request, "_parley_guest_previous", None)
    if previous is not None and previous.site_token == pending.tokens.split(".", 1)[0]:
        pending.stored = False
        return _answer(previous, "stale")
    deadline = time.monotonic() + settings.PARLEY_GUEST_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        page: CachedPage | None = store.get(key)
        if page is not None and page.tokens == pending.tokens:
            pending.stored = False
            return _answer(page, "hit")
    return render()
