"""Leases: at most one process at a time holds a named lease, for `ttl` seconds unless it
renews it. `parley serve` uses one so that exactly one of several app servers queues the
periodic tasks (docs/servers.md).

With Redis (PARLEY_REDIS_URL) a lease is a key set with NX and PX, renewed and released only
by its holder (a compare-and-set Lua script, atomic inside Redis). Without Redis it is a row
of `core.Lease`, taken or renewed by one conditional UPDATE (the row is free, expired, or
already ours), so the database decides between racing processes.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease

# Renew the key's expiry only if we still hold it; 1 when renewed, 0 otherwise.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def holder_id() -> str:
    """Who holds a lease: host and pid for people reading it, plus a random part so a
    restarted process with a reused pid is never taken for its predecessor."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseStore(Protocol):
    def acquire(self, name: str, holder: str, ttl: float) -> bool:
        """Take the lease, or renew it when `holder` has it; True when `holder` holds it."""

    def release(self, name: str, holder: str) -> None:
        """Give the lease up if `holder` holds it, so another may take it at once."""

    def holder(self, name: str) -> str | None:
        """Who holds the lease now (None when nobody does)."""


class RedisLeases:
    def __init__(self, url: str, prefix: str = "parley:lease:") -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.prefix = prefix

    def acquire(self, name: str, holder: str, ttl: float) -> bool:
        key, ms = self.prefix + name, max(1, int(ttl * 1000))
        if self.client.set(key, holder, nx=True, px=ms):
            return True
        return bool(self.client.eval(_RENEW, 1, key, holder, ms))

    def release(self, name: str, holder: str) -> None:
        self.client.eval(_RELEASE, 1, self.prefix + name, holder)

    def holder(self, name: str) -> str | None:
        value = self.client.get(self.prefix + name)
        return value.decode() if value is not None else None


class DatabaseLeases:
    def acquire(self, name: str, holder: str, ttl: float) -> bool:
        now = timezone.now()
        until = now + timedelta(seconds=ttl)
        taken = (
            Lease.objects.filter(name=name)
            .filter(Q(holder=holder) | Q(expires_at__lte=now))
            .update(holder=holder, expires_at=until)
        )
        if taken:
            return True
        try:
            with transaction.atomic():
                Lease.objects.create(name=name, holder=holder, expires_at=until)
        except IntegrityError:
            return False  # the row exists and is someone else's, unexpired
        return True

    def release(self, name: str, holder: str) -> None:
        Lease.objects.filter(name=name, holder=holder).update(expires_at=timezone.now())

    def holder(self, name: str) -> str | None:
        row = Lease.objects.filter(name=name, expires_at__gt=timezone.now()).first()
        return row.holder if row is not None else None


def default_store() -> LeaseStore:
    """Redis when the site has it (every app server shares it), else the database."""
    if settings.REDIS_URL:
        return RedisLeases(settings.REDIS_URL)
    return DatabaseLeases()
