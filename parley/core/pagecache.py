"""Whole pages for guests from the cache (docs/caching.md).

`@guest_page(stamps_of)` on a view: a request without a session cookie (and without a
pending flash message) is answered from the `pages` cache under a key made of its host, path
and query, and the version stamps of what the page shows (`stamps_of(request, **kwargs)`,
plus the site stamp). A write bumps the stamps it touches, so the next guest misses and gets
a fresh page; PARLEY_GUEST_CACHE_SECONDS is only a safety net.

Only a guest rendering is ever stored, and only when nothing in it is personal: status 200,
no cookie set, no CSRF token rendered, no flash message shown, nobody signed in. So a member
never receives a guest's page (they carry a session cookie and skip the cache), and a page
holding something a guest may not see cannot be made from a member's rendering.

A stampede lock lets one request per key render; the others get the previous copy of the
page (when the site stamp is unchanged, so permission changes never serve a stale copy) or
wait briefly for the fresh one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from . import stamps

StampsOf = Callable[..., list[str]]

# The response header that says where a guest page came from (tests and benchmarks read it).
SOURCE_HEADER = "X-Parley-Cache"


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    site_token: str


def _settings() -> tuple[int, int, int]:
    return (
        settings.PARLEY_GUEST_CACHE_SECONDS,
        settings.PARLEY_GUEST_MAX_AGE,
        settings.PARLEY_GUEST_STALE_SECONDS,
    )


def is_guest_request(request: HttpRequest) -> bool:
    """No session (so nobody signed in) and no flash message waiting in a cookie."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def public_cache_control() -> str:
    _, max_age, stale = _settings()
    return f"public, max-age={max_age}, stale-while-revalidate={stale}"


def _answer(page: CachedPage, source: str) -> HttpResponse:
    response = HttpResponse(page.content, content_type=page.content_type)
    _mark_public(response, source)
    return response


def _mark_public(response: HttpResponse, source: str) -> None:
    response["Cache-Control"] = public_cache_control()
    # A browser or proxy keeps one copy for guests; once a session cookie exists the
    # request differs and the copy is not used (nginx's micro-cache bypasses on it too).
    response["Vary"] = "Cookie"
    response[SOURCE_HEADER] = source


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


def guest_page(
    stamps_of: StampsOf, *, on_hit: Callable[..., None] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`on_hit(request, **kwargs)` runs when the page comes from the cache, for what the
    view does besides rendering (counting a thread view)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not settings.PARLEY_GUEST_CACHE or not is_guest_request(request):
                return view(request, *args, **kwargs)
            response, source = _serve(request, view, stamps_of, args, kwargs)
            if on_hit is not None and source in ("hit", "stale"):
                on_hit(request, *args, **kwargs)
            return response

        return wrapped

    return decorator


def _serve(
    request: HttpRequest,
    view: Callable[..., Any],
    stamps_of: StampsOf,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[Any, str]:
    """The response and where it came from: hit, stale, miss (stored) or rendered."""
    lifetime = settings.PARLEY_GUEST_CACHE_SECONDS
    store = caches["pages"]
    address = f"{request.get_host()}{request.get_full_path()}"
    url_key = "page:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    tokens = stamps.read([stamps.SITE, *stamps_of(request, *args, **kwargs)])
    site_token = tokens.split(".", 1)[0]
    key = f"{url_key}:{tokens}"

    page = store.get(key)
    if page is not None:
        return _answer(page, "hit"), "hit"

    lock = key + ":lock"
    holds_lock = store.add(lock, 1, timeout=settings.PARLEY_GUEST_LOCK_SECONDS)
    if not holds_lock:
        # Another request is rendering this page: the previous copy will do, if the site
        # stamp (permissions, forums) is what it was; otherwise wait a little for the new one.
        previous = store.get(url_key + ":previous")
        if previous is not None and previous.site_token == site_token:
            return _answer(previous, "stale"), "stale"
        deadline = time.monotonic() + settings.PARLEY_GUEST_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            page = store.get(key)
            if page is not None:
                return _answer(page, "hit"), "hit"
    try:
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            page = CachedPage(response.content, response["Content-Type"], site_token)
            store.set(key, page, timeout=lifetime)
            # Kept longer: it answers while the next version of the page is being rendered.
            store.set(url_key + ":previous", page, timeout=lifetime * 10)
            _mark_public(response, "miss")
            return response, "miss"
        return response, "rendered"
    finally:
        if holds_lock:
            store.delete(lock)
