from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from parley.events import registry


class Recorder:
    """A subscriber that records what it got, and fails its first `fail` deliveries."""

    def __init__(self, fail: int = 0) -> None:
        self.got: list[tuple[int, str]] = []
        self.fail = fail
        self.calls = 0

    def __call__(self, event: Any) -> None:
        self.calls += 1
        if self.calls <= self.fail:
            raise RuntimeError("subscriber is down")
        self.got.append((event.pk, event.kind))


@pytest.fixture
def only_test_subscribers() -> Iterator[None]:
    """The apps' own subscribers (links, read tracking, live updates …) are set aside, so a
    test of the delivery machinery sees the deliveries of its own subscribers only,
    whichever kinds the apps come to subscribe to."""
    saved = dict(registry._subscribers)
    registry._subscribers.clear()
    yield
    registry._subscribers.clear()
    registry._subscribers.update(saved)


@pytest.fixture
def subscribe(only_test_subscribers: None) -> Iterator[Any]:
    names: list[str] = []

    def add(name: str, kinds: list[str], fail: int = 0) -> Recorder:
        recorder = Recorder(fail)
        registry.subscribe(name, recorder, kinds=kinds)
        names.append(name)
        return recorder

    yield add
    for name in names:
        registry.unsubscribe(name)


@pytest.fixture(autouse=True)
def without_alerts() -> Iterator[None]:
    """These tests exercise the outbox with their own subscribers, on kinds no other app
    subscribed to when they were written; the alerts subscriber (which takes almost every
    kind) is set aside here and tested in tests/alerts."""
    saved = registry.subscriber("alerts")
    registry.unsubscribe("alerts")
    yield
    if saved is not None:
        registry._subscribers[saved.name] = saved
