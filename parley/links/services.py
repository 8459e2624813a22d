"""Writes of the links app: which pages a post links, and what a fetch found."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from parley.formatting import LinkRef

from .models import LinkedPage, PostLink
from .previews import canonical_or_none

# RFC 2606 / 6761 names never resolve on the public internet: nothing to fetch.
RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local")
REFRESH_AFTER = timedelta(days=7)


def is_fetchable(key: str) -> bool:
    host = key.split("/")[2].split(":")[0] if key.count("/") >= 2 else ""
    return bool(host) and not host.endswith(RESERVED_SUFFIXES)


def _page_for(url: str, key: str) -> LinkedPage:
    page = LinkedPage.objects.filter(key=key).first()
    if page is not None:
        return page
    try:
        with transaction.atomic():
            return LinkedPage.objects.create(key=key, url=url[:2000])
    except IntegrityError:  # another post linked the same page at the same moment
        return LinkedPage.objects.get(key=key)


def record_links(*, post_id: int, links: Iterable[LinkRef]) -> list[int]:
    """Make the post's PostLink rows match its links; return the ids of pages that need a
    fetch (never fetched, or not refreshed for a week)."""
    wanted: dict[int, tuple[str, int]] = {}
    to_fetch: list[int] = []
    for position, link in enumerate(links):
        key = canonical_or_none(link.url)
        if key is None:
            continue
        page = _page_for(link.url, key)
        wanted.setdefault(page.pk, (link.url[:2000], position))
        stale = page.fetched_at is None or page.fetched_at < timezone.now() - REFRESH_AFTER
        if (
            (page.status != LinkedPage.Status.OK or stale)
            and not page.edited_by_staff
            and page.pk not in to_fetch
        ):
            to_fetch.append(page.pk)
    with transaction.atomic():
        existing = set(PostLink.objects.filter(post_id=post_id).values_list("page_id", flat=True))
        PostLink.objects.filter(post_id=post_id).exclude(page_id__in=wanted).delete()
        PostLink.objects.bulk_create(
            [
                PostLink(post_id=post_id, page_id=page_id, url=url, position=position)
                for page_id, (url, position) in wanted.items()
                if page_id not in existing
            ],
            ignore_conflicts=True,
        )
    return to_fetch
