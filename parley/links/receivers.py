"""Reactions of the links app to forum events (run after the post's transaction commits)."""

from __future__ import annotations

from typing import Any

from .imageproxy import record_images
from .services import record_links
from .tasks import fetch_image, fetch_page


def on_post_published(
    sender: Any, post: Any, links: Any = (), images: Any = (), **kwargs: Any
) -> None:
    for page_id in record_links(post_id=post.pk, links=links):
        fetch_page.enqueue(page_id)
    for image_id in record_images(post_id=post.pk, urls=images):
        fetch_image.enqueue(image_id)
