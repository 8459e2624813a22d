"""Reading live events for a page: what the thread page's panel shows, for one reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from parley.forums.models import Thread
from parley.permissions.guardian import Guardian

from .models import LiveEvent, TimelineEntry

# A timeline longer than this shows its latest entries (older ones stay in earlier parts).
TIMELINE_MAX = 200


def live_event_of(thread: Thread) -> LiveEvent | None:
    """The thread's live event, active or not, from what the thread page already joined
    (`select_related("live_event")`: no query); one query for a thread loaded without it."""
    try:
        return thread.live_event  # type: ignore[attr-defined, no-any-return]
    except ObjectDoesNotExist:
        return None


@dataclass
class Panel:
    live: LiveEvent
    entries: list[TimelineEntry] = field(default_factory=list)
    can_manage: bool = False


def timeline(live: LiveEvent, guardian: Guardian) -> list[TimelineEntry]:
    """Entries in time order, without those about posts this reader may not read (deleted,
    awaiting approval, moved somewhere hidden): one query."""
    rows = (
        TimelineEntry.objects.filter(live_event=live)
        .select_related("post__thread__forum")
        .order_by("-happened_at", "-id")[:TIMELINE_MAX]
    )
    return [e for e in reversed(list(rows)) if guardian.can_read_post(e.post)]


def panel(thread: Thread, guardian: Guardian) -> Panel | None:
    live = live_event_of(thread)
    if live is None or not live.is_active:
        return None
    return Panel(
        live=live,
        entries=timeline(live, guardian),
        can_manage=guardian.can_manage_live_event(thread),
    )


def entry_for(entry_id: int, guardian: Guardian) -> Any:
    """A timeline entry with its thread, or None (the view turns that into a 404)."""
    entry = (
        TimelineEntry.objects.select_related("live_event__thread__forum", "post__thread__forum")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or not guardian.can_see_thread(entry.live_event.thread):
        return None
    return entry
