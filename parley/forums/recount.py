"""Rebuild every derived counter from the rows it counts, and report what was wrong.

Each counter is computed with one grouped query per table, compared in Python, and only the
rows that differ are written, so a healthy forum costs a handful of reads and no writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, Sum

from parley.members.models import Member

from .counters import COUNTED
from .models import Forum, Post, Reaction, State, Thread


@dataclass(frozen=True)
class Correction:
    model: str
    pk: int
    field: str
    stored: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.model} {self.pk}: {self.field} was {self.stored!r}, is {self.actual!r}"


def _fix(model: Any, rows: dict[int, dict[str, Any]], fields: list[str]) -> list[Correction]:
    corrections: list[Correction] = []
    name = model.__name__
    for obj in model.objects.only("pk", *fields).iterator(chunk_size=2000):
        actual = rows.get(obj.pk, {})
        changed = {}
        for field in fields:
            want = actual.get(field, _ZERO.get(field))
            have = getattr(obj, field)
            if have != want:
                corrections.append(Correction(name, obj.pk, field, have, want))
                changed[field] = want
        if changed:
            model.objects.filter(pk=obj.pk).update(**changed)
    return corrections


_ZERO: dict[str, Any] = {
    "reply_count": 0,
    "thread_count": 0,
    "post_count": 0,
    "message_count": 0,
    "reaction_score": 0,
    "last_post_id": None,
    "first_post_id": None,
}


def _thread_rows() -> dict[int, dict[str, Any]]:
    """Each thread's counters as `counters.thread_values` defines them, in grouped queries."""
    threads: dict[int, dict[str, Any]] = {}
    for row in Post.objects.values("thread_id").annotate(first=Min("id")):
        threads[row["thread_id"]] = {
            "first_post_id": row["first"],
            "last_post_id": None,
            "reply_count": 0,
        }
    for row in (
        Post.objects.filter(state=State.VISIBLE)
        .values("thread_id")
        .annotate(n=Count("id"), last=Max("id"))
    ):
        threads[row["thread_id"]].update(last_post_id=row["last"], reply_count=row["n"])
    visible_firsts = set(
        Post.objects.filter(
            pk__in=[t["first_post_id"] for t in threads.values()], state=State.VISIBLE
        ).values_list("pk", flat=True)
    )
    for values in threads.values():
        if values["first_post_id"] in visible_firsts:
            values["reply_count"] -= 1
    return threads


def recount_all() -> list[Correction]:
    with transaction.atomic():
        corrections: list[Correction] = []

        threads = _thread_rows()
        last_times = dict(
            Post.objects.filter(
                pk__in=[t["last_post_id"] for t in threads.values() if t["last_post_id"]]
            ).values_list("id", "created_at")
        )
        fields = ["reply_count", "first_post_id", "last_post_id"]
        corrections += _fix(Thread, threads, fields)
        # last_post_at has no zero value; only threads with a visible post are checked.
        with_last = {pk: v for pk, v in threads.items() if v["last_post_id"]}
        for thread in Thread.objects.filter(pk__in=list(with_last)).only("pk", "last_post_at"):
            want = last_times[with_last[thread.pk]["last_post_id"]]
            if thread.last_post_at != want:
                corrections.append(
                    Correction("Thread", thread.pk, "last_post_at", thread.last_post_at, want)
                )
                Thread.objects.filter(pk=thread.pk).update(last_post_at=want)

        forums: dict[int, dict[str, Any]] = defaultdict(dict)
        for row in (
            Thread.objects.filter(state=State.VISIBLE).values("forum_id").annotate(n=Count("id"))
        ):
            forums[row["forum_id"]]["thread_count"] = row["n"]
        for row in (
            Post.objects.filter(COUNTED)
            .values("thread__forum_id")
            .annotate(n=Count("id"), last=Max("id"))
        ):
            forums[row["thread__forum_id"]]["post_count"] = row["n"]
            forums[row["thread__forum_id"]]["last_post_id"] = row["last"]
        corrections += _fix(Forum, forums, ["thread_count", "post_count", "last_post_id"])

        members: dict[int, dict[str, Any]] = defaultdict(dict)
        for row in Post.objects.filter(COUNTED).values("author_id").annotate(n=Count("id")):
            members[row["author_id"]]["message_count"] = row["n"]
        for row in (
            Reaction.objects.filter(post__state=State.VISIBLE, post__thread__state=State.VISIBLE)
            .values("post__author_id")
            .annotate(s=Sum("type__score"))
        ):
            members[row["post__author_id"]]["reaction_score"] = row["s"] or 0
        corrections += _fix(Member, members, ["message_count", "reaction_score"])
        return corrections
