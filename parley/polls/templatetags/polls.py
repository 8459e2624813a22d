"""The poll on a thread page (forums' template loads this; forums never imports polls)."""

from __future__ import annotations

from typing import Any

from django import template

from parley.permissions.guardian import Guardian

from .. import queries

register = template.Library()


@register.inclusion_tag("polls/poll.html", takes_context=True)
def thread_poll(context: dict[str, Any], thread: Any) -> dict[str, Any]:
    request = context["request"]
    guardian = Guardian.for_request(request)
    view = queries.poll_view(thread, guardian)
    return {
        "view": view,
        "thread": thread,
        # Only the starter sees "Add a poll" (asked only when there is none).
        "can_add": view is None and guardian.can_label_thread(thread),
        "csrf_token": context.get("csrf_token"),
        "signed_in": guardian.is_member,
        "path": request.path,
    }
