"""Bans: a member (for a while or for good, with a reason they are shown), and the e-mail,
domain and IP/CIDR bans checked at sign-up and when posting."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parley.forums import moderation as forum_moderation
from parley.forums.models import Post, State, Thread
from parley.members.models import Member
from parley.permissions.guardian import Guardian

from .audit import record


def _ensure_may_ban(actor: Any, member: Any) -> None:
    if not Guardian(actor).can_ban_members():
        raise PermissionDenied("Only super moderators and administrators ban members.")
    if member.pk == actor.pk:
        raise ValidationError("You cannot ban yourself.")
    target = Guardian(member)
    # Staff: super moderators and anyone moderating a forum.
    if (target.is_super_moderator or target.is_staff) and not Guardian(actor).is_admin:
        raise PermissionDenied("Only administrators ban staff.")


def ban_member(
    *, actor: Any, member: Any, reason: str, until: datetime | None = None, ip: str | None = None
) -> Member:
    """Ban until `until` (None: permanent). The member can still sign in and read; every
    place they would write shows the reason."""
    _ensure_may_ban(actor, member)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason: the member will see it.")
    if until is not None and until <= timezone.now():
        raise ValidationError("The end of a ban must be in the future.")
    with transaction.atomic():
        before = {"banned": member.is_banned, "until": str(member.banned_until or "")}
        Member.objects.filter(pk=member.pk).update(
            is_banned=True, banned_until=until, ban_reason=reason[:300]
        )
        record(
            actor=actor,
            action="member.ban",
            target=member,
            reason=reason,
            ip=ip,
            before=before,
            after={"banned": True, "until": str(until or "permanent")},
        )
    member.refresh_from_db()
    return member


def lift_ban(*, actor: Any, member: Any, reason: str = "", ip: str | None = None) -> Member:
    _ensure_may_ban(actor, member)
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(
            is_banned=False, banned_until=None, ban_reason=""
        )
        record(
            actor=actor,
            action="member.unban",
            target=member,
            reason=reason,
            ip=ip,
            before={"banned": True},
            after={"banned": False},
        )
    member.refresh_from_db()
    return member


def set_needs_approval(*, actor: Any, member: Any, value: bool, ip: str | None = None) -> Member:
    _ensure_may_ban(actor, member)
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(needs_approval=value)
        record(
            actor=actor,
            action="member.moderated" if value else "member.unmoderated",
            target=member,
            ip=ip,
            before={"moderated": member.needs_approval},
            after={"moderated": value},
        )
    member.refresh_from_db()
    return member


def clean_spammer(*, actor: Any, member: Any, ip: str | None = None) -> int:
    """Ban a spammer for good and soft-delete everything they wrote; one log entry for the
    clean-up plus the ban's. Returns how many posts were deleted."""
    with transaction.atomic():
        ban_member(actor=actor, member=member, reason="Spam", ip=ip)
        threads = list(
            Thread.objects.filter(author=member)
            .exclude(state=State.DELETED)
            .select_related("forum")
        )
        # Threads go first (taking their posts along); then the remaining replies.
        thread_ids = {t.pk for t in threads}
        for thread in threads:
            forum_moderation.soft_delete_thread(actor=actor, thread=thread, reason="Spam")
        posts = list(
            Post.objects.filter(author=member)
            .exclude(state=State.DELETED)
            .exclude(thread_id__in=thread_ids)
            .select_related("thread__forum")
        )
        for post in posts:
            forum_moderation.soft_delete_post(actor=actor, post=post, reason="Spam")
        record(
            actor=actor,
            action="member.spam_clean",
            target=member,
            ip=ip,
            reason="Spam",
            after={"threads": len(threads), "posts": len(posts)},
        )
    return len(threads) + len(posts)
