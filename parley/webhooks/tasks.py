"""Sending webhooks in the background; the sweep retries what is due."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def send_webhook(delivery_id: int) -> str:
    return services.send_delivery(delivery_id=delivery_id)


@task()
def webhooks_sweep() -> int:
    """Send deliveries whose retry is due (and any whose queued task was lost); forget
    finished ones past their keeping time."""
    now = timezone.now()
    services.prune_deliveries(now=now)
    due = services.due_delivery_ids(now)
    for pk in due:
        send_webhook.enqueue(pk)
    return len(due)
