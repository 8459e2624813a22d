"""Thread view counts, buffered: a page view adds to a counter in memory, and the buffer is
written with one UPDATE per batch of threads (parley.core.writebuffer; docs/caching.md).
The stored count may lag by the flush interval."""

from __future__ import annotations

import operator

from django.db.models import Case, F, IntegerField, Value, When

from parley.core import writebuffer

from .models import Thread

BATCH = 500


def _write(counts: dict[int, int]) -> None:
    ids = sorted(counts)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        added = Case(
            *[When(pk=pk, then=Value(counts[pk])) for pk in chunk],
            default=Value(0),
            output_field=IntegerField(),
        )
        Thread.objects.filter(pk__in=chunk).update(view_count=F("view_count") + added)


views = writebuffer.register(writebuffer.Buffer("thread views", merge=operator.add, flush=_write))


def count_view(thread_id: int) -> None:
    views.add(thread_id, 1)


def flush() -> int:
    return views.flush()
