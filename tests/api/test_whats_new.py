"""What's new, trending and the first unread post through the API: the same queries as
/whats-new/ and the thread page's jump, filtered by the same permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.engagement import services
from parley.forums.models import Forum, Thread
from parley.forums.services import react_to_post
from parley.members.models import Member
from tests.factories import MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


# --- /whats-new ----------------------------------------------------------------------------


def test_whats_new_lists_unread_threads_with_counts_for_a_member(
    token_client: Any, forum: Forum, member: Member, other: Member
) -> None:
    read = make_thread(forum, member, title="Already read")
    services.mark_thread_read(member=other, thread_id=read.pk, upto_post_id=read.first_post_id)
    partly = make_thread(forum, member, title="Partly read")
    services.mark_thread_read(member=other, thread_id=partly.pk, upto_post_id=partly.first_post_id)
    last = make_reply(partly, MemberFactory(username="carol"))
    fresh = make_thread(forum, member, title="Brand new")
    body = token_client(other, "read").get("/api/v1/whats-new").json()
    assert body["since_last_visit"] is True
    assert ids(body["threads"]) == [fresh.pk, partly.pk]  # newest activity first
    new, part = body["threads"]
    assert new["unread_count"] == 1 and new["is_new_thread"] is True
    assert part["unread_count"] == 1 and part["is_new_thread"] is False
    assert part["first_unread_url"] == f"/threads/{partly.pk}/unread/"
    assert part["last_post"]["id"] == last.pk
    assert part["last_post"]["author"]["username"] == "carol"
    assert part["author"]["username"] == member.username
    assert part["forum_title"] == forum.title
    assert part["labels"] == {"prefix": None, "tags": []}


def test_whats_new_for_guests_is_the_latest_threads_without_read_state(
    anon_client: Client, forum: Forum, member: Member
) -> None:
    older = make_thread(forum, member, title="Older")
    newer = make_thread(forum, member, title="Newer")
    body = anon_client.get("/api/v1/whats-new").json()
    assert body["since_last_visit"] is False
    assert ids(body["threads"]) == [newer.pk, older.pk]
    assert all(t["unread_count"] is None and t["first_unread_url"] is None for t in body["threads"])


def test_whats_new_and_trending_leave_out_what_the_reader_may_not_see(
    anon_client: Client, token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Staff only")
    make_reply(hidden, moderator)
    for client in (anon_client, token_client(other, "read")):
        body = client.get("/api/v1/whats-new").json()
        assert hidden.pk not in ids(body["threads"]) + ids(body["trending"])
        assert hidden.pk not in ids(client.get("/api/v1/trending").json())
    staff = token_client(moderator, "read").get("/api/v1/trending").json()
    assert hidden.pk in ids(staff)  # the moderator does see it


def test_whats_new_with_a_bad_token_is_a_401_not_a_guest_answer(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/whats-new", HTTP_AUTHORIZATION="Bearer parley_nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def _unread_threads(forum: Forum, author: Member, count: int) -> list[Thread]:
    threads = [make_thread(forum, author, title=f"News {i}") for i in range(count)]
    for t in threads:
        make_reply(t, author)
    return threads


@pytest.mark.parametrize("count", [2, 5])
def test_whats_new_costs_the_same_queries_for_2_or_5_threads(
    token_client: Any,
    forum: Forum,
    member: Member,
    other: Member,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    _unread_threads(forum, member, count)
    client = token_client(other, "read")
    client.get("/api/v1/whats-new")  # warms the permission set
    # the token, the permissions version, the unread threads, trending, the starters of
    # both lists, the labels of each list (2 + 2)
    with django_assert_num_queries(9):
        body = client.get("/api/v1/whats-new").json()
    assert len(body["threads"]) == count and len(body["trending"]) == count


# --- /trending -----------------------------------------------------------------------------


def test_trending_ranks_by_replies_and_reactions_today(
    anon_client: Client, forum: Forum, member: Member, other: Member
) -> None:
    quiet = make_thread(forum, member, title="Quiet")
    busy = make_thread(forum, member, title="Busy")
    make_reply(busy, other)
    reply = make_reply(busy, other)
    react_to_post(post=reply, member=member, reaction_type=reaction("Like"))
    make_reply(quiet, other)
    body = anon_client.get("/api/v1/trending").json()
    assert ids(body) == [busy.pk, quiet.pk]
    assert (body[0]["recent_replies"], body[0]["recent_reactions"]) == (2, 1)
    assert (body[1]["recent_replies"], body[1]["recent_reactions"]) == (1, 0)


def test_trending_leaves_out_threads_without_replies_or_reactions(
    anon_client: Client, thread: Thread
) -> None:
    assert anon_client.get("/api/v1/trending").json() == []


# --- /threads/{id}/first-unread ------------------------------------------------------------


def test_first_unread_is_the_post_after_what_the_member_read(
    token_client: Any, thread: Thread, other: Member, member: Member
) -> None:
    services.mark_thread_read(member=other, thread_id=thread.pk, upto_post_id=thread.first_post_id)
    second = make_reply(thread, member)
    make_reply(thread, member)
    client = token_client(other, "read")
    body = client.get(f"/api/v1/threads/{thread.pk}/first-unread").json()
    assert body == {"post_id": second.pk, "url": f"/posts/{second.pk}/"}


def test_first_unread_is_null_when_all_is_read_and_for_guests(
    token_client: Any, anon_client: Client, thread: Thread, other: Member, member: Member
) -> None:
    last = make_reply(thread, member)
    services.mark_thread_read(member=other, thread_id=thread.pk, upto_post_id=last.pk)
    url = f"/api/v1/threads/{thread.pk}/first-unread"
    assert token_client(other, "read").get(url).json() == {"post_id": None, "url": None}
    assert anon_client.get(url).json() == {"post_id": None, "url": None}


def test_first_unread_of_a_thread_you_cannot_see_is_a_404(
    token_client: Any, staff_forum: Forum, moderator: Member, other: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Secret")
    client = token_client(other, "read")
    for thread_id in (hidden.pk, 999999):
        response = client.get(f"/api/v1/threads/{thread_id}/first-unread")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_first_unread_with_a_bad_thread_id_is_a_422(token_client: Any, other: Member) -> None:
    response = token_client(other, "read").get("/api/v1/threads/abc/first-unread")
    assert response.status_code == 422
    assert "thread_id" in response.json()["error"]["fields"]
