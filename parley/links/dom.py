"""Small helpers over a parsed page (lxml) shared by the extraction modules.

The card rules (bylines, sections, captions, dates) all ask the same two questions of an
element: what does its markup call it (class, id, itemprop), and is it part of the article
or of the page's chrome — navigation, asides, footers, teaser lists of other articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "attr",
    "following",
    "headline_scope",
    "is_chrome",
    "labels",
    "near_headline",
    "text_of",
]

# Containers of other articles or site furniture: names found there belong to someone else.
_CHROME_TAGS = frozenset({"aside", "nav", "footer", "menu", "dialog", "form"})
_CHROME_CLASS_RE = re.compile(
    r"related|teaser|recommend|read-?(?:next|more)|more-?(?:stories|from|on)|also-?read"
    r"|promo|sidebar|most-?(?:popular|read|viewed)|trending|recirc|outbrain|taboola"
    r"|newsletter|footer|site-?header|masthead|navigation|menu|widget|carousel"
    # Whole words only: "commentary" and "trail" are not chrome.
    r"|(?:^|[\s_-])(?:card|cards|list|listing|feed|tiles?|nav|rail|comments)(?:$|[\s_-])",
    re.I,
)
# A list item is a teaser unless its list is the article's own: authors, crumbs, credits,
# or the line of facts printed under a headline ("article-meta", "story-info").
_OWN_LIST_RE = re.compile(
    r"author|byline|contributor|breadcrumb|credit|meta|info|detail|dateline|timestamp", re.I
)
_MAX_DEPTH = 40


def attr(el: Any, name: str) -> str:
    value = el.get(name)
    return value if isinstance(value, str) else ""


def labels(el: Any) -> str:
    """What the markup calls an element: its class, id, itemprop and data-component."""
    return (
        f"{attr(el, 'class')} {attr(el, 'id')} {attr(el, 'itemprop')} "
        f"{attr(el, 'data-component')} {attr(el, 'data-testid')}"
    )


def text_of(el: Any) -> str:
    """The element's visible text, whitespace collapsed, with a space between child
    elements so that "<span>Photograph</span><span>Ann Lee</span>" does not glue."""
    parts: list[str] = []
    _collect(el, parts, 0)
    return " ".join(" ".join(parts).split())


_SKIP_TEXT = frozenset({"script", "style", "template", "noscript", "svg", "button"})
_HIDDEN_RE = re.compile(r"visually-hidden|sr-only|screen-reader|offscreen|a11y|hidden", re.I)


def _collect(el: Any, parts: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if el.text:
        parts.append(el.text)
    for child in el:
        visible = isinstance(child.tag, str) and child.tag not in _SKIP_TEXT
        if visible and not (
            _HIDDEN_RE.search(attr(child, "class")) or child.get("hidden") is not None
        ):
            _collect(child, parts, depth + 1)
        if child.tail:
            parts.append(child.tail)


def is_chrome(el: Any, *, stop: Any = None) -> bool:
    """Whether the element sits in navigation, an aside, a footer or a teaser of another
    article (up to, not including, `stop`)."""
    for depth, anc in enumerate(_self_and_ancestors(el)):
        if anc is stop or depth > _MAX_DEPTH:
            return False
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in _CHROME_TAGS:
            return True
        if tag == "li":
            parent = anc.getparent()
            if parent is None or not _OWN_LIST_RE.search(labels(parent)):
                return True
        if depth and _CHROME_CLASS_RE.search(f"{attr(anc, 'class')} {attr(anc, 'id')}"):
            return True
    return False


def _self_and_ancestors(el: Any) -> Iterator[Any]:
    yield el
    yield from el.iterancestors()


def headline_scope(h1: Any) -> Any:
    """The block that holds the headline and what is printed around it (kicker, byline,
    date, lead image): the nearest <header>, else the h1's grandparent."""
    for depth, anc in enumerate(h1.iterancestors()):
        if depth > 6 or anc.tag in ("body", "html"):
            break
        if anc.tag == "header" and not is_chrome(anc):
            return anc
        if anc.tag in ("article", "main"):
            return anc
    parent = h1.getparent()
    if parent is None:
        return h1
    grandparent = parent.getparent()
    if grandparent is None or grandparent.tag in ("body", "html"):
        return parent
    return grandparent


def following(el: Any) -> Iterator[Any]:
    """Elements after `el` in document order (its own descendants excluded)."""
    current = el
    while current is not None:
        nxt = current.getnext()
        while nxt is None:
            current = current.getparent()
            if current is None:
                return
            nxt = current.getnext()
        for sub in nxt.iter():
            if isinstance(sub.tag, str):
                yield sub
        current = nxt


def near_headline(h1: Any, limit: int = 300) -> list[Any]:
    """Elements that follow the headline in document order, up to the first long
    paragraph of body text (where the article proper begins) or `limit` elements."""
    found: list[Any] = []
    for el in following(h1):
        if len(found) >= limit:
            break
        if el.tag == "p" and len(el.text_content()) > 150 and not is_chrome(el):
            break  # the body begins
        found.append(el)
    return found
