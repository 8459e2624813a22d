"""A live-event thread on the test forum, and helpers shared by the live-event tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from parley.forums.models import Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent, TimelineEntry
from parley.members.models import Member
from tests.factories import make_reply


@pytest.fixture
def live(thread: Thread, member: Member) -> LiveEvent:
    """The starter (alice) marked her thread live: no slow mode, the default limit."""
    return services.mark_live_event(actor=member, thread=thread)


@pytest.fixture
def update(thread: Thread, other: Member) -> Post:
    return make_reply(thread, other, "Officials confirm the talks resume on Monday.")


@pytest.fixture
def entry(live: LiveEvent, update: Post, member: Member) -> TimelineEntry:
    return services.pin_post(actor=member, post=update, summary="Talks resume on Monday")


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a write and then what happens after its commit (the outbox's inline subscribers:
    auto-continuation, live messages), as a real request would."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
