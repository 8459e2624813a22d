"""Who wrote the article, when the page's metadata does not say it usefully.

Metadata authors are often the publisher itself ("The Harbour Times"), a social handle
("@harbourtimes"), or a CMS placeholder ("Staff", "Web Desk", "admin"). Such names are
dropped (`usable_authors`), and the byline printed on the page is read instead
(`visible_byline`): `itemprop=author`, `rel=author`, or an element classed like a byline or
an author name, near the headline first. Bylines inside navigation, asides, footers and
teasers of other articles are never taken. A press agency ("By Northwire") is a real
byline and is kept.
"""

from __future__ import annotations

import re
from typing import Any

from .dom import attr, headline_scope, is_chrome, labels

__all__ = ["usable_authors", "visible_byline"]

_LIMIT = 200
_BYLINE_CLASS_RE = re.compile(
    r"byline|(?:^|[\s_-])(?:authors?|writers?|contributors?)(?:$|[\s_-])"
    r"|author-?names?|authorname|(?:article|story|post|entry)-?authors?",
    re.I,
)
# Parts of an author box that are not the name.
_NOT_NAME_CLASS_RE = re.compile(
    r"bio|avatar|photo|image|img|follow|social|twitter|role|job|position|description"
    r"|about|headshot|pic|date|time|publish|updated|label|icon|email|count",
    re.I,
)
_PREFIX_RE = re.compile(
    r"^(?:(?:written|words|reporting|reported|story|text|analysis)\s+by"
    r"|by|von|par|por|from|author|autor|auteur|text)\b\s*:?\s*",
    re.I,
)
_PLACE_RE = re.compile(r"\s+in\s+[A-Z][\w' .-]*$")
_HANDLE_RE = re.compile(r"(?<![\w.])@\w+")
# Where the name ends and the date or reading time printed after it begins.
_TAIL_RE = re.compile(
    r"\s*(?:\b(?:published|updated|posted|last\s+updated|modified|on)\b|\d|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d).*$",
    re.I | re.S,
)
_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b)\s*")
# Between pieces of a byline line; a full stop ends a piece unless it ends an initial.
_SEPARATOR_RE = re.compile(r"\s*[|•·—–]\s*|\s+-\s+|(?<=\w\w)\.\s+|;\s*")
# Pieces that credit someone other than the writer.
_NOT_WRITER_RE = re.compile(
    r"^(?:photos?|photographs?|pictures?|video|graphics?|illustrations?|design|editing"
    r"|edited|produced|additional\s+reporting|with\s+reporting)\b",
    re.I,
)
_ROLE_RE = re.compile(
    r"correspondent|editor|reporter|writer|columnist|analyst|contributor|journalist"
    r"|producer|presenter|photographer|staff|updated|published|min(?:ute)?s?\s+read|ago",
    re.I,
)
# Words that, alone or around the publisher's name, name no person.
_GENERIC_WORDS = frozenset(
    [
        "staff",
        "team",
        "desk",
        "newsdesk",
        "webdesk",
        "web",
        "digital",
        "online",
        "news",
        "newsroom",
        "editors",
        "editor",
        "editorial",
        "reporters",
        "reporter",
        "correspondent",
        "correspondents",
        "admin",
        "administrator",
        "user",
        "unknown",
        "anonymous",
        "null",
        "none",
        "undefined",
        "na",
        "author",
        "authors",
        "guest",
        "contributor",
        "default",
        "redaktion",
        "rédaction",
        "redacción",
        "redazione",
        "redactie",
        "the",
        "our",
        "by",
        "wire",
    ]
)
_URLISH_RE = re.compile(r"://|^www\.|^[\w-]+\.(?:com|net|org|[a-z]{2})(?:/|$)", re.I)


