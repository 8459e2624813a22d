"""The values that cross the formatting package's boundary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Bump whenever the cooked output for some input changes; rows with an older version are
# re-cooked by `parley rebake`.
RENDER_VERSION: int = (
    5  # 3: remote images go through the image proxy; 4: Markdown spoilers; 5: [attach=ID], alt text
)


class Format(StrEnum):
    BBCODE = "bbcode"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class LinkPreview:
    """What is known of an external page (filled by the links app). Every field is untrusted."""

    url: str  # the URL as written in the post
    title: str = ""  # full page title, e.g. "Headline | World news | example.com"
    site_name: str = ""
    section: str = ""
    description: str = ""
    image_url: str = ""  # a LOCAL url (/media/...) served by Parley, never the remote one
    image_caption: str = ""
    image_credit: str = ""
    author: str = ""
    published: str = ""  # ISO date string or ""
    article_text: str = ""  # extracted main text of the article, for paste detection
    canonical_url: str = ""
    # What a later re-check found: "" or a short sentence shown on the card, such as
    # "The headline has changed since this was shared." (plain text, escaped on output).
    status_note: str = ""
    # Labels staff put on the article's source ("press agency", "paywall"), plain text.
    labels: tuple[str, ...] = ()
    # What re-checks found, oldest first: (ISO date, plain-text sentence).
    history: tuple[tuple[str, str], ...] = ()
    # A local page (/links/pages/…) with the article's whole history.
    history_url: str = ""


@dataclass(frozen=True)
class LinkRef:
    """An external (http/https) link of a post, in document order.

    `bare`: written as a bare URL (auto-linked, `<https://…>`, or BBCode `[url]x[/url]`).
    `alone`: a bare link that is the only thing on its line, so it may be shown as a card.
    """

    url: str
    bare: bool = False
    alone: bool = False


@dataclass(frozen=True)
class AttachmentRef:
    """An uploaded file a post may show (filled by the attachments app): `[attach=ID]` places
    it inline; the ones not placed are listed under the post. URLs are local paths."""

    id: int
    url: str
    name: str
    is_image: bool
    thumb_url: str = ""
    thumb_width: int = 0
    thumb_height: int = 0
    size: int = 0  # bytes


@dataclass(frozen=True)
class Cooked:
    html: str  # sanitized HTML
    text: str  # plain text (search, excerpts)
    links: tuple[LinkRef, ...]
    mentions: tuple[str, ...]  # names that were linked, as passed to the resolver, in order
    quoted_post_ids: tuple[int, ...]
    render_version: int
    # Remote (http/https) image URLs the post embeds, in order, once each: what the image
    # proxy must fetch (`cook(proxy_images=True)`).
    images: tuple[str, ...] = ()
    # Attachment ids placed inline with [attach=ID], in order, once each.
    placed_attachments: tuple[int, ...] = ()
