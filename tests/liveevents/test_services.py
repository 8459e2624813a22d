"""Marking, the timeline and slow mode, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from parley.events.models import Event
from parley.forums import moderation as forum_moderation
from parley.forums import services as forum_services
from parley.forums.models import Forum, Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent, TimelineEntry
from parley.liveevents.queries import timeline
from parley.members.models import Member
from parley.permissions.guardian import Guardian
from tests.factories import MemberFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_starter_marks_their_thread_live_with_the_default_limit(
    thread: Thread, member: Member, settings: object
) -> None:
    live = services.mark_live_event(actor=member, thread=thread)
    assert live.is_active and live.post_limit == 1000 and live.slow_mode_seconds == 0
    assert Event.objects.filter(kind="live_event.changed", thread_id=thread.pk).exists()


def test_moderator_marks_someone_elses_thread(thread: Thread, moderator: Member) -> None:
    live = services.mark_live_event(actor=moderator, thread=thread, slow_mode_seconds=60)
    assert live.slow_mode_seconds == 60 and live.marked_by == moderator


def test_another_member_may_not_mark_a_thread(thread: Thread, other: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.mark_live_event(actor=other, thread=thread)
    assert not LiveEvent.objects.exists()


def test_starter_may_not_mark_a_locked_thread_but_a_moderator_may(
    thread: Thread, member: Member, moderator: Member
) -> None:
    forum_moderation.set_thread_flags(actor=moderator, thread=thread, locked=True)
    with pytest.raises(PermissionDenied):
        services.mark_live_event(actor=member, thread=thread)
    assert services.mark_live_event(actor=moderator, thread=thread).is_active


def test_a_thread_in_a_hidden_forum_is_404_to_who_cannot_see_it(
    staff_forum: Forum, moderator: Member, member: Member
) -> None:
    hidden = make_thread(staff_forum, moderator)
    with pytest.raises(Http404):
        services.mark_live_event(actor=member, thread=hidden)


def test_bad_slow_mode_or_limit_changes_nothing(thread: Thread, member: Member) -> None:
    with pytest.raises(ValidationError, match="slow-mode"):
        services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=36000)
    with pytest.raises(ValidationError, match="between 20 and"):
        services.mark_live_event(actor=member, thread=thread, post_limit=3)
    assert not LiveEvent.objects.exists()


def test_unmarking_hides_the_timeline_and_marking_again_brings_it_back(
    live: LiveEvent, entry: TimelineEntry, thread: Thread, member: Member
) -> None:
    services.unmark_live_event(actor=member, thread=thread)
    assert not LiveEvent.objects.get(pk=live.pk).is_active
    again = services.mark_live_event(actor=member, thread=thread)
    assert again.pk == live.pk and list(again.entries.all()) == [entry]


def test_pinning_uses_the_posts_time_unless_given(
    live: LiveEvent, update: Post, member: Member
) -> None:
    entry = services.pin_post(actor=member, post=update, summary="  Talks\nresume  ")
    assert entry.summary == "Talks resume" and entry.happened_at == update.created_at
    when = timezone.now() - timedelta(hours=3)
    other_post = make_reply(update.thread, MemberFactory())
    later = services.pin_post(actor=member, post=other_post, summary="Shelling", happened_at=when)
    assert later.happened_at == when


def test_pinning_twice_or_with_no_summary_is_refused(
    entry: TimelineEntry, update: Post, member: Member
) -> None:
    with pytest.raises(ValidationError, match="already on the timeline"):
        services.pin_post(actor=member, post=update, summary="Again")
    with pytest.raises(ValidationError, match="one-line summary"):
        services.pin_post(actor=member, post=make_reply(update.thread, member), summary=" ")
    with pytest.raises(ValidationError, match="140 characters"):
        services.pin_post(actor=member, post=make_reply(update.thread, member), summary="x" * 141)
    assert TimelineEntry.objects.count() == 1


def test_pinning_in_a_thread_that_is_not_live_is_refused(
    thread: Thread, update: Post, member: Member
) -> None:
    with pytest.raises(ValidationError, match="not a live event"):
        services.pin_post(actor=member, post=update, summary="Nope")


def test_a_reader_may_not_pin(live: LiveEvent, update: Post, other: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.pin_post(actor=other, post=update, summary="Mine")


def test_edit_and_unpin_an_entry(entry: TimelineEntry, member: Member) -> None:
    when = timezone.now() - timedelta(minutes=5)
    services.edit_timeline_entry(
        actor=member, entry=entry, summary="Talks resume", happened_at=when
    )
    stored = TimelineEntry.objects.get(pk=entry.pk)
    assert stored.summary == "Talks resume" and stored.happened_at == when
    services.unpin_timeline_entry(actor=member, entry=entry)
    assert not TimelineEntry.objects.exists()
    assert Post.objects.filter(pk=entry.post_id).exists()


def test_timeline_leaves_out_posts_the_reader_may_not_read(
    live: LiveEvent, entry: TimelineEntry, update: Post, moderator: Member, other: Member
) -> None:
    assert timeline(live, Guardian(other)) == [entry]
    forum_moderation.soft_delete_post(actor=moderator, post=update, reason="wrong")
    assert timeline(live, Guardian(other)) == []
    assert timeline(live, Guardian(None)) == []
    # the moderator who may read deleted posts still sees the entry
    assert timeline(live, Guardian(moderator)) == [entry]


def test_timeline_is_in_order_of_when_things_happened(
    live: LiveEvent, thread: Thread, member: Member
) -> None:
    now = timezone.now()
    late = services.pin_post(
        actor=member, post=make_reply(thread, member), summary="b", happened_at=now
    )
    early = services.pin_post(
        actor=member,
        post=make_reply(thread, member),
        summary="a",
        happened_at=now - timedelta(hours=1),
    )
    assert timeline(live, Guardian(member)) == [early, late]


# --- slow mode ---


def _reply(thread: Thread, author: Member, at: object = None, text: str = "news") -> Post:
    return forum_services.reply_to_thread(
        author=author,
        thread=thread,
        source=text,
        fmt="bbcode",
        at=at,  # type: ignore[arg-type]
    )


def test_slow_mode_refuses_a_second_post_too_soon_and_says_how_long_to_wait(
    thread: Thread, member: Member, other: Member
) -> None:
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=120)
    start = timezone.now()
    _reply(thread, other, at=start)
    with pytest.raises(ValidationError) as refused:
        _reply(thread, other, at=start + timedelta(seconds=30), text="again")
    message = refused.value.messages[0]
    assert "once every 2 minutes" in message and "post again in 1 minute 30 seconds" in message
    assert not Post.objects.filter(source="again").exists()
    assert _reply(thread, other, at=start + timedelta(seconds=121), text="later").pk


def test_slow_mode_is_per_member_and_spares_moderators(
    thread: Thread, member: Member, other: Member, moderator: Member
) -> None:
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=600)
    _reply(thread, other)
    _reply(thread, MemberFactory())  # someone else is not held up by bob's post
    _reply(thread, moderator)
    _reply(thread, moderator)  # staff are exempt
    with pytest.raises(ValidationError, match="slow mode"):
        _reply(thread, other)


def test_slow_mode_off_or_unmarked_holds_nobody(
    thread: Thread, member: Member, other: Member
) -> None:
    _reply(thread, other)
    _reply(thread, other)
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=600)
    services.unmark_live_event(actor=member, thread=thread)
    _reply(thread, other)


def test_a_resubmitted_form_is_not_refused_by_slow_mode(
    thread: Thread, member: Member, other: Member
) -> None:
    services.mark_live_event(actor=member, thread=thread, slow_mode_seconds=600)
    first = forum_services.reply_to_thread(
        author=other, thread=thread, source="once", fmt="bbcode", idempotency_key="k" * 32
    )
    again = forum_services.reply_to_thread(
        author=other, thread=thread, source="once", fmt="bbcode", idempotency_key="k" * 32
    )
    assert again.pk == first.pk


@pytest.mark.parametrize("years", [-2, 5])
def test_a_time_years_away_is_refused_and_the_entry_kept(
    entry: TimelineEntry, member: Member, years: int
) -> None:
    when = entry.happened_at
    with pytest.raises(ValidationError, match="within the last year"):
        services.edit_timeline_entry(
            actor=member,
            entry=entry,
            summary="Moved",
            happened_at=timezone.now() + timedelta(days=365 * years),
        )
    entry.refresh_from_db()
    assert entry.happened_at == when and entry.summary != "Moved"
