"""A moved thread keeps its prefix only where the new forum has one of the same label."""

from __future__ import annotations

from typing import Any

import pytest

from parley.forums import moderation
from parley.tags.models import ThreadPrefix, ThreadPrefixChoice
from parley.tags.services import set_thread_prefix
from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db


def _move(moderator: Any, thread: Any, forum: Any, capture: Any) -> None:
    with capture(execute=True):
        moderation.move_thread(actor=moderator, thread=thread, forum=forum)


def test_a_moved_thread_takes_the_new_forums_prefix_of_the_same_label(
    thread: Any,
    member: Any,
    moderator: Any,
    analysis: ThreadPrefix,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_thread_prefix(actor=member, thread=thread, prefix_id=analysis.pk)
    elsewhere = ForumFactory(title="Europe")
    theirs = ThreadPrefix.objects.create(forum=elsewhere, label="Analysis")
    _move(moderator, thread, elsewhere, django_capture_on_commit_callbacks)
    assert ThreadPrefixChoice.objects.get(thread=thread).prefix == theirs


def test_a_moved_thread_loses_a_prefix_the_new_forum_does_not_have(
    thread: Any,
    member: Any,
    moderator: Any,
    analysis: ThreadPrefix,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_thread_prefix(actor=member, thread=thread, prefix_id=analysis.pk)
    elsewhere = ForumFactory(title="Europe")
    ThreadPrefix.objects.create(forum=elsewhere, label="Rumour")
    _move(moderator, thread, elsewhere, django_capture_on_commit_callbacks)
    assert not ThreadPrefixChoice.objects.filter(thread=thread).exists()


def test_the_thread_page_after_the_move_shows_no_foreign_prefix(
    thread: Any,
    member: Any,
    moderator: Any,
    analysis: ThreadPrefix,
    anon_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_thread_prefix(actor=member, thread=thread, prefix_id=analysis.pk)
    assert ">Analysis</span>" in anon_client.get(f"/threads/{thread.pk}/").content.decode()
    _move(moderator, thread, ForumFactory(title="Europe"), django_capture_on_commit_callbacks)
    assert ">Analysis</span>" not in anon_client.get(f"/threads/{thread.pk}/").content.decode()
