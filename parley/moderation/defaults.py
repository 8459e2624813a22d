"""Report reasons, warning types and thresholds a fresh forum starts with (admins edit them)."""

from __future__ import annotations

from typing import Any

REASONS = ("Spam or advertising", "Abuse or harassment", "Misinformation", "Off-topic", "Other")
WARNING_TYPES = (
    ("Off-topic or low-effort posting", 1, 30),
    ("Incivility", 2, 60),
    ("Spam", 5, 180),
    ("Abuse or harassment", 5, 180),
)
THRESHOLDS = ((4, "approval"), (7, "posting_ban"), (12, "ban"))


def ensure_moderation_defaults(reason: Any, warning_type: Any, threshold: Any) -> None:
    if not reason.objects.exists():
        for i, title in enumerate(REASONS):
            reason.objects.create(title=title, position=i)
    if not warning_type.objects.exists():
        for title, points, days in WARNING_TYPES:
            warning_type.objects.create(title=title, points=points, expiry_days=days)
    if not threshold.objects.exists():
        for points, action in THRESHOLDS:
            threshold.objects.create(points=points, action=action)
