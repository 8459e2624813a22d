"""Shared set-up of the sources tests: a described source, a linked page with a snapshot
(reserved .test names are never fetched), and a thread whose first post links it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parley.events.dispatch import dispatch
from parley.events.models import Event
from parley.forums.models import Thread
from parley.links.models import LinkedPage
from parley.links.tasks import rebake_linking_posts
from parley.sources import services
from parley.sources.models import Label, Source
from tests.factories import make_thread


def label(name: str) -> Label:
    return Label.objects.get(name=name)


def describe(actor: Any, domain: str, *, labels: tuple[str, ...] = (), **fields: Any) -> Source:
    return services.save_source(
        actor=actor,
        domain=domain,
        label_ids=[label(n).pk for n in labels],
        **fields,
    )


def snapshot(url: str, headline: str = "Ceasefire talks resume in the capital") -> LinkedPage:
    """A fetched page, as the worker leaves it."""
    from parley.links.previews import canonical_or_none

    now = timezone.now()
    page, _ = LinkedPage.objects.update_or_create(
        key=canonical_or_none(url),
        defaults={
            "url": url,
            "status": LinkedPage.Status.OK,
            "headline": headline,
            "page_title": headline,
            "site_name": "Wire Desk",
            "article_text": "Negotiators met for a third day and agreed a timetable.",
            "fetched_at": now,
            "checked_at": now,
        },
    )
    rebake_linking_posts(page.pk)
    return page


def linked_thread(forum: Any, author: Any, url: str, title: str = "Talks resume") -> Thread:
    """A thread whose first post links `url` alone on its line (a card), its links recorded
    as after the commit."""
    thread = make_thread(forum, author, title=title, body=f"Worth reading:\n\n{url}")
    for event_id in Event.objects.filter(post_id=thread.first_post_id).values_list("pk", flat=True):
        dispatch(event_id)
    return thread
