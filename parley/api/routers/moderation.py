"""Moderation: the queue, report cases, and the moderator tools on posts, threads and
members, with exactly the powers the moderation pages give (parley/moderation/views.py).

Who may use what is the Guardian's answer, as on the pages: someone who moderates nothing
gets a 404 from every route here (the tools do not exist for them); a moderator who can see
the post, thread or case but lacks the power in its forum gets a 403.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from parley.forums.models import Forum, Post, State, Thread
from parley.members.models import Member
from parley.moderation import bans, content, reports, warnings
from parley.moderation.models import CaseState, ReportCase, WarningType
from parley.permissions.guardian import Guardian
from parley.permissions.models import Power

from .. import auth, pagination
from ..common import ApiError, client_ip, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from ..schemas import MemberBrief, Page
from .content import PostOut, ThreadOut
from .forums import PageQuery
from .posts import load_post
from .threads import load_thread

router = Router(tags=["moderation"])

NOT_YOURS = "You do not have that moderator power in this forum."
MODERATORS = auth.members(Scope.MODERATE)


def _staff(request: HttpRequest) -> Guardian:
    """The caller's Guardian when they moderate somewhere; 404 otherwise."""
    g = guardian(request)
    g.ensure_staff()
    return g


# --- shapes --------------------------------------------------------------------------------


class QueuePostOut(Schema):
    id: int
    url: str
    thread_id: int
    thread_title: str
    forum_id: int
    author: MemberBrief | None
    created_at: datetime
    state: str
    text: str | None = Field(description="The post's plain text; null when you may not read it")

    @staticmethod
    def of(post: Post, g: Guardian) -> QueuePostOut:
        return QueuePostOut(
            id=post.pk,
            url=f"/posts/{post.pk}/",
            thread_id=post.thread_id,
            thread_title=post.thread.title,
            forum_id=post.thread.forum_id,
            author=MemberBrief.of(post.author) if post.author_id else None,
            created_at=post.created_at,
            state=post.state,
            text=post.plain_text if g.can_read_post(post) else None,
        )


class CaseOut(Schema):
    id: int
    url: str
    state: str
    report_count: int
    created_at: datetime
    updated_at: datetime
    assignee: MemberBrief | None
    closed_by: MemberBrief | None
    closed_at: datetime | None
    resolution: str
    post: QueuePostOut

    @staticmethod
    def of(case: ReportCase, g: Guardian) -> CaseOut:
        return CaseOut(
            id=case.pk,
            url=f"/moderation/reports/{case.pk}/",
            state=case.state,
            report_count=case.report_count,
            created_at=case.created_at,
            updated_at=case.updated_at,
            assignee=MemberBrief.of(case.assignee) if case.assignee_id else None,
            closed_by=MemberBrief.of(case.closed_by) if case.closed_by_id else None,
            closed_at=case.closed_at,
            resolution=case.resolution,
            post=QueuePostOut.of(case.post, g),
        )


class QueueItemOut(Schema):
    kind: Literal["report", "pending"]
    post: QueuePostOut
    case: CaseOut | None = Field(None, description="The open report case (kind report)")


class ReportItemOut(Schema):
    id: int
    reporter: MemberBrief
    reason: str | None
    text: str
    created_at: datetime


class CommentOut(Schema):
    id: int
    author: MemberBrief
    text: str
    created_at: datetime

    @staticmethod
    def of(comment: Any) -> CommentOut:
        return CommentOut(
            id=comment.pk,
            author=MemberBrief.of(comment.author),
            text=comment.text,
            created_at=comment.created_at,
        )


class CaseDetailOut(CaseOut):
    reports: list[ReportItemOut]
    comments: list[CommentOut]


# --- the queue -----------------------------------------------------------------------------


class QueueQuery(PageQuery):
    kind: Literal["reports", "pending"] = Field(
        description="reports: open report cases, most recently active first; pending: posts "
        "awaiting approval, oldest first. Each list has its own cursor."
    )


