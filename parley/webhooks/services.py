"""Webhooks: registering endpoints, queueing a delivery per event and endpoint, and sending
it (signed, through the guarded fetcher) with retries, a log, and an endpoint that keeps
failing switched off with a notice to staff."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parley.core.fetch import FetchError, post
from parley.links.previews import canonical_or_none
from parley.members.models import Member

from . import signing
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .payloads import Announcement

log = logging.getLogger(__name__)
NAMES = {choice.value for choice in WebhookEvent}


def check_endpoint(*, url: str, events: list[str]) -> None:
    if canonical_or_none(url) is None:
        raise ValidationError("Give the endpoint's address, starting with http:// or https://.")
    if not events:
        raise ValidationError("Choose at least one event.")
    if unknown := set(events) - NAMES:
        raise ValidationError(f"Unknown events: {', '.join(sorted(unknown))}.")


def register_endpoint(
    *, name: str, url: str, events: list[str], public_only: bool = True, is_active: bool = True
) -> WebhookEndpoint:
    url = url.strip()
    check_endpoint(url=url, events=events)
    with transaction.atomic():
        return WebhookEndpoint.objects.create(
            name=name.strip()[:100],
            url=url,
            events=sorted(set(events)),
            public_only=public_only,
            is_active=is_active,
            created_at=timezone.now(),
        )


def change_endpoint(
    *,
    endpoint: WebhookEndpoint,
    name: str,
    url: str,
    events: list[str],
    public_only: bool,
    is_active: bool,
) -> WebhookEndpoint:
    """Change an endpoint; switching a disabled one back on clears its failure count."""
    url = url.strip()
    check_endpoint(url=url, events=events)
    updates: dict[str, Any] = {
        "name": name.strip()[:100],
        "url": url,
        "events": sorted(set(events)),
        "public_only": public_only,
        "is_active": is_active,
    }
    if is_active and not endpoint.is_active:
        updates |= {"failures_in_row": 0, "disabled_at": None, "disabled_reason": ""}
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**updates)
    endpoint.refresh_from_db()
    return endpoint


def rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    from .models import new_secret

    secret = new_secret()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret


def queue_deliveries(
    *, event_id: int, created_at: datetime, announcement: Announcement
) -> list[int]:
    """One delivery per active endpoint that wants this event (once, however often the
    subscriber runs); returns the ids of the new ones."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(is_active=True)
        if announcement.event in e.events and (announcement.public or not e.public_only)
    ]
    if not endpoints:
        return []
    now = timezone.now()
    created: list[int] = []
    for endpoint in endpoints:
        body = json.dumps(
            {
                "event": announcement.event,
                "event_id": event_id,
                "occurred_at": created_at.isoformat(),
                "data": announcement.data,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
        with transaction.atomic():
            delivery, fresh = WebhookDelivery.objects.get_or_create(
                endpoint=endpoint,
                event_id=event_id,
                event=announcement.event,
                defaults={"body": body, "created_at": now, "next_try_at": now},
            )
        if fresh:
            created.append(delivery.pk)
    return created


def backoff(attempts: int) -> timedelta:
    seconds = settings.PARLEY_WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(min(attempts, 20) - 1, 0)
    return timedelta(seconds=min(seconds, settings.PARLEY_WEBHOOK_RETRY_MAX_SECONDS))


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take a due delivery with one conditional UPDATE, pushing its next try past the send
    deadline so a second sender (the sweep, a duplicate task) leaves it alone."""
    hold = now + timedelta(seconds=settings.PARLEY_WEBHOOK_DEADLINE + 60)
    with transaction.atomic():
        taken = WebhookDelivery.objects.filter(
            pk=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_try_at__lte=now,
            endpoint__is_active=True,
        ).update(next_try_at=hold)
    if not taken:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def send_delivery(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one delivery if it is due: "done", "retry", "failed", "disabled" or "skipped"."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    body = delivery.body.encode("utf-8")
    headers = signing.signed_headers(
        endpoint.secret,
        body=body,
        timestamp=int(time.time()),
        event=delivery.event,
        delivery_id=delivery.pk,
    )
    started = time.monotonic()
    code: int | None = None
    error = ""
    retry_after = 0
    try:
        answer = post(
            endpoint.url,
            body=body,
            headers=headers,
            max_bytes=16_000,
            deadline=settings.PARLEY_WEBHOOK_DEADLINE,
        )
        code = answer.status
    except FetchError as exc:
        code, error = exc.status, str(exc)
        retry_after = _retry_after(exc.headers.get("retry-after", ""))
    duration = int((time.monotonic() - started) * 1000)
    return _record(
        delivery,
        now=timezone.now(),
        code=code,
        error=error,
        duration=duration,
        retry_after=retry_after,
    )


def _retry_after(value: str) -> int:
    """A receiver's Retry-After in seconds (the delta form; a date is ignored), capped."""
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        return 0
    return min(int(value), settings.PARLEY_WEBHOOK_RETRY_MAX_SECONDS)


def _record(
    delivery: WebhookDelivery,
    *,
    now: datetime,
    code: int | None,
    error: str,
    duration: int,
    retry_after: int = 0,
) -> str:
    ok = not error
    attempts = delivery.attempts + 1
    endpoint = delivery.endpoint
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            ok=ok,
            response_code=code,
            duration_ms=duration,
            error=error[:300],
        )
        fields: dict[str, Any] = {
            "attempts": attempts,
            "last_response_code": code,
            "last_error": error[:300],
        }
        if ok:
            fields |= {"status": WebhookDelivery.Status.DONE, "delivered_at": now}
            outcome = "done"
        elif attempts >= settings.PARLEY_WEBHOOK_MAX_ATTEMPTS:
            fields |= {"status": WebhookDelivery.Status.FAILED}
            outcome = "failed"
        else:
            wait = max(backoff(attempts), timedelta(seconds=retry_after))
            fields |= {"next_try_at": now + wait}
            outcome = "retry"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            last_delivery_at=now,
            last_response_code=code,
            failures_in_row=0 if ok else F("failures_in_row") + 1,
        )
        if not ok:
            endpoint.refresh_from_db(fields=["failures_in_row", "is_active"])
            if endpoint.is_active and (
                endpoint.failures_in_row >= settings.PARLEY_WEBHOOK_DISABLE_AFTER
            ):
                _disable(endpoint, now, error)
                outcome = "disabled"
    return outcome


