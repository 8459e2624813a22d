"""The background side: dispatch after commit, and the periodic sweep (PARLEY_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from . import dispatch


@task()
def dispatch_events(event_ids: list[int]) -> int:
    for event_id in event_ids:
        dispatch.dispatch(event_id)
    return len(event_ids)


@task()
def events_sweep() -> dict[str, int]:
    return dispatch.sweep()
