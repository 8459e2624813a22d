"""What a form may hand the live-event services: checked here once, for views and services."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import duration_label

SUMMARY_MAX = 140
# Slow-mode intervals offered (seconds; 0 is off). A short list, not a free number: a typo
# of 36000 would silence a breaking-news thread for ten hours.
SLOW_MODE_CHOICES = (0, 10, 30, 60, 120, 300, 600, 900, 1800, 3600)
POST_LIMIT_RANGE = (20, 100_000)


def slow_mode_choices() -> list[tuple[int, str]]:
    return [(s, "Off" if s == 0 else duration_label(s)) for s in SLOW_MODE_CHOICES]


def validate_summary(summary: str) -> str:
    """One line: whitespace (newlines included) collapsed, at most SUMMARY_MAX characters."""
    text = " ".join((summary or "").split())
    if not text:
        raise ValidationError("Write a one-line summary of what happened.", code="empty_summary")
    if len(text) > SUMMARY_MAX:
        raise ValidationError(
            f"Keep the summary to one line of {SUMMARY_MAX} characters (it has {len(text)}).",
            code="long_summary",
        )
    return text


def validate_slow_mode(seconds: int) -> int:
    if seconds not in SLOW_MODE_CHOICES:
        raise ValidationError("Choose one of the slow-mode intervals.", code="slow_mode")
    return seconds


def validate_post_limit(limit: int | None) -> int:
    if limit is None:
        return int(settings.PARLEY_LIVE_EVENT_POST_LIMIT)
    low, high = POST_LIMIT_RANGE
    if not low <= limit <= high:
        raise ValidationError(f"A part holds between {low} and {high:,} posts.", code="post_limit")
    return limit


# A timeline entry is about the news of these days: a time years away is a typing mistake
# (it would sort the entry to one end of the timeline, shown without its year).
HAPPENED_WITHIN = timedelta(days=366)


def validate_happened_at(value: datetime | None, *, default: datetime) -> datetime:
    if value is None:
        return default
    now = timezone.now()
    if not now - HAPPENED_WITHIN <= value <= now + timedelta(days=1):
        raise ValidationError(
            "Give a time within the last year (and not in the future).", code="happened_at"
        )
    return value
