"""Every write to polls. Votes lock the poll row, so one member's double click, a retried
form or two tabs are serialised: the second finds the ballot the first wrote and changes
nothing. Option vote counts and the voter count move with F() in the ballot's transaction.
Each change is a `poll.changed` event, which moves the thread's guest-page stamps; a vote's
event also brings the new counts to open pages (`polls.broadcast`, docs/live.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from parley.core.deadlocks import retry_on_deadlock
from parley.events import kinds
from parley.events.outbox import emit
from parley.forums.models import State, Thread
from parley.permissions.guardian import Guardian

from .models import Poll, PollBallot, PollOption, PollVote, ResultsShown

MAX_OPTIONS = 20
MIN_OPTIONS = 2


class VoteRefused(Exception):
    """The poll takes no vote from this member now (closed, already voted, thread gone);
    the message says why."""


@dataclass(frozen=True)
class PollDraft:
    """A poll as a member described it, checked (`check_poll`) before anything is written."""

    question: str
    options: tuple[str, ...]
    max_choices: int = 1
    closes_at: datetime | None = None
    allow_change: bool = False
    results: str = ResultsShown.ALWAYS


def check_poll(draft: PollDraft, *, now: datetime | None = None) -> PollDraft:
    """The draft, tidied (spaces, duplicate options), or ValidationError listing every
    problem in words a member understands."""
    errors: list[str] = []
    question = " ".join(draft.question.split())
    if not question:
        errors.append("Write the poll's question.")
    elif len(question) > 200:
        errors.append("The question is too long: at most 200 characters.")
    options: list[str] = []
    for raw in draft.options:
        text = " ".join(raw.split())
        if text and text.casefold() not in {o.casefold() for o in options}:
            options.append(text)
    if len(options) < MIN_OPTIONS:
        errors.append(f"Give at least {MIN_OPTIONS} different options.")
    if len(options) > MAX_OPTIONS:
        errors.append(f"A poll has at most {MAX_OPTIONS} options.")
    if any(len(o) > 150 for o in options):
        errors.append("Each option is at most 150 characters.")
    if draft.max_choices < 1 or (options and draft.max_choices > len(options)):
        errors.append(
            "The number of choices a voter may pick must be between 1 and the number of options."
        )
    if draft.closes_at is not None and draft.closes_at <= (now or timezone.now()):
        errors.append("The closing date must be in the future.")
    if draft.results not in ResultsShown.values:
        errors.append("Choose who sees the results.")
    if errors:
        raise ValidationError(errors)
    return PollDraft(
        question,
        tuple(options),
        draft.max_choices,
        draft.closes_at,
        draft.allow_change,
        draft.results,
    )


def _announce(poll: Poll, thread: Thread, actor: Any, what: str) -> None:
    emit(
        kinds.POLL_CHANGED,
        actor_id=getattr(actor, "pk", None),
        thread_id=thread.pk,
        forum_id=thread.forum_id,
        post_id=thread.first_post_id,
        member_id=thread.author_id,
        payload={"poll_id": poll.pk, "changed": what},
    )


def add_poll(*, actor: Any, thread: Thread, draft: PollDraft, at: datetime | None = None) -> Poll:
    """Attach a poll to a thread (when starting it, or later by its starter). A thread has
    one poll: adding again returns the one it has (a retried form) and writes nothing."""
    Guardian(actor).ensure_label_thread(thread)
    draft = check_poll(draft, now=at)
    with transaction.atomic():
        Thread.objects.select_for_update().only("pk").get(pk=thread.pk)
        if existing := Poll.objects.filter(thread_id=thread.pk).first():
            return existing
        poll = Poll.objects.create(
            thread=thread,
            question=draft.question,
            max_choices=draft.max_choices,
            closes_at=draft.closes_at,
            allow_change=draft.allow_change,
            results=draft.results,
            created_at=at or timezone.now(),
        )
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, text=text, position=i) for i, text in enumerate(draft.options)]
        )
        _announce(poll, thread, actor, "added")
    return poll


def _check_choice(poll: Poll, option_ids: Iterable[int]) -> set[int]:
    chosen = set(option_ids)
    if not chosen:
        raise ValidationError("Choose an option before voting.", code="no_choice")
    if len(chosen) > poll.max_choices:
        if poll.max_choices == 1:
            raise ValidationError("Choose one option.", code="too_many_choices")
        raise ValidationError(
            f"Choose at most {poll.max_choices} options.", code="too_many_choices"
        )
    known = set(PollOption.objects.filter(poll=poll, pk__in=chosen).values_list("pk", flat=True))
    if known != chosen:
        raise ValidationError("That option is not part of this poll.", code="bad_option")
    return chosen


def _move(option_ids: Iterable[int], delta: int) -> None:
    ids = list(option_ids)
    if ids:
        PollOption.objects.filter(pk__in=ids).update(vote_count=F("vote_count") + delta)


def _refuse_if_closed(poll: Poll, thread: Thread, now: datetime) -> None:
    if thread.state != State.VISIBLE:
        raise VoteRefused("This thread takes no votes.")
    if poll.is_closed(now):
        closed = timezone.localtime(poll.closes_at).strftime("%-d %B %Y, %H:%M")
        raise VoteRefused(f"This poll closed on {closed}; it takes no more votes.")


@retry_on_deadlock()
def vote(
    *, member: Any, poll: Poll, option_ids: Sequence[int], at: datetime | None = None
) -> PollBallot:
    """Record the member's choice. The same choice again is a retry (nothing changes);
    a different one replaces the first where the poll allows changing, and is refused
    (VoteRefused) where it does not."""
    thread = poll.thread
    Guardian(member).ensure_vote(thread)
    now = at or timezone.now()
    try:
        return _vote(member, poll, option_ids, now)
    except IntegrityError:
        # Two requests of one member raced past the lock (SQLite has no row locks): the
        # ballot the other wrote is there now, and voting again compares against it.
        return _vote(member, poll, option_ids, now)


def _vote(member: Any, poll: Poll, option_ids: Sequence[int], now: datetime) -> PollBallot:
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        thread = Thread.objects.only("state").get(pk=locked.thread_id)
        _refuse_if_closed(locked, thread, now)
        chosen = _check_choice(locked, option_ids)
        ballot = PollBallot.objects.filter(poll=locked, member=member).first()
        if ballot is None:
            ballot = PollBallot.objects.create(poll=locked, member=member, voted_at=now)
            PollVote.objects.bulk_create([PollVote(ballot=ballot, option_id=pk) for pk in chosen])
            _move(chosen, +1)
            Poll.objects.filter(pk=locked.pk).update(
                voter_count=F("voter_count") + 1, revision=F("revision") + 1
            )
        else:
            current = set(ballot.votes.values_list("option_id", flat=True))
            if current == chosen:
                return ballot
            if not locked.allow_change:
                raise VoteRefused(
                    "You have already voted; this poll does not allow changing votes."
                )
            PollVote.objects.filter(ballot=ballot, option_id__in=current - chosen).delete()
            PollVote.objects.bulk_create(
                [PollVote(ballot=ballot, option_id=pk) for pk in chosen - current]
            )
            _move(current - chosen, -1)
            _move(chosen - current, +1)
            PollBallot.objects.filter(pk=ballot.pk).update(voted_at=now)
            Poll.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
        _announce(locked, poll.thread, member, "vote")
    return ballot


def update_poll(*, actor: Any, poll: Poll, changes: dict[str, Any]) -> Poll:
    """Change a poll's settings (question, closing date, change-vote, results shown): the
    admin's path. Counters and options are not settings and cannot be changed here."""
    allowed = {"question", "closes_at", "allow_change", "results", "max_choices"}
    if unknown := set(changes) - allowed:
        raise ValueError(f"not poll settings: {sorted(unknown)}")
    if "question" in changes and not " ".join(str(changes["question"]).split()):
        raise ValidationError("Write the poll's question.")
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        if "max_choices" in changes and not 1 <= changes["max_choices"] <= locked.options.count():
            raise ValidationError(
                "The number of choices must be between 1 and the number of options."
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        _announce(locked, locked.thread, actor, "settings")
    return locked
