"""Mail tasks: alert mails in batches, and the periodic digest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .channels import Notice
from .models import Digest, MailSettings

DIGEST_PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
DIGEST_THREADS = 20


@task()
def send_alert_mails(notices: list[dict[str, Any]]) -> int:
    from .mail import send_alert_mails as send

    return send([Notice(**n) for n in notices])


def digest_due(now: Any) -> Any:
    due = Q()
    for choice, period in DIGEST_PERIOD.items():
        due |= Q(digest=choice) & (
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - period)
        )
    return MailSettings.objects.filter(due)


def send_digest(settings_row: MailSettings, now: Any) -> bool:
    """Claim this member's digest (one conditional UPDATE: two workers never both send it),
    then mail the watched threads with posts they have not read, if any."""
    from parley.engagement.queries import watched_threads
    from parley.permissions.guardian import Guardian

    from .mail import DIGEST, _mailable, _send, build

    claimed = MailSettings.objects.filter(
        pk=settings_row.pk, last_digest_at=settings_row.last_digest_at
    ).update(last_digest_at=now)
    if not claimed:
        return False
    member = _mailable([settings_row.member_id]).get(settings_row.member_id)
    if member is None:
        return False
    since = settings_row.last_digest_at or now - DIGEST_PERIOD[Digest(settings_row.digest)]
    watched: Any = watched_threads(member, Guardian(member))
    threads = list(watched.filter(last_post_at__gt=since, unread_count__gt=0)[:DIGEST_THREADS])
    if not threads:
        return False
    label = "daily" if settings_row.digest == Digest.DAILY else "weekly"
    plural = "s" if len(threads) != 1 else ""
    mail = build(
        member,
        DIGEST,
        f"Your {label} digest: {len(threads)} watched thread{plural} with new posts",
        {"threads": threads, "label": label},
    )
    return _send([mail]) == 1


@task()
def send_digests() -> int:
    """Periodic (PARLEY_PERIODIC_TASKS): every member whose digest is due gets one.
    Idempotent: `last_digest_at` records each one, so running it again sends nothing."""
    now = timezone.now()
    sent = 0
    for row in digest_due(now).iterator(chunk_size=200):
        sent += send_digest(row, now)
    return sent
