"""Service tests: every branch of start/reply/edit/react, and the counters they move."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from parley.forums import services
from parley.forums.models import Forum, Post, PostRevision, Reaction, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread, reaction

pytestmark = pytest.mark.django_db


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_start_thread_sets_every_counter(forum: Forum, member: Member) -> None:
    thread = make_thread(forum, member, title="  Water   talks ", body="[b]Hello[/b]")
    assert thread.title == "Water talks"
    post = Post.objects.get(thread=thread)
    assert "<strong>Hello</strong>" in post.cooked_html
    assert post.plain_text.strip() == "Hello"
    assert thread.first_post_id == post.pk == thread.last_post_id
    assert thread.reply_count == 0
    forum = fresh(forum)
    assert (forum.thread_count, forum.post_count, forum.last_post_id) == (1, 1, post.pk)
    assert fresh(member).message_count == 1
    assert recount_all() == []


def test_reply_moves_thread_forum_and_member_counters(thread: Thread, other: Member) -> None:
    reply = make_reply(thread, other, "Second")
    thread = fresh(thread)
    assert thread.reply_count == 1
    assert thread.last_post_id == reply.pk
    assert thread.last_post_at == reply.created_at
    assert fresh(thread.forum).post_count == 2
    assert fresh(other).message_count == 1
    assert recount_all() == []


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("", "text", "empty_title"),
        ("x" * 151, "text", "long_title"),
        ("Title", "   \n ", "empty_post"),
        ("Title", "y" * 50_001, "long_post"),
    ],
)
def test_start_thread_refuses_bad_input_and_changes_nothing(
    forum: Forum, member: Member, title: str, body: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.start_thread(author=member, forum=forum, title=title, source=body, fmt="bbcode")
    assert info.value.code == code
    assert Thread.objects.count() == 0
    assert fresh(member).message_count == 0


def test_unknown_format_is_refused(forum: Forum, member: Member) -> None:
    with pytest.raises(ValidationError):
        services.start_thread(author=member, forum=forum, title="T", source="x", fmt="html")


def test_banned_member_cannot_post(forum: Forum, banned: Member, thread: Thread) -> None:
    with pytest.raises(PermissionDenied):
        make_thread(forum, banned)
    with pytest.raises(PermissionDenied):
        make_reply(thread, banned)


def test_hidden_forum_is_404_for_members(
    staff_forum: Forum, member: Member, moderator: Member
) -> None:
    with pytest.raises(Http404):
        make_thread(staff_forum, member)
    assert make_thread(staff_forum, moderator).pk


def test_locked_thread_takes_replies_from_staff_only(
    thread: Thread, other: Member, moderator: Member
) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread = fresh(thread)
    with pytest.raises(PermissionDenied):
        make_reply(thread, other)
    assert make_reply(thread, moderator).pk


def test_same_idempotency_key_creates_one_post(thread: Thread, other: Member) -> None:
    first = services.reply_to_thread(
        author=other, thread=thread, source="once", fmt="bbcode", idempotency_key="a" * 32
    )
    again = services.reply_to_thread(
        author=other, thread=thread, source="once", fmt="bbcode", idempotency_key="a" * 32
    )
    assert first.pk == again.pk
    assert fresh(thread).reply_count == 1
    assert fresh(other).message_count == 1


def test_same_key_for_a_new_thread_returns_that_thread(forum: Forum, member: Member) -> None:
    kwargs = dict(
        author=member, forum=forum, title="T", source="x", fmt="bbcode", idempotency_key="b" * 32
    )
    assert services.start_thread(**kwargs).pk == services.start_thread(**kwargs).pk
    assert fresh(forum).thread_count == 1


def test_idempotency_keys_are_per_author(thread: Thread, other: Member, newcomer: Member) -> None:
    services.reply_to_thread(
        author=other, thread=thread, source="x", fmt="bbcode", idempotency_key="c" * 32
    )
    services.reply_to_thread(
        author=newcomer, thread=thread, source="x", fmt="bbcode", idempotency_key="c" * 32
    )
    assert fresh(thread).reply_count == 2


def test_edit_keeps_the_old_version(first_post: Post, member: Member) -> None:
    edited = services.edit_post(editor=member, post=first_post, source="[i]New[/i]", fmt="bbcode")
    assert "<em>New</em>" in edited.cooked_html
    assert edited.revision == 2 and edited.edited_at is not None
    old = PostRevision.objects.get(post=first_post)
    assert old.number == 1 and old.source == "[b]Opening[/b] post" and "<strong>" in old.cooked_html


def test_edit_with_same_text_adds_no_revision(first_post: Post, member: Member) -> None:
    services.edit_post(editor=member, post=first_post, source=first_post.source, fmt="bbcode")
    assert PostRevision.objects.count() == 0


def test_edit_by_someone_else_is_refused(first_post: Post, other: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.edit_post(editor=other, post=first_post, source="mine now", fmt="bbcode")
    assert fresh(first_post).source == "[b]Opening[/b] post"


def test_staff_may_edit_any_post(first_post: Post, moderator: Member) -> None:
    services.edit_post(editor=moderator, post=first_post, source="fixed", fmt="markdown")
    assert PostRevision.objects.get().editor == moderator


def test_edit_conflict_is_detected(first_post: Post, member: Member) -> None:
    services.edit_post(editor=member, post=first_post, source="one", fmt="bbcode", base_revision=1)
    with pytest.raises(services.EditConflict):
        services.edit_post(
            editor=member, post=first_post, source="two", fmt="bbcode", base_revision=1
        )
    assert fresh(first_post).source == "one"


def test_react_change_and_remove_move_scores(
    first_post: Post, member: Member, other: Member
) -> None:
    services.react_to_post(member=other, post=first_post, reaction_type=reaction("Like"))
    assert fresh(member).reaction_score == 1
    services.react_to_post(member=other, post=first_post, reaction_type=reaction("Dislike"))
    assert fresh(member).reaction_score == -1
    assert Reaction.objects.count() == 1
    services.react_to_post(member=other, post=first_post, reaction_type=reaction("Dislike"))
    assert fresh(member).reaction_score == -1
    assert services.remove_reaction(member=other, post=first_post) is True
    assert fresh(member).reaction_score == 0
    assert services.remove_reaction(member=other, post=first_post) is False
    assert recount_all() == []


def test_zero_score_reaction_counts_but_does_not_score(
    first_post: Post, member: Member, other: Member
) -> None:
    services.react_to_post(member=other, post=first_post, reaction_type=reaction("Sad"))
    assert Reaction.objects.count() == 1
    assert fresh(member).reaction_score == 0


def test_cannot_react_to_own_post(first_post: Post, member: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.react_to_post(member=member, post=first_post, reaction_type=reaction("Like"))
    assert Reaction.objects.count() == 0


def test_inactive_reaction_is_refused(first_post: Post, other: Member) -> None:
    like = reaction("Like")
    like.is_active = False
    like.save()
    with pytest.raises(ValueError):
        services.react_to_post(member=other, post=first_post, reaction_type=like)


def test_recount_repairs_and_reports_damaged_counters(
    thread: Thread, other: Member, member: Member
) -> None:
    make_reply(thread, other)
    Member.objects.filter(pk=member.pk).update(message_count=99, reaction_score=-4)
    Thread.objects.filter(pk=thread.pk).update(reply_count=7)
    Forum.objects.filter(pk=thread.forum_id).update(post_count=0, thread_count=3)
    fixed = {(c.model, c.field) for c in recount_all()}
    assert fixed == {
        ("Member", "message_count"),
        ("Member", "reaction_score"),
        ("Thread", "reply_count"),
        ("Forum", "post_count"),
        ("Forum", "thread_count"),
    }
    assert fresh(member).message_count == 1
    assert recount_all() == []


def test_mentions_link_to_existing_members_only(
    forum: Forum, member: Member, other: Member
) -> None:
    thread = make_thread(forum, member, body="Hello @bob and @nobody")
    html = Post.objects.get(pk=thread.first_post_id).cooked_html
    assert 'href="/members/bob/"' in html
    assert "@nobody" in html and "/members/nobody/" not in html


def test_two_forums_keep_separate_counts(member: Member) -> None:
    a, b = ForumFactory(), ForumFactory()
    make_thread(a, member)
    make_thread(a, member)
    make_thread(b, MemberFactory())
    assert (fresh(a).thread_count, fresh(b).thread_count) == (2, 1)
