"""`parley repair_events`: rebuild subscriber-owned rows, dispatch what is waiting."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from parley.events import kinds
from parley.events.models import Delivery, Event
from parley.events.registry import subscribers_for
from parley.forums.models import Forum
from parley.links.models import PostImage, PostLink
from parley.members.models import Member
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("repair_events", *args, stdout=out)
    return out.getvalue()


def test_the_links_app_subscribes_to_post_created_and_edited() -> None:
    for kind in (kinds.POST_CREATED, kinds.POST_EDITED):
        assert "links.previews" in [s.name for s in subscribers_for(kind)]
    assert "links.previews" not in [s.name for s in subscribers_for(kinds.REACTION_SET)]


def test_repair_rebuilds_link_and_image_records_from_the_posts(
    forum: Forum, member: Member, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    body = "See https://news.example.org/a and [img]https://img.example.org/p.png[/img]"
    with django_capture_on_commit_callbacks(execute=False):
        # The process "dies" at commit: neither the inline delivery nor the dispatch runs.
        thread = make_thread(forum, member, body=body)
    assert not PostLink.objects.exists()
    output = run("--only", "links")
    assert "links: rebuilt from 1 rows" in output
    link = PostLink.objects.get()
    assert (link.post_id, link.url) == (thread.first_post_id, "https://news.example.org/a")
    assert PostImage.objects.get().post_id == thread.first_post_id


def test_repair_retries_given_up_deliveries_only_when_asked(
    forum: Forum, member: Member, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(forum, member)
    event = Event.objects.get(kind=kinds.POST_CREATED)
    links = Delivery.objects.filter(event=event, subscriber="links.previews")
    links.update(status="dead", attempts=10)
    run("--no-rebuild")
    assert links.get().status == "dead"
    output = run("--no-rebuild", "--retry-dead")
    assert "queued again: 1" in output
    assert links.get().status == "done"


def test_repair_refuses_an_unknown_repairer_and_a_bad_window(db: Any) -> None:
    with pytest.raises(
        CommandError, match="unknown repairer nosuch; known: alerts, links, read_state, search"
    ):
        run("--only", "nosuch")
    with pytest.raises(CommandError, match="--days must be at least 1"):
        run("--days", "0")


def test_repair_help_says_what_it_does() -> None:
    from parley.events.management.commands.repair_events import Command

    assert "rebuild it from the rows" in Command.help
    assert "dispatch again" in Command.help


def test_a_post_counts_as_pending_until_the_links_subscriber_has_handled_it(
    forum: Forum, member: Member, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from parley.events.dispatch import dispatch
    from parley.links.queries import has_pending

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False):
        thread = make_thread(forum, member, body="No links at all")
    # until the links subscriber has run (inline at commit, or the worker's retry) the
    # page keeps polling
    assert has_pending(thread.first_post_id) is True
    dispatch(Event.objects.get(kind=kinds.POST_CREATED).pk)
    assert has_pending(thread.first_post_id) is False


def test_a_post_is_pending_while_its_links_delivery_waits_though_other_subscribers_are_done(
    forum: Forum, member: Member, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from parley.events.dispatch import dispatch
    from parley.links.queries import has_pending

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False):
        thread = make_thread(forum, member, body="No links at all")
    event = Event.objects.get(kind=kinds.POST_CREATED)
    dispatch(event.pk)
    # The links delivery goes back to waiting (a retry) while the others stay done: the
    # "done" of another subscriber must not count as the links subscriber's.
    Event.objects.filter(pk=event.pk).update(settled_at=None)
    Delivery.objects.filter(event=event, subscriber="links.previews").update(status="pending")
    assert Delivery.objects.filter(event=event, status="done").exists()
    assert has_pending(thread.first_post_id) is True


def test_only_recent_posts_are_checked_for_unrecorded_links(
    forum: Forum, member: Member, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from parley.forums.models import Post
    from parley.links.queries import UNRECORDED_WINDOW, pending_post_ids, recently_written

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False):
        thread = make_thread(forum, member, body="No links at all")
    post = Post.objects.get(pk=thread.first_post_id)
    assert recently_written([post]) == [post.pk]
    assert pending_post_ids([post.pk], recent_ids=recently_written([post])) == [post.pk]
    # The same unhandled event, on a post written before the window: a thread page no
    # longer asks about it (its links had their chance); a direct check still does.
    post.created_at = timezone.now() - UNRECORDED_WINDOW - timedelta(minutes=1)
    assert recently_written([post]) == []
    assert pending_post_ids([post.pk], recent_ids=[]) == []
    assert pending_post_ids([post.pk]) == [post.pk]
