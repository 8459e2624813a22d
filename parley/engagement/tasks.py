"""The periodic prune `parley serve` queues: read state the horizon has made useless."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from parley.forums.models import Thread

from .models import ReadMark, ThreadRead
from .queries import horizon


@transaction.atomic
def prune_read_state() -> dict[str, int]:
    """Delete read rows of threads quiet since before the horizon and marks older than it:
    everything they said is implied by the horizon, so unread state does not change."""
    floor = horizon()
    quiet = Thread.objects.filter(last_post_at__lte=floor).values("pk")
    rows = ThreadRead.objects.filter(thread_id__in=quiet).delete()[0]
    marks = ReadMark.objects.filter(read_before__lte=floor).delete()[0]
    return {"thread_rows": rows, "marks": marks}


@task()
def read_state_prune() -> dict[str, int]:
    return prune_read_state()
