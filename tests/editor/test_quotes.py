"""Multi-quote, server side: quotes built through the Guardian, in the reply's format."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

URL = "/editor/quotes/"


def ask(client: Client, quotes: object, fmt: str = "bbcode") -> object:
    return client.post(URL, {"quotes": json.dumps(quotes), "format": fmt})


def test_two_posts_are_quoted_in_the_order_collected(
    other_client: Client, thread: Thread, first_post: Post, other: Member
) -> None:
    reply = make_reply(thread, other, body="Second [i]view[/i]")
    data = ask(other_client, [{"post": reply.pk, "text": ""}, {"post": first_post.pk}]).json()
    assert data["quoted"] == [reply.pk, first_post.pk] and data["skipped"] == []
    assert data["text"] == (
        f'[quote="bob" post={reply.pk}]\nSecond [i]view[/i]\n[/quote]\n\n'
        f'[quote="alice" post={first_post.pk}]\n[b]Opening[/b] post\n[/quote]\n\n'
    )


def test_a_selected_part_quotes_just_that_part(
    other_client: Client, thread: Thread, other: Member
) -> None:
    reply = make_reply(thread, other, body="The talks stalled. Both sides blame the weather.")
    data = ask(other_client, [{"post": reply.pk, "text": "Both sides blame"}]).json()
    assert data["text"] == f'[quote="bob" post={reply.pk}]\nBoth sides blame\n[/quote]\n\n'


def test_a_part_that_is_not_in_the_post_quotes_the_whole_post(
    other_client: Client, first_post: Post
) -> None:
    data = ask(other_client, [{"post": first_post.pk, "text": "words alice never wrote"}]).json()
    assert "never wrote" not in data["text"] and "[b]Opening[/b] post" in data["text"]


def test_markdown_reply_quotes_a_bbcode_post_as_plain_text(
    other_client: Client, first_post: Post
) -> None:
    text = ask(other_client, [{"post": first_post.pk}], fmt="markdown").json()["text"]
    assert "Opening post" in text and "[b]" not in text.split("]\n", 1)[1]


def test_hidden_and_missing_posts_are_skipped(
    other_client: Client, first_post: Post, staff_forum: Forum, moderator: Member
) -> None:
    hidden = make_thread(staff_forum, moderator, body="secret words")
    data = ask(
        other_client,
        [{"post": hidden.first_post_id}, {"post": first_post.pk}, {"post": 987654}],
    ).json()
    assert "secret words" not in data["text"]
    assert data["quoted"] == [first_post.pk]
    assert data["skipped"] == [hidden.first_post_id, 987654]


def test_a_deleted_post_is_skipped(other_client: Client, thread: Thread, member: Member) -> None:
    gone = make_reply(thread, member, body="regretted")
    Post.objects.filter(pk=gone.pk).update(state="deleted")
    data = ask(other_client, [{"post": gone.pk}]).json()
    assert data["text"] == "" and data["skipped"] == [gone.pk]


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        "{}",
        '[{"post": "x"}]',
        '[{"post": -1}]',
        '[{"post": true}]',
        "[1]",
        '[{"post": 1, "text": 5}]',
        '[{"post": 99999999999999999999}]',
    ],
)
def test_a_damaged_list_is_refused_with_a_message(other_client: Client, raw: str) -> None:
    response = other_client.post(URL, {"quotes": raw, "format": "bbcode"})
    assert response.status_code == 400 and response.json()["error"]


def test_too_many_quotes_are_refused(other_client: Client, first_post: Post) -> None:
    response = ask(other_client, [{"post": first_post.pk}] * 31)
    assert response.status_code == 400 and "30" in response.json()["error"]


def test_guest_gets_403(anon_client: Client, first_post: Post) -> None:
    assert ask(anon_client, [{"post": first_post.pk}]).status_code == 403


def test_quotes_refuse_get(other_client: Client) -> None:
    assert other_client.get(URL).status_code == 405


def test_quote_query_count_does_not_grow_with_quotes(
    other_client: Client,
    thread: Thread,
    other: Member,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    posts = [make_reply(thread, other, body=f"reply {i}") for i in range(5)]
    ask(other_client, [{"post": posts[0].pk}])
    # session, member, permission version, the posts with authors, threads and forums
    with django_assert_num_queries(4):
        ask(other_client, [{"post": p.pk} for p in posts])
