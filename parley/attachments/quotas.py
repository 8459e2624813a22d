"""Per-group upload limits: the most generous of the member's groups' AttachmentQuota rows,
or settings.PARLEY_ATTACHMENT_DEFAULT_QUOTA when none of their groups has one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from parley.permissions.models import Group

from .models import AttachmentQuota

MB = 1_000_000


@dataclass(frozen=True)
class Quota:
    max_file_bytes: int
    max_per_post: int
    max_total_bytes: int


def default_quota() -> Quota:
    d = settings.PARLEY_ATTACHMENT_DEFAULT_QUOTA
    return Quota(d["max_file_mb"] * MB, d["max_per_post"], d["max_total_mb"] * MB)


def quota_for(member: Any) -> Quota:
    """One query: the quotas of the member's stored groups and of Registered."""
    rows = list(
        AttachmentQuota.objects.filter(
            Q(group__members=member) | Q(group__key=Group.REGISTERED)
        ).values_list("max_file_mb", "max_per_post", "max_total_mb")
    )
    if not rows:
        return default_quota()
    return Quota(
        max(r[0] for r in rows) * MB, max(r[1] for r in rows), max(r[2] for r in rows) * MB
    )


def hard_cap_bytes() -> int:
    """No upload body may be larger than this, whoever sends it (checked before reading)."""
    return int(settings.PARLEY_ATTACHMENT_MAX_BODY_BYTES)
