"""Live updates (docs/live.md): `publish(channel, event, data)` from anywhere below the
views; the live server (`parley live`, started by `parley serve`) streams each message to the
pages subscribed to its channel as a server-sent event.

Messages carry ids and what changed, never rendered HTML: a page fetches what its reader may
see (`/posts/<id>/fragment/`), so the permission checks stay where they already are."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from . import channels

__all__ = ["publish", "publish_many", "publish_to_member"]

log = logging.getLogger(__name__)


def _send(channel: str, event: str, data: dict[str, Any]) -> int | None:
    from .transport import current

    try:
        return current().publish(channel, event, data)
    except Exception:  # a live update is a courtesy: it never fails the change it follows
        log.exception("could not publish %s on %s", event, channel)
        return None


def _check(channel: str, event: str) -> None:
    channels.check(channel)
    if not event or len(event) > 40 or "\n" in event:
        raise ValueError(f"not a live event name: {event!r}")


def _send_many(messages: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
    from .transport import current

    try:
        current().publish_many(messages)
    except Exception:  # a courtesy, as above
        log.exception("could not publish %d live messages", len(messages))


def publish_many(messages: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
    """`publish` for many (channel, event, data) at once, in one round trip to the transport:
    a fan-out to thousands of members' channels. Sent after the commit, as `publish`."""
    messages = list(messages)
    for channel, event, _ in messages:
        _check(channel, event)
    if not messages:
        return
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _send_many(messages), robust=True)
    else:
        _send_many(messages)


def publish(channel: str, event: str, data: dict[str, Any]) -> int | None:
    """Send `event` with `data` (a small JSON-able dict: ids and what changed) to everyone
    listening on `channel` (`thread:<id>`, `forum:<id>`, `member:<id>`). Inside a transaction
    it is sent after the commit (and not at all on a rollback); returns the message id when
    sent at once, None otherwise."""
    _check(channel, event)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _send(channel, event, data), robust=True)
        return None
    return _send(channel, event, data)


def publish_to_member(member_id: int, event: str, data: dict[str, Any]) -> int | None:
    """Send to one member's own pages (for instance `alerts.count` with `{"count": n}`, which
    the page shows in any `[data-alert-count]` element). Only that member's streams get it."""
    return publish(channels.member(member_id), event, data)
