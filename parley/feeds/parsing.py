"""Reading an outlet's feed (pure: bytes in, items out). feedparser copes with RSS 0.9x to
2.0, RSS 1.0, Atom 0.3 and 1.0, wrong encodings, undeclared entities and the many date
spellings outlets use; what it cannot make sense of gives no items, never an exception."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

SUMMARY_LIMIT = 600
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    url: str
    title: str
    summary: str
    author: str
    published: datetime | None


def plain(text: str) -> str:
    """Markup-free, single-spaced text (feedparser has already sanitised the HTML)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = dict.get(entry, key)  # no feedparser fallback between the two (a warning)
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None  # no date, or one nobody could read ("yesterday-ish", "32/13/2026")


def _summary(entry: Any) -> str:
    """The item's own summary; without one, the start of its full content."""
    summary = plain(entry.get("summary", ""))
    if not summary:
        for content in entry.get("content") or []:
            if text := plain(content.get("value", "")):
                summary = text
                break
    return shorten(summary)


def parse_feed(content: bytes, *, base_url: str) -> tuple[str, list[FeedEntry]]:
    """The feed's title and its items with a usable http(s) link, in the feed's order,
    duplicates (by guid) dropped. feedparser is given bytes, so it never fetches anything."""
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        url = (entry.get("link") or "").strip()
        if not url.startswith(("http://", "https://")) or len(url) > 2000:
            continue
        guid = (entry.get("id") or url).strip()[:500]
        if guid in seen:
            continue
        seen.add(guid)
        title = plain(entry.get("title", "")) or url
        entries.append(
            FeedEntry(
                guid=guid,
                url=url,
                title=title[:300],
                summary=_summary(entry),
                author=plain(entry.get("author", ""))[:200],
                published=_published(entry),
            )
        )
    return plain(parsed.feed.get("title", ""))[:200], entries
