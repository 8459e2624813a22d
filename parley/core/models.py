"""Operational rows of the core app (no domain data): the task workers' heartbeats."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per background-task worker process, touched every few seconds while it lives.

    A row in the database (rather than the cache) is seen by every process and every
    machine that shares the database, whatever cache the site uses; /healthz reads it.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    # The task it is running now (empty when idle), so a stuck task can be seen.
    task_id = models.CharField(max_length=64, blank=True)
    task_started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} (pid {self.pid} on {self.hostname})"


class Lease(models.Model):
    """A named lease held by one process until `expires_at` (parley.core.lease): the
    database fallback when there is no Redis. Taken and renewed by a conditional UPDATE, so
    two processes never both believe they hold it."""

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=128)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"lease {self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"
