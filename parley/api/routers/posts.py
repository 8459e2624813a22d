"""Posts: read, edit, delete, react, report, and the reaction types to react with."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from parley.forums import services
from parley.forums.models import Post, ReactionType
from parley.moderation import content, reports
from parley.moderation.models import ReportReason

from .. import auth
from ..common import ApiError, client_ip, flood_check, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import MemberBrief, Ok
from .attachments import UPLOAD_KEY_PATTERN
from .content import PostOut

router = Router(tags=["posts"])
types_router = Router(tags=["posts"])


def load_post(request: HttpRequest, post_id: int) -> Post:
    """The post when the caller may read it; 404 otherwise (as on the pages)."""
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=post_id)
    guardian(request).ensure_read_post(post)
    return post


@router.get(
    "/{post_id}", response={200: PostOut, **COMMON_ERRORS}, auth=auth.readers(), summary="One post"
)
def get_post(request: HttpRequest, post_id: int) -> PostOut:
    return PostOut.of(load_post(request, post_id), guardian(request))


class EditIn(Schema):
    source: str
    format: Post.Format | None = None
    reason: str = Field("", max_length=300, description="Shown in the post's history.")
    base_revision: int | None = Field(
        None, ge=1, description="The revision you edited; 409 if the post changed since."
    )
    upload_key: str | None = Field(
        None,
        pattern=UPLOAD_KEY_PATTERN,
        description="The key files were uploaded with (POST /attachments): they become the "
        "post's (your own post's; as the edit page's form token).",
    )


@router.patch(
    "/{post_id}",
    response={200: PostOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Edit a post",
)
def edit_post(request: HttpRequest, post_id: int, payload: EditIn) -> PostOut:
    post = load_post(request, post_id)
    guardian(request).ensure_edit_post(post)
    try:
        edited = services.edit_post(
            editor=request.user,
            post=post,
            source=payload.source,
            fmt=payload.format or post.format,
            base_revision=payload.base_revision,
            reason=payload.reason,
            attachment_key=payload.upload_key,
        )
    except services.EditConflict as exc:
        raise ApiError(409, "edit_conflict", str(exc)) from None
    edited.thread = post.thread
    edited.author = post.author
    return PostOut.of(edited, guardian(request))


@router.delete(
    "/{post_id}",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Delete a post (it can be restored by staff)",
)
def delete_post(request: HttpRequest, post_id: int, reason: str = "") -> Ok:
    post = load_post(request, post_id)
    guardian(request).ensure_delete_post(post)
    if len(reason) > 300:
        raise ApiError(400, "invalid", "Keep the reason under 300 characters.")
    content.delete_posts(actor=request.user, posts=[post], reason=reason, ip=client_ip(request))
    return Ok()


class ReactionIn(Schema):
    type_id: int = Field(description="One of /api/v1/reaction-types")


@router.put(
    "/{post_id}/reaction",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Set your reaction to a post",
)
def react(request: HttpRequest, post_id: int, payload: ReactionIn) -> Ok:
    post = load_post(request, post_id)
    reaction_type = ReactionType.objects.filter(pk=payload.type_id, is_active=True).first()
    if reaction_type is None:
        raise ApiError(
            400,
            "invalid",
            "That reaction is not available.",
            fields={"type_id": ["Choose one of /api/v1/reaction-types."]},
        )
    guardian(request).ensure_react(post)
    flood_check(request, "reaction", "reacting", post.thread.forum_id)
    try:
        services.react_to_post(member=request.user, post=post, reaction_type=reaction_type)
    except services.NotAccepted as exc:
        raise ApiError(409, "not_accepted", str(exc)) from None
    return Ok()


@router.delete(
    "/{post_id}/reaction",
    response={200: Ok, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Take back your reaction",
)
def unreact(request: HttpRequest, post_id: int) -> Ok:
    post = load_post(request, post_id)
    services.remove_reaction(member=request.user, post=post)
    return Ok()


class ReportIn(Schema):
    reason_id: int | None = Field(None, description="One of /api/v1/report-reasons")
    text: str = Field("", max_length=2000)


class ReportOut(Schema):
    case_id: int


@router.post(
    "/{post_id}/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Report a post to the moderators",
)
def report(request: HttpRequest, post_id: int, payload: ReportIn) -> Status[ReportOut]:
    post = load_post(request, post_id)
    guardian(request).ensure_report(post)
    reason = None
    if payload.reason_id is not None:
        reason = ReportReason.objects.filter(pk=payload.reason_id, is_active=True).first()
        if reason is None:
            raise ApiError(
                400,
                "invalid",
                "Choose one of the report reasons.",
                fields={"reason_id": ["Choose one of /api/v1/report-reasons."]},
            )
    try:
        case = reports.file_report(
            reporter=request.user, post=post, reason=reason, text=payload.text
        )
    except reports.TooManyReports as exc:
        raise ApiError(429, "rate_limited", str(exc), retry_after=60) from None
    except ValidationError as exc:
        raise ApiError(400, "invalid", " ".join(exc.messages)) from None
    return Status(201, ReportOut(case_id=case.pk))


class RevisionOut(Schema):
    number: int
    source: str
    format: str
    html: str
    created_at: datetime
    replaced_at: datetime
    editor: MemberBrief
    reason: str


@router.get(
    "/{post_id}/history",
    response={200: list[RevisionOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="Earlier versions of an edited post",
)
def history(request: HttpRequest, post_id: int) -> list[RevisionOut]:
    post = load_post(request, post_id)
    guardian(request).ensure_view_history(post)
    return [
        RevisionOut(
            number=r.number,
            source=r.source,
            format=r.format,
            html=r.cooked_html,
            created_at=r.created_at,
            replaced_at=r.replaced_at,
            editor=MemberBrief.of(r.editor),
            reason=r.reason,
        )
        for r in post.revisions.select_related("editor").order_by("number")
    ]


class ReactionTypeOut(Schema):
    id: int
    name: str
    emoji: str
    score: int


class ReportReasonOut(Schema):
    id: int
    title: str


@types_router.get(
    "/reaction-types",
    response={200: list[ReactionTypeOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="The reactions members can give",
)
def reaction_types(request: HttpRequest) -> list[ReactionTypeOut]:
    return [
        ReactionTypeOut(id=t.pk, name=t.name, emoji=t.emoji, score=t.score)
        for t in ReactionType.objects.filter(is_active=True)
    ]


@types_router.get(
    "/report-reasons",
    response={200: list[ReportReasonOut], **COMMON_ERRORS},
    auth=auth.readers(),
    summary="The reasons a report can give",
)
def report_reasons(request: HttpRequest) -> list[ReportReasonOut]:
    return [
        ReportReasonOut(id=r.pk, title=r.title) for r in ReportReason.objects.filter(is_active=True)
    ]
