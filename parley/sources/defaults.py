"""The labels a fresh install offers (admins add more): written by a data migration, and by
the tests that flush the database."""

from __future__ import annotations

from typing import Any

DEFAULT_LABELS = [
    ("State-affiliated media", "Editorial control by a government, wholly or in part."),
    ("Press agency", "A wire service whose reports other outlets republish."),
    ("Paywall", "Most articles need a subscription to read."),
    ("Opinion", "Mostly commentary rather than reporting."),
    ("Satire", "Invented stories written as humour."),
    ("Unverified", "Staff could not establish who runs it."),
]


def ensure_default_labels(label_model: Any) -> None:
    for position, (name, description) in enumerate(DEFAULT_LABELS):
        label_model.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )
