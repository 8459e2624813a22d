"""Read side of the links app: where else an article is discussed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from parley.core import stamps
from parley.events.models import Delivery, Event
from parley.formatting import cook
from parley.forums.models import Post, Thread
from parley.permissions.guardian import Guardian

from .models import LinkedPage, PostImage, PostLink, ProxiedImage
from .previews import canonical_or_none
from .subscriber import KINDS, SUBSCRIBER


@dataclass(frozen=True)
class Discussion:
    thread: Thread
    author_name: str
    at: datetime
    url: str


def keys_of_urls(urls: Iterable[str]) -> set[str]:
    return {key for url in urls if (key := canonical_or_none(url))}


def urls_in(source: str, fmt: str) -> list[str]:
    """External links of a post's source (no look-ups: mentions and previews not needed)."""
    try:
        return [link.url for link in cook(source, fmt).links]
    except ValueError:
        return []


def discussions(
    keys: set[str],
    guardian: Guardian,
    *,
    exclude_thread_id: int | None = None,
    limit: int = 5,
) -> list[Discussion]:
    """Threads (that this person may see) whose posts link one of these pages, earliest
    mention first; a page matches by the URL members wrote or by its declared canonical."""
    if not keys:
        return []
    pages = LinkedPage.objects.filter(Q(key__in=keys) | Q(resolved_key__in=keys))
    page_keys = set()
    for key, resolved in pages.values_list("key", "resolved_key"):
        page_keys.add(key)
        if resolved:
            page_keys.add(resolved)
    matching = LinkedPage.objects.filter(Q(key__in=page_keys) | Q(resolved_key__in=page_keys))
    links = (
        PostLink.objects.filter(page__in=matching)
        .filter(post__in=guardian.visible_posts(Post.objects.all()))
        .select_related("post__thread__forum", "post__author")
        .order_by("post_id")
    )
    if exclude_thread_id is not None:
        links = links.exclude(post__thread_id=exclude_thread_id)
    found: dict[int, Discussion] = {}
    for link in links[:200]:
        thread = link.post.thread
        if thread.pk not in found:
            found[thread.pk] = Discussion(
                thread=thread,
                author_name=link.post.author.username,
                at=link.post.created_at,
                url=link.url,
            )
        if len(found) >= limit:
            break
    return list(found.values())


def also_discussed(thread: Thread, guardian: Guardian) -> list[Discussion]:
    if thread.first_post_id is None:
        return []
    first_post_id = thread.first_post_id
    # The opening post's links, kept while the thread does not change (stamps.per_thread):
    # most threads' first post links nothing, and then this is the page's only query here.
    keys = stamps.per_thread(
        thread.pk,
        f"first-post-links:{first_post_id}",
        lambda: frozenset(
            PostLink.objects.filter(post_id=first_post_id).values_list("page__key", flat=True)
        ),
    )
    if not keys:
        return []
    return discussions(set(keys), guardian, exclude_thread_id=thread.pk)


# A post's links are recorded by the links subscriber within moments of its commit (inline,
# or the worker's retry): a post written or edited longer ago than this has had its chance.
UNRECORDED_WINDOW = timedelta(hours=1)


def pending_post_ids(
    post_ids: Iterable[int], *, recent_ids: Iterable[int] | None = None
) -> list[int]:
    """Posts still waiting for a link card or a proxied image (one query). `recent_ids`: the
    posts written or edited within UNRECORDED_WINDOW, the only ones whose links may not be
    recorded yet (a thread page passes them: on a page of older posts the event check, the
    costliest part of the query, is left out); None checks every post."""
    ids = list(post_ids)
    recent = ids if recent_ids is None else list(recent_ids)
    cards = PostLink.objects.filter(
        post_id__in=ids, page__status=LinkedPage.Status.PENDING
    ).values_list("post_id", flat=True)
    images = PostImage.objects.filter(
        post_id__in=ids, image__status=ProxiedImage.Status.PENDING
    ).values_list("post_id", flat=True)
    # A post whose event the links subscriber has not handled yet (the worker records its
    # links right after the commit) is pending too, so the page starts polling at once.
    # One delivery must be both this subscriber's and done: an exclude() across the
    # relation would test the two conditions on any deliveries, separately, and scan every
    # done delivery for each event.
    recorded = Delivery.objects.filter(
        event=OuterRef("pk"), subscriber=SUBSCRIBER, status=Delivery.Status.DONE
    )
    if not recent:
        return sorted(set(cards.union(images)))
    unrecorded = (
        Event.objects.filter(post_id__in=recent, kind__in=KINDS, settled_at__isnull=True)
        .exclude(Exists(recorded))
        .values_list("post_id", flat=True)
    )
    return sorted(set(cards.union(images, unrecorded)))


def recently_written(posts: Iterable[Post]) -> list[int]:
    """The posts written or edited within UNRECORDED_WINDOW."""
    since = timezone.now() - UNRECORDED_WINDOW
    return [p.pk for p in posts if (p.edited_at or p.created_at) >= since]


def has_pending(post_id: int) -> bool:
    return bool(pending_post_ids([post_id]))
