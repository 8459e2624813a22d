"""Buffered writes of page views: thread view counts and read positions reach the database
only when the buffer is flushed, in one statement per batch, with exact numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.core import writebuffer
from parley.engagement import queries as reading
from parley.engagement import readbuffer
from parley.engagement.models import ThreadRead
from parley.forums import viewcounts
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.permissions.guardian import Guardian
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"].split()[0].upper() for q in ctx.captured_queries]


def test_view_counts_of_many_threads_are_written_exactly_in_one_update(
    forum: Forum, member: Member
) -> None:
    threads = [make_thread(forum, member, title=f"T{i}") for i in range(5)]
    for i, thread in enumerate(threads):
        for _ in range(i * 3 + 1):
            viewcounts.count_view(thread.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert viewcounts.flush() == 5
    assert statements(ctx) == ["UPDATE"]
    counts = dict(Thread.objects.filter(forum=forum).values_list("pk", "view_count"))
    assert [counts[t.pk] for t in threads] == [1, 4, 7, 10, 13]
    assert viewcounts.flush() == 0  # nothing twice


def test_views_counted_during_a_flush_are_kept_for_the_next(thread: Thread) -> None:
    viewcounts.count_view(thread.pk)
    viewcounts.flush()
    viewcounts.count_view(thread.pk)
    viewcounts.count_view(thread.pk)
    viewcounts.flush()
    thread.refresh_from_db()
    assert thread.view_count == 3


def test_a_failed_flush_keeps_what_it_could_not_write() -> None:
    written: list[dict[str, int]] = []

    def flaky(items: dict[str, int]) -> None:
        if not written:
            written.append({})
            raise RuntimeError("database away")
        written.append(items)

    buffer = writebuffer.Buffer("test", merge=lambda a, b: a + b, flush=flaky)
    buffer.add("a", 2)
    with pytest.raises(RuntimeError):
        buffer.flush()
    buffer.add("a", 3)
    assert buffer.flush() == 1
    assert written[-1] == {"a": 5}


def test_read_positions_are_buffered_then_upserted_in_one_statement(
    thread: Thread, other: Member, member: Member
) -> None:
    second = make_thread(thread.forum, member, title="Another")
    client = client_for(other)
    client.get(f"/threads/{thread.pk}/")
    client.get(f"/threads/{second.pk}/")
    assert not ThreadRead.objects.filter(member=other).exists()
    with CaptureQueriesContext(connection) as ctx:
        assert readbuffer.flush() == 2
    # the threads and members still there, then one upsert for both rows
    assert [s for s in statements(ctx) if s not in ("SAVEPOINT", "RELEASE")] == [
        "SELECT",
        "SELECT",
        "INSERT",
    ]
    rows = dict(
        ThreadRead.objects.filter(member=other).values_list("thread_id", "last_read_post_id")
    )
    assert rows == {thread.pk: thread.first_post_id, second.pk: second.first_post_id}


def test_a_members_own_reading_shows_before_the_flush(
    thread: Thread, other: Member, member: Member
) -> None:
    make_reply(thread, member)
    fresh = Thread.objects.get(pk=thread.pk)
    assert reading.unread_thread_ids(other, [fresh]) == {thread.pk}
    client_for(other).get(f"/threads/{thread.pk}/")
    assert reading.unread_thread_ids(other, [fresh]) == set()
    last = Post.objects.filter(thread=thread).order_by("-id")[0]
    guardian = Guardian(other)
    assert reading.first_unread_post(other, fresh, guardian) is None
    assert client_for(other).get(f"/threads/{thread.pk}/unread/")["Location"] == (
        f"/posts/{last.pk}/"
    )


def test_a_position_never_moves_back_in_the_buffer(thread: Thread, other: Member) -> None:
    guardian = Guardian(other)
    posts = [make_reply(thread, MemberFactory()) for _ in range(3)]
    from parley.engagement.services import record_thread_view

    record_thread_view(guardian, thread, posts)
    record_thread_view(guardian, thread, posts[:1])
    readbuffer.flush()
    assert ThreadRead.objects.get(member=other, thread=thread).last_read_post_id == posts[-1].pk


def test_a_thread_deleted_before_the_flush_is_skipped(
    thread: Thread, other: Member, member: Member
) -> None:
    doomed = make_thread(thread.forum, member, title="Doomed")
    client = client_for(other)
    client.get(f"/threads/{thread.pk}/")
    client.get(f"/threads/{doomed.pk}/")
    Thread.objects.filter(pk=doomed.pk).update(first_post=None, last_post=None)
    Post.objects.filter(thread=doomed).delete()
    doomed.delete()
    assert readbuffer.flush() == 2
    assert list(ThreadRead.objects.filter(member=other).values_list("thread_id", flat=True)) == [
        thread.pk
    ]


def test_gunicorns_worker_exit_hook_writes_the_buffers(anon_client: Client, thread: Thread) -> None:
    anon_client.get(f"/threads/{thread.pk}/")
    anon_client.get(f"/threads/{thread.pk}/")
    writebuffer.worker_exit(None, None)
    thread.refresh_from_db()
    assert thread.view_count == 2


def test_a_members_own_reading_shows_on_watched_whats_new_and_the_index_before_the_flush(
    thread: Thread, other: Member, member: Member
) -> None:
    from parley.engagement import services as engagement

    engagement.watch_thread(member=other, thread=thread)
    for _ in range(3):
        make_reply(thread, member)
    client = client_for(other)
    assert '<td class="num unread-count">4</td>' in client.get("/watched/").content.decode()
    assert "forum-row unread" in client.get("/").content.decode()
    client.get(f"/threads/{thread.pk}/")  # read, buffered
    assert not ThreadRead.objects.filter(member=other).exists()
    assert '<td class="num unread-count">0</td>' in client.get("/watched/").content.decode()
    assert "forum-row unread" not in client.get("/").content.decode()
    assert (
        "Water talks stall" not in client.get("/whats-new/").content.decode().split("Trending")[0]
    )
