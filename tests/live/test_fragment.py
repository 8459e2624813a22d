"""`/posts/<id>/fragment/`: one post as its thread page shows it to this reader, which live
updates fetch to add a new reply or refresh a changed one; a 404 for whoever may not see it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parley.forums import services
from parley.forums.models import Post
from tests.conftest import client_for
from tests.factories import MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def without_tokens(html: str) -> str:
    """CSRF tokens are masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def url(pk: int) -> str:
    return f"/posts/{pk}/fragment/"


def test_a_reader_gets_the_post_as_on_the_thread_page(member_client: Client, thread, other) -> None:
    reply = make_reply(thread, other, body="[b]Fresh[/b] reply")
    services.react_to_post(post=reply, member=thread.author, reaction_type=reaction("Like"))
    response = member_client.get(url(reply.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article class="post" id="post-{reply.pk}"')
    assert "<strong>Fresh</strong> reply" in body
    assert 'class="count">1</span>' in body  # the reaction count
    assert f'href="/posts/{reply.pk}/">#2</a>' in body  # its number in the thread
    assert "react-form" in body  # the reader may react to someone else's post
    # The thread page shows the very same markup for it.
    page = member_client.get(f"/threads/{thread.pk}/").content.decode()
    assert without_tokens(body.strip()) in without_tokens(page)


def test_a_guest_gets_it_without_member_actions(anon_client: Client, thread, other) -> None:
    reply = make_reply(thread, other)
    response = anon_client.get(url(reply.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "react-form" not in body and "csrfmiddlewaretoken" not in body


def test_a_post_in_a_hidden_forum_is_a_404(member_client: Client, staff_forum) -> None:
    hidden = make_thread(staff_forum, MemberFactory(is_staff=True))
    assert member_client.get(url(hidden.first_post_id)).status_code == 404
    assert Client().get(url(hidden.first_post_id)).status_code == 404
    staff = client_for(MemberFactory(is_staff=True))
    assert staff.get(url(hidden.first_post_id)).status_code == 200


def test_another_members_post_awaiting_approval_is_a_404(thread, other, member_client) -> None:
    other.needs_approval = True
    other.save()
    pending = services.reply_to_thread(thread=thread, author=other, source="Hold", fmt="bbcode")
    assert pending.state == "pending"
    assert member_client.get(url(pending.pk)).status_code == 404
    assert client_for(other).get(url(pending.pk)).status_code == 200  # its author sees it


def test_a_deleted_post_shows_its_placeholder(
    member_client: Client, thread, other, moderator
) -> None:
    from parley.forums.moderation import soft_delete_post

    reply = make_reply(thread, other, body="Regrettable")
    soft_delete_post(post=reply, actor=moderator, reason="off topic")
    body = member_client.get(url(reply.pk)).content.decode()
    assert "Deleted by a moderator: off topic" in body and "Regrettable" not in body


@pytest.mark.parametrize("pk", ["0", "424242", "99999999999999999999"])
def test_missing_or_impossible_ids_are_a_404(anon_client: Client, pk: str) -> None:
    assert anon_client.get(f"/posts/{pk}/fragment/").status_code == 404


def test_not_an_id_is_a_404(anon_client: Client) -> None:
    assert anon_client.get("/posts/abc/fragment/").status_code == 404


def test_writing_to_it_is_refused(member_client: Client, first_post: Post) -> None:
    assert member_client.post(url(first_post.pk)).status_code == 405


def test_queries_are_fixed(member_client: Client, thread, other) -> None:
    """session + user + permission version + post (with thread, forum, author) + reaction
    summary + own reactions + its number = 7, however many reactions and posts there are
    (the ladder and reaction types are the process's while the site is unchanged)."""
    reply = make_reply(thread, other)
    member_client.get(url(reply.pk))  # warms the permission cache
    with CaptureQueriesContext(connection) as ctx:
        assert member_client.get(url(reply.pk)).status_code == 200
    assert len(ctx.captured_queries) == 7
    for _ in range(5):
        make_reply(thread, MemberFactory())
    for name in ("Love", "Haha"):
        services.react_to_post(post=reply, member=MemberFactory(), reaction_type=reaction(name))
    with CaptureQueriesContext(connection) as ctx:
        member_client.get(url(reply.pk))
    assert len(ctx.captured_queries) == 7


def test_a_guest_costs_two_queries_less(anon_client: Client, thread, other) -> None:
    reply = make_reply(thread, other)
    anon_client.get(url(reply.pk))
    with CaptureQueriesContext(connection) as ctx:
        anon_client.get(url(reply.pk))
    # permission version + post + reaction summary + its number
    assert len(ctx.captured_queries) == 4
