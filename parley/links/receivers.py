"""The links app's subscriber to post events (docs/events.md): make a post's link and image
records match its text and queue the fetches. Runs after the post's transaction commits, in
the background, retried on failure; idempotent, so a repeated delivery changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings

from parley.core import ratelimit
from parley.formatting import LinkRef, cook
from parley.forums.models import Post
from parley.permissions.guardian import Guardian

from .imageproxy import record_images
from .services import record_links
from .tasks import fetch_image, fetch_page

log = logging.getLogger(__name__)


def first_links(links: Iterable[LinkRef], cap: int) -> list[LinkRef]:
    """The post's first `cap` distinct links: a post of 2,600 URLs records and fetches 20,
    and the rest stay plain links."""
    kept: dict[str, LinkRef] = {}
    for link in links:
        if len(kept) >= cap:
            break
        kept.setdefault(link.url, link)
    return list(kept.values())


def sync_post(post: Post, *, fetch: bool = True) -> None:
    """Derive the post's links and remote images from its current text (so an older event
    delivered late still converges on the newest version) and record them."""
    cooked = cook(post.source, post.format, proxy_images=True)
    # Embedded images are capped like links: the rest stay links with their alt text.
    cap = settings.PARLEY_LINKS_FETCHED_PER_POST
    images = record_images(post_id=post.pk, urls=list(dict.fromkeys(cooked.images))[:cap])
    to_fetch = record_links(post_id=post.pk, links=first_links(cooked.links, cap))
    if not fetch:
        return
    for image_id in images:
        fetch_image.enqueue(image_id)
    if not to_fetch:
        return
    exempt = Guardian(post.author).can_bypass_flood_limits(post.thread.forum_id)
    for page_id in to_fetch:
        # Each fetch counts against the author's hourly allowance; beyond it the links stay
        # plain (recorded, so "already discussed" still finds them, but never fetched).
        if not exempt and not ratelimit.hit("link_fetch", str(post.author_id)).allowed:
            log.info("link fetches of member %s over the hourly limit", post.author_id)
            return
        fetch_page.enqueue(page_id)


def on_post_event(event: Any) -> None:
    post = Post.objects.select_related("author", "thread").filter(pk=event.post_id).first()
    if post is not None:  # deleted for good meanwhile: nothing left to record
        sync_post(post)


def repair(*, since: datetime | None = None) -> int:
    """Rebuild the link and image records of every post (or those written since `since`)
    from their text, without fetching anything."""
    posts = Post.objects.select_related("author", "thread").order_by("pk")
    if since is not None:
        posts = posts.filter(created_at__gte=since) | posts.filter(edited_at__gte=since)
    n = 0
    for post in posts.iterator(chunk_size=500):
        sync_post(post, fetch=False)
        n += 1
    return n
