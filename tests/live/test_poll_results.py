"""Live poll results: a vote publishes the poll's new counts (never who chose what) on the
thread's channel when results are shown to everyone, and on `results:<thread id>` when they
are shown only after voting — a channel granted at connect only to readers who may see them.
Over real sockets (uvicorn in a thread, the table transport on the test database)."""

from __future__ import annotations

import pytest

from parley.live.models import LiveMessage
from parley.permissions.guardian import Guardian
from parley.polls import broadcast, services
from parley.polls.models import Poll, PollOption, ResultsShown
from tests.factories import MemberFactory
from tests.threads.conftest import make_poll

from .sse import open_stream
from .test_stream import head, session_cookie


def published(since: int) -> list[tuple[str, str, dict]]:
    return [
        (m.channel, m.event, m.data)
        for m in LiveMessage.objects.filter(id__gt=since, event="poll.results").order_by("id")
    ]


def option_ids(poll: Poll) -> list[int]:
    return list(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))


def vote(member, poll: Poll, *options: int, capture) -> None:
    with capture(execute=True):
        services.vote(member=member, poll=Poll.objects.get(pk=poll.pk), option_ids=list(options))


@pytest.mark.usefixtures("table_transport")
class TestWhatIsPublished:
    def test_a_vote_publishes_counts_percentages_and_voters_on_the_thread_channel(
        self, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member)
        yes, no, early = option_ids(poll)
        vote(member, poll, yes, capture=django_capture_on_commit_callbacks)
        start = head()
        vote(other, poll, no, capture=django_capture_on_commit_callbacks)
        assert published(start) == [
            (
                f"thread:{thread.pk}",
                "poll.results",
                {
                    "thread_id": thread.pk,
                    "poll_id": poll.pk,
                    "revision": 2,
                    "voters": 2,
                    "options": [
                        {"id": yes, "votes": 1, "percent": 50},
                        {"id": no, "votes": 1, "percent": 50},
                        {"id": early, "votes": 0, "percent": 0},
                    ],
                },
            )
        ]

    def test_the_message_never_names_a_voter_or_their_choice(
        self, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member)
        start = head()
        vote(other, poll, option_ids(poll)[0], capture=django_capture_on_commit_callbacks)
        [(_, _, data)] = published(start)
        assert set(data) == {"thread_id", "poll_id", "revision", "voters", "options"}
        assert all(set(o) == {"id", "votes", "percent"} for o in data["options"])
        assert other.username not in repr(data)

    def test_percentages_are_rounded_as_the_page_rounds_them(
        self, django_capture_on_commit_callbacks, thread, member
    ) -> None:
        # 1 of 8 is 12.5 %: the page shows 12 (Python rounds half to even); so must the message.
        poll = make_poll(thread, member, options=("A", "B"))
        a, b = option_ids(poll)
        PollOption.objects.filter(pk=a).update(vote_count=1)
        PollOption.objects.filter(pk=b).update(vote_count=6)
        Poll.objects.filter(pk=poll.pk).update(voter_count=7)
        start = head()
        vote(MemberFactory(), poll, b, capture=django_capture_on_commit_callbacks)
        [(_, _, data)] = published(start)
        assert data["options"] == [
            {"id": a, "votes": 1, "percent": 12},
            {"id": b, "votes": 7, "percent": 88},
        ]

    def test_after_vote_results_go_on_the_results_channel_only(
        self, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member, results=ResultsShown.AFTER_VOTE)
        start = head()
        vote(other, poll, option_ids(poll)[1], capture=django_capture_on_commit_callbacks)
        assert [(c, e) for c, e, _ in published(start)] == [
            (f"results:{thread.pk}", "poll.results")
        ]
        assert not LiveMessage.objects.filter(id__gt=start, channel=f"thread:{thread.pk}").exists()

    def test_a_repeated_vote_publishes_nothing_and_a_changed_one_publishes_again(
        self, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member, allow_change=True)
        yes, no, _ = option_ids(poll)
        vote(other, poll, yes, capture=django_capture_on_commit_callbacks)
        start = head()
        vote(other, poll, yes, capture=django_capture_on_commit_callbacks)
        assert published(start) == []
        vote(other, poll, no, capture=django_capture_on_commit_callbacks)
        [(_, _, data)] = published(start)
        assert data["revision"] == 2 and data["voters"] == 1
        assert [o["votes"] for o in data["options"]] == [0, 1, 0]

    def test_adding_a_poll_publishes_no_results(
        self, django_capture_on_commit_callbacks, thread, member
    ) -> None:
        start = head()
        with django_capture_on_commit_callbacks(execute=True):
            make_poll(thread, member)
        assert published(start) == []


