"""A `ParsedQuery` matched in Python against text folded like the index: for small sets of
rows that are already narrowed by permission in SQL (one member's own conversations), where
an index would only have to be kept in step with edits that announce no event."""

from __future__ import annotations

from collections.abc import Sequence

from .normalise import words
from .parser import Clause, ParsedQuery


def _at(found: Sequence[str], start: int, clause: Clause) -> bool:
    last = len(clause.words) - 1
    for offset, word in enumerate(clause.words):
        here = found[start + offset]
        if offset == last and clause.prefix:
            if not here.startswith(word):
                return False
        elif here != word:
            return False
    return True


def _has(found: Sequence[str], clause: Clause) -> bool:
    span = len(clause.words)
    return any(_at(found, i, clause) for i in range(len(found) - span + 1))


def matches(query: ParsedQuery, text: str) -> bool:
    found = words(text)
    return all(_has(found, c) for c in query.positive) and not any(
        _has(found, c) for c in query.negative
    )
