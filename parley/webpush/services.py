"""Every write of web push: subscribing, unsubscribing, removing a device, recording what a
send did; and `deliver_notices`, the entry point other apps call.

Views, tasks and the sender call these; nothing else saves a `PushSubscription`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .message import payload_for
from .models import PushSubscription
from .notices import PushNotice
from .validation import SubscriptionData, SubscriptionError

if TYPE_CHECKING:
    from parley.members.models import Member

__all__ = [
    "PushNotice",
    "deliver_notices",
    "record_failure",
    "record_success",
    "remove_device",
    "subscribe",
    "unsubscribe",
]

logger = logging.getLogger(__name__)

# Member ids per `IN (…)` query when looking for subscribers (SQLite's variable limit).
_ID_CHUNK = 500


# --- subscriptions --------------------------------------------------------------------


def subscribe(
    *, member: Member, data: SubscriptionData, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription for `member`; (subscription, created).

    An endpoint is one browser: subscribing it again refreshes its keys, and when another
    member signs in on that browser and turns push on, the endpoint moves to them (the
    browser holds one subscription per site). Refuses past PARLEY_PUSH_MAX_DEVICES.
    """
    member_id = member.pk
    fields = {"p256dh": data.p256dh, "auth": data.auth, "user_agent": user_agent}
    for _attempt in range(2):  # a concurrent subscribe of the same endpoint: read it back
        try:
            with transaction.atomic():
                existing = (
                    PushSubscription.objects.select_for_update()
                    .filter(endpoint=data.endpoint)
                    .first()
                )
                if existing is None or existing.member_id != member_id:
                    _ensure_room(member_id)
                if existing is not None:
                    moved = existing.member_id != member_id
                    PushSubscription.objects.filter(pk=existing.pk).update(
                        member_id=member_id,
                        failures=0,
                        **fields,
                        **(
                            {"created_at": timezone.now(), "last_success_at": None} if moved else {}
                        ),
                    )
                    existing.refresh_from_db()
                    return existing, False
                created = PushSubscription.objects.create(
                    member_id=member_id, endpoint=data.endpoint, **fields
                )
                return created, True
        except IntegrityError:
            continue
    raise SubscriptionError("This browser was being subscribed twice at once; try again.")


def _ensure_room(member_id: int) -> None:
    limit = settings.PARLEY_PUSH_MAX_DEVICES
    if PushSubscription.objects.filter(member_id=member_id).count() >= limit:
        raise SubscriptionError(
            f"You already receive notifications on {limit} devices; remove one first."
        )


def unsubscribe(*, member: Member, endpoint: str) -> bool:
    """Forget the member's subscription with this endpoint; False if they have none such."""
    deleted, _ = PushSubscription.objects.filter(member_id=member.pk, endpoint=endpoint).delete()
    return bool(deleted)


def remove_device(*, subscription: PushSubscription) -> None:
    """Remove one of a member's devices (the view has checked it is theirs)."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()


# --- what a send did --------------------------------------------------------------------


def record_success(*, subscription_id: int) -> None:
    PushSubscription.objects.filter(pk=subscription_id).update(
        last_success_at=timezone.now(), failures=0
    )


def record_failure(*, subscription_id: int) -> bool:
    """Count one more failure in a row; drop the subscription at the limit. True if dropped."""
    with transaction.atomic():
        PushSubscription.objects.filter(pk=subscription_id).update(failures=F("failures") + 1)
        deleted, _ = PushSubscription.objects.filter(
            pk=subscription_id, failures__gte=settings.PARLEY_PUSH_MAX_FAILURES
        ).delete()
    if deleted:
        logger.info("push subscription %s dropped after repeated failures", subscription_id)
    return bool(deleted)


def drop(*, subscription_id: int, why: str) -> None:
    """The push service says the subscription is gone (404/410), or it is no longer allowed."""
    PushSubscription.objects.filter(pk=subscription_id).delete()
    logger.info("push subscription %s dropped: %s", subscription_id, why)


# --- the entry point for other apps --------------------------------------------------------


def _payloads(notices: Sequence[PushNotice]) -> list[dict[str, str]]:
    """One payload per notice, at most PARLEY_PUSH_MAX_PER_BATCH: past that, the last one
    sums up the rest, so a burst of alerts does not buzz a phone twenty times."""
    cap = max(settings.PARLEY_PUSH_MAX_PER_BATCH, 1)
    payloads = [
        payload_for(title=n.title, body=n.body, url=n.url, tag=n.tag) for n in notices[: cap - 1]
    ]
    rest = notices[cap - 1 :]
    if len(rest) == 1:
        n = rest[0]
        payloads.append(payload_for(title=n.title, body=n.body, url=n.url, tag=n.tag))
    elif rest:
        payloads.append(
            payload_for(
                title=f"{len(rest)} more notifications",
                body="; ".join(n.title for n in rest[:5]),
                url=settings.PARLEY_PUSH_SUMMARY_URL,
                tag="parley-summary",
            )
        )
    return payloads


def members_with_devices(member_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(member_ids))
    found: set[int] = set()
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        found.update(
            PushSubscription.objects.filter(member_id__in=chunk)
            .values_list("member_id", flat=True)
            .distinct()
        )
    return found


def deliver_notices(notices: Sequence[PushNotice]) -> None:
    """Queue push messages for these notices: one background task per member who has a
    device (members without one cost nothing but their share of one indexed query)."""
    by_member: dict[int, list[PushNotice]] = {}
    for notice in notices:
        by_member.setdefault(notice.member_id, []).append(notice)
    if not by_member:
        return
    # Imported here: the tasks call back into this module to record what they did.
    from .tasks import push_to_member

    for member_id in sorted(members_with_devices(by_member)):
        push_to_member.enqueue(member_id, _payloads(by_member[member_id]))
