"""The section an article belongs to, when the page declares no `article:section`.

In order: a `BreadcrumbList` in JSON-LD, a breadcrumb trail in the page (`nav` or list
labelled "breadcrumb", or `itemtype=BreadcrumbList`), then a kicker printed with the
headline (classed kicker, eyebrow, overline, rubric, section label, or a
`rel="category"` link). From a trail, the home link and the article itself are dropped
and the most specific remaining crumb is the section ("Home > World > Europe > Headline"
gives "Europe").
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .dom import attr, headline_scope, is_chrome, labels, text_of

__all__ = ["breadcrumb_section", "kicker_section", "trail_section"]

_LIMIT = 200
_HOME = frozenset(
    [
        "home",
        "homepage",
        "start",
        "startseite",
        "accueil",
        "inicio",
        "portada",
        "forside",
        "etusivu",
        "главная",
    ]
)
_TRAIL_RE = re.compile(r"breadcrumb", re.I)
_KICKER_RE = re.compile(
    r"kicker|eyebrow|overline|supertitle|rubric"
    r"|section-?(?:name|label|title|link|tag)|(?:article|story|post)-?(?:section|category)"
    r"|category-?(?:name|label|link)|topic-?(?:label|link|name)",
    re.I,
)
# Labels printed where a section usually is, which are not sections.
_NOT_SECTIONS = frozenset(
    {
        "live", "breaking", "breaking news", "exclusive", "updated", "update", "new", "watch",
        "video", "listen", "sponsored", "advertisement", "advertisement feature", "developing",
        "just in", "paid content", "promoted", "live updates",
    }
)  # fmt: skip
_SEPARATORS = frozenset({">", "/", "›", "»", "|", "•", "·", "→", "-", "–"})


def _norm(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _usable(name: str) -> str | None:
    name = " ".join(name.split()).strip(" >/›»|•·-–:")
    if not name or len(name) > 60 or len(name.split()) > 5:
        return None
    if any(ch.isdigit() for ch in name) or name.lower() in _NOT_SECTIONS:
        return None
    return name[:_LIMIT]


def _pick(crumbs: list[tuple[str, str]], headline: str | None, page_path: str) -> str | None:
    """The most specific crumb that is neither home nor the article itself."""
    kept = []
    for name, url in crumbs:
        path = urlsplit(url).path.rstrip("/") if url else None
        if name.lower().strip() in _HOME or path == "":
            continue
        kept.append((name, path))
    if kept:
        name, path = kept[-1]
        key, whole = _norm(name), _norm(headline or "")
        is_article = (
            (key and key == whole)
            or (len(key) >= 20 and key[:20] == whole[:20])
            or (path and path == page_path)
            or len(name.split()) > 5
            # The current page is often printed unlinked; a section name is short.
            or (path is None and len(kept) > 1 and len(name.split()) >= 3)
        )
        if is_article:
            kept.pop()
    for name, _path in reversed(kept):
        usable = _usable(name)
        if usable:
            return usable
    return None


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def breadcrumb_section(
    nodes: list[dict[str, Any]], *, headline: str | None, page_url: str
) -> str | None:
    """The section from a JSON-LD BreadcrumbList."""
    page_path = urlsplit(page_url).path.rstrip("/")
    for node in nodes:
        if "breadcrumblist" not in _types(node):
            continue
        items = node.get("itemListElement")
        if not isinstance(items, list):
            continue
        crumbs: list[tuple[float, int, str, str]] = []
        for index, item in enumerate(items[:30]):
            if not isinstance(item, dict):
                continue
            target = item.get("item")
            name = item.get("name")
            url = ""
            if isinstance(target, dict):
                name = name or target.get("name")
                url = target.get("@id") or target.get("url") or ""
            elif isinstance(target, str):
                url = target
            if not isinstance(name, str) or not isinstance(url, str):
                continue
            try:
                position = float(item.get("position", index))
            except (TypeError, ValueError):
                position = float(index)
            crumbs.append((position, index, name, url))
        crumbs.sort()
        section = _pick([(n, u) for _p, _i, n, u in crumbs], headline, page_path)
        if section:
            return section
    return None


def _is_trail(el: Any) -> bool:
    return bool(
        _TRAIL_RE.search(f"{labels(el)} {attr(el, 'aria-label')}")
        or "breadcrumblist" in attr(el, "itemtype").lower()
    )


def trail_section(root: Any, *, headline: str | None, page_url: str) -> str | None:
    """The section from a breadcrumb trail printed on the page."""
    page_path = urlsplit(page_url).path.rstrip("/")
    for count, el in enumerate(root.iter("nav", "ol", "ul", "div", "p")):
        if count > 3000:
            break
        if not _is_trail(el):
            continue
        items = [li for li in el.iter("li")] or [a for a in el.iter("a", "span")]
        crumbs: list[tuple[str, str]] = []
        for item in items[:20]:
            if any(_is_trail(inner) for inner in item.iter("ol", "ul") if inner is not item):
                continue
            text = text_of(item)
            if not text or text in _SEPARATORS:
                continue
            link = item if item.tag == "a" else next(item.iter("a"), None)
            crumbs.append((text, attr(link, "href") if link is not None else ""))
        section = _pick(crumbs, headline, page_path)
        if section:
            return section
    return None


def kicker_section(h1: Any) -> str | None:
    """The kicker printed above or beside the headline."""
    scope = headline_scope(h1)
    for count, el in enumerate(scope.iter()):
        if count > 400:
            break
        if not isinstance(el.tag, str) or el is h1 or h1 in el.iterancestors():
            continue
        is_kicker = _KICKER_RE.search(labels(el)) or "category" in attr(el, "rel").split()
        if not is_kicker or is_chrome(el, stop=scope):
            continue
        section = _usable(text_of(el))
        if section:
            return section
    return None
