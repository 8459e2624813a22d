"""Read side: labels of a page of threads, the tag page, the prefix filter. Each a fixed
number of queries whatever the number of threads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404

from parley.core.params import ascii_int
from parley.forums.models import Thread
from parley.forums.queries import paginate
from parley.permissions.guardian import Guardian

from .models import Tag, ThreadPrefix, ThreadPrefixChoice, ThreadTag

PREFIX_PARAM = "prefix"


@dataclass
class Labels:
    prefix: ThreadPrefix | None = None
    tags: list[Tag] = field(default_factory=list)


def thread_labels(thread: Any) -> Labels:
    """One thread's labels. The thread page's query joins its prefix (registered in apps.py
    through `forums.hooks.thread_page_related`), so only the tags cost a query there."""
    if not type(thread).prefix_choice.is_cached(thread):
        return labels_for([thread])[thread.pk]
    labels = Labels()
    choice = getattr(thread, "prefix_choice", None)
    if choice is not None and choice.prefix.forum_id == thread.forum_id:
        labels.prefix = choice.prefix
    links = ThreadTag.objects.filter(thread_id=thread.pk).select_related("tag")
    labels.tags = [link.tag for link in links.order_by("tag__name")]
    return labels


def labels_for(threads: list[Any]) -> dict[int, Labels]:
    """Prefix and tags of each thread (two queries; none for an empty list). A prefix of
    another forum (the thread was moved) is not shown."""
    ids = [t.pk for t in threads]
    labels: dict[int, Labels] = defaultdict(Labels)
    if not ids:
        return labels
    forum_of = {t.pk: t.forum_id for t in threads}
    for choice in ThreadPrefixChoice.objects.filter(thread_id__in=ids).select_related("prefix"):
        if choice.prefix.forum_id == forum_of[choice.thread_id]:
            labels[choice.thread_id].prefix = choice.prefix
    links = ThreadTag.objects.filter(thread_id__in=ids).select_related("tag").order_by("tag__name")
    for link in links:
        labels[link.thread_id].tags.append(link.tag)
    return labels


def forum_prefixes(forum: Any) -> list[ThreadPrefix]:
    return list(ThreadPrefix.objects.filter(forum_id=forum.pk))


def chosen_prefix_id(params: Any) -> int | None:
    """The ?prefix= the reader chose; a value that is not a number is a 404."""
    raw = params.get(PREFIX_PARAM)
    if raw is None or raw == "":
        return None
    value = ascii_int(raw, max_digits=9)
    if value is None:
        raise Http404("No such prefix.")
    return value


def prefix_filter(forum: Any, params: Any) -> Q | None:
    """The forum page's ?prefix=<id>: threads with that prefix of this forum. An id that is
    not one of the forum's prefixes is a 404, so junk addresses are never cached."""
    prefix_id = chosen_prefix_id(params)
    if prefix_id is None:
        return None
    if not ThreadPrefix.objects.filter(pk=prefix_id, forum_id=forum.pk).exists():
        raise Http404("No such prefix.")
    return Q(prefix_choice__prefix_id=prefix_id)


def tagged_threads(tag: Tag, guardian: Guardian) -> QuerySet[Thread]:
    """The visible threads with this tag, newest activity first: only threads the reader
    sees in forums they may read (never one of a hidden forum, a deleted or a pending one).
    The tag page pages it by number, the API by cursor."""
    return (
        guardian.visible_threads(Thread.objects.filter(tag_links__tag=tag))
        .select_related("forum", "author", "last_post__author")
        .order_by("-last_post_at", "-id")
    )


def tag_threads(tag: Tag, page_number: Any, per_page: int, guardian: Guardian) -> Page[Thread]:
    return paginate(tagged_threads(tag, guardian), per_page, page_number)
