"""Demo tags, thread prefixes and a poll (parley.tags, parley.polls), written through their
services once the threads exist."""

from __future__ import annotations

from datetime import datetime, timedelta

from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.polls.services import PollDraft, add_poll, vote
from parley.tags.models import ThreadPrefix
from parley.tags.services import set_thread_prefix, set_thread_tags

# Prefixes of the news forums: (label, style)
PREFIXES = (("Breaking", "red"), ("Analysis", "blue"), ("Opinion", "purple"), ("Rumour", "amber"))
NEWS_FORUMS = ("Middle East", "South Asia", "Europe & Russia")

# thread title -> (prefix or "", tags)
LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Euphrates farmers face a lost season as upstream dams hold water": (
        "Breaking",
        ("Euphrates", "water", "agriculture"),
    ),
    "Euphrates water: the pump stations nobody repaired": ("Analysis", ("Euphrates", "water")),
    "Monsoon floods test the new disaster-response battalions": ("Analysis", ("floods",)),
    "Undersea cables in the Baltic: three explainers worth reading": (
        "Analysis",
        ("Baltic", "undersea cables"),
    ),
    "Baltic air policing: how many jets on alert is enough?": ("", ("Baltic", "air policing")),
    "Insurance premiums are the real blockade": ("", ("shipping", "insurance")),
}

POLL_THREAD = "Euphrates water: the pump stations nobody repaired"
POLL = PollDraft(
    question="Who should pay to repair the pump stations?",
    options=(
        "The national government",
        "The irrigation districts themselves",
        "International donors",
        "The upstream dam operators",
    ),
    max_choices=2,
    allow_change=True,
)
# voter -> indexes of the options they pick
BALLOTS = {
    "ironvale": (0,),
    "meridian_k": (0, 2),
    "ferhat": (1,),
    "sahel_watch": (2, 3),
    "baltic_fox": (0,),
    "harbourlight": (3,),
}


def label_threads(members: dict[str, Member], forums: dict[str, Forum], now: datetime) -> None:
    for title in NEWS_FORUMS:
        for position, (label, style) in enumerate(PREFIXES):
            ThreadPrefix.objects.create(
                forum=forums[title], label=label, style=style, position=position
            )
    for title, (prefix_label, tags) in LABELS.items():
        thread = Thread.objects.select_related("forum", "author").get(title=title)
        # A moderator labels the older threads (the starter could too).
        actor = members["kestrel_mod"]
        if prefix_label:
            prefix = ThreadPrefix.objects.get(forum=thread.forum, label=prefix_label)
            set_thread_prefix(actor=actor, thread=thread, prefix_id=prefix.pk)
        set_thread_tags(actor=actor, thread=thread, names=tags)
    thread = Thread.objects.select_related("forum", "author").get(title=POLL_THREAD)
    poll = add_poll(actor=thread.author, thread=thread, draft=POLL, at=thread.created_at)
    poll.thread = thread
    options = list(poll.options.values_list("pk", flat=True))
    for minutes, (name, picks) in enumerate(BALLOTS.items()):
        if members[name].pk == thread.author_id:
            continue
        vote(
            member=members[name],
            poll=poll,
            option_ids=[options[i] for i in picks],
            at=now - timedelta(hours=5, minutes=-minutes),
        )
