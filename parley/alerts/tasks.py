"""Background work: fan-out batches of watchers, and the periodic digests."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from parley.events.models import Event


@task()
def fan_out_post(event_id: int, post_id: int, kind: str, batch: list[list[Any]]) -> int:
    """Alert one batch of a post's watchers ([member id, watch asks for mail] pairs).
    A retry writes nothing twice (one alert per recipient and post)."""
    from .handlers import alert_watchers

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return alert_watchers(event, post_id, kind, batch)
