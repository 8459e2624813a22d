"""The bell's count: a cached counter per member, as the conversations header count.

Pages read the cache only. The count is one query on the partial index `alert_unread`, run
at sign-in and on the first page after a change; writing alerts for someone, reading or
hiding them drops the cached value (now and again after commit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest

from parley import live
from parley.live import channels as live_channels

from .models import Alert


def _shared() -> Any:
    """Every process must agree on a member's count (the gunicorn workers and the task
    worker that writes alerts): Redis when configured, otherwise the machine's file cache,
    never one process's memory."""
    return caches["shared"]


def _key(member_id: int) -> str:
    return f"parley:alerts:unread:{member_id}"


def count_unread(member_id: int) -> int:
    return Alert.objects.filter(
        recipient_id=member_id, read_at__isnull=True, in_app=True, hidden=False
    ).count()


def unread_count(member_id: int) -> int:
    value = _shared().get(_key(member_id))
    if value is None:
        value = count_unread(member_id)
        _shared().set(_key(member_id), value, timeout=None)
    return int(value)


def forget(member_ids: Iterable[int]) -> None:
    """Their counts changed: drop the cached values now, and after the commit count again
    and tell their open pages (live updates)."""
    ids = set(member_ids)
    if ids:
        _shared().delete_many([_key(pk) for pk in ids])
        transaction.on_commit(lambda: announce(ids))


def announce(member_ids: set[int]) -> None:
    """One grouped count for all of them, cached, and an `alerts.count` live message to each
    member's own channel: the bell on their open pages changes without a reload."""
    counts = dict(
        Alert.objects.filter(
            recipient_id__in=member_ids, read_at__isnull=True, in_app=True, hidden=False
        )
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    _shared().set_many({_key(pk): counts.get(pk, 0) for pk in member_ids}, timeout=None)
    live.publish_many(
        [
            (live_channels.member(pk), "alerts.count", {"count": counts.get(pk, 0)})
            for pk in member_ids
        ]
    )


def _prime(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _shared().set(_key(user.pk), count_unread(user.pk), timeout=None)


def connect() -> None:
    user_logged_in.connect(_prime, dispatch_uid="parley.alerts.unread")


def header_count(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Context processor: `alerts_unread`, called only by a page that shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"alerts_unread": partial(unread_count, user.pk)}
