"""A live event's timeline: read it (the thread page's panel), and pin a post to it (the
"Pin to timeline" page, for the thread's starter and moderators), through the same query
and service (parley.liveevents)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from parley.forums.models import Post, Thread
from parley.liveevents import queries, services
from parley.liveevents.validation import SUMMARY_MAX

from .. import auth
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope

router = Router(tags=["live events"])


def _thread(request: HttpRequest, thread_id: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("forum", "author", "live_event"), pk=thread_id
    )
    guardian(request).ensure_see_thread(thread)
    return thread


class EntryOut(Schema):
    id: int
    post_id: int
    post_url: str
    summary: str
    happened_at: datetime

    @staticmethod
    def of(entry: Any) -> EntryOut:
        return EntryOut(
            id=entry.pk,
            post_id=entry.post_id,
            post_url=f"/posts/{entry.post_id}/",
            summary=entry.summary,
            happened_at=entry.happened_at,
        )


class TimelineOut(Schema):
    is_live: bool = Field(description="false: not a live event (no timeline shows).")
    can_manage: bool = Field(description="You may pin posts to it.")
    entries: list[EntryOut] = Field(
        description="In the order things happened, without posts you may not read."
    )


@router.get(
    "/{thread_id}/timeline",
    response={200: TimelineOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="A live event's timeline of key developments",
)
def timeline(request: HttpRequest, thread_id: int) -> TimelineOut:
    thread = _thread(request, thread_id)
    panel = queries.panel(thread, guardian(request))
    if panel is None:
        return TimelineOut(is_live=False, can_manage=False, entries=[])
    return TimelineOut(
        is_live=True,
        can_manage=panel.can_manage,
        entries=[EntryOut.of(e) for e in panel.entries],
    )


class PinIn(Schema):
    post_id: int = Field(ge=1, description="A post of this thread.")
    summary: str = Field(max_length=SUMMARY_MAX, description="One line.")
    happened_at: datetime | None = Field(
        None,
        description="When it happened; omitted: the post's own time. Without an offset it "
        "is read in the site's time zone, as the page's form reads it.",
    )


@router.post(
    "/{thread_id}/timeline",
    response={201: EntryOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Pin a post of a live thread to its timeline (its starter and moderators)",
)
def pin(request: HttpRequest, thread_id: int, payload: PinIn) -> Status[EntryOut]:
    thread = _thread(request, thread_id)
    g = guardian(request)
    g.ensure_manage_live_event(thread)
    live = queries.live_event_of(thread)
    if live is None or not live.is_active:
        raise ApiError(409, "not_live", services.NOT_LIVE)
    post = Post.objects.select_related("thread__forum").filter(pk=payload.post_id).first()
    if post is None or post.thread_id != thread.pk or not g.can_read_post(post):
        raise ApiError(
            400,
            "invalid",
            "Name a post of this thread.",
            fields={"post_id": ["Name a post of this thread: its id."]},
        )
    post.thread = thread  # the thread as loaded, with its live event
    when = payload.happened_at
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when)
    entry = services.pin_post(
        actor=request.user, post=post, summary=payload.summary, happened_at=when
    )
    return Status(201, EntryOut.of(entry))
