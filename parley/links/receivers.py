"""Reactions of the links app to forum events (run after the post's transaction commits)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from parley.core import ratelimit
from parley.formatting import LinkRef
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


def on_post_published(
    sender: Any, post: Any, links: Any = (), images: Any = (), **kwargs: Any
) -> None:
    # Embedded images are capped like links: the rest stay links with their alt text.
    cap = settings.PARLEY_LINKS_FETCHED_PER_POST
    for image_id in record_images(post_id=post.pk, urls=list(dict.fromkeys(images))[:cap]):
        fetch_image.enqueue(image_id)
    links = first_links(links, settings.PARLEY_LINKS_FETCHED_PER_POST)
    to_fetch = record_links(post_id=post.pk, links=links)
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
