"""Article-paste detection: which paragraphs of a post were pasted from a linked article.

A paragraph counts as pasted when at least PASTE_THRESHOLD of its word 3-shingles occur in
the article. Words are case-folded, NFKC-normalised runs of letters/digits, so changed
whitespace, curly vs straight quotes, dashes and small edits barely matter. Paragraphs of
fewer than MIN_WORDS words are never called pasted (too little evidence). Deterministic,
linear in the sizes of post and article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

SHINGLE = 3
PASTE_THRESHOLD = 0.6
MIN_WORDS = 6

_WORD_RE = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def _shingles(ws: Sequence[str]) -> list[str]:
    if len(ws) < SHINGLE:
        return []
    return [" ".join(ws[i : i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)]


@lru_cache(maxsize=16)
def _article(article_text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    ws = tuple(words(article_text))
    return ws, frozenset(_shingles(ws))


def _containment(paragraph: str, article: frozenset[str]) -> tuple[float, list[str]]:
    ws = words(paragraph)
    if len(ws) < MIN_WORDS:
        return 0.0, []
    sh = _shingles(ws)
    hits = sum(1 for s in sh if s in article)
    return hits / len(sh), sh


def find_pasted_paragraphs(paragraphs: Sequence[str], article_text: str) -> list[bool]:
    """For each paragraph, whether it was (mostly) pasted from the article."""
    if not article_text.strip():
        return [False] * len(paragraphs)
    _, article = _article(article_text)
    return [_containment(p, article)[0] >= PASTE_THRESHOLD for p in paragraphs]


def quoted_share(paragraphs: Sequence[str], article_text: str) -> float:
    """Fraction (0..1) of the article's words that the post's pasted paragraphs reproduce.

    Only paragraphs that count as pasted contribute, so a common three-word phrase in the
    member's own words does not inflate the share.
    """
    article_words, article = _article(article_text)
    if not article_words:
        return 0.0
    quoted: set[str] = set()
    for p in paragraphs:
        score, sh = _containment(p, article)
        if score >= PASTE_THRESHOLD:
            quoted.update(sh)
    if not quoted:
        return 0.0
    covered = bytearray(len(article_words))
    for i in range(len(article_words) - SHINGLE + 1):
        if " ".join(article_words[i : i + SHINGLE]) in quoted:
            covered[i : i + SHINGLE] = b"\x01" * SHINGLE
    return sum(covered) / len(article_words)
