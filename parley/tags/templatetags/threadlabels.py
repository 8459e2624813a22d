"""Prefix badges, tag links and the prefix filter for pages forums renders. Forums never
imports this app: its templates load these tags (one or two queries per page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404
from django.urls import reverse

from parley.core import stamps
from parley.permissions.guardian import Guardian

from .. import queries

register = template.Library()


@register.simple_tag
def thread_labels(threads: Any) -> dict[int, queries.Labels]:
    """Labels of every thread of a list: `{% thread_labels page.object_list as labels %}`."""
    return queries.labels_for(list(threads))


@register.inclusion_tag("tags/prefix_badge.html")
def prefix_badge(labels: dict[int, queries.Labels], thread: Any) -> dict[str, Any]:
    found = labels.get(thread.pk)
    return {"prefix": found.prefix if found else None}


@register.inclusion_tag("tags/tag_links.html")
def tag_links(labels: dict[int, queries.Labels], thread: Any) -> dict[str, Any]:
    found = labels.get(thread.pk)
    return {"tags": found.tags if found else []}


@register.inclusion_tag("tags/prefix_filter.html", takes_context=True)
def prefix_filter(context: dict[str, Any], forum: Any) -> dict[str, Any]:
    request = context["request"]
    prefixes = queries.forum_prefixes(forum)
    try:
        chosen = queries.chosen_prefix_id(request.GET)
    except Http404:
        chosen = None
    return {
        "prefixes": prefixes,
        "chosen": chosen,
        "all_url": reverse("forums:forum", args=[forum.pk]),
    }


@register.simple_tag
def labels_of(thread: Any) -> queries.Labels:
    """One thread's labels: `{% labels_of thread as thread_labels %}`."""
    # Kept while the thread does not change (stamps.per_thread): a thread's tags change
    # through tags.services, which emits an event naming it; prefixes and tags themselves
    # are site-wide changes.
    return stamps.per_thread(thread.pk, "labels", lambda: queries.thread_labels(thread))


@register.inclusion_tag("tags/thread_labels.html", takes_context=True)
def thread_tag_line(context: dict[str, Any], thread: Any, labels: queries.Labels) -> dict[str, Any]:
    """Tags under a thread's title, with the edit link for whoever may change them."""
    request = context["request"]
    return {
        "thread": thread,
        "tags": labels.tags,
        "can_label": Guardian.for_request(request).can_label_thread(thread),
    }
