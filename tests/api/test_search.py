"""/api/v1/search: hits with highlighted snippets, the /search/ page's filters, numbered
pages, hidden forums / deleted and pending posts / other members' conversations never
appearing, bad input as a 400 in the error shape, the shared per-address limit, and exact
query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from parley.conversations.services import start_conversation
from parley.forums import moderation
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.search.conftest import deliver_events

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


@pytest.fixture
def written(forum: Forum, member: Member, other: Member) -> tuple[Thread, Post]:
    thread = make_thread(forum, member, title="Drone strike on the ferry", body="First report")
    reply = make_reply(thread, other, body="The drone came from the <b>south</b>.")
    deliver_events()
    return thread, reply


def post_ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [hit["post_id"] for hit in response.json()["hits"]]


def test_a_guest_finds_posts_with_highlighted_escaped_snippets(
    anon_client: Client, written: tuple[Thread, Post], forum: Forum
) -> None:
    thread, reply = written
    response = anon_client.get(URL, {"q": "drone"})
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 and body["has_next"] is False and body["grouped"] is False
    hit = next(h for h in body["hits"] if h["post_id"] == reply.pk)
    assert hit["url"] == f"/posts/{reply.pk}/"
    assert hit["snippet_html"] == "The <mark>drone</mark> came from the &lt;b&gt;south&lt;/b&gt;."
    assert hit["title_html"] == "<mark>Drone</mark> strike on the ferry"
    assert hit["thread"] == {
        "id": thread.pk,
        "title": thread.title,
        "url": f"/threads/{thread.pk}/",
    }
    assert hit["forum"]["id"] == forum.pk and hit["author"]["username"] == "bob"
    assert body["conversations"] == []


def test_the_route_says_pages_are_numbered(anon_client: Client) -> None:
    doc = anon_client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/search"]["get"]
    assert "Pages are numbered, not cursors" in operation["description"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "members", "forum_id", "since", "titles_only", "grouped", "page"} <= names


def test_a_hidden_forum_never_appears(
    token_client: Any, member: Member, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, title="Quarry plans", body="the quarry")
    deliver_events()
    assert post_ids(token_client(member, "read").get(URL, {"q": "quarry"})) == []
    assert (
        post_ids(token_client(member, "read").get(URL, {"q": "quarry", "titles_only": True})) == []
    )
    seen = post_ids(token_client(moderator, "read").get(URL, {"q": "quarry"}))
    assert seen == [hidden.first_post_id]


def test_deleted_and_pending_posts_never_appear(
    anon_client: Client, written: tuple[Thread, Post], moderator: Member, token_client: Any
) -> None:
    thread, reply = written
    moderation.soft_delete_post(actor=moderator, post=reply)
    waiting_author = MemberFactory(needs_approval=True)
    waiting = make_reply(thread, waiting_author, body="southern drone sighting")
    deliver_events()
    assert reply.pk not in post_ids(anon_client.get(URL, {"q": "south*"}))
    assert post_ids(anon_client.get(URL, {"q": "south*"})) == []
    # Not even to its own author: search lists only posts anyone reading the forum sees.
    own = token_client(waiting_author, "read").get(URL, {"q": "southern"})
    assert waiting.pk not in post_ids(own)


def test_other_members_conversations_never_appear(
    member: Member, other: Member, token_client: Any, written: tuple[Thread, Post]
) -> None:
    start_conversation(
        starter=member,
        recipients=[other],
        title="Drone timetable",
        source="Bring the ferry timetable",
        fmt="bbcode",
    )
    mine = token_client(member, "read").get(URL, {"q": "timetable"}).json()
    assert [c["title_html"] for c in mine["conversations"]] == ["Drone <mark>timetable</mark>"]
    assert mine["conversations"][0]["url"].startswith("/conversations/messages/")
    outsider = MemberFactory(username="outsider")
    theirs = token_client(outsider, "read").get(URL, {"q": "timetable"}).json()
    assert theirs["conversations"] == [] and theirs["hits"] == []
    assert Client().get(URL, {"q": "timetable"}).json()["conversations"] == []
    # With a filter the page shows no conversations either.
    filtered = token_client(member, "read").get(URL, {"q": "timetable", "titles_only": True})
    assert filtered.json()["conversations"] == []


def test_the_pages_filters_narrow_the_hits(
    anon_client: Client, written: tuple[Thread, Post], forum: Forum, other: Member
) -> None:
    thread, reply = written
    elsewhere = make_thread(
        ForumFactory(), MemberFactory(), title="Harbour", body="a drone overhead"
    )
    deliver_events()
    everything = set(post_ids(anon_client.get(URL, {"q": "drone"})))
    assert everything == {thread.first_post_id, reply.pk, elsewhere.first_post_id}
    by_bob = post_ids(anon_client.get(URL, {"q": "drone", "members": other.username.upper()}))
    assert by_bob == [reply.pk]
    in_forum = set(post_ids(anon_client.get(URL, {"q": "drone", "forum_id": forum.pk})))
    assert in_forum == {thread.first_post_id, reply.pk}
    in_category = post_ids(
        anon_client.get(URL, {"q": "drone", "category_id": elsewhere.forum.category_id})
    )
    assert in_category == [elsewhere.first_post_id]
    titles = set(post_ids(anon_client.get(URL, {"q": "drone", "titles_only": True})))
    assert elsewhere.first_post_id not in titles and titles
    assert post_ids(anon_client.get(URL, {"q": "drone", "since": "2999-01-01"})) == []
    assert post_ids(anon_client.get(URL, {"q": "drone", "min_reactions": 1})) == []
    newest = post_ids(anon_client.get(URL, {"q": "drone", "sort": "date"}))
    assert newest == sorted(everything, reverse=True)
    grouped = anon_client.get(URL, {"q": "drone", "grouped": True, "forum_id": forum.pk}).json()
    assert grouped["grouped"] is True
    assert [h["matches_in_thread"] for h in grouped["hits"]] == [2]


def test_pages_are_numbered_with_has_next(anon_client: Client, forum: Forum, member: Member):
    thread = make_thread(forum, member, title="T", body="heron")
    for _ in range(20):
        make_reply(thread, member, body="heron again")
    deliver_events()
    first = anon_client.get(URL, {"q": "heron"}).json()
    assert len(first["hits"]) == 20 and first["has_next"] is True
    second = anon_client.get(URL, {"q": "heron", "page": 2}).json()
    assert second["page"] == 2 and second["has_next"] is False and len(second["hits"]) == 1
    assert not {h["post_id"] for h in first["hits"]} & {h["post_id"] for h in second["hits"]}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": '"unclosed phrase'}, "q", "A phrase is not closed"),
        ({"q": "-only"}, "q", "Add a word to look for"),
        ({"q": "   "}, "q", "Type at least one word"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"q": "drone", "members": "nobody_here"}, "members", "No member is called nobody_here"),
        ({"q": "drone", "site": "http://"}, "site", "site's address"),
        ({"q": "drone", "since": "2025-02-01", "until": "2025-01-01"}, "until", "before the start"),
        ({"q": "drone", "forum_id": 1, "category_id": 1}, "forum_id", "not both"),
    ],
)
def test_bad_input_is_a_clear_400_in_the_error_shape(
    anon_client: Client, written: Any, params: dict, field: str, message: str
) -> None:
    response = anon_client.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["message"]
    assert field in error["fields"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "drone", "page": 0}, "page"),
        ({"q": "drone", "page": 51}, "page"),
        ({"q": "drone", "min_reactions": 10_001}, "min_reactions"),
        ({"q": "drone", "since": "yesterday"}, "since"),
        ({"q": "drone", "sort": "random"}, "sort"),
        ({"q": "drone", "forum_id": "²"}, "forum_id"),
    ],
)
def test_malformed_parameters_are_422_naming_the_field(
    anon_client: Client, params: dict, field: str
) -> None:
    response = anon_client.get(URL, params)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


@override_settings(PARLEY_RATE_LIMITS={"search": (3, 60)})
def test_the_search_limit_is_shared_with_the_page_per_address(
    anon_client: Client, written: Any
) -> None:
    assert anon_client.get("/search/", {"q": "drone"}).status_code == 200
    assert anon_client.get(URL, {"q": "drone"}).status_code == 200
    assert anon_client.get(f"{URL}/members", {"q": "bo"}).status_code == 200
    response = anon_client.get(URL, {"q": "drone"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert "try again in 1 minute" in response.json()["error"]["message"]
    assert int(response["Retry-After"]) >= 1
    # Another address is not held up.
    assert anon_client.get(URL, {"q": "drone"}, REMOTE_ADDR="192.0.2.9").status_code == 200


@override_settings(PARLEY_RATE_LIMITS={"search": (1, 60)})
def test_bad_input_is_not_counted_against_the_limit(anon_client: Client, written: Any) -> None:
    assert anon_client.get(URL, {"q": '"unclosed'}).status_code == 400
    assert anon_client.get(URL, {"q": "drone"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "drone", "page": "99999999999"},
        {"q": "drone", "forum_id": "99999999999999999999999"},
        {"q": "drone", "category_id": 7},
        {"q": "drone", "since": "0000-00-00"},
        {"q": "drone", "min_reactions": "1e9"},
        {"q": "drone", "members": "," * 1000},
        {"q": "drone", "site": "http://[::1"},
        {"q": "\"'*-:()^{}"},
        {"q": "NEAR(drone ferry) OR title:x"},
    ],
)
def test_malformed_input_never_answers_500(anon_client: Client, written: Any, params: dict):
    response = anon_client.get(URL, params)
    assert response.status_code in (200, 400, 422)
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("params", [{"q": "drone\x00"}, {"q": "drone", "site": "exa\x00mple.com"}])
def test_a_nul_in_the_address_is_refused_before_the_search(
    anon_client: Client, written: Any, params: dict
) -> None:
    # The site's request guard (parley/core/failures.py) answers first, with its HTML page.
    assert anon_client.get(URL, params).status_code == 400


def test_members_are_found_by_name(anon_client: Client, other: Member, member: Member) -> None:
    MemberFactory(username="bobby", is_active=False)
    response = anon_client.get(f"{URL}/members", {"q": "BO"})
    assert response.status_code == 200
    assert response.json() == [{"id": other.pk, "username": "bob", "url": "/members/bob/"}]
    empty = anon_client.get(f"{URL}/members", {"q": "  "})
    assert empty.status_code == 400 and "q" in empty.json()["error"]["fields"]
    assert anon_client.get(f"{URL}/members").status_code == 422


def test_a_wrong_token_is_a_401_not_a_guest_search(written: Any) -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer parley_nonsense").get(URL, {"q": "drone"})
    assert response.status_code == 401


# permission version + shortlist + ids page + posts with threads, forums and authors
GUEST_QUERIES = 4
# token + permission version + shortlist + ids page + posts + own conversations
MEMBER_QUERIES = 6


def test_search_costs_exact_queries_however_many_hits(
    anon_client: Client,
    token_client: Any,
    forum: Forum,
    member: Member,
    django_assert_num_queries: Any,
) -> None:
    client = token_client(member, "read")
    thread = make_thread(forum, member, title="Drone news", body="drone")
    make_reply(thread, member, body="another drone")
    deliver_events()
    anon_client.get(URL, {"q": "drone"})  # the guests' permissions, cached
    client.get(URL, {"q": "drone"})
    for n in (2, 5):
        while Post.objects.filter(thread=thread).count() < n:
            make_reply(thread, member, body="more drone")
        deliver_events()
        with django_assert_num_queries(GUEST_QUERIES):
            assert len(anon_client.get(URL, {"q": "drone"}).json()["hits"]) == n
        with django_assert_num_queries(MEMBER_QUERIES):
            assert len(client.get(URL, {"q": "drone"}).json()["hits"]) == n
