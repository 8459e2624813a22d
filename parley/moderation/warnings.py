"""Warnings: points with an expiry, and the automatic actions their thresholds trigger.

A member's active points and the action they call for are stored on the member (the
Guardian reads them on every write) and recomputed here whenever a warning is given,
revoked or expires, so the action is undone by itself when the points lapse.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from parley.events import kinds
from parley.events.outbox import emit
from parley.forums.models import Post
from parley.members.models import Member
from parley.permissions.guardian import Guardian

from .audit import record
from .models import ACTION_STRENGTH, Warning, WarningThreshold, WarningType


def active_warnings(member: Any) -> Any:
    now = timezone.now()
    return Warning.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), member=member, revoked_at__isnull=True
    )


def refresh_warning_state(member_id: int) -> tuple[int, str]:
    """Recompute a member's active points and the action their thresholds call for."""
    member = Member.objects.select_for_update().get(pk=member_id)
    active = active_warnings(member)
    points = active.aggregate(p=Sum("points"))["p"] or 0
    action = ""
    for threshold in WarningThreshold.objects.filter(points__lte=points):
        if ACTION_STRENGTH[threshold.action] > ACTION_STRENGTH[action]:
            action = threshold.action
    # The action lasts until enough points expire to drop below its threshold; with points
    # that never expire it lasts until a warning is revoked.
    until = None
    if action:
        needed = min(t.points for t in WarningThreshold.objects.filter(action=action))
        remaining = points
        for warning in active.filter(expires_at__isnull=False).order_by("expires_at"):
            remaining -= warning.points
            if remaining < needed:
                until = warning.expires_at
                break
    Member.objects.filter(pk=member_id).update(
        warning_points=points, warning_action=action, warning_action_until=until
    )
    return points, action


def warn_member(
    *,
    actor: Any,
    member: Any,
    warning_type: WarningType,
    post: Post | None = None,
    reason: str = "",
    public_notice: str = "",
    ip: str | None = None,
) -> Warning:
    guardian = Guardian(actor)
    if post is not None:
        guardian.ensure_read_post(post)
        if not guardian.can_warn(post.thread.forum_id):
            raise PermissionDenied("You may not warn members in this forum.")
        if post.author_id != member.pk:
            raise ValidationError("That post is not by this member.")
    elif not guardian.is_super_moderator:
        raise PermissionDenied("Warnings without a post are for super moderators.")
    if member.pk == actor.pk:
        raise ValidationError("You cannot warn yourself.")
    if not warning_type.is_active:
        raise ValidationError("That warning type is no longer used.")
    now = timezone.now()
    with transaction.atomic():
        warning = Warning.objects.create(
            member=member,
            post=post,
            type=warning_type,
            title=warning_type.title,
            points=warning_type.points,
            reason=reason.strip()[:300],
            issued_by=actor,
            issued_at=now,
            expires_at=(
                now + timedelta(days=warning_type.expiry_days) if warning_type.expiry_days else None
            ),
        )
        if post is not None and public_notice.strip():
            Post.objects.filter(pk=post.pk).update(staff_notice=public_notice.strip()[:300])
        before = {"points": member.warning_points, "action": member.warning_action}
        points, action = refresh_warning_state(member.pk)
        record(
            actor=actor,
            action="member.warn",
            target=member,
            reason=reason or warning_type.title,
            ip=ip,
            before=before,
            after={"points": points, "action": action, "warning": warning_type.title},
            forum_id=post.thread.forum_id if post else None,
        )
        emit(
            kinds.MEMBER_WARNED,
            actor_id=actor.pk,
            member_id=member.pk,
            post_id=post.pk if post else None,
            thread_id=post.thread_id if post else None,
            forum_id=post.thread.forum_id if post else None,
            payload={"warning_id": warning.pk, "points": warning.points, "title": warning.title},
        )
    return warning


def revoke_warning(*, actor: Any, warning: Warning, ip: str | None = None) -> None:
    if not Guardian(actor).is_super_moderator:
        raise PermissionDenied("Only super moderators revoke warnings.")
    with transaction.atomic():
        Warning.objects.filter(pk=warning.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        points, action = refresh_warning_state(warning.member_id)
        record(
            actor=actor,
            action="member.warning_revoke",
            target=warning.member,
            ip=ip,
            before={"warning": warning.title},
            after={"points": points, "action": action},
        )


def expire_warnings() -> int:
    """Recompute members whose warnings lapsed since their state was stored (periodic)."""
    now = timezone.now()
    # Stored points that no longer equal the active ones: a member with one of several
    # warnings lapsed must drop to the rest, not only one whose warnings all lapsed.
    active = (
        Warning.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            member=OuterRef("pk"),
            revoked_at__isnull=True,
        )
        .values("member")
        .annotate(total=Sum("points"))
        .values("total")
    )
    stale = set(
        Member.objects.filter(warning_points__gt=0)
        .annotate(active=Coalesce(Subquery(active), 0))
        .exclude(warning_points=F("active"))
        .values_list("pk", flat=True)
    )
    stale |= set(Member.objects.filter(warning_action_until__lte=now).values_list("pk", flat=True))
    for member_id in stale:
        with transaction.atomic():
            refresh_warning_state(member_id)
    return len(stale)
