"""Votes through the service: counters exact under repeats, changes and refusals; the
recount rebuilds them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from parley.core import stamps
from parley.forums.models import Thread
from parley.members.models import Member
from parley.polls import services
from parley.polls.models import Poll, PollBallot, PollOption, PollVote
from parley.polls.recount import recount_polls
from tests.factories import MemberFactory
from tests.threads.conftest import make_poll

pytestmark = pytest.mark.django_db


def counts(poll: Poll) -> tuple[list[int], int]:
    """(vote count of each option in order, voter count) as stored."""
    options = list(PollOption.objects.filter(poll=poll).values_list("vote_count", flat=True))
    return options, Poll.objects.get(pk=poll.pk).voter_count


def option_ids(poll: Poll) -> list[int]:
    return list(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))


def test_a_vote_moves_its_option_and_the_voter_count(poll: Poll, other: Member) -> None:
    yes, _no, _early = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    assert counts(poll) == ([1, 0, 0], 1)


def test_the_same_vote_twice_counts_once(poll: Poll, other: Member) -> None:
    yes = option_ids(poll)[0]
    first = services.vote(member=other, poll=poll, option_ids=[yes])
    again = services.vote(member=other, poll=poll, option_ids=[yes])
    assert again.pk == first.pk
    assert counts(poll) == ([1, 0, 0], 1)
    assert PollVote.objects.count() == 1


def test_a_different_vote_is_refused_when_changing_is_not_allowed(
    poll: Poll, other: Member
) -> None:
    yes, no, _ = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    with pytest.raises(services.VoteRefused, match="does not allow changing"):
        services.vote(member=other, poll=poll, option_ids=[no])
    assert counts(poll) == ([1, 0, 0], 1)


def test_changing_a_vote_moves_both_options_and_not_the_voter_count(
    thread: Thread, member: Member, other: Member
) -> None:
    poll = make_poll(thread, member, allow_change=True)
    yes, no, _ = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    services.vote(member=other, poll=poll, option_ids=[no])
    assert counts(poll) == ([0, 1, 0], 1)


def test_multiple_choice_counts_each_option_and_one_voter(
    thread: Thread, member: Member, other: Member
) -> None:
    poll = make_poll(thread, member, max_choices=2, allow_change=True)
    yes, no, early = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes, early])
    services.vote(member=MemberFactory(), poll=poll, option_ids=[early])
    assert counts(poll) == ([1, 0, 2], 2)
    services.vote(member=other, poll=poll, option_ids=[no, early])
    assert counts(poll) == ([0, 1, 2], 2)


def test_more_choices_than_the_maximum_are_refused(
    thread: Thread, member: Member, other: Member
) -> None:
    poll = make_poll(thread, member, max_choices=2)
    with pytest.raises(ValidationError, match="at most 2 options"):
        services.vote(member=other, poll=poll, option_ids=option_ids(poll))
    assert counts(poll) == ([0, 0, 0], 0)
    assert not PollBallot.objects.exists()


def test_no_choice_and_an_option_of_another_poll_are_refused(
    poll: Poll, other: Member, moderator: Member
) -> None:
    with pytest.raises(ValidationError, match="Choose an option"):
        services.vote(member=other, poll=poll, option_ids=[])
    with pytest.raises(ValidationError, match="not part of this poll"):
        services.vote(member=other, poll=poll, option_ids=[10**6])
    assert counts(poll) == ([0, 0, 0], 0)


def test_a_closed_poll_refuses_votes_with_its_closing_date(poll: Poll, other: Member) -> None:
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()
    with pytest.raises(services.VoteRefused, match="This poll closed on"):
        services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
    assert counts(poll) == ([0, 0, 0], 0)


def test_a_locked_thread_refuses_votes(poll: Poll, thread: Thread, other: Member) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    poll = Poll.objects.select_related("thread__forum").get(pk=poll.pk)
    with pytest.raises(PermissionDenied, match="locked"):
        services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
    assert counts(poll) == ([0, 0, 0], 0)


def test_a_banned_member_may_not_vote(poll: Poll, banned: Member) -> None:
    with pytest.raises(PermissionDenied):
        services.vote(member=banned, poll=poll, option_ids=option_ids(poll)[:1])


def test_a_vote_moves_the_thread_stamp(poll: Poll, other: Member, thread: Thread) -> None:
    before = stamps.read([stamps.thread(thread.pk)])
    services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
    assert stamps.read([stamps.thread(thread.pk)]) != before


def test_poll_drafts_are_checked_before_anything_is_written(thread: Thread, member: Member) -> None:
    with pytest.raises(ValidationError) as caught:
        make_poll(thread, member, question=" ", options=("Yes", "yes", ""), max_choices=3)
    assert "Write the poll's question." in caught.value.messages
    assert "Give at least 2 different options." in caught.value.messages
    with pytest.raises(ValidationError, match="in the future"):
        make_poll(thread, member, closes_at=timezone.now() - timedelta(days=1))
    assert not Poll.objects.exists()


def test_only_the_starter_adds_a_poll_and_a_second_add_returns_the_first(
    thread: Thread, member: Member, other: Member
) -> None:
    with pytest.raises(PermissionDenied):
        make_poll(thread, other)
    first = make_poll(thread, member)
    assert make_poll(thread, member, question="Another?").pk == first.pk
    assert Poll.objects.count() == 1


def test_recount_repairs_wrong_counters_and_leaves_right_ones(poll: Poll, other: Member) -> None:
    yes, no, _ = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    services.vote(member=MemberFactory(), poll=poll, option_ids=[no])
    assert recount_polls() == []
    PollOption.objects.filter(pk=yes).update(vote_count=7)
    Poll.objects.filter(pk=poll.pk).update(voter_count=0)
    fixed = recount_polls()
    assert {(c.model, c.field, c.stored, c.actual) for c in fixed} == {
        ("PollOption", "vote_count", 7, 1),
        ("Poll", "voter_count", 0, 2),
    }
    assert counts(poll) == ([1, 1, 0], 2)


def test_parley_recount_includes_polls(poll: Poll, other: Member, capsys: object) -> None:
    services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
    Poll.objects.filter(pk=poll.pk).update(voter_count=5)
    call_command("recount")
    assert counts(poll)[1] == 1


def vote_events(poll: Poll) -> list[dict]:
    from parley.events import kinds
    from parley.events.models import Event

    return list(
        Event.objects.filter(kind=kinds.POLL_CHANGED, payload__changed="vote").values_list(
            "payload", flat=True
        )
    )


def test_a_vote_emits_one_poll_changed_event_in_its_own_transaction(
    poll: Poll, other: Member
) -> None:
    from django.db import transaction

    yes = option_ids(poll)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.vote(member=other, poll=poll, option_ids=[yes])
        assert vote_events(poll) == [{"poll_id": poll.pk, "changed": "vote"}]
        raise RuntimeError("the surrounding change fails")
    assert vote_events(poll) == [] and counts(poll) == ([0, 0, 0], 0)  # rolled back together
    services.vote(member=other, poll=poll, option_ids=[yes])
    # Which option, and who chose it, is not in the payload (live pages receive counts).
    assert vote_events(poll) == [{"poll_id": poll.pk, "changed": "vote"}]
    assert Poll.objects.get(pk=poll.pk).revision == 1


def test_the_same_vote_again_emits_nothing_and_keeps_the_revision(
    poll: Poll, other: Member
) -> None:
    yes = option_ids(poll)[0]
    services.vote(member=other, poll=poll, option_ids=[yes])
    services.vote(member=other, poll=poll, option_ids=[yes])
    assert len(vote_events(poll)) == 1
    assert Poll.objects.get(pk=poll.pk).revision == 1


def test_a_changed_vote_emits_again_and_moves_the_revision(thread: Thread, other: Member) -> None:
    from tests.threads.conftest import make_poll

    poll = make_poll(thread, thread.author, allow_change=True)
    yes, no, _ = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    services.vote(member=other, poll=poll, option_ids=[no])
    assert len(vote_events(poll)) == 2
    assert Poll.objects.get(pk=poll.pk).revision == 2


def test_a_refused_vote_emits_nothing(poll: Poll, other: Member) -> None:
    yes, no, _ = option_ids(poll)
    services.vote(member=other, poll=poll, option_ids=[yes])
    with pytest.raises(services.VoteRefused):
        services.vote(member=other, poll=poll, option_ids=[no])
    assert len(vote_events(poll)) == 1
