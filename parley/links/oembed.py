"""oEmbed, for an allow-list of providers: metadata only (title, author, provider,
thumbnail). Provider HTML (`html` in the answer) is never used: it would be script and
iframes from a third party inside a post."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from parley.core.fetch import Deadline, FetchError, fetch

from .extract import clean_text, clean_url


@dataclass(frozen=True)
class OEmbed:
    title: str | None
    author: str | None
    provider: str | None
    thumbnail_url: str | None


def provider_allowed(endpoint: str) -> bool:
    host = (urlsplit(endpoint).hostname or "").lower()
    return host in settings.PARLEY_OEMBED_PROVIDERS


def fetch_oembed(endpoint: str, *, total: Deadline | None = None) -> OEmbed | None:
    """The oEmbed answer of an allow-listed provider, or None (not allowed, failed, not
    JSON). Never raises: a card without oEmbed is still a card. `total` is the budget of
    the whole link fetch this belongs to."""
    if not provider_allowed(endpoint):
        return None
    try:
        result = fetch(
            endpoint, max_bytes=200_000, deadline=5.0, accept="application/json", total=total
        )
        data = json.loads(result.content.decode("utf-8", errors="replace"))
    except (FetchError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return OEmbed(
        title=clean_text(data.get("title"), 300),
        author=clean_text(data.get("author_name"), 200),
        provider=clean_text(data.get("provider_name"), 200),
        thumbnail_url=clean_url(data.get("thumbnail_url"), endpoint),
    )
