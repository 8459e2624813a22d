"""Writing events. Call `emit` inside the transaction that makes the change: the event row
commits or rolls back with it, so no change goes unannounced and no event announces a
change that did not happen. Dispatch is queued for after the commit; if that queueing is
lost (the process dies in between), the periodic sweep finds the unsettled row."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from parley.core import stamps

from .kinds import ALL
from .models import Event

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """One event to write; `emit_many` writes several with one INSERT."""

    kind: str
    actor_id: int | None = None
    post_id: int | None = None
    thread_id: int | None = None
    forum_id: int | None = None
    member_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


def emit_many(pending: list[Pending]) -> list[Event]:
    if not pending:
        return []
    now = timezone.now()
    rows = []
    for p in pending:
        if p.kind not in ALL:
            raise ValueError(f"unknown event kind {p.kind!r}")
        rows.append(
            Event(
                kind=p.kind,
                actor_id=p.actor_id,
                post_id=p.post_id,
                thread_id=p.thread_id,
                forum_id=p.forum_id,
                member_id=p.member_id,
                payload=p.payload,
                created_at=now,
            )
        )
    events = Event.objects.bulk_create(rows)
    ids = [e.pk for e in events]
    # The one place content changes reach the guest page cache: after the commit, the
    # stamps of the threads and forums the events name move on (docs/caching.md).
    names = {
        name
        for p in pending
        for name in stamps.names_for_event(
            p.kind, thread_id=p.thread_id, forum_id=p.forum_id, payload=p.payload
        )
    }
    stamps.bump_on_commit(*names)
    transaction.on_commit(lambda: _queue(ids), robust=True)
    return events


def emit(kind: str, **fields: Any) -> Event:
    return emit_many([Pending(kind, **fields)])[0]


def _queue(ids: list[int]) -> None:
    from .dispatch import deliver_inline
    from .tasks import dispatch_events

    try:
        deliver_inline(ids)
    except Exception:  # never the member's problem: the dispatch below retries them
        log.exception("inline delivery of events %s failed; the worker will retry", ids)
    dispatch_events.enqueue(ids)
