"""Delivering events to subscribers, each (event, subscriber) pair on its own.

A delivery is claimed with one conditional UPDATE (pending and due, or running for longer
than the lease, i.e. its process died), so two dispatchers never run the same pair at once.
A handler that raises is retried later with exponential back-off and never stops the other
subscribers of the same event; after PARLEY_EVENTS_MAX_ATTEMPTS it is marked dead (kept,
counted by the sweep, tried again by `parley repair_events --retry-dead`)."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery, Event
from .registry import Subscriber, subscribers_for

log = logging.getLogger(__name__)

Status = Delivery.Status


def backoff(attempts: int) -> timedelta:
    """Wait before try number `attempts + 1`: base, twice that, four times … up to the cap."""
    base = settings.PARLEY_EVENTS_RETRY_BASE_SECONDS
    cap = settings.PARLEY_EVENTS_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def lease() -> timedelta:
    return timedelta(seconds=settings.PARLEY_EVENTS_LEASE_SECONDS)


def _claim(event: Event, name: str) -> bool:
    now = timezone.now()
    return bool(
        Delivery.objects.filter(event=event, subscriber=name)
        .filter(
            Q(status=Status.PENDING, due_at__lte=now)
            | Q(status=Status.RUNNING, started_at__lt=now - lease())
        )
        .update(status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1)
    )


def deliver(event: Event, sub: Subscriber) -> str:
    """Run one subscriber for one event if its delivery is due; returns the outcome."""
    if not _claim(event, sub.name):
        return "skipped"
    row = Delivery.objects.filter(event=event, subscriber=sub.name)
    # No transaction of our own around the handler: it may queue fetches or send mail, and
    # it is idempotent, so a half-done run is simply run again. Called inside someone
    # else's transaction, a savepoint keeps a handler's database error from poisoning it.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            sub.handler(event)
    except Exception as exc:  # a failing subscriber must not stop the others
        attempts = row.values_list("attempts", flat=True).get()
        dead = attempts >= settings.PARLEY_EVENTS_MAX_ATTEMPTS
        log.exception("event %s: subscriber %s failed (try %s)", event.pk, sub.name, attempts)
        row.update(
            status=Status.DEAD if dead else Status.PENDING,
            due_at=timezone.now() + backoff(attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return "dead" if dead else "retry"
    row.update(status=Status.DONE, done_at=timezone.now(), last_error="")
    return "done"


def dispatch(event_id: int) -> dict[str, str]:
    """Deliver one event to every subscriber of its kind (those not done yet, and due)."""
    event = Event.objects.filter(pk=event_id, settled_at__isnull=True).first()
    if event is None:
        return {}
    subs = subscribers_for(event.kind)
    if subs:
        now = timezone.now()
        Delivery.objects.bulk_create(
            [Delivery(event=event, subscriber=s.name, due_at=now) for s in subs],
            ignore_conflicts=True,
        )
    outcomes = {sub.name: deliver(event, sub) for sub in subs}
    settle(event)
    return outcomes


def deliver_inline(event_ids: list[int]) -> None:
    """Right after the commit, in the process that made the change: run the inline
    subscribers once. Whatever fails here stays pending for the worker's dispatch."""
    for event in Event.objects.filter(pk__in=event_ids, settled_at__isnull=True):
        subs = [s for s in subscribers_for(event.kind) if s.inline]
        if not subs:
            continue
        now = timezone.now()
        Delivery.objects.bulk_create(
            [Delivery(event=event, subscriber=s.name, due_at=now) for s in subs],
            ignore_conflicts=True,
        )
        for sub in subs:
            deliver(event, sub)


def settle(event: Event) -> bool:
    """Mark the event settled when no delivery of it waits any more."""
    waiting = Delivery.objects.filter(
        event=event, status__in=[Status.PENDING, Status.RUNNING]
    ).exists()
    if not waiting:
        Event.objects.filter(pk=event.pk).update(settled_at=timezone.now())
    return not waiting


def sweep(*, limit: int = 500) -> dict[str, int]:
    """Find events whose dispatch was lost, whose retries are due, or whose delivery was
    interrupted (running past the lease), and dispatch them again."""
    now = timezone.now()
    grace = now - timedelta(seconds=settings.PARLEY_EVENTS_SWEEP_GRACE_SECONDS)
    # Never dispatched at all (the queued task was lost): no delivery rows, a little old.
    undelivered = Event.objects.filter(
        settled_at__isnull=True, created_at__lt=grace, deliveries__isnull=True
    ).values_list("pk", flat=True)[:limit]
    due = (
        Delivery.objects.filter(
            Q(status=Status.PENDING, due_at__lte=now)
            | Q(status=Status.RUNNING, started_at__lt=now - lease())
        )
        .order_by("event_id")
        .values_list("event_id", flat=True)[:limit]
    )
    ids = sorted(set(undelivered) | set(due))
    counts = {"events": len(ids), "done": 0, "retry": 0, "dead": 0}
    for event_id in ids:
        for outcome in dispatch(event_id).values():
            if outcome in counts:
                counts[outcome] += 1
    return counts


def skip(name: str, event_ids: list[int]) -> int:
    """Record these events as handled by subscriber `name` without running it: for history
    that is not news to that subscriber (the demo's months of backdated posts must not
    become alerts and mails when the worker starts). Deliveries already made are kept."""
    now = timezone.now()
    rows = [
        Delivery(event_id=pk, subscriber=name, status=Status.DONE, due_at=now, done_at=now)
        for pk in event_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
