"""Live poll results (docs/live.md): a vote's `poll.changed` event brings the poll's new
counts to every open page of the thread that may show them, without a reload.

- Results shown to everyone (or a closed poll): one `poll.results` message on
  `thread:<id>`, which every reader of the thread holds.
- Results shown only after voting: the same message on `results:<thread id>`, a channel the
  live server grants at connect only to readers who may see them now (they voted, or they
  moderate the forum) — `Guardian.can_see_poll_results`, the page's own rule. Everyone else
  receives nothing, not even the voter count (the API hides it from them too).

The channel is granted whatever the poll's mode at connect, and the message goes where the
mode says when it is sent: a poll switched to "after voting" mid-stream stops reaching those
who have not voted at once. Messages carry counts and percentages (computed here, as the
page computes them) and the poll's revision, never who chose what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from parley import events
from parley.events import kinds

from .models import Poll, PollOption, PollVote, ResultsShown
from .queries import tally

SUBSCRIBER = "polls.live"


def on_poll_changed(event: Any) -> None:
    """Inline, like the live subscriber: re-reads the counts after the commit, so a late or
    repeated delivery publishes the newest counts (the page keeps the highest revision)."""
    from parley.live import channels, publish

    payload = event.payload or {}
    poll_id = payload.get("poll_id")
    if payload.get("changed") != "vote" or not event.thread_id or not poll_id:
        return
    poll = Poll.objects.filter(pk=poll_id, thread_id=event.thread_id).first()
    if poll is None:
        return  # the thread (and its poll) was deleted since
    data = {"thread_id": event.thread_id} | tally(poll, list(PollOption.objects.filter(poll=poll)))
    if poll.results == ResultsShown.ALWAYS or poll.is_closed(timezone.now()):
        channel = channels.thread(event.thread_id)
    else:
        channel = channels.results(event.thread_id)
    publish(channel, "poll.results", data)


def results_channels(guardian: Any, threads: Sequence[Any]) -> set[str]:
    """At connect: `results:<thread id>` for each of these threads whose poll's after-vote
    results this reader may see. One query for the polls, one for this member's ballots
    (only when there is a poll)."""
    from parley.live import channels

    by_thread = {t.pk: t for t in threads}
    polls = dict(Poll.objects.filter(thread_id__in=by_thread).values_list("pk", "thread_id"))
    if not polls:
        return set()
    voted: set[int] = set()
    if guardian.is_member:
        voted = set(
            PollVote.objects.filter(
                ballot__poll_id__in=polls, ballot__member=guardian.user
            ).values_list("ballot__poll_id", flat=True)
        )
    return {
        channels.results(thread_id)
        for poll_id, thread_id in polls.items()
        if guardian.can_see_poll_results(
            by_thread[thread_id], after_vote_only=True, voted=poll_id in voted
        )
    }


def connect() -> None:
    from parley.live import grants

    grants.register_thread_channels(results_channels)
    events.subscribe(SUBSCRIBER, on_poll_changed, kinds=[kinds.POLL_CHANGED], inline=True)
