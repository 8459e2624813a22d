"""What every route needs: the Guardian of the caller, the shared flood limits, the client
address. Routes check input, ask the Guardian, call a service and shape the answer: the
same four steps as the pages' views, and nothing more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parley.core import ratelimit
from parley.core.clientip import client_ip
from parley.permissions.guardian import Guardian

from .errors import ApiError

__all__ = ["ApiError", "client_ip", "flood_check", "guardian", "me"]


def guardian(request: HttpRequest) -> Guardian:
    return Guardian.for_request(request)


def me(request: HttpRequest) -> Any:
    return request.user


def flood_check(
    request: HttpRequest,
    limit: str,
    what: str,
    forum_id: int | None = None,
    *,
    exempt_staff: bool = True,
) -> None:
    """Count one write against the member's limit, the same counter the pages use (a member
    cannot post six replies through the pages and six more through the API in a minute).
    `exempt_staff=False` for the limits the pages count for everyone (conversation
    reactions and reports)."""
    if exempt_staff and guardian(request).can_bypass_flood_limits(forum_id):
        return
    verdict = ratelimit.hit(limit, str(request.user.pk))
    if not verdict.allowed:
        minutes = verdict.minutes
        raise ApiError(
            429,
            "rate_limited",
            f"You are {what} too fast; wait {minutes} minute{'s' if minutes != 1 else ''} "
            "and try again.",
            retry_after=verdict.retry_after,
        )
