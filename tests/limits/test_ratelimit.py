"""The counter itself: windows, limits, atomicity across threads and across two separate
Redis clients (two app servers)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from parley.core import ratelimit
from tests.limits.conftest import redis_client

LIMITS = {"demo": (3, 60), "report": (10, 3600), "search": (30, 60)}


@override_settings(PARLEY_RATE_LIMITS=LIMITS)
def test_hits_beyond_the_limit_are_refused_per_key(any_cache: str) -> None:
    verdicts = [ratelimit.hit("demo", "k1") for _ in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert [v.count for v in verdicts] == [1, 2, 3, 4, 5]
    assert ratelimit.hit("demo", "k2").allowed  # another key has its own count
    assert 0 < verdicts[-1].retry_after <= 60 and verdicts[-1].minutes == 1


@override_settings(PARLEY_RATE_LIMITS=LIMITS)
def test_peek_does_not_count(any_cache: str) -> None:
    ratelimit.hit("demo", "k")
    assert ratelimit.peek("demo", "k").count == 1
    assert ratelimit.peek("demo", "k").count == 1
    ratelimit.hit("demo", "k"), ratelimit.hit("demo", "k")
    assert not ratelimit.peek("demo", "k").allowed


@override_settings(PARLEY_RATE_LIMITS={"tiny": (1, 1)})
def test_the_count_lapses_once_the_sliding_window_has_passed() -> None:
    first = ratelimit.hit("tiny", "k")
    assert first.allowed and not ratelimit.hit("tiny", "k").allowed
    time.sleep(first.retry_after + 1.05)  # past the next window too
    assert ratelimit.hit("tiny", "k").allowed


@override_settings(PARLEY_RATE_LIMITS={"edge": (3, 2)})
def test_a_burst_straddling_a_window_boundary_gets_no_more_than_the_limit() -> None:
    # Wait until just before a window ends, use up the limit, then cross the boundary.
    now = time.time()
    time.sleep(2 - (now % 2) - 0.15 if (now % 2) < 1.85 else 2 - (now % 2) + 1.85)
    before = [ratelimit.hit("edge", "k").allowed for _ in range(3)]
    time.sleep(0.2)  # now in the next fixed window
    after = [ratelimit.hit("edge", "k").allowed for _ in range(3)]
    assert before == [True, True, True]
    assert after == [False, False, False]  # a fixed window would have let all three in


def test_reserved_limits_for_reports_and_search_exist() -> None:
    assert ratelimit.hit("report", "7").limit >= 1
    assert ratelimit.hit("search", "203.0.113.9").limit >= 1


def test_an_unknown_limit_name_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        ratelimit.hit("no-such-limit", "k")


@override_settings(PARLEY_RATE_LIMITS={"burst": (25, 60)})
def test_concurrent_hits_on_local_memory_allow_exactly_the_limit() -> None:
    with ThreadPoolExecutor(8) as pool:
        verdicts = list(pool.map(lambda _: ratelimit.hit("burst", "k"), range(100)))
    assert sum(v.allowed for v in verdicts) == 25
    assert sorted(v.count for v in verdicts) == list(range(1, 101))


@override_settings(PARLEY_RATE_LIMITS={"burst": (25, 60)})
def test_two_redis_clients_share_one_count_under_concurrency(redis_cache: None) -> None:
    servers = [redis_client(), redis_client()]  # two app servers, two connection pools
    assert servers[0]._cache is not servers[1]._cache
    start = threading.Barrier(8)

    def worker(n: int) -> list[bool]:
        start.wait()
        return [ratelimit.hit("burst", "k", using=servers[n % 2]).allowed for _ in range(12)]

    with ThreadPoolExecutor(8) as pool:
        results = [ok for batch in pool.map(worker, range(8)) for ok in batch]
    assert len(results) == 96 and sum(results) == 25
    # The default cache (also Redis here) sees the same count.
    assert isinstance(caches["default"], RedisCache)
    assert ratelimit.peek("burst", "k").count == 96
