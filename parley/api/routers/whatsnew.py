"""What's new, trending, and the first unread post of a thread: the /whats-new/ page and
the thread page's "jump to first unread", through the same queries (parley.engagement)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from parley.engagement import queries
from parley.members.models import Member

from .. import auth
from ..common import guardian
from ..errors import COMMON_ERRORS
from ..schemas import MemberBrief
from .content import ThreadOut
from .tags import LabelsOut, labels_of
from .threads import load_thread
from .watching import LastPostOut

router = Router(tags=["whats new"])


class NewThreadOut(ThreadOut):
    forum_title: str
    labels: LabelsOut
    unread_count: int | None = Field(
        description="Posts you have not read (null for guests, who have no read state)."
    )
    is_new_thread: bool = Field(description="You have read none of it (the page's badge).")
    first_unread_url: str | None = Field(
        description="The page that jumps to the first unread post."
    )
    last_post: LastPostOut | None


class TrendingThreadOut(ThreadOut):
    forum_title: str
    labels: LabelsOut
    recent_replies: int = Field(description="Replies in the last 24 hours.")
    recent_reactions: int = Field(description="Reactions in the last 24 hours.")


class WhatsNewOut(Schema):
    since_last_visit: bool = Field(
        description="true: threads with posts you have not read; false (guests): the latest."
    )
    threads: list[NewThreadOut]
    trending: list[TrendingThreadOut] = Field(description="As GET /trending.")


def _with_authors(threads: list[Any]) -> None:
    """The starters of a list of threads in one query (the queries join the forum and the
    last post's author, not the starter)."""
    ids = {t.author_id for t in threads if t.author_id}
    found = Member.objects.in_bulk(ids) if ids else {}
    for t in threads:
        if t.author_id:
            t.author = found[t.author_id]


def _last_post(thread: Any) -> LastPostOut | None:
    last = thread.last_post if thread.last_post_id else None
    if last is None:
        return None
    return LastPostOut(
        id=last.pk,
        url=f"/posts/{last.pk}/",
        author=MemberBrief.of(last.author) if last.author_id else None,
    )


def _trending(threads: list[Any]) -> list[TrendingThreadOut]:
    labels = labels_of(threads)
    return [
        TrendingThreadOut(
            **ThreadOut.of(t).dict(),
            forum_title=t.forum.title,
            labels=labels[t.pk],
            recent_replies=t.recent_replies,
            recent_reactions=t.recent_reactions,
        )
        for t in threads
    ]


@router.get(
    "/whats-new",
    response={200: WhatsNewOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="What's new: for members the threads with posts they have not read, for guests "
    "the latest threads; and what is trending",
)
def whats_new(request: HttpRequest) -> WhatsNewOut:
    data = queries.whats_new(guardian(request))
    _with_authors([*data.threads, *data.trending])
    labels = labels_of(data.threads)
    threads = []
    for t in data.threads:
        unread = getattr(t, "unread_count", None) if data.since_last_visit else None
        threads.append(
            NewThreadOut(
                **ThreadOut.of(t).dict(),
                forum_title=t.forum.title,
                labels=labels[t.pk],
                unread_count=unread,
                is_new_thread=bool(unread and unread > t.reply_count),
                first_unread_url=f"/threads/{t.pk}/unread/" if unread else None,
                last_post=_last_post(t),
            )
        )
    return WhatsNewOut(
        since_last_visit=data.since_last_visit,
        threads=threads,
        trending=_trending(data.trending),
    )


@router.get(
    "/trending",
    response={200: list[TrendingThreadOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Trending today: the threads with the most replies and reactions in 24 hours",
)
def trending(request: HttpRequest) -> list[TrendingThreadOut]:
    threads = queries.trending(guardian(request))
    _with_authors(threads)
    return _trending(threads)


class FirstUnreadOut(Schema):
    post_id: int | None = Field(
        description="The first post you have not read; null when all is read, and for guests."
    )
    url: str | None


@router.get(
    "/threads/{thread_id}/first-unread",
    response={200: FirstUnreadOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="The first post of a thread you have not read (the thread page's jump)",
)
def first_unread(request: HttpRequest, thread_id: int) -> FirstUnreadOut:
    thread = load_thread(request, thread_id)
    g = guardian(request)
    post = queries.first_unread_post(request.user, thread, g) if g.is_member else None
    if post is None:
        return FirstUnreadOut(post_id=None, url=None)
    return FirstUnreadOut(post_id=post.pk, url=f"/posts/{post.pk}/")
