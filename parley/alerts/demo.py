"""The demo's alerts, made cheaply: the demo's backdated history is recorded as already
handled by the alerts subscriber (no worker replays months of posts into alerts and mail),
then the alerts of a few members are rebuilt from the events that concern them."""

from __future__ import annotations

from collections.abc import Iterable

from parley.events.dispatch import skip
from parley.events.models import Event

from .handlers import KINDS, SUBSCRIBER, rebuild


def write_demo_alerts(*, after_event_id: int, member_ids: Iterable[int]) -> int:
    history = list(
        Event.objects.filter(pk__gt=after_event_id, kind__in=KINDS).values_list("pk", flat=True)
    )
    skip(SUBSCRIBER, history)
    return rebuild(only=set(member_ids))
