"""Search by link through the API: the threads that shared an article, found by its
canonical address as the /links/search/ page finds them, filtered by what the reader sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parley.forums.models import Forum
from parley.members.models import Member
from tests.factories import ForumFactory
from tests.links.test_views import ARTICLE, linked_thread

pytestmark = pytest.mark.django_db

URL = "/api/v1/links"


def test_search_by_link_finds_every_spelling_of_the_article(
    anon_client: Client, forum: Forum, member: Member, other: Member
) -> None:
    first = linked_thread(forum, member, title="First take")
    second = linked_thread(
        forum,
        other,
        url="http://m.harbourtimes.test/world/2026/insurers-turn-ships-away?utm_medium=social",
        title="Second take",
    )
    linked_thread(forum, member, url="https://elsewhere.test/other-story", title="Unrelated")
    body = anon_client.get(
        URL, {"url": "https://harbourtimes.test/world/2026/insurers-turn-ships-away/"}
    ).json()
    assert [t["thread_id"] for t in body["threads"]] == [first.pk, second.pk]
    one = body["threads"][0]
    assert one["title"] == "First take" and one["url"] == f"/threads/{first.pk}/"
    assert one["forum_id"] == forum.pk and one["forum_title"] == forum.title
    assert one["first_shared_by"] == member.username and one["shared_as"] == ARTICLE
    assert body["threads"][1]["first_shared_by"] == other.username


def test_search_by_link_hides_what_the_reader_may_not_see(
    anon_client: Client, token_client: Any, moderator: Member, other: Member
) -> None:
    hidden = linked_thread(ForumFactory(visibility="staff"), moderator, title="Staff notes")
    for client in (anon_client, token_client(other, "read")):
        assert client.get(URL, {"url": ARTICLE}).json()["threads"] == []
    staff = token_client(moderator, "read").get(URL, {"url": ARTICLE}).json()
    assert [t["thread_id"] for t in staff["threads"]] == [hidden.pk]


def test_an_article_nobody_shared_finds_nothing(anon_client: Client) -> None:
    body = anon_client.get(URL, {"url": "https://nobody.test/story"}).json()
    assert body == {"url": "https://nobody.test/story", "threads": []}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.test/a", "not a url", "   "])
def test_what_is_not_a_web_address_is_a_400(anon_client: Client, url: str) -> None:
    response = anon_client.get(URL, {"url": url})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "not a web address Parley can look up" in error["message"]
    assert "url" in error["fields"]


def test_a_missing_or_too_long_address_is_a_422(anon_client: Client) -> None:
    for params in ({}, {"url": ""}, {"url": "https://x.test/" + "a" * 1200}):
        response = anon_client.get(URL, params)
        assert response.status_code == 422, params
        assert "url" in response.json()["error"]["fields"]


@pytest.mark.parametrize("count", [2, 5])
def test_search_by_link_costs_the_same_queries_for_2_or_5_threads(
    token_client: Any,
    forum: Forum,
    member: Member,
    other: Member,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(count):
        linked_thread(forum, member, title=f"Take {i}")
    client = token_client(other, "read")
    client.get(URL, {"url": ARTICLE})  # warms the permission set
    # the token, the permissions version, the linked pages, the links with their posts
    with django_assert_num_queries(4):
        body = client.get(URL, {"url": ARTICLE}).json()
    assert len(body["threads"]) == count
