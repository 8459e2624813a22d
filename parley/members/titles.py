"""Rank titles: the ladder is read once per request (it has a handful of rows) and applied in
Python, so a page of 20 posts costs one query for titles, not twenty."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Member, TitleRung


@dataclass(frozen=True)
class Ladder:
    thresholds: Sequence[int]
    titles: Sequence[str]

    @classmethod
    def load(cls) -> Ladder:
        rungs = list(
            TitleRung.objects.order_by("min_messages").values_list("min_messages", "title")
        )
        return cls([r[0] for r in rungs], [r[1] for r in rungs])

    def title_for(self, message_count: int) -> str:
        index = bisect_right(self.thresholds, message_count) - 1
        return self.titles[index] if index >= 0 else ""


def rank_title(member: Member, ladder: Ladder) -> str:
    return member.custom_title or ladder.title_for(member.message_count)
