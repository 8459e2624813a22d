"""Publish in one process, receive in another: `parley live` runs as its own process on the
test database, and this test process publishes as a gunicorn worker or the task worker
would — through Redis pub/sub (Redis db 8) and through the polled table."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley import live
from parley.forums import services
from parley.live import channels
from parley.live.models import LiveMessage
from tests.factories import ForumFactory, MemberFactory, make_thread

from .conftest import REDIS_URL, start_process, stop_process
from .sse import open_stream

pytestmark = pytest.mark.django_db(transaction=True)


def _round_trip(port: int, after: int) -> None:
    author, reader = MemberFactory(), MemberFactory()
    thread = make_thread(ForumFactory(), author)
    stream = open_stream(port, f"thread={thread.pk}", after=after)
    assert stream.status == 200
    assert stream.next_block() is not None  # connected
    # A reply through the service: the outbox subscriber publishes it after the commit.
    post = services.reply_to_thread(
        thread=thread, author=reader, source="Live from here", fmt="bbcode"
    )
    event = stream.next_event(timeout=10)
    if event is not None and event.data.get("post_id") == thread.first_post_id:
        event = stream.next_event(timeout=10)  # the thread's own first post, published first
    assert event is not None and event.event == "post.created"
    assert event.data == {
        "channel": f"thread:{thread.pk}",
        "post_id": post.pk,
        "thread_id": thread.pk,
    }
    first_id = event.id
    # A direct publish, then a reconnect that resumes after the first message.
    second_id = live.publish(channels.thread(thread.pk), "post.edited", {"post_id": post.pk})
    assert stream.next_event(timeout=10).id == second_id
    stream.close()
    resumed = open_stream(port, f"thread={thread.pk}", {"Last-Event-ID": str(first_id)})
    assert [e.id for e in resumed.events(timeout=1.0)] == [second_id]
    resumed.close()


def test_table_transport_carries_messages_across_processes(table_transport, tmp_path: Path) -> None:
    process = start_process(tmp_path)
    try:
        head = LiveMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
        _round_trip(process.port, head)
    finally:
        stop_process(process)


def test_redis_transport_carries_messages_across_processes(redis_transport, tmp_path: Path) -> None:
    process = start_process(tmp_path, redis_url=REDIS_URL)
    try:
        _round_trip(process.port, 0)
        assert not LiveMessage.objects.exists()  # nothing went through the table
    finally:
        stop_process(process)


def test_redis_backlog_is_capped_per_channel(redis_transport, settings) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from parley.live.transport import current

    settings.PARLEY_LIVE_BACKLOG_PER_CHANNEL = 5
    from parley.live import transport as live_transport

    live_transport.current.cache_clear()
    ids = [live.publish("thread:1", "post.created", {"post_id": n}) for n in range(8)]
    assert ids == sorted(ids) and len(set(ids)) == 8  # one counter, always growing

    async def both() -> list:
        return [
            await current().since(["thread:1"], ids[0]),
            await current().since(["thread:1"], ids[4]),
        ]

    # In a thread of its own: the browser tests' Playwright keeps a loop in this one.
    with ThreadPoolExecutor(1) as pool:
        (old, old_complete), (recent, recent_complete) = pool.submit(asyncio.run, both()).result()
    assert [m.id for m in old] == ids[3:]  # the last five kept
    assert old_complete is False  # ids[1] and ids[2] are gone: the page is told
    assert [m.id for m in recent] == ids[5:] and recent_complete


def test_the_table_is_pruned_to_its_backlog(table_transport, settings) -> None:
    from parley.live.transport import current

    settings.PARLEY_LIVE_BACKLOG_SIZE = 50
    from parley.live import transport as live_transport

    live_transport.current.cache_clear()
    newest = 0
    while newest % 100 != 0 or newest == 0:  # pruning runs every hundredth message
        newest = live.publish("forum:1", "thread.activity", {"thread_id": 1})
    assert current().name == "table"
    assert LiveMessage.objects.count() <= 50
    assert LiveMessage.objects.order_by("-id").first().pk == newest


def _since(channels: list[str], after: int) -> list:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from parley.live.transport import current

    # In a thread of its own: the browser tests' Playwright keeps a loop in this one.
    with ThreadPoolExecutor(1) as pool:
        found, _ = pool.submit(asyncio.run, current().since(channels, after)).result()
    return found


@pytest.mark.parametrize("transport", ["table_transport", "redis_transport"])
def test_publish_many_sends_every_message_in_order_to_its_channel(
    transport: str, request: pytest.FixtureRequest, db: None
) -> None:
    request.getfixturevalue(transport)
    first = live.publish("member:1", "alerts.count", {"count": 0}) or 0
    live.publish_many([(f"member:{pk}", "alerts.count", {"count": pk * 10}) for pk in (1, 2, 3, 1)])
    found = _since(["member:1", "member:2", "member:3"], first)
    assert [(m.channel, m.data["count"]) for m in found] == [
        ("member:1", 10),
        ("member:2", 20),
        ("member:3", 30),
        ("member:1", 10),
    ]
    assert [m.id for m in found] == sorted(m.id for m in found)


def test_publish_many_refuses_a_bad_channel_and_sends_nothing(table_transport, db: None) -> None:
    before = LiveMessage.objects.count()
    with pytest.raises(ValueError):
        live.publish_many([("member:1", "alerts.count", {}), ("nowhere", "alerts.count", {})])
    assert LiveMessage.objects.count() == before
