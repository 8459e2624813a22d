"""Watching and unread through the API: watch and unwatch threads and forums, the watched
list with unread counts, and marking a thread, a forum or everything read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.core.writebuffer import flush_all as flush_buffers
from parley.engagement import queries, services
from parley.engagement.models import ForumWatch, ReadMark, ThreadRead, ThreadWatch
from parley.forums import moderation
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

JSON = "application/json"


def unread_ids(member: Member) -> set[int]:
    return set(queries.unread_threads(member, Thread.objects.all()).values_list("pk", flat=True))


# --- watch / unwatch ---------------------------------------------------------------------


def test_watch_a_thread_with_email_change_it_and_unwatch(
    token_client: Any, thread: Thread, other: Member
) -> None:
    client = token_client(other)
    url = f"/api/v1/threads/{thread.pk}/watch"
    response = client.put(url, {"email": True}, content_type=JSON)
    assert response.json() == {"watching": True, "email": True}
    assert ThreadWatch.objects.get(member=other, thread=thread).email is True
    assert client.put(url, {}, content_type=JSON).json() == {"watching": True, "email": False}
    assert ThreadWatch.objects.get(member=other, thread=thread).email is False
    assert client.delete(url).json() == {"watching": False, "email": False}
    assert not ThreadWatch.objects.filter(member=other).exists()


def test_watch_a_forum_and_unwatch(token_client: Any, forum: Forum, other: Member) -> None:
    client = token_client(other)
    url = f"/api/v1/forums/{forum.pk}/watch"
    assert client.put(url, {"email": False}, content_type=JSON).status_code == 200
    assert ForumWatch.objects.get(member=other, forum=forum).email is False
    assert client.delete(url).status_code == 200
    assert not ForumWatch.objects.filter(member=other).exists()


def test_guests_and_read_only_tokens_cannot_watch(
    anon_client: Client, token_client: Any, thread: Thread, forum: Forum, other: Member
) -> None:
    for url in [f"/api/v1/threads/{thread.pk}/watch", f"/api/v1/forums/{forum.pk}/watch"]:
        assert anon_client.put(url, {}, content_type=JSON).status_code == 401
        assert token_client(other, "read").put(url, {}, content_type=JSON).status_code == 403
    assert not ThreadWatch.objects.exists() and not ForumWatch.objects.exists()


def test_watching_what_you_cannot_see_is_a_404(
    token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret", body="x")
    client = token_client(other)
    for url in [
        f"/api/v1/threads/{hidden.pk}/watch",
        f"/api/v1/forums/{staff_forum.pk}/watch",
        "/api/v1/threads/999999/watch",
    ]:
        response = client.put(url, {}, content_type=JSON)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert not ThreadWatch.objects.filter(member=other).exists()
    assert not ForumWatch.objects.filter(member=other).exists()


def test_watch_with_a_bad_body_changes_nothing(
    token_client: Any, thread: Thread, other: Member
) -> None:
    response = token_client(other).put(
        f"/api/v1/threads/{thread.pk}/watch", {"email": "often"}, content_type=JSON
    )
    assert response.status_code == 422 and "email" in response.json()["error"]["fields"]
    assert not ThreadWatch.objects.exists()


def test_watch_costs_a_fixed_number_of_queries(
    token_client: Any, thread: Thread, other: Member, django_assert_num_queries: Any
) -> None:
    client = token_client(other)
    url = f"/api/v1/threads/{thread.pk}/watch"
    client.put(url, {}, content_type=JSON)
    # the token, the thread, the permissions version; update_or_create in savepoints
    with django_assert_num_queries(9):
        assert client.put(url, {"email": True}, content_type=JSON).status_code == 200


# --- the watched list --------------------------------------------------------------------


def test_watched_lists_threads_with_unread_counts(
    token_client: Any, thread: Thread, other: Member
) -> None:
    services.watch_thread(member=other, thread=thread)
    services.mark_thread_read(member=other, thread_id=thread.pk, upto_post_id=thread.first_post_id)
    make_reply(thread, MemberFactory(username="carol"))
    last = make_reply(thread, MemberFactory(username="dave"))
    body = token_client(other, "read").get("/api/v1/watched").json()
    [item] = body["items"]
    assert item["id"] == thread.pk and item["title"] == "Water talks stall"
    assert item["unread_count"] == 2 and item["forum_title"] == thread.forum.title
    assert item["last_post"] == {
        "id": last.pk,
        "url": f"/posts/{last.pk}/",
        "author": {"id": last.author_id, "username": "dave", "url": "/members/dave/"},
    }
    assert item["first_unread_url"] == f"/threads/{thread.pk}/unread/"


def test_watched_counts_what_was_just_read_but_not_yet_written(
    other_client: Client, token_client: Any, thread: Thread, other: Member
) -> None:
    services.watch_thread(member=other, thread=thread)
    make_reply(thread, MemberFactory())
    other_client.get(f"/threads/{thread.pk}/")  # buffered, not written yet
    body = token_client(other, "read").get("/api/v1/watched").json()
    assert body["items"][0]["unread_count"] == 0
    flush_buffers()


def test_watched_shows_only_ones_own_readable_watches(
    token_client: Any, thread: Thread, member: Member, other: Member, moderator: Member
) -> None:
    services.watch_thread(member=member, thread=thread)
    assert token_client(other, "read").get("/api/v1/watched").json()["items"] == []
    moderation.soft_delete_thread(actor=moderator, thread=thread, reason="spam")
    assert token_client(member, "read").get("/api/v1/watched").json()["items"] == []


def test_watched_needs_a_member(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/watched")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_watched_pages_by_cursor(
    token_client: Any, forum: Forum, member: Member, other: Member
) -> None:
    threads = [make_thread(forum, member, title=f"T{i}") for i in range(3)]
    for t in threads:
        services.watch_thread(member=other, thread=t)
    client = token_client(other, "read")
    first = client.get("/api/v1/watched", {"limit": 2}).json()
    second = client.get("/api/v1/watched", {"limit": 2, "cursor": first["next_cursor"]}).json()
    ids = [t["id"] for t in first["items"] + second["items"]]
    assert ids == [t.pk for t in reversed(threads)] and second["next_cursor"] is None


@pytest.mark.parametrize("count", [2, 5])
def test_watched_costs_the_same_queries_for_2_and_5_threads(
    token_client: Any,
    forum: Forum,
    member: Member,
    other: Member,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    for i in range(count):
        t = make_thread(forum, member, title=f"T{i}")
        services.watch_thread(member=other, thread=t)
        make_reply(t, member)
    client = token_client(other, "read")
    client.get("/api/v1/watched")
    # the token, the permissions version, the page of threads with unread counts
    with django_assert_num_queries(3):
        body = client.get("/api/v1/watched").json()
    assert [t["unread_count"] for t in body["items"]] == [2] * count


# --- marking read ------------------------------------------------------------------------


def test_mark_a_thread_read_up_to_a_post_or_all_of_it(
    token_client: Any, thread: Thread, other: Member
) -> None:
    middle = make_reply(thread, MemberFactory())
    last = make_reply(thread, MemberFactory())
    client = token_client(other)
    url = f"/api/v1/threads/{thread.pk}/read"
    assert client.post(url, {"post_id": middle.pk}, content_type=JSON).json() == {"ok": True}
    assert ThreadRead.objects.get(member=other, thread=thread).last_read_post_id == middle.pk
    assert thread.pk in unread_ids(other)
    assert client.post(url, {}, content_type=JSON).status_code == 200
    assert ThreadRead.objects.get(member=other, thread=thread).last_read_post_id == last.pk
    assert thread.pk not in unread_ids(other)
    # Never backwards.
    client.post(url, {"post_id": middle.pk}, content_type=JSON)
    assert ThreadRead.objects.get(member=other, thread=thread).last_read_post_id == last.pk


def test_mark_read_up_to_a_post_of_another_thread_is_refused(
    token_client: Any, thread: Thread, forum: Forum, member: Member, other: Member
) -> None:
    elsewhere = make_thread(forum, member, title="Elsewhere")
    response = token_client(other).post(
        f"/api/v1/threads/{thread.pk}/read",
        {"post_id": elsewhere.first_post_id},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "post_id" in response.json()["error"]["fields"]
    bad = token_client(other).post(
        f"/api/v1/threads/{thread.pk}/read", {"post_id": 0}, content_type=JSON
    )
    assert bad.status_code == 422
    assert not ThreadRead.objects.filter(member=other).exists()


def test_mark_read_of_a_hidden_thread_or_forum_is_a_404(
    token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret", body="x")
    client = token_client(other)
    assert (
        client.post(f"/api/v1/threads/{hidden.pk}/read", {}, content_type=JSON).status_code == 404
    )
    assert client.post(f"/api/v1/forums/{staff_forum.pk}/read").status_code == 404
    assert not ThreadRead.objects.filter(member=other).exists()
    assert not ReadMark.objects.filter(member=other).exists()


def test_mark_a_forum_read(token_client: Any, thread: Thread, forum: Forum, other: Member) -> None:
    assert thread.pk in unread_ids(other)
    assert token_client(other).post(f"/api/v1/forums/{forum.pk}/read").json() == {"ok": True}
    assert ReadMark.objects.filter(member=other, forum=forum).exists()
    assert thread.pk not in unread_ids(other)


def test_mark_everything_read(
    token_client: Any, thread: Thread, forum: Forum, member: Member, other: Member
) -> None:
    second = make_thread(forum, member, title="Second")
    assert unread_ids(other) == {thread.pk, second.pk}
    assert token_client(other).post("/api/v1/read-all").json() == {"ok": True}
    assert unread_ids(other) == set()
    assert ReadMark.objects.filter(member=other, forum__isnull=True).exists()


def test_marking_read_needs_a_member_with_the_write_scope(
    anon_client: Client, token_client: Any, thread: Thread, forum: Forum, other: Member
) -> None:
    for url in [f"/api/v1/threads/{thread.pk}/read", f"/api/v1/forums/{forum.pk}/read"]:
        assert anon_client.post(url, {}, content_type=JSON).status_code == 401
        assert token_client(other, "read").post(url, {}, content_type=JSON).status_code == 403
    assert anon_client.post("/api/v1/read-all").status_code == 401
    assert not ReadMark.objects.exists() and not ThreadRead.objects.exists()


def test_mark_thread_read_costs_a_fixed_number_of_queries(
    token_client: Any, thread: Thread, other: Member, django_assert_num_queries: Any
) -> None:
    post = Post.objects.get(pk=thread.first_post_id)
    client = token_client(other)
    url = f"/api/v1/threads/{thread.pk}/read"
    client.post(url, {"post_id": post.pk}, content_type=JSON)
    # the token, the thread, the permissions version, the post check, the upsert
    with django_assert_num_queries(5):
        assert client.post(url, {"post_id": post.pk}, content_type=JSON).status_code == 200
