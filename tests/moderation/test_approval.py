"""The approval queue: which posts wait, who sees them while they wait, and approving them
publishes and counts them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from parley.forums.models import Approval, Forum, Post, State, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member
from tests.conftest import client_for
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread
from tests.modworld import make_forum_moderator

pytestmark = pytest.mark.django_db


def links(n: int) -> str:
    # Reserved names: recorded, never fetched.
    return " ".join(f"https://news{i}.example/story" for i in range(n))


@pytest.fixture
def approver(forum: Forum) -> Member:
    mod = MemberFactory(username="approver")
    make_forum_moderator(mod, forum, ["approve"])
    return mod


def _reply(client: Client, thread: Thread, text: str) -> Post:
    response = client.post(
        f"/threads/{thread.pk}/reply/", {"source": text, "format": "bbcode"}, follow=True
    )
    assert response.status_code == 200
    return Post.objects.get(source=text)


def test_forum_needing_approval_holds_a_reply_and_tells_the_author(
    forum: Forum, thread: Thread, other: Member, other_client: Client
) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    response = other_client.post(
        f"/threads/{thread.pk}/reply/", {"source": "held words", "format": "bbcode"}, follow=True
    )
    post = Post.objects.get(source="held words")
    assert post.state == State.PENDING
    body = response.content.decode()
    assert "awaiting approval" in body and "Awaiting approval" in body and "held words" in body
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    assert recount_all() == []


def test_others_get_404_on_a_pending_post_and_do_not_see_it(
    forum: Forum, thread: Thread, other_client: Client, member_client: Client, anon_client: Client
) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    post = _reply(other_client, thread, "held words")
    for client in (member_client, anon_client, client_for(MemberFactory())):
        assert client.get(f"/posts/{post.pk}/").status_code == 404
        assert "held words" not in client.get(f"/threads/{thread.pk}/").content.decode()


def test_approving_from_the_queue_publishes_and_counts(
    forum: Forum,
    thread: Thread,
    other: Member,
    other_client: Client,
    approver: Member,
    member_client: Client,
) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    post = _reply(other_client, thread, "held words")
    queue = client_for(approver).get("/moderation/").content.decode()
    assert "held words" in queue
    response = client_for(approver).post(f"/moderation/posts/{post.pk}/approve/")
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).state == State.VISIBLE
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    assert Member.objects.get(pk=other.pk).message_count == 1
    assert Forum.objects.get(pk=forum.pk).last_post_id == post.pk
    assert "held words" in member_client.get(f"/threads/{thread.pk}/").content.decode()
    assert "held words" not in client_for(approver).get("/moderation/").content.decode()
    assert recount_all() == []


def test_forum_needing_approval_for_threads_holds_threads_not_replies(
    forum: Forum, thread: Thread, other: Member
) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.THREADS)
    fresh = Forum.objects.get(pk=forum.pk)
    assert make_thread(fresh, other).state == State.PENDING
    assert (
        make_reply(Thread.objects.select_related("forum").get(pk=thread.pk), other).state
        == State.VISIBLE
    )
    assert Forum.objects.get(pk=forum.pk).thread_count == 1
    assert recount_all() == []


def test_member_needing_approval_waits_everywhere(forum: Forum, thread: Thread) -> None:
    elsewhere = ForumFactory()
    quiet = MemberFactory(needs_approval=True)
    assert make_reply(thread, quiet).state == State.PENDING
    assert make_thread(elsewhere, quiet).state == State.PENDING
    assert Member.objects.get(pk=quiet.pk).message_count == 0


def test_newcomer_with_too_many_links_waits(thread: Thread, newcomer: Member) -> None:
    limit = settings.PARLEY_NEWCOMER_MAX_LINKS
    assert make_reply(thread, newcomer, links(limit)).state == State.VISIBLE
    assert make_reply(thread, newcomer, links(limit + 1)).state == State.PENDING


def test_links_do_not_hold_a_member_past_the_newcomer_posts(
    thread: Thread, newcomer: Member
) -> None:
    for i in range(settings.PARLEY_NEWCOMER_POSTS):
        make_reply(thread, newcomer, f"post {i}")
    seasoned = Member.objects.get(pk=newcomer.pk)
    assert (
        make_reply(thread, seasoned, links(settings.PARLEY_NEWCOMER_MAX_LINKS + 3)).state
        == State.VISIBLE
    )


def test_moderators_never_wait(forum: Forum, thread: Thread, approver: Member) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    Member.objects.filter(pk=approver.pk).update(needs_approval=True)
    mod = Member.objects.get(pk=approver.pk)
    assert (
        make_reply(Thread.objects.select_related("forum").get(pk=thread.pk), mod).state
        == State.VISIBLE
    )


def test_pending_thread_is_404_to_others_and_visible_to_its_author(
    forum: Forum, other: Member
) -> None:
    Forum.objects.filter(pk=forum.pk).update(approval=Approval.ALL)
    thread = make_thread(Forum.objects.get(pk=forum.pk), other, title="Held thread")
    assert client_for(MemberFactory()).get(f"/threads/{thread.pk}/").status_code == 404
    own = client_for(other).get(f"/threads/{thread.pk}/")
    assert own.status_code == 200 and "Awaiting approval" in own.content.decode()
    forum_page = client_for(MemberFactory()).get(f"/forums/{forum.pk}/").content.decode()
    assert "Held thread" not in forum_page
