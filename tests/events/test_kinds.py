"""Which events the services write: posts, mentions and quotes, reactions, moderation."""

from __future__ import annotations

from typing import Any

import pytest

from parley.events import kinds
from parley.events.models import Event
from parley.forums import moderation as forum_moderation
from parley.forums import services
from parley.forums.models import Forum, Post, Thread
from parley.members.models import Member
from parley.moderation import content, warnings
from parley.moderation.models import WarningType
from tests.factories import MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[tuple[Any, ...]]:
    return list(
        Event.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("actor_id", "post_id", "member_id", "payload")
    )


def test_a_reply_mentions_each_named_member_once_and_never_its_author(
    thread: Thread, member: Member, other: Member
) -> None:
    carol = MemberFactory(username="carol")
    post = make_reply(thread, other, body="@carol and @alice, also @Carol, and me @bob, @nobody")
    assert _events(kinds.MEMBER_MENTIONED) == [
        (other.pk, post.pk, member.pk, {"state": "visible"}),
        (other.pk, post.pk, carol.pk, {"state": "visible"}),
    ]


def test_quoting_tells_each_quoted_author_once_with_the_quoted_post(
    thread: Thread, first_post: Post, member: Member, other: Member
) -> None:
    own = make_reply(thread, other, body="my own point")
    body = (
        f'[quote="alice, post: {first_post.pk}"]First post[/quote] '
        f'[quote="bob, post: {own.pk}"]mine[/quote] agreed'
    )
    post = make_reply(thread, other, body=body)
    assert _events(kinds.POST_QUOTED) == [
        (other.pk, post.pk, member.pk, {"state": "visible", "quoted_post_id": first_post.pk})
    ]


def test_an_edit_announces_only_members_the_post_did_not_already_mention(
    thread: Thread, member: Member, other: Member
) -> None:
    carol = MemberFactory(username="carol")
    post = make_reply(thread, other, body="Hello @alice")
    services.edit_post(editor=other, post=post, source="Hello @alice and @carol", fmt="bbcode")
    assert [m for _, _, m, _ in _events(kinds.MEMBER_MENTIONED)] == [member.pk, carol.pk]
    edited = Event.objects.get(kind=kinds.POST_EDITED)
    assert (edited.actor_id, edited.post_id, edited.payload["revision"]) == (other.pk, post.pk, 2)


def test_a_new_thread_writes_post_created_for_its_first_post(forum: Forum, member: Member) -> None:
    thread = make_thread(forum, member)
    event = Event.objects.get(kind=kinds.POST_CREATED)
    assert (event.post_id, event.thread_id, event.forum_id) == (
        thread.first_post_id,
        thread.pk,
        forum.pk,
    )


def test_reactions_write_set_changed_and_removed_events_for_the_posts_author(
    first_post: Post, member: Member, other: Member
) -> None:
    like, thanks = reaction("Like"), reaction("Love")
    services.react_to_post(member=other, post=first_post, reaction_type=like)
    services.react_to_post(member=other, post=first_post, reaction_type=like)  # no change
    services.react_to_post(member=other, post=first_post, reaction_type=thanks)
    services.remove_reaction(member=other, post=first_post)
    assert _events(kinds.REACTION_SET) == [
        (other.pk, first_post.pk, member.pk, {"type_id": like.pk}),
        (other.pk, first_post.pk, member.pk, {"type_id": thanks.pk, "previous_type_id": like.pk}),
    ]
    assert _events(kinds.REACTION_REMOVED) == [
        (other.pk, first_post.pk, member.pk, {"type_id": thanks.pk})
    ]


def test_moderating_a_post_writes_the_content_event_and_a_moderation_action(
    thread: Thread, moderator: Member, other: Member
) -> None:
    post = make_reply(thread, other)
    content.delete_posts(actor=moderator, posts=[post], reason="spam")
    content.restore_posts(actor=moderator, posts=[Post.objects.get(pk=post.pk)])
    assert _events(kinds.POST_DELETED) == [(moderator.pk, post.pk, other.pk, {"reason": "spam"})]
    assert _events(kinds.POST_RESTORED) == [(moderator.pk, post.pk, other.pk, {})]
    actions = [e[3]["action"] for e in _events(kinds.MODERATION_ACTION)]
    assert actions == ["post.delete", "post.restore"]


def test_moving_a_thread_writes_post_moved_with_the_old_forum(
    thread: Thread, admin: Member
) -> None:
    target = Forum.objects.create(category=thread.forum.category, title="Elsewhere")
    old_forum = thread.forum_id
    forum_moderation.move_thread(actor=admin, thread=thread, forum=target)
    event = Event.objects.get(kind=kinds.POST_MOVED)
    assert (event.thread_id, event.forum_id, event.payload["from_forum_id"]) == (
        thread.pk,
        target.pk,
        old_forum,
    )


def test_warning_a_member_writes_member_warned(
    thread: Thread, moderator: Member, other: Member
) -> None:
    post = make_reply(thread, other)
    warnings.warn_member(
        actor=moderator, member=other, post=post, warning_type=WarningType.objects.first()
    )
    event = Event.objects.get(kind=kinds.MEMBER_WARNED)
    assert (event.actor_id, event.member_id, event.post_id) == (moderator.pk, other.pk, post.pk)
