"""Periodic housekeeping of drafts."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remove_old_drafts() -> int:
    """Drafts untouched for PARLEY_DRAFT_KEEP_DAYS."""
    return services.remove_old_drafts()
