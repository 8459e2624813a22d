"""Which story a page belongs to: TF-IDF cosine of its weighted terms (`text.terms`) against
the pages published within the time window, joining the story of the closest page when it
is close enough. Pure functions; `services` reads and writes the rows.

Why this method (docs/decisions.md): pages are compared only with the pages of the same few
days, a few hundred at most on a busy forum, so an exact comparison is cheap and needs no
index (MinHash/LSH) and no numeric library; IDF taken over those same pages makes the words
of the week's big subject (the war, the election) weigh less than the words of this event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .text import cosine, idf, vector

# Tuned on the labelled set (tests/stories/labelled.py): every threshold from 0.15 to 0.25
# scores 1.0/1.0 there; 0.20 sits in the middle (bench/stories.py prints the curve).
THRESHOLD = 0.20


@dataclass
class Item:
    page_id: int
    at: datetime
    terms: dict[str, int]
    story_id: int | None = None
    # A page staff split off keeps its own story and never draws other pages into it.
    attracts: bool = True
    group: int = field(default=0, compare=False)


def best_match(
    new: Item, candidates: Sequence[Item], *, window: timedelta, threshold: float = THRESHOLD
) -> tuple[Item | None, float]:
    """The candidate closest to `new` among those published within `window` of it, if its
    similarity reaches `threshold`."""
    near = [
        c
        for c in candidates
        if c.attracts and c.page_id != new.page_id and abs(c.at - new.at) <= window and c.terms
    ]
    if not near or not new.terms:
        return None, 0.0
    weights = idf([new.terms, *(c.terms for c in near)])
    mine = vector(new.terms, weights)
    best, score = None, 0.0
    for candidate in near:
        similarity = cosine(mine, vector(candidate.terms, weights))
        if similarity > score:
            best, score = candidate, similarity
    return (best, score) if score >= threshold else (None, score)


def cluster(
    items: Sequence[Item], *, window: timedelta, threshold: float = THRESHOLD
) -> dict[int, int]:
    """Group pages in publication order, each joining the group of its closest earlier page
    (the order a live forum sees them in); returns page id -> group number. Items that
    already carry a `story_id` (staff decisions) keep it: they are groups of their own."""
    ordered = sorted(items, key=lambda i: (i.at, i.page_id))
    groups: dict[int, int] = {}
    by_story: dict[int, int] = {}
    seen: list[Item] = []
    next_group = 1
    for item in ordered:
        if item.story_id is not None:
            group = by_story.get(item.story_id)
            if group is None:
                group = by_story[item.story_id] = next_group
                next_group += 1
        else:
            match, _score = best_match(item, seen, window=window, threshold=threshold)
            if match is not None:
                group = match.group
            else:
                group = next_group
                next_group += 1
        item.group = group
        groups[item.page_id] = group
        seen.append(item)
    return groups
