"""A thread moved to another forum keeps its prefix only where that forum has it: prefixes
belong to forums, so the choice follows the label ("Analysis" here is "Analysis" there) or
is dropped. Runs as an inline subscriber of the durable `post.moved` event (whole-thread
moves and merges), idempotent: a repeated delivery finds nothing left to change."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parley.core import stamps
from parley.events import kinds

from .models import ThreadPrefix, ThreadPrefixChoice

SUBSCRIBER = "tags.moves"
KINDS = [kinds.POST_MOVED]


def on_thread_moved(event: Any) -> None:
    if not event.payload.get("thread") or event.thread_id is None:
        return
    choice = (
        ThreadPrefixChoice.objects.select_related("prefix", "thread")
        .filter(thread_id=event.thread_id)
        .first()
    )
    if choice is None or choice.prefix.forum_id == choice.thread.forum_id:
        return
    same_label = ThreadPrefix.objects.filter(
        forum_id=choice.thread.forum_id, label=choice.prefix.label
    ).first()
    with transaction.atomic():
        if same_label is None:
            ThreadPrefixChoice.objects.filter(pk=choice.pk).delete()
        else:
            ThreadPrefixChoice.objects.filter(pk=choice.pk).update(prefix=same_label)
    # The thread's pages and the forum lists show the prefix: they change now.
    stamps.bump(
        *stamps.names_for_event(
            kinds.POST_MOVED,
            thread_id=event.thread_id,
            forum_id=choice.thread.forum_id,
            payload=event.payload,
        )
    )
