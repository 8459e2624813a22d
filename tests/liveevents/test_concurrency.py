"""Replies crossing a live thread's limit at the same moment, and one member's replies racing
slow mode, on real connections to the real database."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections

from parley.forums import services as forum_services
from parley.forums.models import Post, Thread
from parley.liveevents import services
from parley.liveevents.models import LiveEvent
from tests.factories import ForumFactory, MemberFactory, make_thread
from tests.forums.test_concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_replies_crossing_the_limit_at_once_create_one_continuation() -> None:
    starter = MemberFactory()
    thread = make_thread(ForumFactory(), starter, title="Quake live")
    services.mark_live_event(actor=starter, thread=thread, post_limit=20)
    for i in range(17):
        forum_services.reply_to_thread(
            author=MemberFactory(), thread=thread, source=f"r{i}", fmt="bbcode"
        )
    authors = [MemberFactory() for _ in range(6)]

    def reply(author):  # type: ignore[no-untyped-def]
        def run() -> None:
            close_old_connections()
            fresh = Thread.objects.select_related("forum").get(pk=thread.pk)
            # The thread may close under it: refused, as a member would be.
            with contextlib.suppress(forum_services.NotAccepted, PermissionDenied):
                forum_services.reply_to_thread(
                    author=author, thread=fresh, source="crossing", fmt="bbcode"
                )

        return run

    def continue_it() -> None:
        close_old_connections()
        services.continue_live_event(thread_id=thread.pk)

    assert run_together([reply(a) for a in authors] + [continue_it] * 3) == []
    services.continue_live_event(thread_id=thread.pk)
    assert Thread.objects.filter(title="Quake live (part 2)").count() == 1
    assert LiveEvent.objects.filter(previous_thread=thread).count() == 1
    assert Thread.objects.get(pk=thread.pk).is_locked


def test_one_member_racing_slow_mode_gets_one_post_in() -> None:
    starter, racer = MemberFactory(), MemberFactory()
    thread = make_thread(ForumFactory(), starter)
    services.mark_live_event(actor=starter, thread=thread, slow_mode_seconds=600)
    refused: list[str] = []

    def post(i: int):  # type: ignore[no-untyped-def]
        def run() -> None:
            close_old_connections()
            fresh = Thread.objects.select_related("forum").get(pk=thread.pk)
            try:
                forum_services.reply_to_thread(
                    author=racer, thread=fresh, source=f"take {i}", fmt="bbcode"
                )
            except ValidationError as exc:
                refused.append(exc.messages[0])

        return run

    assert run_together([post(i) for i in range(4)]) == []
    assert Post.objects.filter(thread=thread, author=racer).count() == 1
    assert len(refused) == 3
