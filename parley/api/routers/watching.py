"""Watching threads and forums, the watched list with unread counts, and marking things
read: the buttons and pages of parley.engagement, through the same services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from parley.engagement import queries, services
from parley.forums.models import Forum, Post

from .. import auth, pagination
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import MemberBrief, Ok, Page
from .content import ThreadOut
from .forums import PageQuery
from .threads import load_thread

router = Router(tags=["watching"])


def _forum(request: HttpRequest, forum_id: int) -> Forum:
    forum = get_object_or_404(Forum, pk=forum_id)
    guardian(request).ensure_see_forum(forum)
    return forum


class WatchIn(Schema):
    email: bool = Field(False, description="Also by e-mail (once per thread until read).")


class WatchOut(Schema):
    watching: bool
    email: bool


@router.put(
    "/threads/{thread_id}/watch",
    response={200: WatchOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Watch a thread (hear of its replies); again to change the e-mail choice",
)
def watch_thread(request: HttpRequest, thread_id: int, payload: WatchIn) -> WatchOut:
    thread = load_thread(request, thread_id)
    watch = services.watch_thread(member=request.user, thread=thread, email=payload.email)
    return WatchOut(watching=True, email=watch.email)


@router.delete(
    "/threads/{thread_id}/watch",
    response={200: WatchOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Stop watching a thread",
)
def unwatch_thread(request: HttpRequest, thread_id: int) -> WatchOut:
    thread = load_thread(request, thread_id)
    services.unwatch_thread(member=request.user, thread=thread)
    return WatchOut(watching=False, email=False)


@router.put(
    "/forums/{forum_id}/watch",
    response={200: WatchOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Watch a forum (hear of its new threads); again to change the e-mail choice",
)
def watch_forum(request: HttpRequest, forum_id: int, payload: WatchIn) -> WatchOut:
    forum = _forum(request, forum_id)
    watch = services.watch_forum(member=request.user, forum=forum, email=payload.email)
    return WatchOut(watching=True, email=watch.email)


@router.delete(
    "/forums/{forum_id}/watch",
    response={200: WatchOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Stop watching a forum",
)
def unwatch_forum(request: HttpRequest, forum_id: int) -> WatchOut:
    forum = _forum(request, forum_id)
    services.unwatch_forum(member=request.user, forum=forum)
    return WatchOut(watching=False, email=False)


class LastPostOut(Schema):
    id: int
    url: str
    author: MemberBrief | None


class WatchedThreadOut(ThreadOut):
    forum_title: str
    unread_count: int = Field(description="Visible posts you have not read.")
    first_unread_url: str = Field(description="Leads to the first post you have not read.")
    last_post: LastPostOut | None

    @staticmethod
    def of_watched(thread: Any) -> WatchedThreadOut:
        last = thread.last_post if thread.last_post_id else None
        return WatchedThreadOut(
            **ThreadOut.of(thread).dict(),
            forum_title=thread.forum.title,
            unread_count=thread.unread_count,
            first_unread_url=f"/threads/{thread.pk}/unread/",
            last_post=LastPostOut(
                id=last.pk,
                url=f"/posts/{last.pk}/",
                author=MemberBrief.of(last.author) if last.author_id else None,
            )
            if last is not None
            else None,
        )


@router.get(
    "/watched",
    response={200: Page[WatchedThreadOut], **COMMON_ERRORS},
    auth=auth.members(Scope.READ),
    summary="Threads you watch and may still read, newest activity first, with unread counts",
)
def watched(request: HttpRequest, q: Query[PageQuery]) -> Page[WatchedThreadOut]:
    rows = queries.watched_threads(request.user, guardian(request)).select_related("author")
    items, cursor = pagination.page(
        rows, order=["-last_post_at", "-id"], cursor=q.cursor, limit=q.limit
    )
    items = queries.apply_pending_reads(request.user, items)
    return Page[WatchedThreadOut](
        items=[WatchedThreadOut.of_watched(t) for t in items], next_cursor=cursor
    )


class ReadIn(Schema):
    post_id: int | None = Field(
        None, ge=1, description="Read up to this post of the thread; omitted: all of it."
    )


@router.post(
    "/threads/{thread_id}/read",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark a thread read, up to a post or all of it",
)
def mark_thread_read(request: HttpRequest, thread_id: int, payload: ReadIn) -> Ok:
    thread = load_thread(request, thread_id)
    upto = payload.post_id
    if upto is None:
        upto = thread.last_post_id
    elif not Post.objects.filter(
        guardian(request).thread_post_filter(thread), thread=thread, pk=upto
    ).exists():
        raise ApiError(
            400,
            "invalid",
            "That post is not one of this thread's.",
            fields={"post_id": ["Give the id of a post of this thread."]},
        )
    if upto is not None:
        services.mark_thread_read(member=request.user, thread_id=thread.pk, upto_post_id=upto)
    return Ok()


@router.post(
    "/forums/{forum_id}/read",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark everything in a forum read",
)
def mark_forum_read(request: HttpRequest, forum_id: int) -> Ok:
    forum = _forum(request, forum_id)
    services.mark_forum_read(member=request.user, forum=forum)
    return Ok()


@router.post(
    "/read-all",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Mark everything everywhere read",
)
def mark_all_read(request: HttpRequest) -> Ok:
    services.mark_all_read(member=request.user)
    return Ok()