@router.get(
    "/queue",
    response={200: Page[QueueItemOut], **COMMON_ERRORS},
    auth=MODERATORS,
    summary="The moderation queue: open reports, or posts awaiting approval",
    description=(
        "Only the forums where you handle reports (kind=reports) or approve posts "
        "(kind=pending). The two lists are paged separately by `?cursor=`."
    ),
)
def queue(request: HttpRequest, q: Query[QueueQuery]) -> Page[QueueItemOut]:
    g = _staff(request)
    if q.kind == "reports":
        cases = ReportCase.objects.filter(
            state=CaseState.OPEN,
            post__thread__forum_id__in=g.forum_ids_with_power(Power.REPORTS),
        ).select_related("post__author", "post__thread__forum", "assignee", "closed_by")
        found, cursor = pagination.page(
            cases, order=["-updated_at", "-id"], cursor=q.cursor, limit=q.limit
        )
        items = [
            QueueItemOut(kind="report", post=QueuePostOut.of(c.post, g), case=CaseOut.of(c, g))
            for c in found
        ]
        return Page[QueueItemOut](items=items, next_cursor=cursor)
    posts = Post.objects.filter(
        state=State.PENDING, thread__forum_id__in=g.forum_ids_with_power(Power.APPROVE)
    ).select_related("author", "thread__forum")
    found, cursor = pagination.page(posts, order=["id"], cursor=q.cursor, limit=q.limit)
    items = [QueueItemOut(kind="pending", post=QueuePostOut.of(p, g), case=None) for p in found]
    return Page[QueueItemOut](items=items, next_cursor=cursor)


# --- report cases --------------------------------------------------------------------------


def _case(request: HttpRequest, case_id: int) -> ReportCase:
    """The case when the caller handles reports in its forum: 404 when they moderate nothing
    there, 403 without the reports power (reports.ensure_handle, as on the case page)."""
    _staff(request)
    case = get_object_or_404(
        ReportCase.objects.select_related(
            "post__thread__forum", "post__author", "assignee", "closed_by"
        ),
        pk=case_id,
    )
    reports.ensure_handle(request.user, case)
    return case


def _case_detail(request: HttpRequest, case: ReportCase) -> CaseDetailOut:
    g = guardian(request)
    filed = case.reports.select_related("reporter", "reason").order_by("created_at", "id")
    comments = case.comments.select_related("author").order_by("created_at", "id")
    return CaseDetailOut(
        **CaseOut.of(case, g).dict(),
        reports=[
            ReportItemOut(
                id=r.pk,
                reporter=MemberBrief.of(r.reporter),
                reason=r.reason.title if r.reason is not None else None,
                text=r.text,
                created_at=r.created_at,
            )
            for r in filed
        ],
        comments=[CommentOut.of(c) for c in comments],
    )


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **COMMON_ERRORS},
    auth=MODERATORS,
    summary="One report case, with its reports and the moderators' comments",
)
def get_case(request: HttpRequest, case_id: int) -> CaseDetailOut:
    return _case_detail(request, _case(request, case_id))


class CommentIn(Schema):
    text: str = Field(max_length=4000)


@router.post(
    "/cases/{case_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Comment on a report case (moderators only see it)",
)
def comment_on_case(request: HttpRequest, case_id: int, payload: CommentIn) -> Status[CommentOut]:
    case = _case(request, case_id)
    comment = reports.comment_on_case(actor=request.user, case=case, text=payload.text)
    return Status(201, CommentOut.of(comment))  # its author is request.user, loaded


@router.post(
    "/cases/{case_id}/assign",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Assign a report case to yourself",
)
def assign_case(request: HttpRequest, case_id: int) -> CaseDetailOut:
    case = _case(request, case_id)
    reports.assign_case(actor=request.user, case=case, assignee=request.user, ip=client_ip(request))
    return _case_detail(request, _case(request, case_id))


class CloseIn(Schema):
    resolved: bool = Field(
        description="true: resolved (action was taken); false: rejected (nothing wrong)"
    )
    note: str = Field("", max_length=300, description="Kept with the case and in the log")


@router.post(
    "/cases/{case_id}/close",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Close a report case: resolved or rejected",
)
def close_case(request: HttpRequest, case_id: int, payload: CloseIn) -> CaseDetailOut:
    case = _case(request, case_id)
    reports.close_case(
        actor=request.user,
        case=case,
        resolved=payload.resolved,
        note=payload.note,
        ip=client_ip(request),
    )
    return _case_detail(request, _case(request, case_id))


# --- posts ---------------------------------------------------------------------------------


