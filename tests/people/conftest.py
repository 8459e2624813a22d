from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from parley.people.models import FieldKind, ProfileField


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a write and let its events be delivered, as after a real commit."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def fields(db: Any) -> dict[str, ProfileField]:
    return {
        "country": ProfileField.objects.create(
            key="country_of_origin", label="Country", kind=FieldKind.TEXT, max_length=20
        ),
        "expertise": ProfileField.objects.create(
            key="expertise",
            label="Area of expertise",
            kind=FieldKind.CHOICE,
            choices="Economics\nElections",
            on_card=True,
        ),
        "since": ProfileField.objects.create(
            key="reading_since", label="Reading since", kind=FieldKind.DATE
        ),
    }
