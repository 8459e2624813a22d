"""A number per member shown in the header on every page (unread alerts, unread
conversations), kept in the `shared` cache so that pages cost no query for it.

Every process must agree on it — the gunicorn workers that show it and the task worker that
changes it — so it lives in Redis when configured, otherwise in the machine's file cache,
never in one process's memory. The count is one indexed query at sign-in and on the first
page after a change; each service that changes it calls `forget` (now and again after the
commit: a page rendered before the commit could cache the old number in between). A cache
that lost the key costs that one query, never a wrong number."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest


def _shared() -> Any:
    return caches["shared"]


class HeaderCount:
    def __init__(self, name: str, count: Callable[[int], int]) -> None:
        self.name = name  # in the cache key and the context variable `<name>_unread`
        self.count = count  # the one indexed query for one member

    def key(self, member_id: int) -> str:
        return f"parley:{self.name}:unread:{member_id}"

    def get(self, member_id: int) -> int:
        value = _shared().get(self.key(member_id))
        if value is None:
            value = self.count(member_id)
            _shared().set(self.key(member_id), value, timeout=None)
        return int(value)

    def store(self, counts: dict[int, int]) -> None:
        _shared().set_many({self.key(pk): n for pk, n in counts.items()}, timeout=None)

    def forget(
        self, member_ids: Iterable[int], *, after_commit: Callable[[], None] | None = None
    ) -> None:
        """Drop the cached counts now and after the commit, then run `after_commit` (which
        may count again and tell the members' open pages)."""
        keys = [self.key(pk) for pk in set(member_ids)]
        if not keys:
            return
        _shared().delete_many(keys)

        def committed() -> None:
            _shared().delete_many(keys)
            if after_commit is not None:
                after_commit()

        transaction.on_commit(committed)

    def connect(self) -> None:
        """Count at sign-in, so the first page after it costs no query."""
        user_logged_in.connect(self._prime, dispatch_uid=f"parley.headercount.{self.name}")

    def _prime(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        _shared().set(self.key(user.pk), self.count(user.pk), timeout=None)

    def context(self, request: HttpRequest) -> dict[str, Callable[[], int]]:
        """For a context processor: `<name>_unread`, called only by a page that shows it."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
        return {f"{self.name}_unread": partial(self.get, user.pk)}
