"""The image proxy: remote images in posts are fetched by Parley, not by readers.

Cooking never waits for the network. A remote image with no local copy yet is cooked as a
link (its alt text, or the URL); after the post commits, its `post.created` event
(docs/events.md) records one `ProxiedImage` per image (`record_images`) and queues
`tasks.fetch_image`. The task fetches the image through the guarded fetcher
(`core.fetch`), re-encodes it with the link-card code (`images.reencode_image`), saves it
through Django's storage API and re-cooks the posts that embed it, which then show the
local copy. An image that cannot be fetched, is not an image or is too large stays a link.
The thread page's poll for pending previews also waits for pending images, so the picture
appears without a reload.

There is no proxy endpoint taking a URL: only URLs written in published posts are ever
fetched, and readers are served plain files from the media storage.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from parley.core.fetch import FetchError, fetch
from parley.forums.rebake import rebake_post

from .images import ImageError, reencode_image
from .models import PostImage, ProxiedImage
from .previews import canonical_or_none
from .services import is_fetchable

log = logging.getLogger(__name__)

MAX_URL = 2000


def image_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def images_for(urls: Sequence[str]) -> dict[str, str]:
    """Local URLs of the stored copies among `urls` (one query), for cooking."""
    keys = {image_key(url): url for url in urls if len(url) <= MAX_URL}
    if not keys:
        return {}
    stored = ProxiedImage.objects.filter(
        key__in=list(keys), status=ProxiedImage.Status.OK
    ).values_list("key", "file")
    return {keys[key]: default_storage.url(name) for key, name in stored if name}


def _image_for(url: str) -> ProxiedImage:
    key = image_key(url)
    image = ProxiedImage.objects.filter(key=key).first()
    if image is not None:
        return image
    try:
        with transaction.atomic():
            return ProxiedImage.objects.create(key=key, url=url)
    except IntegrityError:  # another post embedded it at the same moment
        return ProxiedImage.objects.get(key=key)


def record_images(*, post_id: int, urls: Iterable[str]) -> list[int]:
    """Record which remote images a post embeds; returns the ids of those still to fetch."""
    wanted = [url for url in dict.fromkeys(urls) if len(url) <= MAX_URL]
    to_fetch: list[int] = []
    with transaction.atomic():
        images = [_image_for(url) for url in wanted]
        PostImage.objects.filter(post_id=post_id).exclude(
            image_id__in=[i.pk for i in images]
        ).delete()
        for image in images:
            PostImage.objects.get_or_create(post_id=post_id, image=image)
            if image.status == ProxiedImage.Status.PENDING:
                to_fetch.append(image.pk)
    return to_fetch


def _fail(image: ProxiedImage, reason: str) -> None:
    ProxiedImage.objects.filter(pk=image.pk).update(
        status=ProxiedImage.Status.FAILED,
        fail_reason=reason[:200],
        attempts=image.attempts + 1,
        fetched_at=timezone.now(),
    )


def store_image(image_id: int) -> str:
    """Fetch, re-encode and store one image, then re-cook the posts embedding it. Returns
    the image's new status. Idempotent: a stored image is not fetched again."""
    image = ProxiedImage.objects.filter(pk=image_id).first()
    if image is None or image.status == ProxiedImage.Status.OK:
        return image.status if image else "gone"
    key = canonical_or_none(image.url)
    if key is None or not is_fetchable(key):
        _fail(image, "reserved_name: example/test names are never fetched")
        return ProxiedImage.Status.FAILED
    try:
        result = fetch(
            image.url,
            max_bytes=settings.PARLEY_PROXY_IMAGE_MAX_BYTES,
            deadline=10.0,
            accept="image/*",
        )
        data, mime = reencode_image(result.content)
    except (FetchError, ImageError) as exc:
        log.info("image %s not kept: %s", image.url, exc)
        _fail(image, f"{exc.reason}: {exc}")
        return ProxiedImage.Status.FAILED
    extension = "webp" if mime == "image/webp" else "jpg"
    name = f"proxied/{image.key[:2]}/{image.key}.{extension}"
    default_storage.delete(name)  # a half-written earlier attempt; never renamed aside
    name = default_storage.save(name, ContentFile(data))
    with transaction.atomic():
        ProxiedImage.objects.filter(pk=image.pk).update(
            status=ProxiedImage.Status.OK,
            file=name,
            fail_reason="",
            attempts=image.attempts + 1,
            fetched_at=timezone.now(),
        )
        # Same transaction: a reader never sees the image stored while posts still link it.
        for post_id in PostImage.objects.filter(image_id=image.pk).values_list(
            "post_id", flat=True
        ):
            rebake_post(post_id)
    return ProxiedImage.Status.OK


def queue_missing_images(*, batch: int = 500) -> int:
    """Record and queue the remote images of posts written before the proxy existed (their
    images show as links until fetched); returns how many images were queued."""
    from parley.formatting import cook
    from parley.forums.models import Post

    from .tasks import fetch_image

    queued = 0
    posts = Post.objects.filter(images__isnull=True).filter(
        models.Q(source__icontains="[img") | models.Q(source__contains="![")
    )
    for post_id, source, fmt in posts.values_list("id", "source", "format").iterator(
        chunk_size=batch
    ):
        urls = cook(source, fmt, proxy_images=True).images
        for image_id in record_images(post_id=post_id, urls=urls):
            fetch_image.enqueue(image_id)
            queued += 1
    return queued
