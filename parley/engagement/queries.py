"""Read side of watching and unread state. Every function is a fixed number of queries,
whatever the number of threads, forums or read rows: the cutoff and the read positions
are joined in SQL (correlated subqueries on indexed unique keys), never looped over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from parley.core.prepared import Prepared
from parley.forums.models import Post, Reaction, State, Thread
from parley.permissions.guardian import Guardian

from . import readbuffer
from .models import ReadingPreference, ReadMark, ThreadRead, ThreadWatch


def horizon(now: datetime | None = None) -> datetime:
    """Posts older than this count as read for everyone (as XenForo does): a new member
    does not meet years of "unread" threads, and read rows older than it can be dropped."""
    return (now or timezone.now()) - timedelta(days=settings.PARLEY_READ_HORIZON_DAYS)


def _mark(member: Any, forum: Any) -> Subquery:
    return Subquery(
        ReadMark.objects.filter(member=member, forum=forum).values("read_before")[:1],
        output_field=DateTimeField(),
    )


def cutoff_expression(member: Any, forum_ref: str = "forum_id") -> Greatest:
    """The member's cutoff for the outer row's forum: the latest of the horizon, the global
    mark and the forum's mark. Coalesce each: SQLite's MAX() of a NULL is NULL."""
    floor = Value(horizon(), output_field=DateTimeField())
    return Greatest(
        floor,
        Coalesce(_mark(member, None), floor),
        Coalesce(
            Subquery(
                ReadMark.objects.filter(member=member, forum_id=OuterRef(forum_ref)).values(
                    "read_before"
                )[:1],
                output_field=DateTimeField(),
            ),
            floor,
        ),
        output_field=DateTimeField(),
    )


def _read_upto(member: Any) -> Coalesce:
    return Coalesce(
        Subquery(
            ThreadRead.objects.filter(member=member, thread_id=OuterRef("pk")).values(
                "last_read_post_id"
            )[:1],
            output_field=IntegerField(),
        ),
        Value(0),
        output_field=IntegerField(),
    )


def unread_threads(member: Any, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """The threads of `threads` with a post this member has not read."""
    fully_read = ThreadRead.objects.filter(
        member=member, thread_id=OuterRef("pk"), last_read_post_id__gte=OuterRef("last_post_id")
    )
    return (
        threads.filter(last_post__isnull=False)
        .alias(unread_cutoff=cutoff_expression(member))
        .filter(last_post_at__gt=F("unread_cutoff"))
        .exclude(Exists(fully_read))
    )


def unread_thread_ids(member: Any, threads: list[Thread]) -> set[int]:
    """Which of these threads (a page of a list) are unread: one query."""
    if not threads or not getattr(member, "is_authenticated", False):
        return set()
    ids = [t.pk for t in threads]
    qs = unread_threads(member, Thread.objects.filter(pk__in=ids))
    unread = set(qs.values_list("pk", flat=True))
    # What this member read moments ago and is not written yet (readbuffer).
    read_now = readbuffer.pending(member.pk)
    return {
        t.pk for t in threads if t.pk in unread and read_now.get(t.pk, 0) < (t.last_post_id or 0)
    }


def unread_forum_ids(member: Any, guardian: Guardian) -> set[int]:
    """The forums holding a thread this member has not read: one query. Only threads
    active since the horizon are candidates, so the scan is bounded by recent activity."""
    if not guardian.is_member:
        return set()
    recent = guardian.visible_threads(Thread.objects.filter(last_post_at__gt=horizon()))
    unread = unread_threads(member, recent)
    read_now = readbuffer.pending(member.pk)
    if not read_now:
        return set(unread.values_list("forum_id", flat=True).distinct())
    # What the member read moments ago (not written yet) may leave a forum with nothing
    # unread: the same one query, by thread.
    return {
        forum_id
        for forum_id, pk, last in unread.values_list("forum_id", "pk", "last_post_id")
        if read_now.get(pk, 0) < (last or 0)
    }


def with_unread_counts(member: Any, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Annotate `unread_count`: the visible posts after the member's position and cutoff."""
    unread_posts = (
        Post.objects.filter(
            thread_id=OuterRef("pk"),
            state=State.VISIBLE,
            id__gt=OuterRef("read_upto"),
            created_at__gt=OuterRef("cutoff"),
        )
        .order_by()
        .values("thread_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return threads.annotate(
        read_upto=_read_upto(member), cutoff=cutoff_expression(member)
    ).annotate(unread_count=Coalesce(Subquery(unread_posts, output_field=IntegerField()), Value(0)))


def apply_pending_reads(member: Any, threads: list[Thread]) -> list[Thread]:
    """Correct the `unread_count` of threads (annotated by `with_unread_counts`) for what
    this member read moments ago and is not written yet (readbuffer): one query, and only
    when a listed thread has such a position. Threads left with nothing unread keep a
    count of 0."""
    read_now = readbuffer.pending(member.pk) if getattr(member, "is_authenticated", False) else {}
    stale = [t for t in threads if read_now.get(t.pk, 0) > (t.read_upto or 0)]  # type: ignore[attr-defined]
    if not stale:
        return threads
    recent = Q()
    for t in stale:
        cutoff = t.cutoff  # type: ignore[attr-defined]
        if isinstance(cutoff, str):
            cutoff = _parse(cutoff)
        recent |= Q(thread_id=t.pk, id__gt=read_now[t.pk], created_at__gt=cutoff)
    counts = dict(
        Post.objects.filter(recent, state=State.VISIBLE)
        .order_by()
        .values("thread_id")
        .annotate(n=Count("id"))
        .values_list("thread_id", "n")
    )
    for t in stale:
        t.unread_count = counts.get(t.pk, 0)  # type: ignore[attr-defined]
    return threads


def watched_threads(member: Any, guardian: Guardian) -> QuerySet[Thread]:
    """Threads the member watches and may still read, newest activity first."""
    watched = ThreadWatch.objects.filter(member=member).values("thread_id")
    threads = guardian.visible_threads(Thread.objects.filter(pk__in=watched))
    return (
        with_unread_counts(member, threads)
        .select_related("forum", "last_post__author")
        .order_by("-last_post_at", "-id")
    )


def first_unread_post(member: Any, thread: Thread, guardian: Guardian) -> Post | None:
    """The first post of the thread this member has not read and may see (two queries),
    or None when everything is read."""
    row = (
        Thread.objects.filter(pk=thread.pk)
        .annotate(read_upto=_read_upto(member), cutoff=cutoff_expression(member))
        .values("read_upto", "cutoff")
        .first()
    )
    if row is None:
        return None
    cutoff = row["cutoff"]
    if isinstance(cutoff, str):  # SQLite hands back the MAX() of timestamps as text
        cutoff = _parse(cutoff)
    read_upto = max(row["read_upto"], readbuffer.pending(member.pk).get(thread.pk, 0))
    return (
        Post.objects.filter(guardian.thread_post_filter(thread), thread=thread)
        .filter(Q(id__gt=read_upto) & Q(created_at__gt=cutoff))
        .select_related("thread__forum")
        .order_by("id")
        .first()
    )


def _parse(value: str) -> datetime:
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a timestamp: {value!r}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def auto_watch_enabled(member: Any) -> bool:
    pref = ReadingPreference.objects.filter(member=member).values_list("auto_watch", flat=True)
    return next(iter(pref), True)


@dataclass(frozen=True)
class Watching:
    """What a watch button shows of a member's watch: that there is one, and whether it
    sends e-mail."""

    email: bool


# Every signed-in thread page asks (prepared: parley.core.prepared).
_thread_watch = Prepared(
    lambda member_id, thread_id: ThreadWatch.objects.filter(
        member_id=member_id, thread_id=thread_id
    ).values_list("email")
)


def watching(member: Any, *, thread: Any = None, forum: Any = None) -> Watching | None:
    """The member's watch of this thread or forum, or None (one query)."""
    from .models import ForumWatch

    if thread is not None:
        rows = _thread_watch.run(member.pk, thread.pk)
    else:
        rows = list(ForumWatch.objects.filter(member=member, forum=forum).values_list("email"))
    return Watching(email=bool(rows[0][0])) if rows else None  # SQLite gives 0/1


@dataclass
class WhatsNew:
    threads: list[Thread]
    trending: list[Thread]
    since_last_visit: bool


TRENDING_HOURS = 24


def trending(guardian: Guardian, limit: int = 10, now: datetime | None = None) -> list[Thread]:
    """Threads with the most replies and reactions in the last 24 hours, among those this
    person may read (one query). Only visible posts and reactions to them count."""
    since = (now or timezone.now()) - timedelta(hours=TRENDING_HOURS)
    replies = (
        Post.objects.filter(thread_id=OuterRef("pk"), state=State.VISIBLE, created_at__gte=since)
        .exclude(pk=OuterRef("first_post_id"))
        .order_by()
        .values("thread_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    reactions = (
        Reaction.objects.filter(
            post__thread_id=OuterRef("pk"), post__state=State.VISIBLE, created_at__gte=since
        )
        .order_by()
        .values("post__thread_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    reacted = Reaction.objects.filter(created_at__gte=since).values("post__thread_id")
    candidates = guardian.visible_threads(
        Thread.objects.filter(Q(last_post_at__gte=since) | Q(pk__in=reacted))
    )
    zero = Value(0)
    return list(
        candidates.annotate(
            recent_replies=Coalesce(Subquery(replies, output_field=IntegerField()), zero),
            recent_reactions=Coalesce(Subquery(reactions, output_field=IntegerField()), zero),
        )
        .annotate(activity=F("recent_replies") + F("recent_reactions"))
        .filter(activity__gt=0)
        .select_related("forum")
        .order_by("-activity", "-last_post_at", "-id")[:limit]
    )


def whats_new(guardian: Guardian, limit: int = 30) -> WhatsNew:
    """Members: the threads with posts they have not read (new threads among them), with
    unread counts. Guests: the latest threads. Both: trending. Two queries."""
    threads = guardian.visible_threads(Thread.objects.all())
    if guardian.is_member:
        member = guardian.user
        listed = with_unread_counts(member, unread_threads(member, threads))
        since_last_visit = True
    else:
        listed = threads
        since_last_visit = False
    rows = list(
        listed.select_related("forum", "last_post__author").order_by("-last_post_at", "-id")[:limit]
    )
    if guardian.is_member:
        rows = [t for t in apply_pending_reads(guardian.user, rows) if t.unread_count]  # type: ignore[attr-defined]
    return WhatsNew(threads=rows, trending=trending(guardian), since_last_visit=since_last_visit)
