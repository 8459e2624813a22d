"""Auto-continuation: past its post limit a live thread closes and opens its next part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from parley.forums import services as forum_services
from parley.forums.models import Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent, TimelineEntry
from parley.members.models import Member
from parley.moderation.models import AuditEntry
from tests.factories import MemberFactory, make_reply

pytestmark = pytest.mark.django_db

LIMIT = 20


def _fill(thread: Thread, posts: int, committed: Callable[..., Any]) -> None:
    """Reply until the thread holds `posts` posts (first post included), each by someone
    new (slow mode), each with what follows its commit."""
    current = Thread.objects.get(pk=thread.pk).reply_count + 1
    for i in range(current, posts):
        committed(make_reply, thread, MemberFactory(), f"update {i}")


@pytest.fixture
def limited(thread: Thread, member: Member) -> LiveEvent:
    return services.mark_live_event(
        actor=member, thread=thread, post_limit=LIMIT, slow_mode_seconds=30
    )


def test_the_post_that_reaches_the_limit_closes_the_thread_and_opens_part_2(
    limited: LiveEvent, thread: Thread, member: Member, committed: Callable[..., Any]
) -> None:
    _fill(thread, LIMIT - 1, committed)
    assert not LiveEvent.objects.get(pk=limited.pk).next_thread_id
    _fill(thread, LIMIT, committed)
    live = LiveEvent.objects.get(pk=limited.pk)
    part2 = Thread.objects.get(pk=live.next_thread_id)
    assert part2.title == "Water talks stall (part 2)"
    assert part2.forum_id == thread.forum_id and part2.author == member
    assert Thread.objects.get(pk=thread.pk).is_locked
    nxt = LiveEvent.objects.get(thread=part2)
    assert nxt.previous_thread_id == thread.pk and nxt.part == 2
    assert nxt.slow_mode_seconds == 30 and nxt.post_limit == LIMIT
    opening = Post.objects.get(pk=part2.first_post_id)
    assert f'href="/threads/{thread.pk}/"' in opening.cooked_html
    log = AuditEntry.objects.get(action="thread.lock", target_id=thread.pk)
    assert log.actor is None and "continued in part 2" in log.reason


def test_the_timeline_is_carried_over_to_the_next_part(
    limited: LiveEvent, thread: Thread, member: Member, committed: Callable[..., Any]
) -> None:
    post = make_reply(thread, MemberFactory(), "Ceasefire announced")
    services.pin_post(actor=member, post=post, summary="Ceasefire announced")
    _fill(thread, LIMIT, committed)
    part2 = LiveEvent.objects.get(previous_thread=thread)
    carried = list(TimelineEntry.objects.filter(live_event=part2))
    assert [(e.post_id, e.summary) for e in carried] == [(post.pk, "Ceasefire announced")]


def test_continuing_again_returns_the_same_part(
    limited: LiveEvent, thread: Thread, committed: Callable[..., Any]
) -> None:
    _fill(thread, LIMIT, committed)
    first = LiveEvent.objects.get(pk=limited.pk).next_thread_id
    again = services.continue_live_event(thread_id=thread.pk)
    assert again is not None and again.pk == first
    assert Thread.objects.filter(title__endswith="(part 2)").count() == 1


def test_a_thread_below_its_limit_or_not_live_is_left_alone(
    thread: Thread, member: Member, committed: Callable[..., Any]
) -> None:
    _fill(thread, 5, committed)
    assert services.continue_live_event(thread_id=thread.pk) is None
    services.mark_live_event(actor=member, thread=thread, post_limit=LIMIT)
    assert services.continue_live_event(thread_id=thread.pk) is None
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_the_locked_first_part_takes_no_more_replies_from_members(
    limited: LiveEvent, thread: Thread, other: Member, committed: Callable[..., Any]
) -> None:
    _fill(thread, LIMIT, committed)
    closed = Thread.objects.select_related("forum").get(pk=thread.pk)
    with pytest.raises(PermissionDenied):
        make_reply(closed, other, "too late")
    # a reply that loaded the thread before it closed is refused inside the transaction
    with pytest.raises(forum_services.NotAccepted):
        make_reply(thread, other, "too late")


def test_part_3_is_named_from_the_original_title(
    thread: Thread, member: Member, committed: Callable[..., Any]
) -> None:
    services.mark_live_event(actor=member, thread=thread, post_limit=LIMIT)
    _fill(thread, LIMIT, committed)
    part2 = Thread.objects.get(pk=LiveEvent.objects.get(thread=thread).next_thread_id)
    _fill(part2, LIMIT, committed)
    part3 = Thread.objects.get(pk=LiveEvent.objects.get(thread=part2).next_thread_id)
    assert part3.title == "Water talks stall (part 3)"
    assert LiveEvent.objects.get(thread=part3).part == 3


def test_a_banned_starter_hands_part_2_to_whoever_marked_it(
    thread: Thread, member: Member, moderator: Member, committed: Callable[..., Any]
) -> None:
    services.mark_live_event(actor=moderator, thread=thread, post_limit=LIMIT)
    Member.objects.filter(pk=member.pk).update(is_banned=True)
    _fill(thread, LIMIT, committed)
    part2 = Thread.objects.get(pk=LiveEvent.objects.get(thread=thread).next_thread_id)
    assert part2.author == moderator


def test_part_titles_keep_within_the_title_limit() -> None:
    assert services.part_title("x" * 200, 2, 120) == "x" * 111 + " (part 2)"
    assert services.part_title("Floods (part 2)", 3, 120) == "Floods (part 3)"
