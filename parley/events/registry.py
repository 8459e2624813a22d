"""Who listens to what. Apps register in their AppConfig.ready(); nothing here touches the
database, so this module is safe to import anywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .kinds import ALL

Handler = Callable[[Any], None]  # receives an events.models.Event
# A repairer rebuilds what its subscriber owns from the domain rows; `since` (or None for
# everything) bounds the work; returns how many rows it looked at.
Repairer = Callable[..., int]


@dataclass(frozen=True)
class Subscriber:
    name: str
    kinds: frozenset[str]
    handler: Handler
    # Delivered first in the process that made the change, right after its commit (cheap,
    # latency-sensitive work such as recording a post's links for the page the author is
    # about to see); the worker's dispatch retries it like any other if that attempt fails
    # or the process dies.
    inline: bool = False


_subscribers: dict[str, Subscriber] = {}
_repairers: dict[str, Repairer] = {}


def subscribe(
    name: str, handler: Handler, *, kinds: Iterable[str], inline: bool = False
) -> Subscriber:
    """Deliver every future event of `kinds` to `handler`, under `name`. The name is what a
    delivery record remembers, so keep it stable; registering a name again replaces it.
    Handlers must be idempotent: a delivery interrupted by a dying process runs again."""
    wanted = frozenset(kinds)
    if unknown := wanted - ALL:
        raise ValueError(f"unknown event kinds: {sorted(unknown)}")
    subscriber = Subscriber(name=name, kinds=wanted, handler=handler, inline=inline)
    _subscribers[name] = subscriber
    return subscriber


def unsubscribe(name: str) -> None:
    _subscribers.pop(name, None)


def subscribers_for(kind: str) -> list[Subscriber]:
    return [s for s in _subscribers.values() if kind in s.kinds]


def subscriber(name: str) -> Subscriber | None:
    return _subscribers.get(name)


def register_repairer(name: str, repairer: Repairer) -> None:
    """`parley repair_events` calls `repairer(since=datetime | None)` to rebuild what a
    subscriber derives from the rows (link records, alerts, read state …)."""
    _repairers[name] = repairer


def repairers() -> dict[str, Repairer]:
    return dict(_repairers)
