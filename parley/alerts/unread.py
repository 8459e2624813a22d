"""The bell's count: a cached counter per member, as the conversations header count.

Pages read the cache only. The count is one query on the partial index `alert_unread`, run
at sign-in and on the first page after a change; writing alerts for someone, reading or
hiding them drops the cached value (now and again after commit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from .models import Alert


def _key(member_id: int) -> str:
    return f"parley:alerts:unread:{member_id}"


def count_unread(member_id: int) -> int:
    return Alert.objects.filter(
        recipient_id=member_id, read_at__isnull=True, in_app=True, hidden=False
    ).count()


def unread_count(member_id: int) -> int:
    value = cache.get(_key(member_id))
    if value is None:
        value = count_unread(member_id)
        cache.set(_key(member_id), value, timeout=None)
    return int(value)


def forget(member_ids: Iterable[int]) -> None:
    keys = [_key(pk) for pk in set(member_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _prime(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    cache.set(_key(user.pk), count_unread(user.pk), timeout=None)


def connect() -> None:
    user_logged_in.connect(_prime, dispatch_uid="parley.alerts.unread")


def header_count(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Context processor: `alerts_unread`, called only by a page that shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"alerts_unread": partial(unread_count, user.pk)}
