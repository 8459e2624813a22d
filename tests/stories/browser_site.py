"""A story from two outlets with long names, shared in two threads, for the browser sweep
(tests/browser/pages.py) and the stories browser test."""

from __future__ import annotations

from parley.demo.content import LONG_WORD
from parley.forums.models import Forum, Thread
from parley.members.models import Member
from parley.stories.models import Story
from tests.factories import make_thread
from tests.stories.conftest import fetched_page, story_articles


def add_story(forum: Forum, member: Member, other: Member) -> tuple[Thread, Thread]:
    first, second = story_articles("talks")[:2]
    pages = [fetched_page(first, "talks-a"), fetched_page(second, f"talks-{LONG_WORD}")]
    a = make_thread(forum, member, title="Geneva talks open", body=f"{pages[0].url}\n\nAt last.")
    b = make_thread(forum, other, title=f"Truce talks: {LONG_WORD}", body=f"{pages[1].url}")
    return a, b


def first_story_id() -> int:
    story = Story.objects.filter(entries__isnull=False).order_by("pk").first()
    assert story is not None
    return story.pk
