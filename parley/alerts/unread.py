"""The bell's count: a header count per member (parley.core.headercounts), on the partial
index `alert_unread`. Writing, reading or hiding someone's alerts calls `forget`; after the
commit their counts are taken again in one grouped query and published to their open pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count
from django.http import HttpRequest

from parley import live
from parley.core.headercounts import HeaderCount
from parley.live import channels as live_channels

from .models import Alert


def count_unread(member_id: int) -> int:
    return Alert.objects.filter(
        recipient_id=member_id, read_at__isnull=True, in_app=True, hidden=False
    ).count()


BELL = HeaderCount("alerts", count_unread)


def unread_count(member_id: int) -> int:
    return BELL.get(member_id)


def forget(member_ids: Iterable[int]) -> None:
    """Their counts changed: drop the cached values now, and after the commit count again
    and tell their open pages (live updates)."""
    ids = set(member_ids)
    BELL.forget(ids, after_commit=lambda: announce(ids))


def announce(member_ids: set[int]) -> None:
    """One grouped count for all of them, cached, and an `alerts.count` live message to each
    member's own channel: the bell on their open pages changes without a reload."""
    counts = dict(
        Alert.objects.filter(
            recipient_id__in=member_ids, read_at__isnull=True, in_app=True, hidden=False
        )
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    counts = {pk: counts.get(pk, 0) for pk in member_ids}
    BELL.store(counts)
    live.publish_many(
        [(live_channels.member(pk), "alerts.count", {"count": n}) for pk, n in counts.items()]
    )


def connect() -> None:
    BELL.connect()


def header_count(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Context processor: `alerts_unread`, called only by a page that shows the bell."""
    return BELL.context(request)
