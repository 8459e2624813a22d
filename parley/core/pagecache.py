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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from . import stamps

StampsOf = Callable[..., list[str]]

# The response header that says where a guest page came from (tests and benchmarks read it).
SOURCE_HEADER = "X-Parley-Cache"
# Headers never replayed from a stored page (the outer middleware sets them on every answer).
_NOT_STORED = {"set-cookie", "content-length", "cache-control", SOURCE_HEADER.lower()}

# name -> what to do when a page comes from the cache instead of its view (count a view).
_hit_hooks: dict[str, Callable[[int], None]] = {}


def register_hit_hook(name: str, hook: Callable[[int], None]) -> None:
    _hit_hooks[name] = hook


@dataclass(frozen=True)
class CachedPage:
    names: tuple[str, ...]
    tokens: str
    content: bytes
    headers: tuple[tuple[str, str], ...]
    # (hook name, argument): run on every hit, e.g. ("thread view", thread id)
    on_hit: tuple[str, int] | None = None

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
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.PARLEY_GUEST_MAX_AGE}, "
        f"stale-while-revalidate={settings.PARLEY_GUEST_STALE_SECONDS}"
    )


def _address_key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _mark_public(response: HttpResponseBase, source: str) -> None:
    response["Cache-Control"] = public_cache_control()
    # A browser or proxy keeps one copy for guests; once a session cookie exists the
    # request differs and the copy is not used (nginx's micro-cache bypasses on it too).
    response["Vary"] = "Cookie"
    response[SOURCE_HEADER] = source


def _answer(page: CachedPage, source: str) -> HttpResponse:
    response = HttpResponse(page.content)
    for name, value in page.headers:
        response[name] = value
    _mark_public(response, source)
    if page.on_hit is not None and page.on_hit[0] in _hit_hooks:
        _hit_hooks[page.on_hit[0]](page.on_hit[1])
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
        page: CachedPage | None = store.get(key)
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
            store.set(key, fresh, timeout=settings.PARLEY_GUEST_CACHE_SECONDS)
            _mark_public(response, "miss")
        return response


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
