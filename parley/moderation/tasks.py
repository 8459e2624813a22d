"""The periodic sweep `parley serve` queues: lapsed warnings, old IP addresses, promotions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from parley.forums.models import Post
from parley.members.models import Member
from parley.permissions.promotions import evaluate_everyone

from .models import AuditEntry
from .warnings import expire_warnings


def purge_old_addresses() -> int:
    """Forget IP addresses older than PARLEY_IP_RETENTION_DAYS (posts, sign-ups, the log)."""
    cutoff = timezone.now() - timedelta(days=settings.PARLEY_IP_RETENTION_DAYS)
    n = Post.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
    n += Member.objects.filter(date_joined__lt=cutoff, signup_ip__isnull=False).update(
        signup_ip=None
    )
    # The log is append-only for people; the retention rule is the one change it allows.
    n += AuditEntry.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
    return n


@task()
def moderation_sweep() -> dict[str, int]:
    return {
        "warnings": expire_warnings(),
        "addresses": purge_old_addresses(),
        "promotions": evaluate_everyone(),
    }