def _post_for(request: HttpRequest, post_id: int, power: str) -> Post:
    """The post when the caller may read it (404 otherwise) and holds `power` in its forum
    (403 otherwise), as the page's single-post tools check."""
    g = _staff(request)
    post = load_post(request, post_id)
    if not g.has_power(power, post.thread.forum_id):
        raise PermissionDenied(NOT_YOURS)
    return post


def _post_out(request: HttpRequest, post_id: int) -> PostOut:
    post = Post.objects.select_related("thread__forum", "author").get(pk=post_id)
    return PostOut.of(post, guardian(request))


class ReasonIn(Schema):
    reason: str = Field("", max_length=300, description="Shown to readers")


@router.post(
    "/posts/{post_id}/restore",
    response={200: PostOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Restore a deleted post (a deleted first post restores its thread)",
)
def restore_post(request: HttpRequest, post_id: int) -> PostOut:
    post = _post_for(request, post_id, Power.DELETE)
    content.restore_posts(actor=request.user, posts=[post], ip=client_ip(request))
    return _post_out(request, post_id)


@router.post(
    "/posts/{post_id}/approve",
    response={200: PostOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Approve a post awaiting approval (a first post publishes its thread)",
)
def approve_post(request: HttpRequest, post_id: int) -> PostOut:
    post = _post_for(request, post_id, Power.APPROVE)
    content.approve_posts(actor=request.user, posts=[post], ip=client_ip(request))
    return _post_out(request, post_id)


@router.post(
    "/posts/{post_id}/reject",
    response={200: PostOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Reject a post awaiting approval: it is deleted (restorable)",
)
def reject_post(request: HttpRequest, post_id: int, payload: ReasonIn) -> PostOut:
    post = _post_for(request, post_id, Power.APPROVE)
    content.reject_posts(
        actor=request.user, posts=[post], reason=payload.reason, ip=client_ip(request)
    )
    return _post_out(request, post_id)


# --- threads -------------------------------------------------------------------------------


def _thread_for(request: HttpRequest, thread_id: int) -> Thread:
    """The thread when the caller sees it (404 otherwise) and moderates its forum (403
    otherwise, as the page's thread tools); the services check the one power each needs."""
    g = _staff(request)
    thread = load_thread(request, thread_id)
    if not g.moderates(thread.forum_id):
        raise PermissionDenied(NOT_YOURS)
    return thread


def _thread_out(thread_id: int) -> ThreadOut:
    return ThreadOut.of(Thread.objects.select_related("author").get(pk=thread_id))


@router.post(
    "/threads/{thread_id}/delete",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Delete a thread (restorable)",
)
def delete_thread(request: HttpRequest, thread_id: int, payload: ReasonIn) -> ThreadOut:
    thread = _thread_for(request, thread_id)
    content.delete_threads(
        actor=request.user, threads=[thread], reason=payload.reason, ip=client_ip(request)
    )
    return _thread_out(thread_id)


@router.post(
    "/threads/{thread_id}/restore",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Restore a deleted thread",
)
def restore_thread(request: HttpRequest, thread_id: int) -> ThreadOut:
    thread = _thread_for(request, thread_id)
    content.restore_threads(actor=request.user, threads=[thread], ip=client_ip(request))
    return _thread_out(thread_id)


class FlagsIn(Schema):
    is_sticky: bool | None = None
    is_locked: bool | None = None
    reason: str = Field("", max_length=300, description="Kept in the moderators' log")


@router.patch(
    "/threads/{thread_id}",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Lock or unlock, stick or unstick a thread",
)
def set_flags(request: HttpRequest, thread_id: int, payload: FlagsIn) -> ThreadOut:
    thread = _thread_for(request, thread_id)
    if payload.is_sticky is None and payload.is_locked is None:
        raise ApiError(
            400,
            "invalid",
            "Say what to change: is_sticky, is_locked or both.",
            fields={"is_sticky": ["Give true or false."], "is_locked": ["Give true or false."]},
        )
    ip = client_ip(request)
    # One call per flag, as the page's lock and stick buttons: one log entry for each.
    if payload.is_locked is not None:
        content.set_flags(
            actor=request.user,
            threads=[thread],
            locked=payload.is_locked,
            reason=payload.reason,
            ip=ip,
        )
    if payload.is_sticky is not None:
        content.set_flags(
            actor=request.user,
            threads=[thread],
            sticky=payload.is_sticky,
            reason=payload.reason,
            ip=ip,
        )
    return _thread_out(thread_id)


class MoveIn(Schema):
    forum_id: int = Field(description="A forum where you have the move power")
    leave_redirect: bool = Field(False, description="Leave a “moved” notice in the old forum")
    reason: str = Field("", max_length=300)


@router.post(
    "/threads/{thread_id}/move",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Move a thread to another forum",
)
def move_thread(request: HttpRequest, thread_id: int, payload: MoveIn) -> ThreadOut:
    thread = _thread_for(request, thread_id)
    g = guardian(request)
    # The page offers the forums where the moderator has the move power, and no others.
    forum = None
    if payload.forum_id in g.forum_ids_with_power(Power.MOVE):
        forum = Forum.objects.filter(pk=payload.forum_id).first()
    if forum is None:
        raise ApiError(
            400,
            "invalid",
            "Choose a forum you may move threads to.",
            fields={"forum_id": ["Not a forum where you have the move power."]},
        )
    content.move_threads(
        actor=request.user,
        threads=[thread],
        forum=forum,
        leave_redirect=payload.leave_redirect,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _thread_out(thread_id)


class MergeIn(Schema):
    into_thread_id: int = Field(description="The thread that receives this thread's posts")
    leave_redirect: bool = Field(False, description="Leave a “moved” notice in the old forum")
    reason: str = Field("", max_length=300)


@router.post(
    "/threads/{thread_id}/merge",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Merge this thread into another one",
    description=(
        "Every post of this thread moves into `into_thread_id` (in time order) and this "
        "thread is removed. Needs the move power in both forums. Answers the merged thread."
    ),
)
def merge_thread(request: HttpRequest, thread_id: int, payload: MergeIn) -> ThreadOut:
    thread = _thread_for(request, thread_id)
    g = guardian(request)
    target = (
        Thread.objects.select_related("forum", "author").filter(pk=payload.into_thread_id).first()
    )
    if target is None or not g.can_see_thread(target):
        raise ApiError(
            400,
            "invalid",
            "There is no thread with that number.",
            fields={"into_thread_id": ["There is no thread with that number."]},
        )
    if not g.has_power(Power.MOVE, target.forum_id):
        raise PermissionDenied(NOT_YOURS)
    merged = content.merge_threads(
        actor=request.user,
        target=target,
        sources=[thread],
        leave_redirect=payload.leave_redirect,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _thread_out(merged.pk)


# --- members -------------------------------------------------------------------------------


def _member(username: str) -> Member:
    found = Member.objects.filter(username__iexact=username, is_active=True).first()
    if found is None:
        raise ApiError(404, "not_found", "No such member.")
    return found


class WarningTypeOut(Schema):
    id: int
    title: str
    points: int
    expiry_days: int | None


@router.get(
    "/warning-types",
    response={200: list[WarningTypeOut], **COMMON_ERRORS},
    auth=MODERATORS,
    summary="The warnings a moderator can give",
)
def warning_types(request: HttpRequest) -> list[WarningTypeOut]:
    _staff(request)
    return [
        WarningTypeOut(id=t.pk, title=t.title, points=t.points, expiry_days=t.expiry_days)
        for t in WarningType.objects.filter(is_active=True)
    ]


class WarnIn(Schema):
    post_id: int = Field(description="The member's post the warning is for")
    warning_type_id: int = Field(description="One of /api/v1/moderation/warning-types")
    reason: str = Field("", max_length=300, description="The member sees it")
    public_notice: str = Field("", max_length=300, description="Shown under the post")


class WarningOut(Schema):
    id: int
    member: MemberBrief
    post_id: int | None
    title: str
    points: int
    reason: str
    issued_at: datetime
    expires_at: datetime | None
    member_points: int = Field(description="The member's active warning points now")
    member_action: str = Field(description="What their points call for now, if anything")


@router.post(
    "/members/{username}/warnings",
    response={201: WarningOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Warn a member for one of their posts",
    description=(
        "The points and expiry are the warning type's. Needs the warn power in the post's "
        "forum; thresholds of points apply their actions by themselves."
    ),
)
def warn(request: HttpRequest, username: str, payload: WarnIn) -> Status[WarningOut]:
    g = _staff(request)
    member = _member(username)
    post = load_post(request, payload.post_id)
    if not g.can_warn(post.thread.forum_id):
        raise PermissionDenied("You do not warn members in this forum.")
    warning_type = WarningType.objects.filter(pk=payload.warning_type_id, is_active=True).first()
    if warning_type is None:
        raise ApiError(
            400,
            "invalid",
            "Choose one of the warnings.",
            fields={"warning_type_id": ["Choose one of /api/v1/moderation/warning-types."]},
        )
    warning = warnings.warn_member(
        actor=request.user,
        member=member,
        post=post,
        warning_type=warning_type,
        reason=payload.reason,
        public_notice=payload.public_notice,
        ip=client_ip(request),
    )
    member.refresh_from_db()
    return Status(
        201,
        WarningOut(
            id=warning.pk,
            member=MemberBrief.of(member),
            post_id=warning.post_id,
            title=warning.title,
            points=warning.points,
            reason=warning.reason,
            issued_at=warning.issued_at,
            expires_at=warning.expires_at,
            member_points=member.warning_points,
            member_action=member.warning_action,
        ),
    )


class MemberStandingOut(Schema):
    member: MemberBrief
    is_banned: bool
    banned_until: datetime | None = Field(description="null: permanent (when banned)")
    ban_reason: str
    needs_approval: bool
    warning_points: int

    @staticmethod
    def of(member: Member) -> MemberStandingOut:
        return MemberStandingOut(
            member=MemberBrief.of(member),
            is_banned=member.is_banned,
            banned_until=member.banned_until,
            ban_reason=member.ban_reason,
            needs_approval=member.needs_approval,
            warning_points=member.warning_points,
        )


def _banner(request: HttpRequest) -> None:
    """Bans are site-wide: super moderators and administrators; other moderators get a 403,
    anyone else a 404."""
    g = guardian(request)
    if g.can_ban_members():
        return
    g.ensure_staff()
    raise PermissionDenied("Only super moderators and administrators ban members.")


class BanIn(Schema):
    reason: str = Field(max_length=300, description="The member sees it")
    days: int | None = Field(None, ge=1, le=36500, description="Leave out for a permanent ban")


@router.post(
    "/members/{username}/ban",
    response={200: MemberStandingOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Ban a member, for some days or for good",
)
def ban(request: HttpRequest, username: str, payload: BanIn) -> MemberStandingOut:
    _banner(request)
    member = _member(username)
    until = timezone.now() + timedelta(days=payload.days) if payload.days else None
    banned = bans.ban_member(
        actor=request.user, member=member, reason=payload.reason, until=until, ip=client_ip(request)
    )
    return MemberStandingOut.of(banned)


@router.delete(
    "/members/{username}/ban",
    response={200: MemberStandingOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Lift a member's ban",
)
def lift_ban(request: HttpRequest, username: str) -> MemberStandingOut:
    _banner(request)
    member = _member(username)
    return MemberStandingOut.of(
        bans.lift_ban(actor=request.user, member=member, ip=client_ip(request))
    )


class ApprovalIn(Schema):
    needs_approval: bool = Field(description="true: the member's posts wait for approval")


@router.put(
    "/members/{username}/needs-approval",
    response={200: MemberStandingOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Make a member's posts wait for approval, or stop that",
)
def set_needs_approval(
    request: HttpRequest, username: str, payload: ApprovalIn
) -> MemberStandingOut:
    _banner(request)
    member = _member(username)
    return MemberStandingOut.of(
        bans.set_needs_approval(
            actor=request.user, member=member, value=payload.needs_approval, ip=client_ip(request)
        )
    )


class SpamCleanOut(Schema):
    standing: MemberStandingOut
    deleted: int = Field(description="How many of their threads and posts were deleted")


@router.post(
    "/members/{username}/spam-clean",
    response={200: SpamCleanOut, **WRITE_ERRORS},
    auth=MODERATORS,
    summary="Ban a spammer for good and delete everything they wrote (restorable)",
)
def clean_spammer(request: HttpRequest, username: str) -> SpamCleanOut:
    _banner(request)
    member = _member(username)
    deleted = bans.clean_spammer(actor=request.user, member=member, ip=client_ip(request))
    member.refresh_from_db()
    return SpamCleanOut(standing=MemberStandingOut.of(member), deleted=deleted)