class TestWhoIsGrantedTheResultsChannel:
    def test_voters_and_moderators_only_in_two_queries(
        self, django_assert_num_queries, thread, member, other, moderator
    ) -> None:
        poll = make_poll(thread, member, results=ResultsShown.AFTER_VOTE)
        services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
        from django.contrib.auth.models import AnonymousUser

        wanted = {f"results:{thread.pk}"}
        granted = {}
        for name, user in (("voter", other), ("moderator", moderator), ("not yet", member)):
            guardian = Guardian(user)
            guardian.moderates(thread.forum_id)  # load the permissions outside the count
            with django_assert_num_queries(2):  # the polls, this member's ballots
                granted[name] = broadcast.results_channels(guardian, [thread])
        guest = Guardian(AnonymousUser())
        guest.moderates(thread.forum_id)
        with django_assert_num_queries(1):  # a guest has no ballots to look for
            granted["guest"] = broadcast.results_channels(guest, [thread])
        assert granted == {
            "voter": wanted,
            "moderator": wanted,
            "not yet": set(),
            "guest": set(),
        }

    def test_a_thread_without_a_poll_costs_one_query_and_grants_nothing(
        self, django_assert_num_queries, thread, member
    ) -> None:
        guardian = Guardian(member)
        guardian.moderates(thread.forum_id)
        with django_assert_num_queries(1):
            assert broadcast.results_channels(guardian, [thread]) == set()


@pytest.mark.django_db(transaction=True)
class TestWhatEachStreamReceives:
    def test_after_vote_results_reach_voters_and_moderators_and_nobody_else(
        self, live_thread, django_capture_on_commit_callbacks, thread, member, other, moderator
    ) -> None:
        poll = make_poll(thread, member, results=ResultsShown.AFTER_VOTE)
        yes, no, _ = option_ids(poll)
        services.vote(member=other, poll=poll, option_ids=[yes])
        newcomer = MemberFactory()
        after = head()
        streams = {
            name: open_stream(
                live_thread.port,
                f"thread={thread.pk}",
                {"Cookie": session_cookie(user)} if user else {},
                after=after,
            )
            for name, user in (
                ("voter", other),
                ("moderator", moderator),
                ("not yet", member),
                ("guest", None),
            )
        }
        assert {s.status for s in streams.values()} == {200}
        vote(newcomer, poll, no, capture=django_capture_on_commit_callbacks)
        received = {name: s.events(timeout=1.0) for name, s in streams.items()}
        for name in ("voter", "moderator"):
            [event] = received[name]
            assert event.event == "poll.results"
            assert event.data["channel"] == f"results:{thread.pk}"
            assert (event.data["voters"], [o["votes"] for o in event.data["options"]]) == (
                2,
                [1, 1, 0],
            )
        # Not a count, not a voter total, not even that someone voted.
        assert received["not yet"] == [] and received["guest"] == []
        for s in streams.values():
            s.close()

    def test_results_shown_to_everyone_reach_a_guest(
        self, live_thread, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member)
        stream = open_stream(live_thread.port, f"thread={thread.pk}", after=head())
        vote(other, poll, option_ids(poll)[2], capture=django_capture_on_commit_callbacks)
        event = stream.next_event()
        assert event is not None and event.event == "poll.results"
        assert event.data["channel"] == f"thread:{thread.pk}"
        assert [o["percent"] for o in event.data["options"]] == [0, 0, 100]
        stream.close()

    def test_catching_up_replays_after_vote_results_only_to_those_granted_them(
        self, live_thread, django_capture_on_commit_callbacks, thread, member, other
    ) -> None:
        poll = make_poll(thread, member, results=ResultsShown.AFTER_VOTE)
        services.vote(member=other, poll=poll, option_ids=option_ids(poll)[:1])
        last = head()
        vote(MemberFactory(), poll, option_ids(poll)[1], capture=django_capture_on_commit_callbacks)
        query = f"thread={thread.pk}&last={last}"
        voter = open_stream(live_thread.port, query, {"Cookie": session_cookie(other)})
        not_yet = open_stream(live_thread.port, query, {"Cookie": session_cookie(member)})
        assert [e.event for e in voter.events(timeout=0.5)] == ["poll.results"]
        assert not_yet.events(timeout=0.5) == []
        voter.close()
        not_yet.close()
