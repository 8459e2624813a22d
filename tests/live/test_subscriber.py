"""What the outbox subscriber publishes for each change: ids and what changed, on the
thread's channel (and a note on the forum's); nothing for a post awaiting approval."""

from __future__ import annotations

import pytest

from parley.forums import services
from parley.forums.models import Post
from parley.live.models import LiveMessage
from tests.factories import make_reply, reaction

pytestmark = pytest.mark.usefixtures("table_transport")


def published(since: int = 0) -> list[tuple[str, str, dict]]:
    return [
        (m.channel, m.event, m.data)
        for m in LiveMessage.objects.filter(id__gt=since).order_by("id")
    ]


def head() -> int:
    return LiveMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_reply_is_published_to_its_thread_and_forum(
    django_capture_on_commit_callbacks, thread, other
) -> None:
    start = head()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_reply(thread, other)
    ids = {"post_id": post.pk, "thread_id": thread.pk}
    assert published(start) == [
        (f"thread:{thread.pk}", "post.created", ids),
        (f"forum:{thread.forum_id}", "thread.activity", ids),
    ]


def test_a_post_awaiting_approval_is_not_published_until_approved(
    django_capture_on_commit_callbacks, thread, other, moderator
) -> None:
    from parley.forums.moderation import approve_post

    other.needs_approval = True
    other.save()
    start = head()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply_to_thread(thread=thread, author=other, source="Wait", fmt="bbcode")
    assert post.state == "pending" and published(start) == []
    with django_capture_on_commit_callbacks(execute=True):
        approve_post(post=post, actor=moderator)
    assert [e for _, e, _ in published(start)] == ["post.created", "thread.activity"]


def test_edits_deletes_and_reactions_are_published_with_the_post_id(
    django_capture_on_commit_callbacks, thread, member, other, moderator
) -> None:
    post = make_reply(thread, other)
    start = head()
    with django_capture_on_commit_callbacks(execute=True):
        services.react_to_post(post=post, member=member, reaction_type=reaction("Like"))
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_reaction(post=post, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(
            post=Post.objects.get(pk=post.pk), editor=other, source="Changed", fmt="bbcode"
        )
    events = [m for m in published(start) if m[0].startswith("thread:")]  # not alert counts
    assert [e for _, e, _ in events] == ["reaction.set", "reaction.removed", "post.edited"]
    assert all(c == f"thread:{thread.pk}" and d["post_id"] == post.pk for c, _, d in events)


def test_an_event_naming_no_thread_publishes_nothing_and_is_done(
    db, django_capture_on_commit_callbacks
) -> None:
    from django.db import transaction

    from parley.events import kinds
    from parley.events.models import Delivery
    from parley.events.outbox import emit

    start = head()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit(kinds.POST_CREATED, post_id=1)
    assert published(start) == []
    assert set(Delivery.objects.filter(subscriber="live").values_list("status", flat=True)) == {
        "done"
    }
