"""Parsing of bracket-tag heads, shared by BBCode and the bracket blocks of Markdown.

A head is `[name]`, `[name=option]`, `[name key=value …]` or `[name=option key=value …]`.
Values may be quoted with "…" or '…'; an unquoted option runs to `]` (or to a following
` key=`), an unquoted attribute value to whitespace or `]`. A head never spans lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_HEAD_LENGTH = 2000

_NAME_RE = re.compile(r"[A-Za-z]+|\*")
_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
_UNQUOTED_OPTION_RE = re.compile(r"[^\]\n]*")
_NEXT_KEY_RE = re.compile(r"\s+[A-Za-z][A-Za-z0-9_\-]*=")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s\]]*")


@dataclass(slots=True)
class TagHead:
    name: str  # lower-case
    option: str | None
    attrs: dict[str, str] = field(default_factory=dict)
    end: int = 0  # index just after the closing "]"


def _quoted(s: str, i: int, limit: int) -> tuple[str, int] | None:
    quote = s[i]
    j = s.find(quote, i + 1, limit)
    if j < 0 or "\n" in s[i + 1 : j]:
        return None
    return s[i + 1 : j], j + 1


def parse_head(s: str, pos: int) -> TagHead | None:
    """Parse the tag head starting at s[pos] == "[". None if it is not a well-formed head."""
    m = _NAME_RE.match(s, pos + 1)
    if m is None:
        return None
    name = m.group().lower()
    i = m.end()
    limit = min(len(s), pos + MAX_HEAD_LENGTH)
    option: str | None = None
    if i < limit and s[i] == "=":
        i += 1
        if i < limit and s[i] in "\"'":
            got = _quoted(s, i, limit)
            if got is None:
                return None
            option, i = got
        else:
            om = _UNQUOTED_OPTION_RE.match(s, i, limit)
            assert om is not None
            raw = om.group()
            nk = _NEXT_KEY_RE.search(raw)
            if nk is not None:
                raw = raw[: nk.start()]
            option = raw.strip()
            i += len(raw)
    attrs: dict[str, str] = {}
    while True:
        while i < limit and s[i] in " \t":
            i += 1
        if i >= limit:
            return None
        if s[i] == "]":
            return TagHead(name, option, attrs, i + 1)
        km = _KEY_RE.match(s, i, limit)
        if km is None:
            return None
        key = km.group().lower()
        i = km.end()
        if i >= limit or s[i] != "=":
            return None
        i += 1
        if i < limit and s[i] in "\"'":
            got = _quoted(s, i, limit)
            if got is None:
                return None
            value, i = got
        else:
            vm = _UNQUOTED_VALUE_RE.match(s, i, limit)
            assert vm is not None
            value = vm.group()
            i = vm.end()
        attrs.setdefault(key, value)


_POST_IN_OPTION_RE = re.compile(r",\s*post\s*:\s*(\d{1,18})", re.IGNORECASE)
_DIGITS_RE = re.compile(r"^\s*#?(\d{1,18})\s*$")
MAX_NAME_LENGTH = 100
MAX_ATTR_LENGTH = 300


def quote_fields(head: TagHead) -> dict[str, object]:
    """The Quote fields of a quote head: name and post id, and/or an article citation.

    Accepts `[quote=alice]`, `[quote="alice" post=123]`, the Discourse/XenForo style
    `[quote="alice, post: 123, topic: 4"]`, and `source= url= author= date=`.
    """
    name = (head.option or "").strip()
    post_id: int | None = None
    if name and (pm := _POST_IN_OPTION_RE.search(name)):
        post_id = int(pm.group(1))
        name = name[: name.index(",")].strip()
    elif "," in name and re.search(r",\s*\w+\s*:", name):
        name = name[: name.index(",")].strip()
    if "name" in head.attrs and not name:
        name = head.attrs["name"].strip()
    if (dm := _DIGITS_RE.match(head.attrs.get("post", ""))) is not None:
        post_id = int(dm.group(1))
    return {
        "name": name[:MAX_NAME_LENGTH],
        "post_id": post_id,
        "source": head.attrs.get("source", "").strip()[:MAX_ATTR_LENGTH],
        "url": head.attrs.get("url", "").strip()[: MAX_ATTR_LENGTH * 7],
        "author": head.attrs.get("author", "").strip()[:MAX_ATTR_LENGTH],
        "date": head.attrs.get("date", "").strip()[:40],
    }
