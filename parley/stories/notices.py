"""The compose-page check for stories: another thread (that this member may see) is about
the same story, from another outlet. Worded apart from "the same article" (links.notices)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from parley.forums.hooks import ComposeNotice
from parley.links.models import LinkedPage
from parley.links.queries import keys_of_urls, urls_in
from parley.permissions.guardian import Guardian

from .queries import StoryView, stories_linked

MAX_THREADS = 3


def notice_html(view: StoryView) -> str:
    # One entry per thread, naming every outlet it links (a thread that links two outlets
    # of the story is listed once).
    outlets: dict[Any, list[str]] = {}
    for coverage in view.others:
        for thread in coverage.threads:
            names = outlets.setdefault(thread, [])
            if coverage.outlet not in names:
                names.append(coverage.outlet)
    shown = list(outlets.items())[:MAX_THREADS]
    items = format_html_join(
        ", ",
        '<a href="{}">{}</a> (linking {})',
        ((reverse("forums:thread", args=[t.pk]), t.title, ", ".join(n)) for t, n in shown),
    )
    return format_html(
        "The same story, reported by another outlet, is discussed in {} — join in there?",
        items,
    )


def same_story(guardian: Any, source: str, fmt: str) -> list[ComposeNotice]:
    assert isinstance(guardian, Guardian)
    keys = keys_of_urls(urls_in(source, fmt))
    if not keys:
        return []
    pages = list(LinkedPage.objects.filter(key__in=keys).values_list("pk", flat=True))
    notices = []
    for view in stories_linked(guardian, page_ids=pages):
        if any(c.threads for c in view.others):
            notices.append(ComposeNotice(html=notice_html(view), kind="same-story"))
    return notices
