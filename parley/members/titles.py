"""Rank titles: the ladder (a handful of rows) is read once and applied in Python, so a page of
20 posts costs at most one query for titles, not twenty, and none while the site is
unchanged."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from parley.core import stamps

from .models import Member, TitleRung


@dataclass(frozen=True)
class Ladder:
    thresholds: Sequence[int]
    titles: Sequence[str]

    @classmethod
    def load(cls) -> Ladder:
        """The ladder, read once per process until a site-wide change (stamps.per_site)."""
        return stamps.per_site("members.ladder", cls._read)

    @classmethod
    def _read(cls) -> Ladder:
        rungs = list(
            TitleRung.objects.order_by("min_messages").values_list("min_messages", "title")
        )
        return cls(tuple(r[0] for r in rungs), tuple(r[1] for r in rungs))

    def title_for(self, message_count: int) -> str:
        index = bisect_right(self.thresholds, message_count) - 1
        return self.titles[index] if index >= 0 else ""


def rank_title(member: Member, ladder: Ladder) -> str:
    return member.custom_title or ladder.title_for(member.message_count)
