from __future__ import annotations

from parley.events.dispatch import dispatch
from parley.events.models import Event


def deliver_events() -> None:
    """What the worker does after each commit (a test's transaction never commits): deliver
    every event not yet settled, oldest first."""
    for pk in (
        Event.objects.filter(settled_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    ):
        dispatch(pk)
