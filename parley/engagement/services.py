"""Writes of watching and read tracking: keyword-only, atomic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from parley.forums.models import Forum, Thread

from . import queries, readbuffer
from .models import ForumWatch, ReadingPreference, ReadMark, ThreadRead, ThreadWatch


@transaction.atomic
def watch_thread(*, member: Any, thread: Thread, email: bool = False) -> ThreadWatch:
    """Watch a thread (again: only the e-mail choice changes)."""
    watch, _ = ThreadWatch.objects.update_or_create(
        member=member,
        thread=thread,
        defaults={"email": email},
        create_defaults={"email": email, "created_at": timezone.now()},
    )
    return watch


@transaction.atomic
def unwatch_thread(*, member: Any, thread: Thread) -> bool:
    return ThreadWatch.objects.filter(member=member, thread=thread).delete()[0] > 0


@transaction.atomic
def watch_forum(*, member: Any, forum: Forum, email: bool = False) -> ForumWatch:
    watch, _ = ForumWatch.objects.update_or_create(
        member=member,
        forum=forum,
        defaults={"email": email},
        create_defaults={"email": email, "created_at": timezone.now()},
    )
    return watch


@transaction.atomic
def unwatch_forum(*, member: Any, forum: Forum) -> bool:
    return ForumWatch.objects.filter(member=member, forum=forum).delete()[0] > 0


@transaction.atomic
def set_auto_watch(*, member: Any, enabled: bool) -> None:
    ReadingPreference.objects.update_or_create(member=member, defaults={"auto_watch": enabled})


def mark_thread_read(*, member: Any, thread_id: int, upto_post_id: int) -> None:
    """Record that the member has read the thread up to this post (one upsert; atomic on
    its own as a single statement)."""
    with connection.cursor() as cursor:
        cursor.execute(
            readbuffer.upsert_sql(), [member.pk, thread_id, upto_post_id, timezone.now()]
        )


def record_thread_view(guardian: Any, thread: Thread, posts: Sequence[Any]) -> None:
    """The thread page's hook: a member who sees a page has read its posts. Buffered (no
    write on a GET; docs/caching.md): the position reaches the database within
    PARLEY_WRITE_BUFFER_SECONDS. Posts older than the read horizon are read anyway, so a
    page of only old posts records nothing and rows stay bounded."""
    if not guardian.is_member or not posts:
        return
    last = posts[-1]
    if last.created_at <= queries.horizon():
        return
    readbuffer.read_positions.add((guardian.user.pk, thread.pk), (last.pk, timezone.now()))


@transaction.atomic
def mark_forum_read(*, member: Any, forum: Forum) -> None:
    """Everything in the forum up to now is read; the forum's per-thread rows go."""
    now = timezone.now()
    ReadMark.objects.update_or_create(member=member, forum=forum, defaults={"read_before": now})
    ThreadRead.objects.filter(member=member, thread__forum=forum).delete()


@transaction.atomic
def mark_all_read(*, member: Any) -> None:
    """Everything everywhere up to now is read: one global mark replaces every row."""
    now = timezone.now()
    ReadMark.objects.filter(member=member, forum__isnull=False).delete()
    ReadMark.objects.update_or_create(member=member, forum=None, defaults={"read_before": now})
    ThreadRead.objects.filter(member=member).delete()


def after_own_post(*, member: Any, post: Any) -> None:
    """A member who posts has read the thread up to their post, and watches it if their
    preference says so (an existing watch keeps its e-mail choice)."""
    mark_thread_read(member=member, thread_id=post.thread_id, upto_post_id=post.pk)
    if queries.auto_watch_enabled(member):
        ThreadWatch.objects.get_or_create(
            member=member, thread_id=post.thread_id, defaults={"created_at": timezone.now()}
        )
