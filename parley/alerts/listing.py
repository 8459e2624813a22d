"""What the alert list shows: which alerts a member may still see, and each one's title
and excerpt. The /alerts/ page and the API both list through here, so they never differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from parley.permissions.guardian import Guardian

from . import kinds, services, texts
from .models import Alert


def visible(guardian: Guardian, alerts: list[Alert]) -> list[Alert]:
    """Drop alerts whose content the member may no longer see (deleted, moved to a forum
    closed to them, a conversation they left): one query when any is about a message."""
    member: Any = guardian.user
    conversation_ids = {a.message.conversation_id for a in alerts if a.message is not None}
    current: set[int] = set()
    if conversation_ids:
        from parley.conversations.models import Participant

        current = set(
            Participant.objects.filter(
                member_id=member.pk,
                conversation_id__in=conversation_ids,
                left_at__isnull=True,
            ).values_list("conversation_id", flat=True)
        )
    shown = []
    for alert in alerts:
        if alert.message is not None and alert.message.conversation_id not in current:
            continue
        if alert.kind in kinds.ABOUT_CONTENT and (
            alert.post is None or not guardian.can_read_post(alert.post)
        ):
            continue
        shown.append(alert)
    return shown


@dataclass
class Row:
    alert: Alert
    title: str
    excerpt: str

    @property
    def url(self) -> str:
        a = self.alert
        return texts.url(a.kind, post_id=a.post_id, message_id=a.message_id)


def rows(alerts: list[Alert]) -> list[Row]:
    """Title and excerpt of each alert (loaded with its actor, post and message): one query
    for the reactors' names, none when no alert is a grouped reaction."""
    reactors = {i for a in alerts for i in a.actor_ids[:2]}
    usernames = (
        dict(get_user_model().objects.filter(pk__in=reactors).values_list("pk", "username"))
        if reactors
        else {}
    )
    usernames |= {a.actor_id: a.actor.username for a in alerts if a.actor_id and a.actor}
    shaped = []
    for a in alerts:
        source = a.message or a.post
        shaped.append(
            Row(
                alert=a,
                title=services.describe(a, usernames, post=a.post, message=a.message),
                excerpt=texts.excerpt(source.plain_text)
                if source is not None and a.kind != kinds.REACTION
                else "",
            )
        )
    return shaped


def listed(member: Any) -> Any:
    """The member's listed alerts, newest first, with what `visible` and `rows` read."""
    return (
        Alert.objects.filter(recipient=member, in_app=True, hidden=False)
        .select_related("actor", "post__thread__forum", "message__conversation")
        .order_by("-created_at", "-id")
    )


def own_alert(guardian: Guardian, pk: int) -> Alert | None:
    """The member's alert `pk` when it is listed and still visible to them, else None."""
    alert = (
        Alert.objects.select_related("post__thread__forum", "message__conversation")
        .filter(pk=pk, recipient_id=guardian.user.pk, in_app=True, hidden=False)
        .first()
    )
    if alert is None or not visible(guardian, [alert]):
        return None
    return alert
