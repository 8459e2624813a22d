"""What a thread's poll shows this reader (three queries at most)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from parley.permissions.guardian import Guardian

from .models import Poll, PollOption, PollVote, ResultsShown


@dataclass
class OptionView:
    option: PollOption
    percent: int
    chosen: bool


@dataclass
class PollView:
    poll: Poll
    options: list[OptionView]
    voted: bool
    is_closed: bool
    can_vote: bool
    # Showing the ballot form: may vote, and has not voted yet or may change.
    show_form: bool
    show_results: bool
    chosen_ids: set[int] = field(default_factory=set)


def poll_view(thread: Any, guardian: Guardian) -> PollView | None:
    poll = Poll.objects.filter(thread_id=thread.pk).first()
    if poll is None:
        return None
    options = list(PollOption.objects.filter(poll=poll))
    chosen: set[int] = set()
    voted = False
    if guardian.is_member:
        # A ballot always holds at least one option: its votes say whether and what.
        chosen = set(
            PollVote.objects.filter(ballot__poll=poll, ballot__member=guardian.user).values_list(
                "option_id", flat=True
            )
        )
        voted = bool(chosen)
    is_closed = poll.is_closed(timezone.now())
    can_vote = not is_closed and guardian.can_vote(thread)
    show_results = is_closed or guardian.can_see_poll_results(
        thread, after_vote_only=poll.results == ResultsShown.AFTER_VOTE, voted=voted
    )
    # Percent of voters, so a multiple-choice poll's bars add up to more than 100.
    voters = max(poll.voter_count, 1)
    return PollView(
        poll=poll,
        options=[
            OptionView(o, round(100 * o.vote_count / voters), o.pk in chosen) for o in options
        ],
        voted=voted,
        is_closed=is_closed,
        can_vote=can_vote,
        show_form=can_vote and (not voted or poll.allow_change),
        show_results=show_results,
        chosen_ids=chosen,
    )
