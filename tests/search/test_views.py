"""/search/: success, guest, hidden forum, deleted post, bad input, rate limit, exact
query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from parley.forums import moderation
from tests.conftest import client_for
from tests.factories import make_reply, make_thread
from tests.search.conftest import deliver_events

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def written(forum, member, other):
    thread = make_thread(forum, member, title="Drone strike on the ferry", body="First report")
    reply = make_reply(thread, other, body="The drone came from the <b>south</b>.")
    deliver_events()
    return thread, reply


def test_the_empty_page_shows_the_form_without_searching(anon_client: Client) -> None:
    response = anon_client.get(URL)
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b"search-results" not in response.content


def test_a_guest_finds_posts_with_highlighted_escaped_snippets(anon_client, written) -> None:
    _thread, reply = written
    response = anon_client.get(URL, {"q": "drone"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/posts/{reply.pk}/"' in html
    assert "The <mark>drone</mark> came from the &lt;b&gt;south&lt;/b&gt;." in html
    assert "<mark>Drone</mark> strike on the ferry" in html


def test_members_are_found_by_name_too(anon_client, written, other) -> None:
    response = anon_client.get(URL, {"q": "bo"})
    assert response.status_code == 200
    assert f'href="/members/{other.username}/"' in response.content.decode()


def test_a_hidden_forum_never_appears(member_client, staff_forum, moderator) -> None:
    make_thread(staff_forum, moderator, title="Quarry plans", body="the quarry")
    deliver_events()
    html = member_client.get(URL, {"q": "quarry"}).content.decode()
    assert "Quarry plans" not in html
    assert "Nothing found" in html
    moderator_html = client_for(moderator).get(URL, {"q": "quarry"}).content.decode()
    assert "<mark>Quarry</mark> plans" in moderator_html


def test_a_deleted_post_never_appears(anon_client, written, moderator) -> None:
    _thread, reply = written
    moderation.soft_delete_post(actor=moderator, post=reply)
    deliver_events()
    html = anon_client.get(URL, {"q": "south"}).content.decode()
    assert f"/posts/{reply.pk}/" not in html
    assert "Nothing found" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"unclosed phrase'}, "A phrase is not closed"),
        ({"q": "-only"}, "Add a word to look for"),
        ({"q": "drone", "since": "yesterday"}, "YYYY-MM-DD"),
        ({"q": "drone", "reactions": "²"}, "whole number"),
        ({"q": "drone", "by": "nobody_here"}, "No member is called nobody_here"),
        ({"q": "drone", "in": "forum-x"}, "Choose a forum"),
        ({"q": "drone", "site": "http://"}, "site&#x27;s address"),
        ({"q": "drone", "since": "2025-02-01", "until": "2025-01-01"}, "before the start"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_400(anon_client, params, message) -> None:
    response = anon_client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_filters_and_options_are_kept_in_the_form(anon_client, written, forum, other) -> None:
    params = {"q": "drone", "by": other.username.upper(), "in": f"forum-{forum.pk}", "sort": "date"}
    html = anon_client.get(URL, params | {"show": "threads", "titles": "1"}).content.decode()
    assert f'value="forum-{forum.pk}" selected' in html
    assert 'value="date" checked' in html
    assert 'name="titles" value="1" checked' in html
    # bob wrote the reply (not the title's post): "BOB" finds it, names match in any case.
    html = anon_client.get(URL, params).content.decode()
    assert "Nothing found" not in html


def test_post_is_not_allowed(anon_client) -> None:
    assert anon_client.post(URL, {"q": "drone"}).status_code == 405


@override_settings(PARLEY_RATE_LIMITS={"search": (2, 60)})
def test_searching_too_often_is_refused_with_a_429(anon_client, written) -> None:
    assert anon_client.get(URL, {"q": "drone"}).status_code == 200
    assert anon_client.get(URL, {"q": "drone"}).status_code == 200
    response = anon_client.get(URL, {"q": "drone"})
    assert response.status_code == 429
    assert "try again in 1 minute" in response.content.decode()


def test_next_page_link_keeps_the_query(anon_client, forum, member) -> None:
    thread = make_thread(forum, member, title="T", body="heron")
    for _ in range(20):
        make_reply(thread, member, body="heron again")
    deliver_events()
    html = anon_client.get(URL, {"q": "heron"}).content.decode()
    assert 'rel="next" href="?page=2&amp;q=heron"' in html
    assert anon_client.get(URL, {"q": "heron", "page": "2"}).status_code == 200


def test_query_count_for_a_guest(anon_client, written, django_assert_num_queries) -> None:
    anon_client.get(URL)  # the guests' permissions, cached for every later request
    # permission version + shortlist + ids page + posts with threads, forums and authors +
    # members + forums + categories (the "in" choices)
    with django_assert_num_queries(7):
        anon_client.get(URL, {"q": "drone"})


def test_query_count_for_a_member_does_not_grow_with_results(
    member_client, written, forum, member, django_assert_num_queries
) -> None:
    member_client.get(URL)  # the member's permissions, cached for every later request
    # session + user + permission version + shortlist + ids page + posts + members + own
    # conversations + forums + categories
    with django_assert_num_queries(10):
        member_client.get(URL, {"q": "drone"})
    thread = make_thread(forum, member, title="More drone news", body="drone drone")
    for _ in range(5):
        make_reply(thread, member, body="another drone")
    deliver_events()
    with django_assert_num_queries(10):
        member_client.get(URL, {"q": "drone"})
    # Grouped by thread: no shortlist.
    with django_assert_num_queries(9):
        member_client.get(URL, {"q": "drone", "show": "threads"})


@pytest.mark.parametrize(
    "params",
    [
        {"q": "drone\x00"},
        {"q": "x" * 5000},
        {"q": "drone", "page": "-1"},
        {"q": "drone", "page": "99999999999"},
        {"q": "drone", "in": "forum-99999999999999999999999"},
        {"q": "drone", "in": "category-7"},
        {"q": "drone", "since": "0000-00-00"},
        {"q": "drone", "reactions": "1e9"},
        {"q": "drone", "by": "," * 1000},
        {"q": "drone", "site": "http://[::1"},
        {"q": "\"'*-:()^{}"},
        {"q": "NEAR(drone ferry) OR title:x"},
        {"q": "drone", "by": "bob\x00"},
        {"q": "drone", "site": "exa\x00mple.com"},
    ],
)
def test_malformed_input_never_answers_500(anon_client, written, params) -> None:
    assert anon_client.get(URL, params).status_code in (200, 400)
