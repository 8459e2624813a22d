"""The live app's subscriber to the outbox (docs/events.md): each post and reaction event
becomes a message on its thread's channel (and a short note on its forum's), carrying ids and
what changed — never the post itself; the page fetches what its reader may see.

Inline (delivered right after the commit by the process that made the change): publishing
is one INSERT or one Redis call, and waiting for the worker's next poll would add up to half
a second to every reply's way to the screen. A retry after a failure may publish twice;
pages treat every message as "look again", so a repeat changes nothing."""

from __future__ import annotations

from typing import Any

from parley.events import kinds

from . import channels, publish

SUBSCRIBER = "live"
KINDS = [
    kinds.POST_CREATED,
    kinds.POST_APPROVED,
    kinds.POST_EDITED,
    kinds.POST_DELETED,
    kinds.POST_RESTORED,
    kinds.POST_MOVED,
    kinds.REACTION_SET,
    kinds.REACTION_REMOVED,
]


def _ids(event: Any) -> dict[str, Any]:
    return {"post_id": event.post_id, "thread_id": event.thread_id}


def on_event(event: Any) -> None:
    payload = event.payload or {}
    if payload.get("state") == "pending":
        return  # nobody but its author and the moderators may know; post.approved follows
    if not event.thread_id:
        return  # nothing a page follows (every post and reaction event names its thread)
    kind = event.kind
    thread = channels.thread(event.thread_id)
    if kind in (kinds.POST_CREATED, kinds.POST_APPROVED):
        publish(thread, "post.created", _ids(event))
        _forum_activity(event.forum_id, _ids(event))
    elif kind == kinds.POST_EDITED:
        publish(thread, "post.edited", _ids(event) | {"revision": payload.get("revision")})
    elif kind in (kinds.POST_DELETED, kinds.POST_RESTORED):
        whole = bool(payload.get("thread"))
        publish(thread, kind, _ids(event) | {"whole_thread": whole})
        if whole:
            _forum_activity(event.forum_id, _ids(event))
    elif kind == kinds.POST_MOVED:
        _moved(event, payload)
    elif kind in (kinds.REACTION_SET, kinds.REACTION_REMOVED):
        publish(thread, kind, _ids(event))


def _moved(event: Any, payload: dict[str, Any]) -> None:
    """Posts or a whole thread arrived in `event.thread_id`: the target thread's readers
    look again; readers of a thread the posts left (or that was merged away) are told where
    they went."""
    moved = {"thread_id": event.thread_id, "post_ids": payload.get("post_ids", [])}
    publish(channels.thread(event.thread_id), "post.moved", moved)
    sources = set(payload.get("merged_thread_ids") or [])
    if payload.get("from_thread_id"):
        sources.add(payload["from_thread_id"])
    for source in sorted(sources - {event.thread_id}):
        publish(channels.thread(source), "post.moved", moved | {"from_thread_id": source})
    forums = {event.forum_id, payload.get("from_forum_id")} - {None}
    for forum_id in sorted(forums):
        _forum_activity(forum_id, {"thread_id": event.thread_id})


def _forum_activity(forum_id: int | None, data: dict[str, Any]) -> None:
    if forum_id:
        publish(channels.forum(forum_id), "thread.activity", data)
