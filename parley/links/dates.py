"""When the article was published: metadata spellings and the date printed with it.

`normalize_date` reads ISO 8601 (with or without separators and zone colon), RFC 2822
("Mon, 02 Mar 2026 16:21:00 GMT"), "2026/03/02" and English dates as printed
("2 March 2026", "March 2, 2026"). `printed_date` reads the page itself:
`itemprop=datePublished` on any element, then a `<time>` marked as the publication time
(`pubdate`, classed published/publish-date), then the first `<time datetime>` with the
headline, never one labelled "updated" or "modified", nor one in a teaser or the site's
chrome.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from typing import Any

from .dom import attr, headline_scope, is_chrome, labels, near_headline

__all__ = ["META_DATE_KEYS", "normalize_date", "printed_date"]

# <meta name|property|itemprop> keys holding the publication time, most specific first.
META_DATE_KEYS = (
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "pub_date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "date",
)

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SLASHED_RE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DOTTED_DAY_FIRST_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 02.03.2026
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_DAY_MONTH_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MONTH_DAY_RE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_UPDATED_RE = re.compile(r"updat|modif|edited|revised|aktualisiert|mis à jour", re.I)
_PUBLISHED_CLASS_RE = re.compile(r"publish|pubdate|posted|dateline|created", re.I)


def _in_range(year: int) -> bool:
    return 1800 <= year <= 2200


def _day(year: str, month: str | int, day: str) -> str | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value.isoformat() if _in_range(value.year) else None


def normalize_date(value: Any) -> str | None:
    """ISO 8601 from the usual page spellings; a date alone when there is no usable time."""
    if not isinstance(value, str):
        return None
    text = value.strip()[:64]
    if not text:
        return None
    if len(text) == 10 and _DATE_RE.match(text):
        return _day(text[:4], text[5:7], text[8:10])
    if match := _COMPACT_RE.match(text):
        return _day(match[1], match[2], match[3])
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        pass
    else:
        return parsed.isoformat() if _in_range(parsed.year) else None
    match = _DATE_RE.match(text)
    if match:
        return _day(match[1], match[2], match[3])
    for pattern in (_SLASHED_RE, _COMPACT_RE):
        match = pattern.match(text)
        if match:
            return _day(match[1], match[2], match[3])
    match = _DOTTED_DAY_FIRST_RE.match(text)
    if match:
        return _day(match[3], match[2], match[1])
    if "," in text or text[:1].isalpha():
        try:
            mailed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            mailed = None
        if mailed is not None and _in_range(mailed.year):
            return mailed.isoformat()
    return _printed_day(text)


def _printed_day(text: str) -> str | None:
    match = _DAY_MONTH_RE.search(text)
    if match and match[2].lower() in _MONTHS:
        return _day(match[3], _MONTHS[match[2].lower()], match[1])
    match = _MONTH_DAY_RE.search(text)
    if match and match[1].lower() in _MONTHS:
        return _day(match[3], _MONTHS[match[1].lower()], match[2])
    return None


def _value(el: Any) -> str | None:
    for key in ("datetime", "content"):
        found = normalize_date(attr(el, key))
        if found:
            return found
    return normalize_date(" ".join(el.text_content().split())[:64])


def _is_update(el: Any) -> bool:
    parent = el.getparent()
    context = labels(el)
    if parent is not None:
        context += f" {labels(parent)} {(parent.text or '')[:40]}"
    previous = el.getprevious()
    if previous is not None:
        context += f" {previous.text_content()[:40]}"
    return bool(_UPDATED_RE.search(context))


def printed_date(root: Any, h1: Any) -> str | None:
    """The publication date printed on the page; None when it prints none usable."""
    for count, el in enumerate(root.xpath("//*[@itemprop]")):
        if count > 500:
            break
        if el.tag == "meta" or "datepublished" not in attr(el, "itemprop").lower().split():
            continue
        if not is_chrome(el) and (found := _value(el)):
            return found
    times = list(islice(root.iter("time"), 200))
    for el in times:
        marked = el.get("pubdate") is not None or _PUBLISHED_CLASS_RE.search(labels(el))
        if marked and not _is_update(el) and not is_chrome(el) and (found := _value(el)):
            return found
    if h1 is not None:
        scope = headline_scope(h1)
        nearby = [t for t in scope.iter("time")] + [t for t in near_headline(h1) if t.tag == "time"]
        for el in nearby:
            if not is_chrome(el, stop=scope) and not _is_update(el) and (found := _value(el)):
                return found
    for el in times:
        usable = el.get("datetime") and not is_chrome(el) and not _is_update(el)
        if usable and (found := _value(el)):
            return found
    return None
