"""Exact counters after moderation: recomputed from the rows, under the row's lock.

Posting and reacting move counters with F() deltas (cheap, exact under concurrency). A
moderation action changes what counts in one go — a deleted thread takes all its posts
with it, a move shifts them between forums — so it recomputes the counters it touched from
the rows instead. Both keep one definition of "counted": a visible post in a visible thread.
Locks are taken thread → post → forum → member, the order the posting services use.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max, Min, Q, Sum

from parley.members.models import Member

from .models import Forum, Post, Reaction, State, Thread

COUNTED = Q(state=State.VISIBLE, thread__state=State.VISIBLE)


def lock_threads(ids: Iterable[int]) -> dict[int, Thread]:
    ordered = sorted(set(ids))
    return {
        t.pk: t for t in Thread.objects.select_for_update().filter(pk__in=ordered).order_by("pk")
    }


def thread_values(thread_id: int) -> dict:
    """What a thread's counters should be, from its posts."""
    first = Post.objects.filter(thread_id=thread_id).aggregate(first=Min("id"))["first"]
    visible = Post.objects.filter(thread_id=thread_id, state=State.VISIBLE).aggregate(
        n=Count("id"), last=Max("id")
    )
    last_id = visible["last"]
    last_at = (
        Post.objects.filter(pk=last_id).values_list("created_at", flat=True).first()
        if last_id
        else None
    )
    first_counted = (
        first is not None and Post.objects.filter(pk=first, state=State.VISIBLE).exists()
    )
    return {
        "first_post_id": first,
        "last_post_id": last_id,
        "last_post_at": last_at,
        "reply_count": max(visible["n"] - (1 if first_counted else 0), 0),
    }


def refresh_thread(thread_id: int) -> None:
    values = thread_values(thread_id)
    if values["last_post_at"] is None:
        values.pop("last_post_at")  # no visible post: keep the time it had
    Thread.objects.filter(pk=thread_id).update(**values)


def forum_values(forum_id: int) -> dict:
    threads = Thread.objects.filter(forum_id=forum_id, state=State.VISIBLE).count()
    posts = Post.objects.filter(COUNTED, thread__forum_id=forum_id).aggregate(
        n=Count("id"), last=Max("id")
    )
    return {"thread_count": threads, "post_count": posts["n"], "last_post_id": posts["last"]}


def refresh_forums(ids: Iterable[int]) -> None:
    for forum_id in sorted(set(ids)):
        Forum.objects.select_for_update().filter(pk=forum_id).values_list("pk").first()
        Forum.objects.filter(pk=forum_id).update(**forum_values(forum_id))


def member_values(member_id: int) -> dict:
    messages = Post.objects.filter(COUNTED, author_id=member_id).count()
    score = Reaction.objects.filter(
        post__author_id=member_id,
        post__state=State.VISIBLE,
        post__thread__state=State.VISIBLE,
    ).aggregate(s=Sum("type__score"))["s"]
    return {"message_count": messages, "reaction_score": score or 0}


def refresh_members(ids: Iterable[int]) -> None:
    for member_id in sorted(set(ids)):
        Member.objects.select_for_update().filter(pk=member_id).values_list("pk").first()
        Member.objects.filter(pk=member_id).update(**member_values(member_id))


def refresh_everything_about(
    *, threads: Iterable[int] = (), forums: Iterable[int] = (), members: Iterable[int] = ()
) -> None:
    """Recompute the counters of these rows, in lock order."""
    for thread_id in sorted(set(threads)):
        refresh_thread(thread_id)
    refresh_forums(forums)
    refresh_members(members)
