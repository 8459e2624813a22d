"""Automatic promotions: admin-defined rules that add members to a group (and optionally take
them out again). Evaluated after the writes that can change a member's standing (posting,
reactions, warnings) and by the periodic sweep (days since joining pass by themselves)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import PromotionRule


def meets(rule: PromotionRule, member: Any, now: Any) -> bool:
    return (
        member.message_count >= rule.min_messages
        and member.reaction_score >= rule.min_reaction_score
        and member.date_joined <= now - timedelta(days=rule.min_days_joined)
        and (not rule.require_no_warning_points or member.warning_points == 0)
    )


def evaluate_member(member_id: int, rules: list[PromotionRule] | None = None) -> list[str]:
    """Apply every active rule to one member; returns what changed ("+group", "-group")."""
    from parley.members.models import Member

    rules = (
        rules
        if rules is not None
        else list(PromotionRule.objects.filter(is_active=True).select_related("group"))
    )
    if not rules:
        return []
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return []
    now = timezone.now()
    current = set(member.forum_groups.values_list("pk", flat=True))
    changes: list[str] = []
    for rule in rules:
        ok = meets(rule, member, now)
        if ok and rule.group_id not in current:
            rule.group.members.add(member)
            current.add(rule.group_id)
            changes.append(f"+{rule.group.name}")
        elif not ok and rule.remove_when_unmet and rule.group_id in current:
            rule.group.members.remove(member)
            current.discard(rule.group_id)
            changes.append(f"-{rule.group.name}")
    return changes


def evaluate_member_after_commit(member_id: int) -> None:
    """Posting and reacting call this: the rules run once the write has committed."""
    transaction.on_commit(lambda: evaluate_member(member_id), robust=True)


def evaluate_everyone() -> int:
    from parley.members.models import Member

    rules = list(PromotionRule.objects.filter(is_active=True).select_related("group"))
    if not rules:
        return 0
    changed = 0
    for member_id in Member.objects.filter(is_active=True).values_list("pk", flat=True).iterator():
        if evaluate_member(member_id, rules):
            changed += 1
    return changed
