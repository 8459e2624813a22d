"""Our own reading of what a member typed: words, "phrases", -exclusions and prefix*.

The result is a `ParsedQuery` of folded words only (letters and digits), from which each
engine writes its own query; what the member typed never reaches MATCH or to_tsquery.
Anything we cannot read gets a `QueryError` whose message is shown beside the search box.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalise import words

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 12
MIN_PREFIX_CHARS = 2


class QueryError(ValueError):
    """A query we cannot run; the message is for the member."""


@dataclass(frozen=True)
class Clause:
    """One word, or several that must appear together in order (a phrase)."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a longer one
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    def highlight_terms(self) -> tuple[set[str], set[str]]:
        """Whole words and word starts to mark in snippets (excluded words are not)."""
        whole: set[str] = set()
        starts: set[str] = set()
        for clause in self.positive:
            *head, last = clause.words
            whole.update(head)
            (starts if clause.prefix else whole).add(last)
        return whole, starts


def _clause(text: str, *, prefix: bool, negated: bool) -> Clause | None:
    found = tuple(words(text))
    if not found:
        return None  # punctuation only: nothing to look for
    if prefix and len(found[-1]) < MIN_PREFIX_CHARS:
        raise QueryError(f"Put at least {MIN_PREFIX_CHARS} letters before a *.")
    return Clause(found, prefix=prefix, negated=negated)


def parse_query(raw: str) -> ParsedQuery:
    """Read `raw`; raise QueryError with a message for the member if we cannot."""
    text = raw.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Search for at most {MAX_QUERY_CHARS} characters.")
    clauses: list[Clause] = []
    i, end = 0, len(text)
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < end and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close == -1:
                raise QueryError('A phrase is not closed: end it with a second ".')
            body, i = text[i + 1 : close], close + 1
            prefix = i < end and text[i] == "*"
            if prefix:
                i += 1
        else:
            start = i
            while i < end and not text[i].isspace() and text[i] != '"':
                i += 1
            body = text[start:i]
            prefix = body.endswith("*")
            body = body.rstrip("*")
        clause = _clause(body, prefix=prefix, negated=negated)
        if clause is not None and clause not in clauses:
            clauses.append(clause)
    if not clauses:
        raise QueryError("Type at least one word (letters or digits) to search for.")
    if len(clauses) > MAX_CLAUSES:
        raise QueryError(f"Use at most {MAX_CLAUSES} words and phrases.")
    if not any(not c.negated for c in clauses):
        raise QueryError("Add a word to look for: words with a - in front only leave posts out.")
    return ParsedQuery(tuple(clauses))
