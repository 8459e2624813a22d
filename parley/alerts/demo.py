"""The demo's alerts, made cheaply: the demo's backdated history is recorded as already
handled by the alerts subscriber (no worker replays months of posts into alerts and mail),
then a few members get the alerts a recent visit would show: everything that names them
(mentions, quotes, warnings, moderators' actions, conversations), reactions to their three
latest posts that have any, and replies of the last three days in the threads they watch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from parley.events import kinds as ev
from parley.events.dispatch import skip
from parley.events.models import Event

from .handlers import KINDS, SUBSCRIBER, rebuild

NAMING = [
    ev.MEMBER_MENTIONED,
    ev.POST_QUOTED,
    ev.MEMBER_WARNED,
    ev.MODERATION_ACTION,
    ev.CONVERSATION_MESSAGE,
    ev.POST_DELETED,
    ev.POST_RESTORED,
]
RECENT_DAYS = 3
REACTED_POSTS = 3


def _reacted_posts(member_ids: set[int]) -> list[int]:
    from parley.forums.models import Post

    found: list[int] = []
    for member_id in member_ids:
        posts = (
            Post.objects.filter(author_id=member_id, reactions__isnull=False)
            .distinct()
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:REACTED_POSTS]
        )
        found += list(posts)
    return found


def write_demo_alerts(*, after_event_id: int, member_ids: Iterable[int]) -> int:
    from parley.forums.models import Post

    members = set(member_ids)
    history = Event.objects.filter(pk__gt=after_event_id, kind__in=KINDS)
    skip(SUBSCRIBER, list(history.values_list("pk", flat=True)))
    recent = Post.objects.filter(
        created_at__gte=timezone.now() - timedelta(days=RECENT_DAYS)
    ).values("pk")
    chosen = history.filter(
        Q(kind__in=NAMING)
        | Q(kind=ev.REACTION_SET, post_id__in=_reacted_posts(members))
        | Q(kind__in=[ev.POST_CREATED, ev.POST_APPROVED], post_id__in=recent)
    )
    return rebuild(only=members, events=chosen)
