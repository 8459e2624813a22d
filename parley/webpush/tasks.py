"""Background sending: one task per member with a device, and retries of what failed for a
passing reason (429, 5xx, network), with back-off, while the backend can defer tasks."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import PushSubscription
from .sender import Outcome, deliver

logger = logging.getLogger(__name__)

# A push service's Retry-After is followed up to this many seconds.
MAX_RETRY_DELAY = 6 * 3600


def retry_delay(attempt: int, retry_after: int | None) -> int:
    """Seconds before try `attempt + 1`: the service's Retry-After, else doubling back-off."""
    if retry_after is not None:
        return min(max(retry_after, 1), MAX_RETRY_DELAY)
    return min(settings.PARLEY_PUSH_RETRY_SECONDS * 2 ** (attempt - 1), MAX_RETRY_DELAY)


def _retry(subscription_id: int, outcome: Outcome, attempt: int) -> bool:
    """Queue another try of what is left; False when none is due or the backend cannot wait."""
    if not outcome.left or attempt > settings.PARLEY_PUSH_RETRIES:
        return False
    backend = push_again.get_backend()
    if not backend.supports_defer:
        # The immediate backend (tests, one-off scripts) cannot wait; trying again at once
        # would only hammer a service in trouble. The failure is counted all the same.
        return False
    run_after = timezone.now() + timedelta(seconds=retry_delay(attempt, outcome.retry_after))
    push_again.using(run_after=run_after).enqueue(subscription_id, outcome.left, attempt + 1)
    return True


@task()
def push_to_member(member_id: int, payloads: list[dict[str, str]]) -> int:
    """Send the payloads to every device of the member; the number of messages accepted."""
    sent = 0
    for subscription in PushSubscription.objects.filter(member_id=member_id).order_by("id"):
        outcome = deliver(subscription, payloads)
        sent += outcome.sent
        _retry(subscription.pk, outcome, attempt=1)
    return sent


@task()
def push_again(subscription_id: int, payloads: list[dict[str, str]], attempt: int) -> int:
    """A later try for one device (it may have been removed meanwhile: then nothing)."""
    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return 0
    outcome = deliver(subscription, payloads)
    _retry(subscription_id, outcome, attempt=attempt)
    return outcome.sent
