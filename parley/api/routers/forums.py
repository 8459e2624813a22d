"""Forums, and the threads in one: read them, start a thread."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from parley.forums import approval, hooks, services
from parley.forums.models import Forum, State, Thread

from .. import auth, pagination
from ..common import ApiError, client_ip, flood_check, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import Created, Page
from .content import ForumOut, ThreadIn, ThreadOut, created_state

router = Router(tags=["forums"])


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)


def _forum(request: HttpRequest, forum_id: int) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related("category"), pk=forum_id)
    guardian(request).ensure_see_forum(forum)
    return forum


@router.get(
    "",
    response={200: list[ForumOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="The forums you can see",
)
def list_forums(request: HttpRequest) -> list[ForumOut]:
    g = guardian(request)
    forums = g.visible_forums(Forum.objects.select_related("category")).order_by(
        "category__position", "category_id", "position", "id"
    )
    return [ForumOut.of(f, g) for f in forums]


@router.get(
    "/{forum_id}",
    response={200: ForumOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="One forum",
)
def get_forum(request: HttpRequest, forum_id: int) -> ForumOut:
    return ForumOut.of(_forum(request, forum_id), guardian(request))


@router.get(
    "/{forum_id}/threads",
    response={200: Page[ThreadOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Threads of a forum, stickies first, newest activity first",
)
def list_threads(request: HttpRequest, forum_id: int, q: Query[PageQuery]) -> Page[ThreadOut]:
    forum = _forum(request, forum_id)
    g = guardian(request)
    if not g.can_read_forum(forum.pk):
        raise ApiError(403, "forbidden", "You may not read threads in this forum.")
    rows = Thread.objects.filter(g.forum_thread_filter(forum), forum=forum).select_related("author")
    items, cursor = pagination.page(
        rows, order=["-is_sticky", "-last_post_at", "-id"], cursor=q.cursor, limit=q.limit
    )
    return Page[ThreadOut](items=[ThreadOut.of(t) for t in items], next_cursor=cursor)


@router.post(
    "/{forum_id}/threads",
    response={201: Created, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Start a thread",
)
def start_thread(request: HttpRequest, forum_id: int, payload: ThreadIn) -> Status[Created]:
    forum = _forum(request, forum_id)
    guardian(request).ensure_start_thread(forum)
    extensions = hooks.compose_forms(forum, guardian(request), payload.extension_data())
    fields: dict[str, list[str]] = {}
    for ext in extensions:
        if not ext.form.is_valid():
            for name, errors in ext.form.errors.items():
                # The API's field names: tags, prefix_id, poll, poll.options …
                own = name in ("tags", "prefix_id")
                key = (
                    ext.extension.name
                    if name == "__all__"
                    else name
                    if own
                    else (f"{ext.extension.name}.{name}")
                )
                fields.setdefault(key, []).extend(str(e) for e in errors)
    if fields:
        raise ApiError(400, "invalid", "Some of the thread's details need a look.", fields=fields)
    flood_check(request, "thread", "starting threads", forum.pk)
    try:
        thread = services.start_thread(
            author=request.user,
            forum=forum,
            title=payload.title,
            source=payload.source,
            fmt=payload.format,
            idempotency_key=payload.key,
            ip=client_ip(request),
            extras=[ext.writer(request.user) for ext in extensions],
        )
    except services.DuplicateSubmission as exc:
        raise ApiError(
            409,
            "duplicate",
            f"That idempotency key was used for post {exc.post.pk}.",
        ) from None
    notice = ""
    if thread.state == State.PENDING:
        notice = approval.why_held(guardian(request), forum, payload.source, payload.format)
    return Status(
        201,
        Created(
            id=thread.pk,
            url=f"/threads/{thread.pk}/",
            state=created_state(thread),
            notice=notice,
        ),
    )
