"""Reports: members flag a post; reports on one post gather into one open case, which staff
assign, discuss and close."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from parley.core import ratelimit
from parley.events import kinds
from parley.events.outbox import emit
from parley.forums.models import Post
from parley.permissions.guardian import Guardian
from parley.permissions.models import Power

from .audit import record
from .models import CaseComment, CaseState, Report, ReportCase, ReportReason


class TooManyReports(Exception):
    pass


def file_report(
    *, reporter: Any, post: Post, reason: ReportReason | None, text: str = ""
) -> ReportCase:
    Guardian(reporter).ensure_report(post)
    text = (text or "").strip()
    if reason is None and not text:
        raise ValidationError("Choose a reason or say what is wrong.")
    if len(text) > 2000:
        raise ValidationError("Keep the report under 2,000 characters.")
    if not Guardian(reporter).can_bypass_flood_limits(post.thread.forum_id):
        verdict = ratelimit.hit("report", str(reporter.pk))
        if not verdict.allowed:
            raise TooManyReports(
                f"You have sent many reports lately; try again in {verdict.minutes} minute"
                f"{'s' if verdict.minutes != 1 else ''}."
            )
    now = timezone.now()
    for _ in range(2):  # two reporters racing to open the case: the loser joins it
        try:
            with transaction.atomic():
                case = ReportCase.objects.filter(post=post, state=CaseState.OPEN).first()
                # One report per member per open case: a second one would only inflate the
                # count the queue is sorted and judged by.
                if case is not None and case.reports.filter(reporter=reporter).exists():
                    raise ValidationError(
                        "You have already reported this post; the moderators will look at it."
                    )
                if case is None:
                    case = ReportCase.objects.create(post=post, created_at=now, updated_at=now)
                Report.objects.create(
                    case=case, reporter=reporter, reason=reason, text=text, created_at=now
                )
                ReportCase.objects.filter(pk=case.pk).update(
                    report_count=F("report_count") + 1, updated_at=now
                )
                # Webhooks announce reports to staff tools (docs/webhooks.md).
                emit(
                    kinds.REPORT_FILED,
                    actor_id=reporter.pk,
                    post_id=post.pk,
                    thread_id=post.thread_id,
                    forum_id=post.thread.forum_id,
                    member_id=post.author_id,
                    payload={"case_id": case.pk},
                )
                case.refresh_from_db()
                return case
        except IntegrityError:
            continue
    raise ValidationError("Could not file the report; try again.")


def ensure_handle(actor: Any, case: ReportCase) -> None:
    guardian = Guardian(actor)
    forum_id = case.post.thread.forum_id
    if not guardian.moderates(forum_id):
        from django.http import Http404

        raise Http404("No such report.")
    if not guardian.has_power(Power.REPORTS, forum_id):
        raise PermissionDenied("You do not handle reports in this forum.")


def assign_case(
    *, actor: Any, case: ReportCase, assignee: Any, ip: str | None = None
) -> ReportCase:
    ensure_handle(actor, case)
    with transaction.atomic():
        ReportCase.objects.filter(pk=case.pk).update(assignee=assignee, updated_at=timezone.now())
        record(
            actor=actor,
            action="report.assign",
            target=case.post,
            ip=ip,
            after={"case": case.pk, "assignee": getattr(assignee, "username", "")},
        )
    case.refresh_from_db()
    return case


def comment_on_case(*, actor: Any, case: ReportCase, text: str) -> CaseComment:
    ensure_handle(actor, case)
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write a comment.")
    if len(text) > 4000:
        raise ValidationError("Keep comments under 4,000 characters.")
    now = timezone.now()
    with transaction.atomic():
        comment = CaseComment.objects.create(case=case, author=actor, text=text, created_at=now)
        ReportCase.objects.filter(pk=case.pk).update(updated_at=now)
    return comment


def close_case(
    *, actor: Any, case: ReportCase, resolved: bool, note: str = "", ip: str | None = None
) -> ReportCase:
    """Resolve (action was taken) or reject (nothing wrong) an open case."""
    ensure_handle(actor, case)
    if case.state != CaseState.OPEN:
        raise ValidationError("This case is already closed.")
    state = CaseState.RESOLVED if resolved else CaseState.REJECTED
    now = timezone.now()
    with transaction.atomic():
        ReportCase.objects.filter(pk=case.pk, state=CaseState.OPEN).update(
            state=state, closed_by=actor, closed_at=now, updated_at=now, resolution=note[:300]
        )
        record(
            actor=actor,
            action=f"report.{state}",
            target=case.post,
            reason=note,
            ip=ip,
            before={"state": "open"},
            after={"state": state, "case": case.pk},
        )
    case.refresh_from_db()
    return case
