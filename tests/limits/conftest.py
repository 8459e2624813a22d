"""Rate-limit tests run on the default local-memory cache, and again on a real Redis (the
`redis_cache` fixture, database 13 of the local server, flushed before and after)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache

# PARLEY_TEST_REDIS_URL picks another database (several checkouts testing on one server).
REDIS_URL = os.environ.get("PARLEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
_REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
# Every alias, as settings.py makes them with PARLEY_REDIS_URL (docs/caching.md).
REDIS_CACHES = {"default": _REDIS, "pages": _REDIS, "shared": _REDIS}


def redis_client() -> RedisCache:
    """A cache client of its own, as another app server would have."""
    return RedisCache(REDIS_URL, {})


def _flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[None]:
    _flush()
    settings.CACHES = REDIS_CACHES
    yield
    _flush()


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once on local memory and once on Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    yield request.param
