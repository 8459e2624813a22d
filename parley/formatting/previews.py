"""Link previews inside posts: the title of a bare link, and the card for a link alone on its
line. Every preview field is untrusted text from a remote page: cleaned, capped and escaped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from html import escape

from .datatypes import LinkPreview
from .urls import safe_href

CAPS = {
    "title": 300,
    "site_name": 100,
    "section": 100,
    "description": 500,
    "image_caption": 300,
    "image_credit": 200,
    "author": 200,
    "published": 40,
    "status_note": 200,
    "label": 60,
    "history": 400,
}
MAX_LABELS = 6
MAX_HISTORY = 5
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_SPACE_RE = re.compile(r"\s+")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def clean_field(value: str, limit: int) -> str:
    """One line of plain text, without control characters, at most `limit` characters."""
    text = _SPACE_RE.sub(" ", _CONTROL_RE.sub(" ", value or "")).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def date_html(value: str) -> str:
    """`<time datetime="2026-11-20">20 Nov 2026</time>` for an ISO date, else escaped text."""
    text = clean_field(value, CAPS["published"])
    if not text:
        return ""
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return escape(text)
    label = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f'<time datetime="{day.isoformat()}">{label}</time>'


def find_preview(
    previews: Mapping[str, LinkPreview], href: str, written: str = ""
) -> LinkPreview | None:
    """The preview for a link, looked up by its href and by the URL text as written."""
    for key in (href, written.strip()):
        if key and (p := previews.get(key)) is not None:
            return p
    return None


def preview_title(preview: LinkPreview | None) -> str:
    return clean_field(preview.title, CAPS["title"]) if preview is not None else ""


def render_card(href: str, preview: LinkPreview) -> str:
    """A link card. `href` must already be a safe, escaped-on-output link target."""

    def field(name: str) -> str:
        return escape(clean_field(getattr(preview, name), CAPS[name]))

    title = field("title")
    parts = ['<div class="link-card">']
    image = preview.image_url.strip()
    if image.startswith("/media/") and ".." not in image and safe_href(image) == image:
        alt = field("image_caption") or title
        parts.append(
            '<figure class="link-card-image">'
            f'<img src="{escape(image)}" alt="{alt}" loading="lazy">'
        )
        caption, credit = field("image_caption"), field("image_credit")
        if caption or credit:
            credit_html = f'<span class="credit">{credit}</span>' if credit else ""
            parts.append(
                f"<figcaption>{' '.join(x for x in (caption, credit_html) if x)}</figcaption>"
            )
        parts.append("</figure>")
    parts.append('<div class="link-card-body">')
    site, section = field("site_name"), field("section")
    if site or section:
        bits = []
        if site:
            bits.append(f'<span class="link-card-site">{site}</span>')
        if section:
            bits.append(f'<span class="link-card-section">{section}</span>')
        parts.append(f'<div class="link-card-source">{" · ".join(bits)}</div>')
    if labels := [escape(clean_field(x, CAPS["label"])) for x in preview.labels[:MAX_LABELS]]:
        spans = "".join(f'<span class="source-label">{x}</span>' for x in labels if x)
        parts.append(f'<div class="link-card-labels">{spans}</div>')
    parts.append(f'<div class="link-card-title"><a href="{escape(href)}">{title}</a></div>')
    if description := field("description"):
        parts.append(f'<div class="link-card-description">{description}</div>')
    author, published = field("author"), date_html(preview.published)
    if author or published:
        bits = []
        if author:
            bits.append(f'<span class="link-card-author">{author}</span>')
        if published:
            bits.append(published)
        parts.append(f'<div class="link-card-byline">{", ".join(bits)}</div>')
    if note := field("status_note"):
        parts.append(f'<div class="link-card-note">{note}</div>')
    parts.append(_history_html(preview))
    parts.append("</div></div>")
    return "".join(parts)


def _history_html(preview: LinkPreview) -> str:
    """What re-checks found (dated lines) and a link to the article's history page."""
    items = [
        f"<li>{date_html(day)} {escape(clean_field(text, CAPS['history']))}</li>"
        for day, text in preview.history[-MAX_HISTORY:]
    ]
    html = f'<ul class="link-card-history">{"".join(items)}</ul>' if items else ""
    url = preview.history_url.strip()
    if url.startswith("/") and not url.startswith("//") and safe_href(url) == url:
        html += f'<a class="link-card-history-link" href="{escape(url)}">Article history</a>'
    return html
