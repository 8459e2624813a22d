"""A thread's poll: what this reader may see of it, and voting."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from parley.forums.models import Thread
from parley.polls import services
from parley.polls.models import Poll
from parley.polls.queries import poll_view

from .. import auth
from ..common import ApiError, guardian
from ..errors import COMMON_ERRORS, WRITE_ERRORS
from ..models import Scope
from .threads import load_thread

router = Router(tags=["threads"])


class OptionOut(Schema):
    id: int
    text: str
    votes: int | None = Field(description="Null while this reader may not see results.")
    percent: int | None
    chosen: bool


class PollOut(Schema):
    question: str
    max_choices: int
    closes_at: datetime | None
    is_closed: bool
    allow_change: bool
    voter_count: int = Field(description="How many have voted (the page shows it to all).")
    voted: bool
    can_vote: bool
    options: list[OptionOut]


def _poll_out(request: HttpRequest, thread: Thread) -> PollOut:
    view = poll_view(thread, guardian(request))
    if view is None:
        raise Http404("This thread has no poll.")
    shown = view.show_results
    return PollOut(
        question=view.poll.question,
        max_choices=view.poll.max_choices,
        closes_at=view.poll.closes_at,
        is_closed=view.is_closed,
        allow_change=view.poll.allow_change,
        voter_count=view.poll.voter_count,
        voted=view.voted,
        can_vote=view.show_form,
        options=[
            OptionOut(
                id=o.option.pk,
                text=o.option.text,
                votes=o.option.vote_count if shown else None,
                percent=o.percent if shown else None,
                chosen=o.chosen,
            )
            for o in view.options
        ],
    )


@router.get(
    "/{thread_id}/poll",
    response={200: PollOut, **COMMON_ERRORS},
    auth=auth.readers(),
    summary="The thread's poll (results only where this reader may see them)",
)
def get_poll(request: HttpRequest, thread_id: int) -> PollOut:
    return _poll_out(request, load_thread(request, thread_id))


class VoteIn(Schema):
    option_ids: list[int] = Field(min_length=1, max_length=50)


@router.post(
    "/{thread_id}/poll/vote",
    response={200: PollOut, **WRITE_ERRORS},
    auth=auth.members(Scope.WRITE),
    summary="Vote (the same choice again changes nothing)",
)
def vote(request: HttpRequest, thread_id: int, payload: VoteIn) -> PollOut:
    thread = load_thread(request, thread_id)
    poll = Poll.objects.filter(thread=thread).first()
    if poll is None:
        raise Http404("This thread has no poll.")
    poll.thread = thread
    try:
        services.vote(member=request.user, poll=poll, option_ids=payload.option_ids)
    except services.VoteRefused as exc:
        raise ApiError(409, "vote_refused", str(exc)) from None
    except ValidationError as exc:
        raise ApiError(
            400, "invalid", " ".join(exc.messages), fields={"option_ids": exc.messages}
        ) from None
    # Setting poll.thread also cached the poll on the thread, as its page's query would:
    # read its counts again after the vote (the thread itself is not loaded a second time).
    poll.refresh_from_db()
    return _poll_out(request, thread)
