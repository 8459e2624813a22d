"""Rate limits: sliding-window counters in the cache, shared by every app server.

    verdict = ratelimit.hit("signin_account", username.lower())
    if not verdict.allowed:
        ...  # answer 429 with verdict.message_minutes

Each limit is a setting, `PARLEY_RATE_LIMITS[name] = (count, seconds)`: at most `count`
hits per key in any `seconds`. The window slides: the count is this fixed window's hits
plus the previous window's, weighted by how much of it the sliding window still covers
(the estimate Cloudflare and others use), so a burst that straddles a window boundary
still meets the limit instead of getting twice it. The counter is one cache key per
(limit, key, window): `cache.add` creates it (atomic "set if absent") and `cache.incr`
bumps it (atomic on Redis with INCR, and under a lock in local memory), so two app
servers, or two threads, never both take the last slot. With `PARLEY_REDIS_URL` set the
cache is Redis and the limits hold across machines; without it they hold per process.

Why our own module rather than django-ratelimit: the callers need the count *and* when
the window ends (for "try again in N minutes"), keys computed after reading the form
(the typed account name), and the same call from views, services and task receivers;
that is thirty lines on Django's cache API, with nothing to configure twice.

Keys are hashed, so a typed name or address never becomes part of a cache key verbatim.
The limits "report" and "search" are reserved for those features: call
`hit("report", str(member.pk))` / `hit("search", client_ip(request))`.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, cache

__all__ = ["Verdict", "hit", "limit_of", "peek"]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int  # hits in this window, this one included
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def minutes(self) -> int:
        """Whole minutes until the window ends, at least 1 (for messages)."""
        return max(1, math.ceil(self.retry_after / 60))


def limit_of(name: str) -> tuple[int, int]:
    count, seconds = settings.PARLEY_RATE_LIMITS[name]
    return int(count), int(seconds)


def _cache_key(name: str, key: str, window_start: int) -> str:
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    return f"parley:rl:{name}:{window_start}:{digest}"


def _window(name: str, now: float) -> tuple[int, int, int, int]:
    limit, seconds = limit_of(name)
    current = int(now)
    start = current - current % seconds
    return limit, seconds, start, start + seconds - current


def hit(name: str, key: str, *, using: BaseCache | None = None) -> Verdict:
    """Count one hit of `name` for `key`; `allowed` is False once the window's count passes
    the limit (the refused hits are counted too, so hammering does not help)."""
    store = using or cache
    limit, seconds, start, left = _window(name, time.time())
    cache_key = _cache_key(name, key, start)
    # The key outlives two windows: the next window still weighs it.
    if store.add(cache_key, 1, timeout=2 * seconds + 5):
        count = 1
    else:
        try:
            count = store.incr(cache_key)
        except ValueError:  # expired between add and incr: this hit opens a new count
            store.add(cache_key, 1, timeout=2 * seconds + 5)
            count = 1
    count += _carried_over(store, name, key, start, seconds, left)
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=left)


def _carried_over(
    store: BaseCache, name: str, key: str, start: int, seconds: int, left: int
) -> int:
    """The previous window's hits that still fall inside the sliding window."""
    previous = int(store.get(_cache_key(name, key, start - seconds)) or 0)
    return int(previous * left / seconds)


def peek(name: str, key: str, *, using: BaseCache | None = None) -> Verdict:
    """The state of `name` for `key` without counting a hit."""
    store = using or cache
    limit, seconds, start, left = _window(name, time.time())
    count = int(store.get(_cache_key(name, key, start)) or 0)
    count += _carried_over(store, name, key, start, seconds, left)
    return Verdict(allowed=count < limit, count=count, limit=limit, retry_after=left)
