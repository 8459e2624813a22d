"""Double clicks and many voters at the same moment, on real connections to the real
database (SQLite in WAL mode, or PostgreSQL): the counters are exact without a recount."""

from __future__ import annotations

import pytest
from django.db import close_old_connections

from parley.polls import services
from parley.polls.models import Poll, PollBallot, PollOption
from parley.polls.recount import recount_polls
from tests.factories import ForumFactory, MemberFactory, make_thread
from tests.forums.test_concurrency import run_together
from tests.threads.conftest import make_poll

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_one_member_voting_in_four_requests_at_once_counts_once() -> None:
    starter, voter = MemberFactory(), MemberFactory()
    thread = make_thread(ForumFactory(), starter)
    poll = make_poll(thread, starter)
    yes = PollOption.objects.filter(poll=poll).first()
    assert yes is not None

    def click() -> None:
        close_old_connections()
        fresh = Poll.objects.select_related("thread__forum").get(pk=poll.pk)
        services.vote(member=voter, poll=fresh, option_ids=[yes.pk])

    assert run_together([click] * 4) == []
    assert PollBallot.objects.filter(poll=poll).count() == 1
    assert PollOption.objects.get(pk=yes.pk).vote_count == 1
    assert Poll.objects.get(pk=poll.pk).voter_count == 1


def test_many_voters_changing_votes_at_once_leave_exact_counters() -> None:
    starter = MemberFactory()
    voters = [MemberFactory() for _ in range(6)]
    thread = make_thread(ForumFactory(), starter)
    poll = make_poll(thread, starter, allow_change=True, max_choices=2)
    options = list(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))

    def job(index: int):  # type: ignore[no-untyped-def]
        def run() -> None:
            close_old_connections()
            fresh = Poll.objects.select_related("thread__forum").get(pk=poll.pk)
            for round_ in range(4):
                picks = {options[(index + round_) % 3], options[(index * round_) % 3]}
                services.vote(member=voters[index], poll=fresh, option_ids=sorted(picks))

        return run

    assert run_together([job(i) for i in range(len(voters))]) == []
    assert recount_polls() == []
    assert Poll.objects.get(pk=poll.pk).voter_count == len(voters)
