"""Where pages find the live server: a context processor with no query, the same for every
reader (guest pages stay cacheable); the script builds the URL from it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def live(request: HttpRequest) -> dict[str, object]:
    return {"live_url": settings.PARLEY_LIVE_URL, "live_port": settings.PARLEY_LIVE_PORT}
