"""Prefixes of the test forum, and a poll on the test thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.polls import services as polls
from parley.polls.models import Poll
from parley.tags.models import ThreadPrefix


@pytest.fixture
def breaking(forum: Forum) -> ThreadPrefix:
    return ThreadPrefix.objects.create(forum=forum, label="Breaking", style="red", position=0)


@pytest.fixture
def analysis(forum: Forum) -> ThreadPrefix:
    return ThreadPrefix.objects.create(forum=forum, label="Analysis", style="blue", position=1)


def make_poll(thread: Thread, author: Member, **settings: object) -> Poll:
    draft = polls.PollDraft(
        question=str(settings.pop("question", "Will the talks resume this year?")),
        options=tuple(settings.pop("options", ("Yes", "No", "Too early to say"))),  # type: ignore[arg-type]
        **settings,  # type: ignore[arg-type]
    )
    return polls.add_poll(actor=author, thread=thread, draft=draft)


@pytest.fixture
def poll(thread: Thread, member: Member) -> Poll:
    return make_poll(thread, member)


def in_a_day() -> object:
    return timezone.now() + timedelta(days=1)
