"""Worker heartbeats: written by `parley db_worker`, read by /healthz.

Every write is a single UPDATE/INSERT on the worker's own row, so heartbeats from several
workers never contend with each other.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from .models import WorkerHeartbeat

# Rows of workers gone this long are deleted when a worker starts (they only clutter).
FORGET_AFTER = timedelta(days=1)


def register_worker(*, worker_id: str) -> None:
    """The first heartbeat of a worker process; forgets workers long gone."""
    now = timezone.now()
    with transaction.atomic():
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
                "task_id": "",
                "task_started_at": None,
            },
        )


def beat(*, worker_id: str, task_id: str = "", task_started_at: datetime | None = None) -> None:
    """Touch the worker's row (re-creating it if an operator deleted it)."""
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=timezone.now(), task_id=task_id, task_started_at=task_started_at
    )
    if not updated:
        register_worker(worker_id=worker_id)


def forget_worker(*, worker_id: str) -> None:
    """A worker that stops cleanly removes its row (a silent row means it died)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_worker_ids(*, silent_after: float) -> set[str]:
    since = timezone.now() - timedelta(seconds=silent_after)
    return set(
        WorkerHeartbeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True)
    )


@dataclass(frozen=True)
class WorkerState:
    last_heartbeat_age: float | None  # seconds since the newest heartbeat; None: never seen
    queued_tasks: int  # tasks ready to run now
    oldest_queued_age: float | None  # seconds the oldest of them has waited


def worker_state() -> WorkerState:
    """Two indexed aggregate queries: newest heartbeat, and the ready queue's size and age."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    newest = WorkerHeartbeat.objects.aggregate(at=Max("beat_at"))["at"]
    queue = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    return WorkerState(
        last_heartbeat_age=None if newest is None else max(0.0, (now - newest).total_seconds()),
        queued_tasks=queue["n"],
        oldest_queued_age=(
            None if queue["oldest"] is None else max(0.0, (now - queue["oldest"]).total_seconds())
        ),
    )
