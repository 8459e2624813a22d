"""The rank-title ladder a new forum starts with (admins edit it): minimum messages, title."""

from typing import Any

DEFAULT_LADDER: tuple[tuple[int, str], ...] = (
    (0, "New member"),
    (25, "Member"),
    (100, "Full member"),
    (500, "Senior member"),
    (1500, "Elite member"),
)


def ensure_default_ladder(rung_model: Any) -> None:
    """Create the default ladder when there is none (data migration; flushed test databases)."""
    if not rung_model.objects.exists():
        for min_messages, title in DEFAULT_LADDER:
            rung_model.objects.create(min_messages=min_messages, title=title)
