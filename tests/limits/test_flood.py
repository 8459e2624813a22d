"""Flood control on replies, new threads and reactions, through the real views: the write
after the limit is refused with status 429 and a clear message, the typed text is kept in
the editor, and no row beyond the limit is written. Staff are not counted."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parley.core import ratelimit
from parley.forums.models import Forum, Post, Reaction, Thread
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import make_reply, reaction

pytestmark = pytest.mark.django_db

FLOOD = re.compile(r"You are (posting|starting threads|reacting) too fast; wait \d+ minutes?")


def reply(client: Client, thread: Thread, text: str):
    return client.post(f"/threads/{thread.pk}/reply/", {"source": text, "format": "bbcode"})


def test_reply_burst_refuses_after_the_limit_and_keeps_the_text(
    any_cache: str, thread: Thread, other: Member
) -> None:
    limit, _ = ratelimit.limit_of("post")
    client = client_for(other)
    codes = [reply(client, thread, f"Reply number {i}").status_code for i in range(limit)]
    assert codes == [302] * limit
    refused = reply(client, thread, "One more [b]thought[/b] I typed with care")
    body = refused.content.decode()
    assert refused.status_code == 429
    assert FLOOD.search(body) and "Your text is kept below." in body
    assert "One more [b]thought[/b] I typed with care</textarea>" in body
    assert Post.objects.filter(thread=thread, author=other).count() == limit


def test_thread_burst_refuses_after_the_limit(any_cache: str, forum: Forum, other: Member) -> None:
    limit, _ = ratelimit.limit_of("thread")
    client = client_for(other)

    def start(i: int):
        return client.post(
            f"/forums/{forum.pk}/new/",
            {"title": f"Topic {i}", "source": f"Opening {i}", "format": "bbcode"},
        )

    assert [start(i).status_code for i in range(limit)] == [302] * limit
    refused = start(99)
    body = refused.content.decode()
    assert refused.status_code == 429 and FLOOD.search(body)
    assert 'value="Topic 99"' in body and "Opening 99</textarea>" in body
    assert Thread.objects.filter(author=other).count() == limit


def test_reaction_burst_refuses_after_the_limit(
    thread: Thread, member: Member, other: Member
) -> None:
    limit, _ = ratelimit.limit_of("reaction")
    posts = [make_reply(thread, member, f"Post {i}") for i in range(limit + 1)]
    like = reaction("Like")
    client = client_for(other)
    codes = [client.post(f"/posts/{p.pk}/react/", {"type": like.pk}).status_code for p in posts]
    assert codes == [302] * limit + [429]
    refused = client.post(f"/posts/{posts[-1].pk}/react/", {"type": like.pk})
    assert refused.status_code == 429 and FLOOD.search(refused.content.decode())
    assert Reaction.objects.filter(member=other).count() == limit


def test_staff_are_not_flood_limited(thread: Thread, moderator: Member) -> None:
    limit, _ = ratelimit.limit_of("post")
    client = client_for(moderator)
    codes = [reply(client, thread, f"Moderator note {i}").status_code for i in range(limit + 3)]
    assert codes == [302] * (limit + 3)
    assert Post.objects.filter(author=moderator).count() == limit + 3


def test_one_members_flood_does_not_limit_another(
    thread: Thread, other: Member, newcomer: Member
) -> None:
    limit, _ = ratelimit.limit_of("post")
    flooder = client_for(other)
    for i in range(limit + 1):
        reply(flooder, thread, f"Spam {i}")
    assert reply(client_for(newcomer), thread, "My first reply").status_code == 302


def test_reply_flood_limit_on_redis_counts_two_sessions_of_one_member(
    redis_cache: None, thread: Thread, other: Member
) -> None:
    """Two signed-in browsers of one member share the member's count (kept in Redis; the
    two-app-server case is test_ratelimit's two Redis clients)."""
    limit, _ = ratelimit.limit_of("post")
    first, second = client_for(other), client_for(other)
    codes = [reply((first, second)[i % 2], thread, f"R{i}").status_code for i in range(limit + 2)]
    assert codes == [302] * limit + [429, 429]
    assert Post.objects.filter(author=other).count() == limit
