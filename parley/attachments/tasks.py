"""Periodic housekeeping of uploads."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remove_orphan_attachments() -> int:
    """Uploads never placed in a post within PARLEY_ATTACHMENT_ORPHAN_HOURS."""
    return services.remove_orphans()
