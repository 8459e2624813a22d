"""What Parley knows of linked pages, as `LinkPreview`s for cooking (one query per post)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.storage import default_storage

from parley.formatting import LinkPreview

from .canonical import canonicalize
from .models import LinkedPage


def canonical_or_none(url: str) -> str | None:
    try:
        key = canonicalize(url)
    except ValueError:
        return None
    return key if len(key) <= 2000 else None


def status_note(page: LinkedPage) -> str:
    if page.is_dead:
        return "This page is no longer available."
    if page.original_headline and page.original_headline != page.headline:
        return f"Headline changed since it was shared; it first read: {page.original_headline}"
    return ""


def preview_of(page: LinkedPage, url: str) -> LinkPreview:
    return LinkPreview(
        url=url,
        title=page.page_title or page.headline,
        site_name=page.site_name,
        section=page.section,
        description=page.description,
        image_url=default_storage.url(page.image) if page.image else "",
        image_caption=page.image_caption,
        image_credit=page.image_credit,
        author=page.author,
        published=page.published,
        article_text=page.article_text,
        canonical_url=page.resolved_key or page.key,
        status_note=status_note(page),
    )


def previews_for(urls: Sequence[str]) -> dict[str, LinkPreview]:
    """Previews of the fetched, visible pages among `urls`, keyed by the URL as written."""
    keys = {url: key for url in urls if (key := canonical_or_none(url))}
    if not keys:
        return {}
    pages = {
        page.key: page
        for page in LinkedPage.objects.filter(
            key__in=set(keys.values()), status=LinkedPage.Status.OK, hidden=False
        )
    }
    return {url: preview_of(pages[key], url) for url, key in keys.items() if key in pages}
