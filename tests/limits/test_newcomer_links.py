"""Newcomers' links: in their first posts a member may include only a few links, links to
trusted news sources not counted. Over the limit the post is refused, the text kept."""

from __future__ import annotations

import pytest
from django.db.models import F

from parley.formatting import LinkRef
from parley.forums.models import Forum, Post, Thread
from parley.forums.newcomers import is_trusted_source, newcomer_link_verdict
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def links(*urls: str) -> list[LinkRef]:
    return [LinkRef(url=u) for u in urls]


def spam(n: int) -> str:
    return "\n".join(f"https://pills{i}.example.net/buy" for i in range(n))


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("https://www.bbc.co.uk/news/world-1", True),
        ("https://bbc.co.uk/news", True),
        ("https://notbbc.co.uk/news", False),
        ("https://bbc.co.uk.evil.example/news", False),
        ("https://REUTERS.com./world", True),
        ("http://[::1/", False),
    ],
)
def test_trusted_sources_match_the_domain_and_its_subdomains(url: str, trusted: bool) -> None:
    assert is_trusted_source(url) is trusted


def test_verdict_counts_distinct_untrusted_links_of_newcomers_only(newcomer: Member) -> None:
    assert (
        newcomer_link_verdict(newcomer, links("https://a.example/", "https://b.example/")) == "ok"
    )
    three = links("https://a.example/", "https://b.example/", "https://c.example/")
    assert newcomer_link_verdict(newcomer, three) == "too_many"
    repeated = links("https://a.example/", "https://a.example/", "https://a.example/")
    assert newcomer_link_verdict(newcomer, repeated) == "ok"
    trusted = links("https://a.example/", "https://b.example/", "https://www.bbc.co.uk/x")
    assert newcomer_link_verdict(newcomer, trusted) == "ok"
    Member.objects.filter(pk=newcomer.pk).update(message_count=3)
    newcomer.refresh_from_db()
    assert newcomer_link_verdict(newcomer, three) == "ok"


def test_newcomer_thread_with_too_many_links_waits_for_approval_unseen_by_others(
    forum: Forum, newcomer: Member
) -> None:
    body = "Look at these\n" + spam(3)
    response = client_for(newcomer).post(
        f"/forums/{forum.pk}/new/", {"title": "Deals", "source": body, "format": "bbcode"}
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.state == "pending" and Post.objects.get().state == "pending"
    own_view = client_for(newcomer).get(f"/threads/{thread.pk}/").content.decode()
    assert "Awaiting approval" in own_view
    assert client_for(None).get(f"/threads/{thread.pk}/").status_code == 404
    assert Forum.objects.get(pk=forum.pk).thread_count == 0


def test_newcomer_reply_with_two_links_plus_trusted_sources_is_posted(
    thread: Thread, newcomer: Member
) -> None:
    body = spam(2) + "\nhttps://www.reuters.com/world/a\nhttps://apnews.com/article/b"
    response = client_for(newcomer).post(
        f"/threads/{thread.pk}/reply/", {"source": body, "format": "bbcode"}
    )
    assert response.status_code == 302
    assert Post.objects.filter(author=newcomer).count() == 1


def test_after_the_first_posts_the_link_limit_is_lifted(thread: Thread, newcomer: Member) -> None:
    Member.objects.filter(pk=newcomer.pk).update(message_count=F("message_count") + 3)
    response = client_for(newcomer).post(
        f"/threads/{thread.pk}/reply/", {"source": spam(6), "format": "bbcode"}
    )
    assert response.status_code == 302


def test_staff_newcomers_are_not_limited(thread: Thread) -> None:
    staff = MemberFactory(username="newmod", is_staff=True)
    response = client_for(staff).post(
        f"/threads/{thread.pk}/reply/", {"source": spam(6), "format": "bbcode"}
    )
    assert response.status_code == 302


def test_a_newcomer_cannot_edit_links_into_a_post(thread: Thread, newcomer: Member) -> None:
    client = client_for(newcomer)
    client.post(f"/threads/{thread.pk}/reply/", {"source": "Plain words", "format": "bbcode"})
    post = Post.objects.get(author=newcomer)
    response = client.post(
        f"/posts/{post.pk}/edit/", {"source": spam(5), "format": "bbcode", "revision": 1}
    )
    assert response.status_code == 400 and "new members may include" in response.content.decode()
    post.refresh_from_db()
    assert post.source == "Plain words"
