"""Cook a post's source for storage: formatting does the pure work; this module supplies the
lookups it needs (which @names exist, where a post lives, what is known of linked pages)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from django.db.models.functions import Lower
from django.urls import reverse

from parley.formatting import AttachmentRef, Cooked, LinkPreview, cook, quoted_share
from parley.members.models import Member

from .hooks import image_providers, preview_providers


def resolve_mentions(candidates: Collection[str]) -> dict[str, str]:
    wanted = {c.lower(): c for c in candidates}
    if not wanted:
        return {}
    found = (
        Member.objects.annotate(lname=Lower("username"))
        .filter(lname__in=list(wanted))
        .values_list("lname", "username")
    )
    return {wanted[lname]: reverse("members:profile", args=[username]) for lname, username in found}


def post_url(post_id: int) -> str:
    return reverse("forums:post", args=[post_id])


def known_previews(urls: Sequence[str]) -> dict[str, LinkPreview]:
    previews: dict[str, LinkPreview] = {}
    for provider in preview_providers:
        previews.update(provider(urls))
    return previews


def known_images(urls: Sequence[str]) -> dict[str, str]:
    images: dict[str, str] = {}
    for provider in image_providers:
        images.update(provider(urls))
    return images


def cook_post(
    source: str,
    fmt: str,
    *,
    quote_url: Callable[[int], str] = post_url,
    attachments: Mapping[int, AttachmentRef] | None = None,
) -> tuple[Cooked, dict[str, LinkPreview]]:
    """Cook a post, with the previews Parley already has of the pages it links (returned
    too, for the quote-share check) and the local copies it holds of remote images.

    Remote images are never hot-linked (`proxy_images`): without a local copy yet they
    show as links, and the image proxy (links app) fetches them after the post commits.

    `quote_url` links `[quote post=N]`: conversations pass their own, so a quote in a
    conversation points at a message, never at a thread post (and the reverse).

    `attachments`: the uploads the post shows (hooks.attachments_for)."""
    cooked = cook(
        source,
        fmt,
        resolve_mentions=resolve_mentions,
        post_url=quote_url,
        proxy_images=True,
        attachments=attachments,
    )
    previews: dict[str, LinkPreview] = {}
    images: dict[str, str] = {}
    if cooked.links and preview_providers:
        previews = known_previews([link.url for link in cooked.links])
    if cooked.images and image_providers:
        images = known_images(cooked.images)
    if previews or images:
        cooked = cook(
            source,
            fmt,
            resolve_mentions=resolve_mentions,
            post_url=quote_url,
            previews=previews,
            images=images,
            proxy_images=True,
            attachments=attachments,
        )
    return cooked, previews


def article_share(cooked: Cooked, previews: dict[str, LinkPreview]) -> tuple[float, str]:
    """The largest share of one linked article that the post reproduces, and that
    article's site (for the message)."""
    paragraphs = [p for p in cooked.text.split("\n") if p.strip()]
    best, site = 0.0, ""
    for preview in previews.values():
        if preview.article_text:
            share = quoted_share(paragraphs, preview.article_text)
            if share > best:
                best, site = share, preview.site_name or preview.title
    return best, site
