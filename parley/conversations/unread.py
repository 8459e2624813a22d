"""The header's unread-conversations count: a cached counter per member.

Pages read the cache only (no query). The count is computed with one indexed query
(`conversation_inbox`) when a member signs in, and again on the first page after any change
to it: each service that changes someone's unread state forgets their cached count after
the change commits. A cache that lost the key costs that one query, never a wrong number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest

from .models import Participant


def _shared() -> Any:
    """Every process must agree on a member's count (the gunicorn workers and the task
    worker that writes alerts): Redis when configured, otherwise the machine's file cache,
    never one process's memory."""
    return caches["shared"]


def _key(member_id: int) -> str:
    return f"parley:conversations:unread:{member_id}"


def count_unread(member_id: int) -> int:
    return Participant.objects.filter(
        member_id=member_id, left_at__isnull=True, is_unread=True
    ).count()


def unread_count(member_id: int) -> int:
    value = _shared().get(_key(member_id))
    if value is None:
        value = count_unread(member_id)
        _shared().set(_key(member_id), value, timeout=None)
    return int(value)


def forget(member_ids: Iterable[int]) -> None:
    """Drop the cached counts now and again once the current transaction commits (a page
    rendered before the commit could cache the old count again in between)."""
    keys = [_key(pk) for pk in member_ids]
    if keys:
        _shared().delete_many(keys)
        transaction.on_commit(lambda: _shared().delete_many(keys))


def _prime(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _shared().set(_key(user.pk), count_unread(user.pk), timeout=None)


def connect() -> None:
    user_logged_in.connect(_prime, dispatch_uid="parley.conversations.unread")


def header_count(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Context processor: `conversations_unread`, called only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"conversations_unread": partial(unread_count, user.pk)}
