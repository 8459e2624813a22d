"""Periodic housekeeping tasks of the core."""

from __future__ import annotations

from django_tasks import task

from . import writebuffer


@task()
def flush_write_buffers() -> dict[str, int]:
    """Write what this process buffered (views, read positions). Every serving process also
    flushes its own buffers every few seconds; this covers the task worker's."""
    return writebuffer.flush_all()