def _disable(endpoint: WebhookEndpoint, now: datetime, error: str) -> None:
    reason = (
        f"Disabled after {endpoint.failures_in_row} failed deliveries in a row; last error: {error}"
    )[:300]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_at=now, disabled_reason=reason
    )
    transaction.on_commit(lambda: notify_staff(endpoint_name=endpoint.name, reason=reason))
    log.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)


def notify_staff(*, endpoint_name: str, reason: str) -> int:
    """Mail the administrators (active staff with an address) that an endpoint was
    switched off; the admin's endpoint list shows it too."""
    recipients = list(
        Member.objects.filter(is_staff=True, is_active=True, is_superuser=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    return send_mail(
        subject=f"Parley: webhook endpoint “{endpoint_name}” disabled",
        message=(
            f"{reason}\n\nTurn it back on in the admin (Webhooks → Endpoints) once the "
            "receiver answers again; deliveries that had not been given up are sent then."
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )


def prune_deliveries(*, now: datetime, batch: int = 5000) -> int:
    """Forget finished deliveries (and their attempt logs) older than
    PARLEY_WEBHOOK_KEEP_DAYS; pending ones are kept whatever their age."""
    cutoff = now - timedelta(days=settings.PARLEY_WEBHOOK_KEEP_DAYS)
    old = list(
        WebhookDelivery.objects.filter(
            created_at__lt=cutoff,
            status__in=[WebhookDelivery.Status.DONE, WebhookDelivery.Status.FAILED],
        ).values_list("pk", flat=True)[:batch]
    )
    if not old:
        return 0
    with transaction.atomic():
        WebhookAttempt.objects.filter(delivery_id__in=old).delete()
        WebhookDelivery.objects.filter(pk__in=old).delete()
    return len(old)


def due_delivery_ids(now: datetime, limit: int = 200) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_try_at__lte=now, endpoint__is_active=True
        )
        .order_by("next_try_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