def _norm(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _site_keys(site_name: str | None, host: str) -> set[str]:
    keys = set()
    if site_name:
        keys.add(_norm(site_name))
        keys.add(_norm(re.sub(r"^the\s+", "", site_name, flags=re.I)))
    labels_ = [p for p in host.lower().split(".") if p and p != "www"]
    if labels_:
        keys.add(_norm("".join(labels_)))
    if len(labels_) >= 2:
        keys.add(_norm("".join(labels_[:-1])))
        keys.add(_norm(labels_[-2]))
    keys.discard("")
    return keys


def _is_person_or_agency(name: str, site_keys: set[str]) -> bool:
    if name.startswith("@") or _URLISH_RE.search(name):
        return False  # a social handle or an address
    words = [w for w in re.split(r"[\s.\-]+", name.lower()) if w]
    meaningful = [w for w in words if _norm(w) not in _GENERIC_WORDS]
    if not meaningful:
        return False  # "Staff", "Web Desk", "admin"
    rest = _norm("".join(meaningful))
    return rest not in site_keys and _norm(name) not in site_keys


def usable_authors(value: str | None, *, site_name: str | None, host: str) -> str | None:
    """The metadata author without the publisher, handles and placeholders; None if
    nothing is left. Names are kept as written when all of them are usable."""
    if not value:
        return None
    keys = _site_keys(site_name, host)
    names = [n.strip() for n in value.split(",") if n.strip()]
    kept = [n for n in names if _is_person_or_agency(n, keys)]
    if kept == names:
        return value
    return ", ".join(kept) or None


_HINTS = ("author", "byline", "writer", "contributor")


def _candidates(root: Any) -> list[Any]:
    found = []
    for el in root.iter():
        # A cheap look at the raw attributes first: this loop visits every element.
        raw = (
            f"{el.get('class') or ''}{el.get('id') or ''}{el.get('itemprop') or ''}"
            f"{el.get('rel') or ''}{el.get('data-component') or ''}{el.get('data-testid') or ''}"
        ).lower()
        if not raw or not any(hint in raw for hint in _HINTS):
            continue
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body"):
            continue
        own = labels(el)
        if (
            "author" in attr(el, "itemprop").lower().split()
            or "author" in attr(el, "rel").lower().split()
            or (_BYLINE_CLASS_RE.search(own) and not _NOT_NAME_CLASS_RE.search(own))
        ):
            found.append(el)
            if len(found) >= 60:
                break
    return found


def _is_teaser(el: Any, h1: Any) -> bool:
    """Inside a block that links another article's headline (and not this one's)."""
    for depth, anc in enumerate(el.iterancestors()):
        if depth > 5 or anc.tag in ("body", "html", "main"):
            return False
        if h1 is not None and (anc is h1 or h1 in anc.iterdescendants("h1")):
            return False
        if len(anc.text_content()) > 1500:
            return False  # a whole article, not a teaser of one
        if anc.xpath("boolean(.//h2//a | .//h3//a | .//h4//a | .//a//h2 | .//a//h3 | .//a//h4)"):
            return True
    return False


def _name_text(el: Any) -> str:
    names = [n for n in el.iter() if "name" in attr(n, "itemprop").lower().split()]
    if names:
        return ", ".join(" ".join((n.get("content") or n.text_content()).split()) for n in names)
    parts: list[str] = []
    _gather(el, parts, 0)
    return " ".join(" ".join(parts).split())


def _gather(el: Any, parts: list[str], depth: int) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if (
            isinstance(child.tag, str)
            and depth < 12
            and child.tag not in ("time", "img", "svg", "script", "style", "button")
            and not _NOT_NAME_CLASS_RE.search(labels(child))
            and not re.search(r"visually-hidden|sr-only", attr(child, "class"))
        ):
            _gather(child, parts, depth + 1)
        if child.tail:
            parts.append(child.tail)
        parts.append(" ")


def parse_byline(text: str, site_keys: set[str]) -> list[str]:
    """Names in a printed byline: "By Ann Lee and Tom Roe in Riga | 3 min read"."""
    names: list[str] = []
    text = _HANDLE_RE.sub(" ", text)
    for piece in _SEPARATOR_RE.split(text)[:6]:
        if _NOT_WRITER_RE.match(piece.strip()):
            continue
        piece = _PREFIX_RE.sub("", _TAIL_RE.sub("", piece.strip()))
        for name in _SPLIT_RE.split(piece):
            name = _PREFIX_RE.sub("", name.strip(" .:,")).strip(" .:,")
            name = _PLACE_RE.sub("", name)
            if (
                name
                and len(name) <= 60
                and len(name.split()) <= 5
                and name[0].isupper()
                and not any(ch.isdigit() for ch in name)
                and not _ROLE_RE.search(name)
                and _is_person_or_agency(name, site_keys)
                and name not in names
            ):
                names.append(name)
    return names


def visible_byline(root: Any, h1: Any, *, site_name: str | None, host: str) -> str | None:
    """The byline printed with the article, names joined with ", "; None if there is none
    outside the page's chrome."""
    candidates = [el for el in _candidates(root) if not is_chrome(el) and not _is_teaser(el, h1)]
    # Outermost only: a byline block and the rel=author link inside it are one byline.
    chosen = set(candidates)
    outer = [el for el in candidates if not any(a in chosen for a in el.iterancestors())]
    if not outer:
        return None
    if h1 is not None:
        scope = headline_scope(h1)
        outer.sort(key=lambda el: 0 if scope in el.iterancestors() else 1)  # stable
    keys = _site_keys(site_name, host)
    for index, first in enumerate(outer[:12]):
        names = parse_byline(_name_text(first), keys)
        if not names:
            continue  # a byline block holding only a date, say
        for other in outer[index + 1 :]:
            if other.getparent() is first.getparent():  # co-authors printed side by side
                names.extend(n for n in parse_byline(_name_text(other), keys) if n not in names)
        return ", ".join(names)[:_LIMIT]
    return None
