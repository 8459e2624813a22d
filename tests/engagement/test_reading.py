"""Read tracking: positions, marks, the horizon, auto-watch, jump to first unread."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parley.core.writebuffer import flush_all as flush_buffers
from parley.engagement import queries, services
from parley.engagement.models import ReadMark, ThreadRead, ThreadWatch
from parley.forums.models import Forum, Post, State, Thread
from parley.members.models import Member
from parley.permissions.guardian import Guardian
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def unread(member: Member, thread: Thread) -> bool:
    return thread.pk in queries.unread_thread_ids(member, [Thread.objects.get(pk=thread.pk)])


def test_a_thread_never_opened_is_unread(thread: Thread, other: Member) -> None:
    assert unread(other, thread)


def test_viewing_the_thread_page_reads_it(thread: Thread, other: Member) -> None:
    client_for(other).get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    assert not unread(other, thread)
    assert ThreadRead.objects.get(member=other, thread=thread).last_read_post_id == (
        thread.first_post_id
    )


def test_a_new_reply_makes_a_read_thread_unread(thread: Thread, other: Member) -> None:
    client_for(other).get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    make_reply(thread, MemberFactory())
    assert unread(other, thread)


def test_own_reply_keeps_the_thread_read_and_watches_it(
    thread: Thread, other: Member, django_capture_on_commit_callbacks: Any
) -> None:
    client_for(other).get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, other)
    assert not unread(other, thread)
    assert ThreadWatch.objects.filter(member=other, thread=thread).exists()


def test_starting_a_thread_watches_it(
    forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = make_thread(forum, member)
    assert ThreadWatch.objects.filter(member=member, thread=started, email=False).exists()


def test_auto_watch_off_does_not_watch(
    thread: Thread, other: Member, django_capture_on_commit_callbacks: Any
) -> None:
    services.set_auto_watch(member=other, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, other)
    assert not ThreadWatch.objects.filter(member=other, thread=thread).exists()


def test_posts_older_than_the_horizon_are_read(thread: Thread, other: Member) -> None:
    old = timezone.now() - timedelta(days=31)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=old)
    Post.objects.filter(thread=thread).update(created_at=old)
    assert not unread(other, thread)


def test_guests_have_no_unread_state(thread: Thread) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert queries.unread_thread_ids(AnonymousUser(), [thread]) == set()


@pytest.fixture
def long_thread(thread: Thread, settings, other: Member) -> Thread:  # type: ignore[no-untyped-def]
    settings.PARLEY_POSTS_PER_PAGE = 3
    for i in range(6):  # seven posts: pages of 3, 3 and 1
        make_reply(thread, MemberFactory(), f"reply {i}")
    return Thread.objects.get(pk=thread.pk)


def _post_ids(thread: Thread) -> list[int]:
    return list(Post.objects.filter(thread=thread).order_by("id").values_list("id", flat=True))


def test_reading_page_one_leaves_later_pages_unread(long_thread: Thread, other: Member) -> None:
    client = client_for(other)
    client.get(f"/threads/{long_thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    ids = _post_ids(long_thread)
    assert unread(other, long_thread)
    response = client.get(f"/threads/{long_thread.pk}/unread/")
    assert response.status_code == 302
    assert response["Location"] == f"/threads/{long_thread.pk}/?page=2#post-{ids[3]}"


def test_reading_an_earlier_page_again_never_moves_the_position_back(
    long_thread: Thread, other: Member
) -> None:
    client = client_for(other)
    client.get(f"/threads/{long_thread.pk}/?page=3")
    client.get(f"/threads/{long_thread.pk}/?page=1")
    flush_buffers()  # a server writes them within seconds
    ids = _post_ids(long_thread)
    assert ThreadRead.objects.get(member=other, thread=long_thread).last_read_post_id == ids[-1]
    assert not unread(other, long_thread)


def test_jump_when_everything_is_read_goes_to_the_last_post(
    long_thread: Thread, other: Member
) -> None:
    client = client_for(other)
    client.get(f"/threads/{long_thread.pk}/?page=3")
    flush_buffers()  # a server writes them within seconds
    response = client.get(f"/threads/{long_thread.pk}/unread/")
    assert response["Location"] == f"/posts/{long_thread.last_post_id}/"


def test_jump_skips_posts_the_reader_may_not_see(
    long_thread: Thread, other: Member, member: Member
) -> None:
    """A post awaiting approval by someone else is not the reader's first unread post."""
    client = client_for(other)
    client.get(f"/threads/{long_thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    ids = _post_ids(long_thread)
    Post.objects.filter(pk=ids[3]).update(state=State.PENDING)
    post = queries.first_unread_post(other, long_thread, Guardian(other))
    assert post is not None and post.pk == ids[4]


def test_jump_for_a_guest_goes_to_the_last_post(anon_client: Client, long_thread: Thread) -> None:
    response = anon_client.get(f"/threads/{long_thread.pk}/unread/")
    assert response["Location"] == f"/posts/{long_thread.last_post_id}/"


def test_marking_a_forum_read_drops_its_rows_only(
    thread: Thread, other: Member, member: Member
) -> None:
    elsewhere = make_thread(ForumFactory(), MemberFactory())
    client = client_for(other)
    client.get(f"/threads/{thread.pk}/")
    client.get(f"/threads/{elsewhere.pk}/")
    flush_buffers()  # a server writes them within seconds
    make_reply(thread, member)
    assert unread(other, thread)
    services.mark_forum_read(member=other, forum=thread.forum)
    assert not unread(other, thread)
    assert list(ThreadRead.objects.filter(member=other).values_list("thread_id", flat=True)) == [
        elsewhere.pk
    ]
    make_reply(thread, member)
    assert unread(other, thread)


def test_marking_everything_read_leaves_one_mark(thread: Thread, other: Member) -> None:
    elsewhere = make_thread(ForumFactory(), MemberFactory())
    client_for(other).get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    services.mark_forum_read(member=other, forum=thread.forum)
    services.mark_all_read(member=other)
    assert not unread(other, thread) and not unread(other, elsewhere)
    assert ThreadRead.objects.filter(member=other).count() == 0
    assert list(ReadMark.objects.filter(member=other).values_list("forum_id", flat=True)) == [None]


def test_watched_unread_count_counts_posts_after_the_position(
    long_thread: Thread, other: Member
) -> None:
    services.watch_thread(member=other, thread=long_thread)
    client_for(other).get(f"/threads/{long_thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    (row,) = queries.watched_threads(other, Guardian(other))
    assert row.unread_count == 4


def test_prune_drops_only_state_the_horizon_implies(
    thread: Thread, other: Member, member: Member
) -> None:
    from parley.engagement.tasks import prune_read_state

    quiet = make_thread(ForumFactory(), MemberFactory())
    client = client_for(other)
    client.get(f"/threads/{thread.pk}/")
    client.get(f"/threads/{quiet.pk}/")
    flush_buffers()  # a server writes them within seconds
    old = timezone.now() - timedelta(days=40)
    Thread.objects.filter(pk=quiet.pk).update(last_post_at=old)
    ReadMark.objects.create(member=other, forum=None, read_before=old)
    ReadMark.objects.create(member=other, forum=thread.forum, read_before=timezone.now())
    assert prune_read_state() == {"thread_rows": 1, "marks": 1}
    assert list(ThreadRead.objects.values_list("thread_id", flat=True)) == [thread.pk]
    assert list(ReadMark.objects.values_list("forum_id", flat=True)) == [thread.forum_id]
    assert not unread(other, thread)


def test_the_read_state_repairer_restores_a_members_own_read_position(
    forum, member, django_capture_on_commit_callbacks
) -> None:
    from parley.engagement.models import ThreadRead
    from parley.engagement.receivers import repair
    from tests.factories import make_thread

    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(forum, member)
    ThreadRead.objects.filter(member=member).delete()
    assert repair() >= 1
    assert ThreadRead.objects.get(member=member, thread=thread).last_read_post_id == (
        thread.first_post_id
    )
