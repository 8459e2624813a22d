"""The one write path for alerts: writing a batch, reactions' grouped row, hiding and
reading. Event handlers (`handlers.py`), tasks, views and the demo all come through here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import channels, kinds, preferences, texts, unread
from .models import Alert

# Reactors remembered on one grouped row (the title names two and counts them all).
MAX_REACTORS = 200


@dataclass
class Draft:
    recipient_id: int
    kind: str
    subject: str
    actor_id: int | None
    post_id: int | None = None
    message_id: int | None = None
    text: str = ""
    actor_ids: list[int] = field(default_factory=list)
    # For watched threads and forums: the watch itself asks for mail.
    watch_email: bool = True


def write(
    drafts: Iterable[Draft], *, event_id: int | None, created_at: datetime, notify: bool = True
) -> list[Alert]:
    """Write alerts (one per recipient and subject; an existing one of a less specific kind
    becomes the more specific one) and hand the new ones to the channels. Safe to repeat:
    a retried batch finds its rows and neither writes nor notifies again."""
    by_key: dict[tuple[int, str], Draft] = {}
    for d in drafts:
        key = (d.recipient_id, d.subject)
        if key not in by_key or kinds.RANK.get(d.kind, 0) > kinds.RANK.get(by_key[key].kind, 0):
            by_key[key] = d
    if not by_key:
        return []
    recipients = {r for r, _ in by_key}
    subjects = {s for _, s in by_key}
    existing = {
        (r, s): rank
        for r, s, rank in Alert.objects.filter(
            recipient_id__in=recipients, subject__in=subjects
        ).values_list("recipient_id", "subject", "rank")
    }
    choices = preferences.choices_for(recipients, {d.kind for d in by_key.values()})
    new = [d for key, d in by_key.items() if key not in existing]
    Alert.objects.bulk_create(
        [
            Alert(
                recipient_id=d.recipient_id,
                kind=d.kind,
                rank=kinds.RANK.get(d.kind, 0),
                subject=d.subject,
                actor_id=d.actor_id,
                actor_ids=d.actor_ids,
                post_id=d.post_id,
                message_id=d.message_id,
                text=d.text[:200],
                event_id=event_id,
                in_app=choices[(d.recipient_id, d.kind)].in_app,
                created_at=created_at,
            )
            for d in new
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    upgrades: dict[tuple[str, str], list[int]] = defaultdict(list)
    for key, d in by_key.items():
        if key in existing and kinds.RANK.get(d.kind, 0) > existing[key]:
            upgrades[(d.kind, d.subject)].append(d.recipient_id)
    for (kind, subject), ids in upgrades.items():
        Alert.objects.filter(
            recipient_id__in=ids, subject=subject, rank__lt=kinds.RANK[kind]
        ).update(kind=kind, rank=kinds.RANK[kind])
    unread.forget(recipients)
    if not new:
        return []
    rows = list(
        Alert.objects.filter(
            recipient_id__in={d.recipient_id for d in new},
            subject__in={d.subject for d in new},
            event_id=event_id,
        )
    )
    wanted = {(d.recipient_id, d.subject) for d in new}
    rows = [a for a in rows if (a.recipient_id, a.subject) in wanted]
    if notify:
        _notify(rows, {(d.recipient_id, d.subject): d for d in new}, choices)
    return rows


def _notify(
    rows: list[Alert],
    drafts: dict[tuple[int, str], Draft],
    choices: dict[tuple[int, str], preferences.Choice],
) -> None:
    registered = channels.channels()
    if not registered or not rows:
        return
    notices = notices_for(rows)
    for name in registered:
        batch = []
        for alert, notice in zip(rows, notices, strict=True):
            if not choices[(alert.recipient_id, alert.kind)].allows(name):
                continue
            draft = drafts.get((alert.recipient_id, alert.subject))
            watch_says_no = draft is None or not draft.watch_email
            if name == "email" and alert.kind in kinds.NEEDS_WATCH_EMAIL and watch_says_no:
                continue
            batch.append(notice)
        channels.send(name, batch)


def notices_for(rows: list[Alert]) -> list[channels.Notice]:
    """Title, excerpt and path of each alert: three queries for the whole batch."""
    from parley.conversations.models import Message
    from parley.forums.models import Post

    member_ids = {a.actor_id for a in rows if a.actor_id} | {
        i for a in rows for i in a.actor_ids[:2]
    }
    usernames = dict(
        get_user_model().objects.filter(pk__in=member_ids).values_list("pk", "username")
    )
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in={a.post_id for a in rows if a.post_id})
        .select_related("thread__forum")
        .only("pk", "plain_text", "thread__title", "thread__forum__title")
    }
    messages = {
        m.pk: m
        for m in Message.objects.filter(pk__in={a.message_id for a in rows if a.message_id})
        .select_related("conversation")
        .only("pk", "plain_text", "conversation__title")
    }
    notices = []
    for a in rows:
        post = posts.get(a.post_id) if a.post_id else None
        message = messages.get(a.message_id) if a.message_id else None
        source: Any = message or post
        notices.append(
            channels.Notice(
                member_id=a.recipient_id,
                kind=a.kind,
                title=describe(a, usernames, post=post, message=message),
                body=texts.excerpt(source.plain_text if source is not None else ""),
                url=texts.url(a.kind, post_id=a.post_id, message_id=a.message_id),
                alert_id=a.pk,
                tag=a.subject,
            )
        )
    return notices


def describe(alert: Alert, usernames: dict[int, str], *, post: Any, message: Any) -> str:
    if alert.kind == kinds.REACTION and alert.actor_ids:
        shown = [usernames.get(i, "") for i in alert.actor_ids[:2]]
        actors = texts.names(shown, len(alert.actor_ids))
    else:
        actors = usernames.get(alert.actor_id or 0, "Someone")
    thread = post.thread if post is not None else None
    return texts.title(
        alert.kind,
        actors=actors,
        thread=thread.title if thread else "",
        forum=thread.forum.title if thread else "",
        conversation=message.conversation.title if message is not None else "",
        text=alert.text,
    )


# --- reactions: one row per (author, post), updated as reactions arrive ------------------------
def add_reactor(
    *, recipient_id: int, post_id: int, actor_id: int, event_id: int, at: datetime, notify: bool
) -> None:
    subject = f"reactions:{post_id}"
    with transaction.atomic():
        row = (
            Alert.objects.select_for_update()
            .filter(recipient_id=recipient_id, subject=subject)
            .first()
        )
        if row is None:
            draft = Draft(
                recipient_id,
                kinds.REACTION,
                subject,
                actor_id,
                post_id=post_id,
                actor_ids=[actor_id],
            )
            write([draft], event_id=event_id, created_at=at, notify=notify)
            return
        if row.event_id is not None and row.event_id >= event_id:
            return  # this reaction (or a later one) is in already
        reactors = [actor_id, *(i for i in row.actor_ids if i != actor_id)][:MAX_REACTORS]
        Alert.objects.filter(pk=row.pk).update(
            actor_ids=reactors, actor_id=actor_id, event_id=event_id, created_at=at, read_at=None
        )
    unread.forget([recipient_id])


def remove_reactor(*, recipient_id: int, post_id: int, actor_id: int) -> None:
    with transaction.atomic():
        row = (
            Alert.objects.select_for_update()
            .filter(recipient_id=recipient_id, subject=f"reactions:{post_id}")
            .first()
        )
        if row is None or actor_id not in row.actor_ids:
            return
        reactors = [i for i in row.actor_ids if i != actor_id]
        if reactors:
            Alert.objects.filter(pk=row.pk).update(actor_ids=reactors, actor_id=reactors[0])
        else:
            row.delete()
    unread.forget([recipient_id])


# --- deleted content ------------------------------------------------------------------------
def set_hidden(*, post_ids: Iterable[int] = (), thread_id: int | None = None, hidden: bool) -> int:
    """Hide (or show again) the alerts about deleted content; moderation, report and warning
    alerts stay: they are about what happened to it."""
    rows = Alert.objects.filter(kind__in=kinds.ABOUT_CONTENT)
    rows = (
        rows.filter(post__thread_id=thread_id) if thread_id else rows.filter(post_id__in=post_ids)
    )
    recipients = set(rows.values_list("recipient_id", flat=True))
    changed = Alert.objects.filter(pk__in=rows.values("pk")).update(hidden=hidden)
    unread.forget(recipients)
    return changed


def set_visible_to(*, post_id: int, readers: set[int], others: set[int]) -> None:
    """After a move: show a post's alerts to who may read it, hide them from the others.
    A deleted post stays hidden (its readers are nobody but staff)."""
    rows = Alert.objects.filter(post_id=post_id, kind__in=kinds.ABOUT_CONTENT)
    if others:
        rows.filter(recipient_id__in=others).update(hidden=True)
    if readers:
        from parley.forums.models import State

        rows.filter(recipient_id__in=readers, post__state=State.VISIBLE).update(hidden=False)
    unread.forget(readers | others)


def hide_conversation(conversation_id: int, member_id: int) -> None:
    """A member left a conversation: their alerts about its messages go (the list already
    skips them; the bell must stop counting them too)."""
    Alert.objects.filter(
        recipient_id=member_id, message__conversation_id=conversation_id, hidden=False
    ).update(hidden=True)
    unread.forget([member_id])


# --- reading ------------------------------------------------------------------------------------
def mark_read(*, member: Any, alert: Alert) -> None:
    if alert.recipient_id != member.pk:
        raise ValueError("not this member's alert")
    if alert.read_at is None:
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=timezone.now())
        unread.forget([member.pk])


def mark_all_read(*, member: Any) -> int:
    changed = Alert.objects.filter(recipient_id=member.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    unread.forget([member.pk])
    return changed
