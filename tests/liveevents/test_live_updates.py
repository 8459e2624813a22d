"""Open pages hear about timeline changes: a `timeline.changed` message on the thread's live
channel, with ids only; a guest page cached before the change is not served after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from parley.forums.models import Post, Thread
from parley.live.models import LiveMessage
from parley.liveevents import services
from parley.liveevents.models import LiveEvent
from parley.members.models import Member
from tests.live.conftest import table_transport  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("table_transport")


def _timeline_messages() -> list[tuple[str, dict[str, Any]]]:
    return [
        (m.channel, m.data)
        for m in LiveMessage.objects.filter(event="timeline.changed").order_by("id")
    ]


def test_pinning_publishes_timeline_changed_on_the_thread_channel(
    live: LiveEvent, update: Post, member: Member, thread: Thread, committed: Callable[..., Any]
) -> None:
    committed(services.pin_post, actor=member, post=update, summary="Talks resume")
    assert _timeline_messages() == [
        (f"thread:{thread.pk}", {"thread_id": thread.pk, "what": "pinned"})
    ]


def test_a_cached_guest_page_shows_a_new_entry(
    anon_client: Client,
    live: LiveEvent,
    update: Post,
    member: Member,
    thread: Thread,
    committed: Callable[..., Any],
) -> None:
    anon_client.get(f"/threads/{thread.pk}/")
    assert anon_client.get(f"/threads/{thread.pk}/")["X-Parley-Cache"] == "hit"
    committed(services.pin_post, actor=member, post=update, summary="Talks resume")
    page = anon_client.get(f"/threads/{thread.pk}/")
    assert page["X-Parley-Cache"] == "miss" and "Talks resume" in page.content.decode()
