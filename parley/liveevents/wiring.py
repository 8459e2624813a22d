"""How live events plug into the rest without forums importing them: the thread page joins
`live_event` into its thread query, the reply service calls the slow-mode check, and two
outbox subscribers continue full threads and tell open pages about timeline changes."""

from __future__ import annotations

from typing import Any

from parley import events
from parley.events import kinds


def on_post_created(event: Any) -> None:
    """Auto-continuation, from the durable event (docs/liveevents.md says why not inside the
    reply): one indexed query for any post; the work only for a live thread past its limit."""
    from . import services

    if event.thread_id and services.needs_continuation(event.thread_id):
        services.continue_live_event(thread_id=event.thread_id)


def on_live_event_changed(event: Any) -> None:
    """Open pages of the thread hear that its timeline or parts changed (they offer a
    reload); the message carries ids only, like every live message (docs/live.md)."""
    from parley.live import channels, publish

    payload = event.payload or {}
    data = {"thread_id": event.thread_id, "what": payload.get("what", "")}
    if payload.get("next_thread_id"):
        data["next_thread_id"] = payload["next_thread_id"]
    publish(channels.thread(event.thread_id), "timeline.changed", data)


def connect() -> None:
    from parley.forums import hooks

    from .services import check_slow_mode

    hooks.register_thread_page_related("live_event")
    hooks.register_reply_check(check_slow_mode)
    events.subscribe(
        "liveevents.continuation",
        on_post_created,
        kinds=[kinds.POST_CREATED, kinds.POST_APPROVED],
        inline=True,
    )
    events.subscribe(
        "liveevents.live", on_live_event_changed, kinds=[kinds.LIVE_EVENT_CHANGED], inline=True
    )
