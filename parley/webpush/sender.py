"""Sending push messages to one subscription, and deciding what each answer means.

| answer | meaning | what happens |
|---|---|---|
| 2xx | accepted | success recorded (failures back to 0) |
| 404, 410 | the subscription is gone | dropped at once |
| 429, 5xx, timeout, network | passing trouble | failure counted; the rest retried later |
| anything else (400, 401, 403, 413, refused address) | this will not get better | failure counted |

A subscription that failed PARLEY_PUSH_MAX_FAILURES times in a row is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from django.conf import settings

from parley.core.fetch import FetchError, post

from . import services
from .keys import VapidKeys, current
from .message import build_request
from .models import PushSubscription
from .validation import SubscriptionError, check_endpoint

logger = logging.getLogger(__name__)

SEND_DEADLINE = 10.0
_PASSING_REASONS = frozenset({"timeout", "dns", "connect", "tls", "network", "protocol"})
_PASSING_STATUSES = frozenset({408, 425, 429})


class Result(Enum):
    SENT = "sent"
    GONE = "gone"
    AGAIN = "again"  # worth another try later
    FAILED = "failed"  # not worth another try
    SKIPPED = "skipped"  # this payload cannot be sent at all; the device is not to blame


@dataclass(frozen=True)
class Answer:
    result: Result
    status: int | None = None
    retry_after: int | None = None  # seconds, when the service said so


def _retry_after(error: FetchError) -> int | None:
    value = error.headers.get("retry-after", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def send_one(subscription: PushSubscription, payload: dict[str, str], keys: VapidKeys) -> Answer:
    """POST one encrypted message to the subscription's push service."""
    try:
        request = build_request(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            payload=payload,
            keys=keys,
            subject=settings.PARLEY_VAPID_SUBJECT,
            ttl=settings.PARLEY_PUSH_TTL,
        )
    except ValueError as exc:  # a payload that cannot fit one record, even shortened
        logger.warning("push payload for subscription %s skipped: %s", subscription.pk, exc)
        return Answer(Result.SKIPPED)
    try:
        answer = post(
            request.url,
            body=request.body,
            headers=request.headers,
            max_bytes=16_000,
            deadline=SEND_DEADLINE,
        )
    except FetchError as error:
        if error.reason == "http_status" and error.status in (404, 410):
            return Answer(Result.GONE, status=error.status)
        if error.reason in _PASSING_REASONS or (
            error.reason == "http_status"
            and error.status is not None
            and (error.status >= 500 or error.status in _PASSING_STATUSES)
        ):
            return Answer(Result.AGAIN, status=error.status, retry_after=_retry_after(error))
        logger.warning(
            "push to subscription %s refused: %s (%s)", subscription.pk, error.reason, error
        )
        return Answer(Result.FAILED, status=error.status)
    return Answer(Result.SENT, status=answer.status)


@dataclass(frozen=True)
class Outcome:
    sent: int
    dropped: bool
    # Payloads still to send (the first one failed for a passing reason), with a hint.
    left: list[dict[str, str]]
    retry_after: int | None = None


def deliver(subscription: PushSubscription, payloads: list[dict[str, str]]) -> Outcome:
    """Send `payloads` in order; stop at the first failure (the service is unlikely to take
    the next one either) and say what is left to retry."""
    try:
        check_endpoint(subscription.endpoint)
    except SubscriptionError as exc:  # the allow-list changed since it subscribed
        services.drop(subscription_id=subscription.pk, why=str(exc))
        return Outcome(sent=0, dropped=True, left=[])
    keys = current()
    sent = 0
    for index, payload in enumerate(payloads):
        answer = send_one(subscription, payload, keys)
        if answer.result is Result.SENT:
            sent += 1
            continue
        if answer.result is Result.SKIPPED:
            continue
        if answer.result is Result.GONE:
            services.drop(
                subscription_id=subscription.pk, why=f"push service answered {answer.status}"
            )
            return Outcome(sent=sent, dropped=True, left=[])
        dropped = services.record_failure(subscription_id=subscription.pk)
        left = payloads[index:] if answer.result is Result.AGAIN and not dropped else []
        return Outcome(sent=sent, dropped=dropped, left=left, retry_after=answer.retry_after)
    if sent:
        services.record_success(subscription_id=subscription.pk)
    return Outcome(sent=sent, dropped=False, left=[])
