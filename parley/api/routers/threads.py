"""Threads: read one and its posts, reply."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from parley.forums import approval, services
from parley.forums.models import Post, State, Thread

from .. import auth, pagination
from ..common import ApiError, client_ip, flood_check, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import Created, Page
from .content import ComposeIn, PostOut, ThreadDetailOut, ThreadOut, created_state
from .forums import PageQuery

router = Router(tags=["threads"])


def load_thread(request: HttpRequest, thread_id: int) -> Thread:
    """The thread, or 404 when the caller may not see it (403 when they see it listed but
    may not read the forum's threads): the Guardian's answers, as on the thread page."""
    thread = get_object_or_404(Thread.objects.select_related("forum", "author"), pk=thread_id)
    guardian(request).ensure_see_thread(thread)
    return thread


@router.get(
    "/{thread_id}",
    response={200: ThreadDetailOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="One thread",
)
def get_thread(request: HttpRequest, thread_id: int) -> ThreadDetailOut:
    thread = load_thread(request, thread_id)
    g = guardian(request)
    return ThreadDetailOut(
        **ThreadOut.of(thread).dict(),
        can_reply=g.can_reply(thread),
        can_moderate=g.moderates(thread.forum_id),
    )


@router.get(
    "/{thread_id}/posts",
    response={200: Page[PostOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Posts of a thread, oldest first",
)
def list_posts(request: HttpRequest, thread_id: int, q: Query[PageQuery]) -> Page[PostOut]:
    thread = load_thread(request, thread_id)
    g = guardian(request)
    rows = Post.objects.filter(g.thread_post_filter(thread), thread=thread).select_related("author")
    items, cursor = pagination.page(rows, order=["id"], cursor=q.cursor, limit=q.limit)
    for post in items:
        post.thread = thread  # the Guardian's answers need it; no query per post
    return Page[PostOut](items=[PostOut.of(p, g) for p in items], next_cursor=cursor)


@router.post(
    "/{thread_id}/posts",
    response={201: Created, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Reply to a thread",
)
def reply(request: HttpRequest, thread_id: int, payload: ComposeIn) -> Status[Created]:
    thread = load_thread(request, thread_id)
    guardian(request).ensure_reply(thread)
    flood_check(request, "post", "posting", thread.forum_id)
    try:
        post = services.reply_to_thread(
            author=request.user,
            thread=thread,
            source=payload.source,
            fmt=payload.format,
            idempotency_key=payload.key,
            ip=client_ip(request),
        )
    except services.NotAccepted as exc:
        raise ApiError(400, "not_accepted", str(exc)) from None
    except services.DuplicateSubmission as exc:
        raise ApiError(
            409, "duplicate", f"That idempotency key was used for post {exc.post.pk}."
        ) from None
    notice = ""
    if post.state == State.PENDING:
        notice = approval.why_held(guardian(request), thread.forum, payload.source, payload.format)
    return Status(
        201, Created(id=post.pk, url=f"/posts/{post.pk}/", state=created_state(post), notice=notice)
    )
