"""How a member's devices are listed: a short label from the User-Agent, nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from .models import PushSubscription

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """'Firefox on Android', 'Chrome on Windows', or 'A browser' when it cannot tell."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "A browser")


@dataclass(frozen=True)
class Device:
    pk: int
    label: str
    endpoint: str
    created_at: datetime
    last_success_at: datetime | None
    failures: int


def devices_of(member_id: int) -> list[Device]:
    """The member's devices, newest first (one query)."""
    rows: QuerySet[PushSubscription] = PushSubscription.objects.filter(member_id=member_id)
    return [
        Device(
            pk=row.pk,
            label=describe_user_agent(row.user_agent),
            endpoint=row.endpoint,
            created_at=row.created_at,
            last_success_at=row.last_success_at,
            failures=row.failures,
        )
        for row in rows
    ]


def own_device(member_id: int, pk: int) -> PushSubscription:
    """The member's device `pk`; a 404 for anyone else's, as for one that does not exist."""
    device = PushSubscription.objects.filter(member_id=member_id, pk=pk).first()
    if device is None:
        raise Http404("No such device.")
    return device
