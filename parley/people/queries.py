"""Read side of people: the member list, a profile's people panel, who's online."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from parley.permissions.guardian import Guardian

from . import online
from .models import FieldValue, Follow, Ignore
from .rules import is_staff_member

# ?sort= value -> ordering (ties broken by name, so pages never overlap).
SORTS = {
    "messages": ("-message_count", "lname"),
    "reactions": ("-reaction_score", "lname"),
    "joined": ("-date_joined", "lname"),
    "name": ("lname",),
}
SORT_LABELS = {
    "messages": "Messages",
    "reactions": "Reaction score",
    "joined": "Newest",
    "name": "Name",
}
DEFAULT_SORT = "messages"


def banned_now() -> Q:
    now = timezone.now()
    return Q(is_banned=True) & (Q(banned_until__isnull=True) | Q(banned_until__gt=now))


def member_list(*, sort: str, name_prefix: str, guardian: Guardian) -> QuerySet[Any]:
    """Active members, sorted; `name_prefix` matched case-insensitively at the start of the
    name. Banned members are listed (marked) for those who may ban, hidden from others."""
    rows = get_user_model().objects.filter(is_active=True).annotate(lname=Lower("username"))
    if name_prefix:
        rows = rows.filter(lname__startswith=name_prefix.lower())
    if not guardian.can_ban_members():
        rows = rows.exclude(banned_now())
    return rows.only(
        "pk",
        "username",
        "date_joined",
        "message_count",
        "reaction_score",
        "country",
        "is_banned",
        "banned_until",
        "custom_title",
    ).order_by(*SORTS[sort])


@dataclass
class PeoplePanel:
    """What a profile shows about people: the viewer's buttons, the fields, last seen."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    follows: bool = False
    ignores: bool = False
    can_follow: bool = False
    can_ignore: bool = False
    followers: int = 0
    following: int = 0
    last_seen: Any = None
    hidden_online: bool = False


def people_panel(member: Any, guardian: Guardian) -> PeoplePanel:
    viewer = guardian.user
    panel = PeoplePanel()
    values = (
        FieldValue.objects.filter(member_id=member.pk)
        .select_related("field")
        .order_by("field__position", "field__pk")
    )
    panel.fields = [(v.field.label, v.value) for v in values]
    counts = Follow.objects.filter(Q(followed_id=member.pk) | Q(follower_id=member.pk))
    for follower_id, _followed_id in counts.values_list("follower_id", "followed_id"):
        if follower_id == member.pk:
            panel.following += 1
        else:
            panel.followers += 1
            if guardian.is_member and follower_id == viewer.pk:
                panel.follows = True
    is_self = guardian.is_member and viewer.pk == member.pk
    if guardian.is_member and not is_self:
        panel.can_follow = True
        panel.ignores = member.pk in (viewer.ignored_ids or ())
        panel.can_ignore = panel.ignores or not is_staff_member(member)
    sees_hidden = is_self or guardian.is_admin or guardian.is_super_moderator
    if member.show_online or sees_hidden:
        panel.last_seen = member.last_seen_at
        panel.hidden_online = not member.show_online
    return panel


def ignored_members(member: Any) -> list[Any]:
    return [
        row.ignored
        for row in Ignore.objects.filter(member_id=member.pk)
        .select_related("ignored")
        .order_by(Lower("ignored__username"))
    ]


@dataclass
class OnlineSummary:
    members: list[Any]
    member_count: int
    guest_count: int
    minutes: int


def online_summary(guardian: Guardian, limit: int) -> OnlineSummary:
    """Members seen lately (those hidden only for admins) and the guest count: one query
    when fewer than `limit` are online, two otherwise."""
    sees_hidden = guardian.is_admin or guardian.is_super_moderator
    rows = online.online_members(include_hidden=sees_hidden).only(
        "pk", "username", "last_seen_at", "show_online"
    )
    members = list(rows[: limit + 1])
    count = len(members)
    if count > limit:
        members = members[:limit]
        count = rows.count()
    return OnlineSummary(
        members=members,
        member_count=count,
        guest_count=online.guest_count(),
        minutes=int(online.window().total_seconds() // 60),
    )
