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


def percent(votes: int, voters: int) -> int:
    """An option's share of the voters, as the page shows it (and as live updates carry it,
    computed here so the browser never rounds differently): percent of voters, so a
    multiple-choice poll's bars add up to more than 100."""
    return round(100 * votes / max(voters, 1))


def tally(poll: Poll, options: list[PollOption]) -> dict[str, Any]:
    """The poll's results as a live update carries them (docs/live.md): counts only, never
    who chose what."""
    return {
        "poll_id": poll.pk,
        "revision": poll.revision,
        "voters": poll.voter_count,
        "options": [
            {"id": o.pk, "votes": o.vote_count, "percent": percent(o.vote_count, poll.voter_count)}
            for o in options
        ],
    }


def _poll_of(thread: Any) -> Poll | None:
    """The thread's poll: joined into the thread page's own query (registered in apps.py
    through `forums.hooks.thread_page_related`), else one query."""
    if type(thread).poll.is_cached(thread):
        try:
            return thread.poll  # type: ignore[no-any-return]
        except Poll.DoesNotExist:
            return None
    return Poll.objects.filter(thread_id=thread.pk).first()


def poll_view(thread: Any, guardian: Guardian) -> PollView | None:
    poll = _poll_of(thread)
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
    return PollView(
        poll=poll,
        options=[
            OptionView(o, percent(o.vote_count, poll.voter_count), o.pk in chosen) for o in options
        ],
        voted=voted,
        is_closed=is_closed,
        can_vote=can_vote,
        show_form=can_vote and (not voted or poll.allow_change),
        show_results=show_results,
        chosen_ids=chosen,
    )
