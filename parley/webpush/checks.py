"""System checks (run by `parley migrate`, `serve` and every management command): a VAPID
key or subject that cannot work is reported at start-up, not when the first push is sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def vapid_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .keys import _from_settings

    problems: list[checks.CheckMessage] = []
    private, public = settings.PARLEY_VAPID_PRIVATE_KEY, settings.PARLEY_VAPID_PUBLIC_KEY
    if private or public:
        try:
            if not private:
                raise ImproperlyConfigured(
                    "PARLEY_VAPID_PUBLIC_KEY is set without PARLEY_VAPID_PRIVATE_KEY."
                )
            _from_settings(private, public)
        except ImproperlyConfigured as exc:
            problems.append(checks.Error(str(exc), id="webpush.E001"))
    subject = settings.PARLEY_VAPID_SUBJECT
    if not subject.startswith(("mailto:", "https://")) or len(subject) < 10:
        problems.append(
            checks.Error(
                f"PARLEY_VAPID_SUBJECT must be a mailto: or https:// address, not {subject!r}.",
                id="webpush.E002",
            )
        )
    return problems
