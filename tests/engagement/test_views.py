"""Request tests: watch/unwatch, mark read, /watched/, /whats-new/, unread flags on the
forum pages, and query counts that stay constant with 10,000 read rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parley.core.writebuffer import flush_all as flush_buffers
from parley.engagement import services
from parley.engagement.models import (
    ForumWatch,
    ReadingPreference,
    ReadMark,
    ThreadRead,
    ThreadWatch,
)
from parley.forums import moderation
from parley.forums import services as forum_services
from parley.forums.models import Forum, Post, State, Thread
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- watch / unwatch ---


def test_watch_thread_with_email_and_unwatch(
    member_client: Client, thread: Thread, member: Member
) -> None:
    url = f"/threads/{thread.pk}/watch/"
    response = member_client.post(url, {"action": "watch-email"})
    assert response.status_code == 302 and response["Location"] == f"/threads/{thread.pk}/"
    assert ThreadWatch.objects.get(member=member, thread=thread).email is True
    member_client.post(url, {"action": "unwatch"})
    assert not ThreadWatch.objects.filter(member=member, thread=thread).exists()


def test_watch_button_shows_the_state(other_client: Client, thread: Thread, other: Member) -> None:
    page = f"/threads/{thread.pk}/"
    assert "Watch thread" in other_client.get(page).content.decode()
    services.watch_thread(member=other, thread=thread)
    body = other_client.get(page).content.decode()
    assert "Watching" in body and "Unwatch" in body


def test_guest_cannot_watch(anon_client: Client, thread: Thread) -> None:
    response = anon_client.post(f"/threads/{thread.pk}/watch/", {"action": "watch"})
    assert response.status_code == 302 and "/signin" in response["Location"]
    assert not ThreadWatch.objects.exists()


def test_watching_a_hidden_thread_is_a_404(other_client: Client, staff_forum: Forum) -> None:
    hidden = make_thread(staff_forum, MemberFactory(is_staff=True))
    response = other_client.post(f"/threads/{hidden.pk}/watch/", {"action": "watch"})
    assert response.status_code == 404
    assert not ThreadWatch.objects.filter(thread=hidden).exclude(member=hidden.author).exists()


def test_watch_with_a_bad_action_changes_nothing(other_client: Client, thread: Thread) -> None:
    response = other_client.post(
        f"/threads/{thread.pk}/watch/", {"action": "subscribe-all"}, follow=True
    )
    assert "Choose to watch or to stop watching." in response.content.decode()
    assert not ThreadWatch.objects.filter(thread=thread).exclude(member=thread.author).exists()


def test_watch_by_get_is_refused(other_client: Client, thread: Thread) -> None:
    assert other_client.get(f"/threads/{thread.pk}/watch/").status_code == 405


def test_watch_never_redirects_off_site(other_client: Client, thread: Thread) -> None:
    response = other_client.post(
        f"/threads/{thread.pk}/watch/", {"action": "watch", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/threads/{thread.pk}/"


def test_watch_forum_and_unwatch(other_client: Client, forum: Forum, other: Member) -> None:
    other_client.post(f"/forums/{forum.pk}/watch/", {"action": "watch"})
    assert ForumWatch.objects.get(member=other, forum=forum).email is False
    assert "Watching" in other_client.get(f"/forums/{forum.pk}/").content.decode()
    other_client.post(f"/forums/{forum.pk}/watch/", {"action": "unwatch"})
    assert not ForumWatch.objects.filter(member=other).exists()


def test_watching_a_hidden_forum_is_a_404(other_client: Client, staff_forum: Forum) -> None:
    assert (
        other_client.post(f"/forums/{staff_forum.pk}/watch/", {"action": "watch"}).status_code
        == 404
    )
    assert not ForumWatch.objects.exists()


# --- mark read ---


def test_mark_forum_read_button(other_client: Client, thread: Thread, other: Member) -> None:
    response = other_client.post(f"/forums/{thread.forum_id}/mark-read/")
    assert response.status_code == 302
    assert ReadMark.objects.filter(member=other, forum=thread.forum).exists()
    body = other_client.get(f"/forums/{thread.forum_id}/").content.decode()
    assert 'class="badge new"' not in body


def test_guest_cannot_mark_read(anon_client: Client, forum: Forum) -> None:
    assert anon_client.post(f"/forums/{forum.pk}/mark-read/").status_code == 302
    assert anon_client.post("/mark-all-read/").status_code == 302
    assert not ReadMark.objects.exists()


def test_marking_a_hidden_forum_read_is_a_404(other_client: Client, staff_forum: Forum) -> None:
    assert other_client.post(f"/forums/{staff_forum.pk}/mark-read/").status_code == 404
    assert not ReadMark.objects.exists()


def test_mark_all_read_by_get_is_refused(other_client: Client) -> None:
    assert other_client.get("/mark-all-read/").status_code == 405
    assert not ReadMark.objects.exists()


def test_mark_all_read_clears_the_index_badge(
    other_client: Client, thread: Thread, other: Member
) -> None:
    assert 'class="badge new"' in other_client.get("/").content.decode()
    other_client.post("/mark-all-read/")
    assert 'class="badge new"' not in other_client.get("/").content.decode()


# --- unread flags on lists ---


def test_forum_page_marks_unread_threads_for_members_only(
    anon_client: Client, other_client: Client, thread: Thread, member: Member
) -> None:
    read = make_thread(thread.forum, member, title="Already read")
    other_client.get(f"/threads/{read.pk}/")
    flush_buffers()  # a server writes them within seconds
    body = other_client.get(f"/forums/{thread.forum_id}/").content.decode()
    assert f'href="/threads/{thread.pk}/unread/"' in body
    assert f'href="/threads/{read.pk}/unread/"' not in body
    assert body.count('class="badge new"') == 1
    assert (
        'class="badge new"' not in anon_client.get(f"/forums/{thread.forum_id}/").content.decode()
    )


def test_index_marks_forums_with_unread_threads(other_client: Client, thread: Thread) -> None:
    assert "forum-row unread" in other_client.get("/").content.decode()
    other_client.get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    assert "forum-row unread" not in other_client.get("/").content.decode()


def test_thread_page_offers_jump_to_first_unread(
    other_client: Client, anon_client: Client, thread: Thread
) -> None:
    link = f'href="/threads/{thread.pk}/unread/"'
    assert link in other_client.get(f"/threads/{thread.pk}/").content.decode()
    assert link not in anon_client.get(f"/threads/{thread.pk}/").content.decode()


def test_jump_to_unread_of_a_hidden_thread_is_a_404(
    other_client: Client, staff_forum: Forum
) -> None:
    hidden = make_thread(staff_forum, MemberFactory(is_staff=True))
    assert other_client.get(f"/threads/{hidden.pk}/unread/").status_code == 404


# --- /watched/ ---


def test_watched_lists_threads_with_unread_counts(
    other_client: Client, thread: Thread, other: Member
) -> None:
    services.watch_thread(member=other, thread=thread)
    other_client.get(f"/threads/{thread.pk}/")
    flush_buffers()  # a server writes them within seconds
    make_reply(thread, MemberFactory())
    make_reply(thread, MemberFactory())
    body = other_client.get("/watched/").content.decode()
    assert "Water talks stall" in body
    assert '<td class="num unread-count">2</td>' in body


def test_watched_shows_only_ones_own_watches(
    other_client: Client, thread: Thread, member: Member
) -> None:
    services.watch_thread(member=member, thread=thread)
    assert "Water talks stall" not in other_client.get("/watched/").content.decode()


def test_watched_hides_threads_no_longer_readable(
    other_client: Client, thread: Thread, other: Member, moderator: Member
) -> None:
    services.watch_thread(member=other, thread=thread)
    moderation.soft_delete_thread(actor=moderator, thread=thread, reason="spam")
    assert "Water talks stall" not in other_client.get("/watched/").content.decode()


def test_watched_needs_signing_in(anon_client: Client) -> None:
    assert anon_client.get("/watched/").status_code == 302


def test_watched_bad_page_is_a_404(other_client: Client) -> None:
    assert other_client.get("/watched/?page=x").status_code == 404


def test_auto_watch_preference_toggles(other_client: Client, other: Member) -> None:
    other_client.post("/watched/auto/", {"auto_watch": "off"})
    assert "Watch them automatically" in other_client.get("/watched/").content.decode()
    other_client.post("/watched/auto/", {"auto_watch": "on"})
    assert "Stop watching them automatically" in other_client.get("/watched/").content.decode()


def test_auto_watch_bad_value_changes_nothing(other_client: Client, other: Member) -> None:
    response = other_client.post("/watched/auto/", {"auto_watch": "maybe"}, follow=True)
    assert "Choose on or off." in response.content.decode()
    assert not ReadingPreference.objects.filter(member=other).exists()


# --- /whats-new/ ---


@pytest.fixture
def hidden_content(forum: Forum, staff_forum: Forum, member: Member, moderator: Member) -> None:
    make_thread(staff_forum, moderator, title="Staff only plans")
    gone = make_thread(forum, member, title="Deleted rant")
    moderation.soft_delete_thread(actor=moderator, thread=gone, reason="rude")
    pending = make_thread(forum, member, title="Waiting thread")
    Thread.objects.filter(pk=pending.pk).update(state=State.PENDING)


def test_whats_new_for_guests_lists_the_latest_visible(
    anon_client: Client, thread: Thread, hidden_content: None
) -> None:
    body = anon_client.get("/whats-new/").content.decode()
    assert "Latest threads" in body and "Water talks stall" in body
    for hidden in ("Staff only plans", "Deleted rant", "Waiting thread"):
        assert hidden not in body


def test_whats_new_for_members_lists_only_unread(
    other_client: Client, thread: Thread, member: Member, hidden_content: None
) -> None:
    read = make_thread(thread.forum, member, title="Read already")
    other_client.get(f"/threads/{read.pk}/")
    flush_buffers()  # a server writes them within seconds
    body = other_client.get("/whats-new/").content.decode()
    assert "Water talks stall" in body and "New thread" in body
    assert "Read already" not in body.split("Trending today")[0]
    for hidden in ("Staff only plans", "Deleted rant", "Waiting thread"):
        assert hidden not in body


def test_trending_ranks_by_replies_and_reactions_today(
    anon_client: Client, forum: Forum, member: Member, hidden_content: None
) -> None:
    quiet = make_thread(forum, member, title="Quiet one")
    busy = make_thread(forum, member, title="Busy one")
    for _ in range(3):
        make_reply(busy, MemberFactory())
    post = make_reply(quiet, MemberFactory())
    forum_services.react_to_post(member=MemberFactory(), post=post, reaction_type=reaction("Like"))
    old = make_thread(forum, member, title="Yesterday news")
    make_reply(old, MemberFactory())
    Post.objects.filter(thread=old).update(created_at=timezone.now() - timedelta(days=2))
    Thread.objects.filter(pk=old.pk).update(last_post_at=timezone.now() - timedelta(days=2))
    trending = anon_client.get("/whats-new/").content.decode().split("Trending today")[1]
    assert trending.index("Busy one") < trending.index("Quiet one")
    assert "3 replies, 0 reactions" in trending and "1 reply, 1 reaction" in trending
    for hidden in ("Yesterday news", "Staff only plans", "Deleted rant", "Waiting thread"):
        assert hidden not in trending


# --- query counts with 10,000 read rows ---


def _many_read_rows(member: Member, forum: Forum, n: int = 10_000) -> None:
    now = timezone.now()
    author = MemberFactory()
    threads = Thread.objects.bulk_create(
        Thread(forum=forum, title=f"t{i}", author=author, created_at=now, last_post_at=now)
        for i in range(n)
    )
    ThreadRead.objects.bulk_create(
        ThreadRead(member=member, thread=t, last_read_post_id=1, read_at=now) for t in threads
    )


def test_pages_query_counts_do_not_grow_with_read_rows(
    other_client: Client, thread: Thread, other: Member, member: Member
) -> None:
    services.watch_thread(member=other, thread=thread)
    pages = [
        "/",
        f"/forums/{thread.forum_id}/",
        f"/threads/{thread.pk}/",
        "/whats-new/",
        "/watched/",
    ]
    before = {url: queries_for(other_client, url) for url in pages}
    _many_read_rows(other, make_thread_forum(member))
    after = {url: queries_for(other_client, url) for url in pages}
    assert after == before
    # Signed in, without this app: index 5, forum page 7, thread page 13 queries (the view
    # count is buffered, docs/caching.md; the quick reply looks up the member's draft,
    # docs/editor.md); the thread page is counted below.
    # + the forums holding unread threads, + who's online (parley.people)
    assert before["/"] == 7
    # + the forum's watch + which threads of the page are unread
    # + the forum's prefixes, the page's prefixes and tags (parley.tags)
    assert before[f"/forums/{thread.forum_id}/"] == 12
    # The thread page while the thread is unchanged (its rows are kept per process,
    # stamps.per_thread; tests/forums/test_views.py counts the first request after a change):
    # the session, the member, the permission version, the reader's reactions, draft, and the
    # thread's watch (the read position is buffered: no write on a GET)
    assert before[f"/threads/{thread.pk}/"] == 6


def make_thread_forum(member: Member) -> Forum:
    return ForumFactory(title="Busy forum")
