"""Who's online, without a write on any GET (issue 9's rule; docs/people.md).

Every request notes who made it in this process's memory (`parley.core.writebuffer`):
a member's id with the time, or a guest's address hashed with the secret key (the raw
address is never kept). The buffers are flushed in batches, as thread view counts are:

- members: one UPDATE of `last_seen_at` per batch; "online" is then a query on that
  column (indexed), so every app server agrees;
- guests: merged into one entry of the shared cache (hash -> last seen), pruned to the
  online window at each flush; the guest count is the size of that entry.

A page may therefore lag by the flush interval (PARLEY_WRITE_BUFFER_SECONDS, 2 s).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Case, DateTimeField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from parley.core import stamps, writebuffer
from parley.core.clientip import client_ip_of

GUESTS_KEY = "people:online-guests"
LOCK_KEY = "people:online-guests:lock"
BATCH = 500
# The forum index shows the online block; guests' cached copies of it follow this stamp,
# moved at most once a minute by each process that flushes.
ONLINE_STAMP = stamps.ONLINE
_last_stamp_bump = 0.0


def window() -> timedelta:
    return timedelta(minutes=settings.PARLEY_ONLINE_MINUTES)


def _cache() -> Any:
    return caches["shared"]


def guest_hash(address: str) -> str:
    """A guest's address as a keyed hash: counts distinct guests, cannot be reversed into
    the address without the secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:20]


# --- the two buffers ----------------------------------------------------------------------


def _write_last_seen(seen: dict[int, float]) -> None:
    ids = sorted(seen)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        at = Case(
            *[When(pk=pk, then=Value(datetime.fromtimestamp(seen[pk], UTC))) for pk in chunk],
            output_field=DateTimeField(),
        )
        get_user_model().objects.filter(pk__in=chunk).update(last_seen_at=at)
    _bump_stamp()


def _write_guests(seen: dict[str, float]) -> None:
    """Merge this process's guests into the shared entry, under a short lock (another
    process flushing at the same moment would otherwise overwrite them). Without the lock
    the batch goes back into the buffer for the next flush."""
    store = _cache()
    for _attempt in range(20):
        if store.add(LOCK_KEY, 1, timeout=5):
            break
        time.sleep(0.05)
    else:
        raise TimeoutError("the online-guests entry stayed locked; kept for the next flush")
    try:
        oldest = time.time() - window().total_seconds()
        merged: dict[str, float] = {
            h: t for h, t in (store.get(GUESTS_KEY) or {}).items() if t >= oldest
        }
        for h, t in seen.items():
            merged[h] = max(t, merged.get(h, 0.0))
        store.set(GUESTS_KEY, merged, timeout=int(window().total_seconds()) + 60)
    finally:
        store.delete(LOCK_KEY)
    _bump_stamp()


def _bump_stamp() -> None:
    global _last_stamp_bump
    now = time.monotonic()
    if now - _last_stamp_bump >= 60:
        _last_stamp_bump = now
        stamps.bump(ONLINE_STAMP)


members_seen = writebuffer.register(
    writebuffer.Buffer("members last seen", merge=max, flush=_write_last_seen)
)
guests_seen = writebuffer.register(
    writebuffer.Buffer("guests online", merge=max, flush=_write_guests)
)


def note_request(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    now = time.time()
    if user is not None and user.is_authenticated:
        members_seen.add(user.pk, now)
    else:
        guests_seen.add(_guest_of(request.META), now)


def note_cached_guest(environ: Mapping[str, Any]) -> None:
    """A guest served from the page cache before Django (pagecache.GuestPageApp)."""
    guests_seen.add(_guest_of(environ), time.time())


def _guest_of(meta: Mapping[str, Any]) -> str:
    """The guest's hash, from a request's META or a WSGI environ."""
    return _guest_key(
        meta.get("REMOTE_ADDR", ""),
        meta.get("HTTP_X_FORWARDED_FOR", ""),
        getattr(settings, "PARLEY_TRUSTED_PROXIES", 0),
        settings.SECRET_KEY,
    )


@functools.lru_cache(maxsize=4096)
def _guest_key(remote: str, forwarded: str, trusted: object, secret: str) -> str:
    """The same guest's hash again for the next page (parsing the address and the HMAC
    were a tenth of a cached page's CPU); the settings it depends on are in the key."""
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    return guest_hash(client_ip_of(meta))


class OnlineMiddleware:
    """Outside the guest page cache, so a guest served from the cache counts too. It reads
    `request.user` only after the inner middleware set it (a cached guest page has none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code < 400
            and not request.path.startswith(("/static/", "/media/", "/healthz"))
        ):
            note_request(request)
        return response


# --- reading --------------------------------------------------------------------------------


def guest_count() -> int:
    oldest = time.time() - window().total_seconds()
    pending = guests_seen.pending()
    stored = _cache().get(GUESTS_KEY) or {}
    merged = {h for h, t in stored.items() if t >= oldest} | set(pending)
    return len(merged)


def online_members(*, include_hidden: bool) -> QuerySet[Any]:
    """Members seen in the window, most recent first (those who chose to be hidden only
    for staff)."""
    since = timezone.now() - window()
    rows = get_user_model().objects.filter(last_seen_at__gte=since, is_active=True)
    if not include_hidden:
        rows = rows.filter(show_online=True)
    return rows.order_by("-last_seen_at", "pk")
