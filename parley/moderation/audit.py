"""The append-only moderator log. Every moderation service writes one entry per target in
the same transaction as the change, so the log never claims what did not happen."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parley.events import kinds
from parley.events.outbox import emit

from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: Any,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
    forum_id: int | None = None,
    member_id: int | None = None,
) -> AuditEntry:
    from parley.forums.models import Post, Thread

    target_type = type(target).__name__.lower()
    if isinstance(target, Post):
        label = f"Post #{target.pk} in “{target.thread.title}”"
        forum_id = forum_id or target.thread.forum_id
        member_id = member_id or target.author_id
    elif isinstance(target, Thread):
        label = f"Thread “{target.title}”"
        forum_id = forum_id or target.forum_id
        member_id = member_id or target.author_id
    else:
        label = str(target)
        if target_type == "member":
            member_id = member_id or target.pk
    entry = AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=getattr(target, "pk", None),
        target_label=label[:200],
        forum_id=forum_id,
        member_id=member_id,
        before=before or {},
        after=after or {},
        reason=(reason or "")[:300],
        ip_address=ip or None,
        created_at=timezone.now(),
    )
    # Every logged action is also an event (alerts about actions on your content, webhooks).
    emit(
        kinds.MODERATION_ACTION,
        actor_id=entry.actor_id,
        post_id=entry.target_id if entry.target_type == "post" else None,
        thread_id=entry.target_id if entry.target_type == "thread" else None,
        forum_id=forum_id,
        member_id=member_id,
        payload={
            "audit_id": entry.pk,
            "action": action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
        },
    )
    return entry
