"""The webhooks subscriber: each outbox event an endpoint wants becomes a delivery row,
sent by a background task; the events app's delivery record makes this step durable."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from parley import events

from .payloads import KINDS, announcement_for

NAME = "webhooks"


def handle(event: Any) -> None:
    announcement = announcement_for(event)
    if announcement is None:
        return
    from . import services, tasks

    ids = services.queue_deliveries(
        event_id=event.pk, created_at=event.created_at, announcement=announcement
    )
    for pk in ids:
        transaction.on_commit(partial(tasks.send_webhook.enqueue, pk), robust=True)


def register() -> None:
    events.subscribe(NAME, handle, kinds=KINDS)
