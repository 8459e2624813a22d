"""Snippets with the searched words marked, cut from the post's own text (not the folded
index text, which has lost its capitals and accents): each word of the text is folded the
same way the index was, and marked when it matches. Everything is escaped; only our <mark>
tags are markup."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .normalise import words

_TOKEN = re.compile(r"[^\W_]+")
SNIPPET_CHARS = 240


def _matches(token: str, whole: set[str], starts: set[str]) -> bool:
    return any(word in whole or any(word.startswith(s) for s in starts) for word in words(token))


def _spans(text: str, whole: set[str], starts: set[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text) if _matches(m.group(), whole, starts)]


def _marked(text: str, spans: list[tuple[int, int]], offset: int) -> SafeString:
    out: list[str] = []
    at = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < at or end > len(text):
            continue
        out.append(escape(text[at:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def highlight(text: str, whole: set[str], starts: set[str]) -> SafeString:
    """All of a short text (a title), its matches marked."""
    return _marked(text, _spans(text, whole, starts), 0)


def snippet(text: str, whole: set[str], starts: set[str], size: int = SNIPPET_CHARS) -> SafeString:
    """About `size` characters of `text` around its first match, the matches marked."""
    text = " ".join(text.split())
    spans = _spans(text, whole, starts)
    begin = 0
    if spans and spans[0][0] > size // 3:
        begin = text.rfind(" ", 0, spans[0][0] - size // 3) + 1
    end = len(text) if len(text) - begin <= size else text.rfind(" ", begin, begin + size)
    if end <= begin:
        end = min(len(text), begin + size)
    piece = text[begin:end]
    inside = [(s, e) for s, e in spans if s >= begin and e <= end]
    body = _marked(piece, inside, begin)
    lead = "… " if begin > 0 else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(lead + body + tail)
