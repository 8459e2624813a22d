"""The search index's subscription to post events (docs/events.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from parley.events import kinds

from . import indexing

SUBSCRIBER = "search.index"
KINDS = (
    kinds.POST_CREATED,
    kinds.POST_EDITED,
    kinds.POST_DELETED,
    kinds.POST_RESTORED,
    kinds.POST_APPROVED,
    kinds.POST_MOVED,
)


def on_post_event(event: Any) -> None:
    """Re-read what the event touched and bring its documents in step. Idempotent: it never
    applies the event itself, only the posts as they are now."""
    payload = event.payload or {}
    if event.kind == kinds.POST_MOVED:
        # A plain move changes only the thread's forum, which searches read from the live
        # thread row. A merge or split changes which post is first (and carries the title).
        if payload.get("merged_thread_ids") or payload.get("post_ids"):
            indexing.refresh_thread(event.thread_id)
            if payload.get("from_thread_id"):
                indexing.refresh_thread(payload["from_thread_id"])
        return
    if payload.get("thread") and event.thread_id:
        if event.kind == kinds.POST_RESTORED:
            indexing.refresh_thread(event.thread_id)
            return
        if event.kind == kinds.POST_DELETED and payload.get("hard"):
            indexing.forget_thread(event.thread_id)
            return
    if event.post_id:
        indexing.refresh_posts([event.post_id])


def repair(since: datetime | None = None) -> int:
    """`parley repair_events`: rebuild the whole index (the index has no dates to bound)."""
    done = 0
    for step in indexing.rebuild():
        done = step[0]
    return done
