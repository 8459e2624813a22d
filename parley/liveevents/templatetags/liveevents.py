"""The live-event panel at the top of a thread page and the continuation notice at its foot
(forums' template loads this; forums never imports liveevents)."""

from __future__ import annotations

from typing import Any

from django import template

from parley.permissions.guardian import Guardian

from .. import queries

register = template.Library()


@register.inclusion_tag("liveevents/panel.html", takes_context=True)
def live_event_panel(context: dict[str, Any], thread: Any) -> dict[str, Any]:
    """Nothing and no query for a thread that is not live (its row came with the thread);
    one query (the timeline) for a live one."""
    guardian = Guardian.for_request(context["request"])
    panel = queries.panel(thread, guardian)
    return {
        "thread": thread,
        "panel": panel,
        # Guests are never offered it, so their cached page stays the same for everyone.
        "can_mark": panel is None and guardian.can_manage_live_event(thread),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("liveevents/footer.html")
def live_event_footer(thread: Any) -> dict[str, Any]:
    """A closed part always says where the event continues, even once it is unmarked."""
    live = queries.live_event_of(thread)
    return {"live": live if live is not None and live.next_thread_id else None}
