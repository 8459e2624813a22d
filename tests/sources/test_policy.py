"""Per-forum policy per source, enforced by the posting services through one function, and
trusted sources that newcomers may link freely."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parley.forums import services as forum_services
from parley.forums.models import Forum, Post, State, Thread
from parley.members.models import Member
from parley.sources import services
from parley.sources.models import Source
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.sources.helpers import describe

pytestmark = pytest.mark.django_db

PRAVDA = "https://www.staterelay.test/world/2026/statement"


@pytest.fixture
def relay(admin: Member) -> Source:
    return describe(admin, "staterelay.test", name="State Relay", aliases=["relay-tv.test"])


def policy(admin: Member, forum: Forum, source: Source, action: str, reason: str = "") -> None:
    services.set_forum_policy(actor=admin, forum=forum, source=source, action=action, reason=reason)


def test_a_refused_source_refuses_the_new_thread_naming_policy_and_source(
    admin: Member, forum: Forum, member: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse", "We discuss reporting, not official statements.")
    threads, posts = Thread.objects.count(), Post.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_thread(forum, member, body=f"See this\n{PRAVDA}")
    message = refused.value.messages[0]
    assert "State Relay (staterelay.test)" in message and "refuse" in message
    assert "official statements" in message and "your text is kept" in message
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)


def test_a_refused_source_is_found_through_its_alias_and_subdomains(
    admin: Member, forum: Forum, thread: Thread, other: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse")
    for url in ("https://m.relay-tv.test/clip", "https://video.staterelay.test/x"):
        with pytest.raises(ValidationError, match="State Relay"):
            make_reply(thread, other, f"Look: {url}")


def test_approval_policy_sends_the_post_to_the_queue(
    admin: Member, forum: Forum, thread: Thread, other: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "approve")
    post = make_reply(thread, other, f"Their version: {PRAVDA}")
    assert post.state == State.PENDING
    thread.refresh_from_db()
    assert thread.reply_count == 0  # a held post moves no counter


def test_the_policy_holds_in_its_forum_only(
    admin: Member, forum: Forum, member: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse")
    elsewhere = make_thread(ForumFactory(title="Media watch"), member, body=PRAVDA)
    assert elsewhere.state == State.VISIBLE


def test_moderators_of_the_forum_are_neither_held_nor_refused(
    admin: Member, forum: Forum, moderator: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse")
    assert make_thread(forum, moderator, body=PRAVDA).state == State.VISIBLE


def test_allow_removes_the_policy(
    admin: Member, forum: Forum, member: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse")
    policy(admin, forum, relay, "allow")
    assert make_thread(forum, member, body=PRAVDA).state == State.VISIBLE


def test_an_edit_may_keep_a_link_but_not_add_one_to_a_refused_source(
    admin: Member, forum: Forum, member: Member, relay: Source
) -> None:
    thread = make_thread(forum, member, body=f"Before the policy: {PRAVDA}")
    post = Post.objects.get(pk=thread.first_post_id)
    policy(admin, forum, relay, "refuse")
    kept = forum_services.edit_post(
        editor=member, post=post, source=f"Typo fixed: {PRAVDA}", fmt="bbcode"
    )
    assert kept.revision == 2
    with pytest.raises(ValidationError, match="State Relay"):
        forum_services.edit_post(
            editor=member,
            post=kept,
            source=f"Typo fixed: {PRAVDA} and https://relay-tv.test/more",
            fmt="bbcode",
        )
    kept.refresh_from_db()
    assert kept.revision == 2 and "relay-tv" not in kept.source


def test_an_edit_cannot_add_a_link_whose_posts_wait_for_approval(
    admin: Member, forum: Forum, member: Member, first_post: Post, relay: Source
) -> None:
    policy(admin, forum, relay, "approve")
    with pytest.raises(ValidationError, match="new reply"):
        forum_services.edit_post(editor=member, post=first_post, source=PRAVDA, fmt="bbcode")


def test_the_reply_form_keeps_the_text_of_a_refused_post(
    admin: Member, forum: Forum, thread: Thread, relay: Source
) -> None:
    policy(admin, forum, relay, "refuse")
    client = client_for(MemberFactory(username="carol", message_count=10))
    body = f"My own long comment about it.\n{PRAVDA}"
    response = client.post(f"/threads/{thread.pk}/reply/", {"source": body, "format": "bbcode"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "My own long comment about it." in text and "State Relay" in text
    assert Post.objects.filter(thread=thread).count() == 1


def test_only_super_moderators_set_policies(
    forum: Forum, relay: Source, member: Member, moderator: Member
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        policy(member, forum, relay, "refuse")
    with pytest.raises(ValidationError, match="Choose"):
        policy(moderator, forum, relay, "explode")


# --- trusted sources and newcomers ----------------------------------------------------------


def five_links(domain: str) -> str:
    return "My first post: five reports of the same day.\n" + "\n".join(
        f"https://www.{domain}/world/story-{i}" for i in range(5)
    )


def test_a_newcomer_shares_five_trusted_source_links_in_a_first_post(
    admin: Member, forum: Forum, newcomer: Member
) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", trusted=True)
    thread = make_thread(forum, newcomer, body=five_links("wiredesk.test"))
    assert thread.state == State.VISIBLE


def test_five_links_to_an_untrusted_source_wait_for_approval(
    admin: Member, forum: Forum, newcomer: Member
) -> None:
    describe(admin, "wiredesk.test", name="Wire Desk", trusted=False)
    thread = make_thread(forum, newcomer, body=five_links("wiredesk.test"))
    assert thread.state == State.PENDING


def test_a_reply_held_by_the_policy_says_why_on_the_page(
    admin: Member, forum: Forum, thread: Thread, other: Member, relay: Source
) -> None:
    policy(admin, forum, relay, "approve", "We check official statements first.")
    response = client_for(other).post(
        f"/threads/{thread.pk}/reply/",
        {"source": f"Their version: {PRAVDA}", "format": "bbcode", "token": "a" * 32},
        follow=True,
    )
    html = response.content.decode()
    assert "awaiting approval" in html
    assert "posts that link State Relay (staterelay.test) wait for a moderator" in html
    assert "We check official statements first." in html


def test_a_reply_held_for_another_reason_gets_the_plain_notice(
    admin: Member, forum: Forum, thread: Thread, other: Member
) -> None:
    other.needs_approval = True
    other.save(update_fields=["needs_approval"])
    response = client_for(other).post(
        f"/threads/{thread.pk}/reply/",
        {"source": "Just words.", "format": "bbcode", "token": "b" * 32},
        follow=True,
    )
    html = response.content.decode()
    assert "awaiting approval" in html
    assert "wait for a moderator" not in html


def test_a_reply_held_by_the_policy_says_why_through_the_api(
    admin: Member, forum: Forum, thread: Thread, other: Member, relay: Source
) -> None:
    from django.test import Client

    from parley.api import tokens

    policy(admin, forum, relay, "approve")
    _token, secret = tokens.create_token(member=other, name="bot", scopes=["write"])
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"source": f"Their version: {PRAVDA}"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "pending"
    assert "posts that link State Relay (staterelay.test) wait for a moderator" in body["notice"]
