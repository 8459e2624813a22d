"""Tags other apps' templates load (members' profile, the forum index): those apps never
import this one."""

from __future__ import annotations

from typing import Any

from django import template

from parley.permissions.guardian import Guardian

from .. import queries

register = template.Library()

ONLINE_BLOCK_NAMES = 30


@register.inclusion_tag("people/profile_panel.html", takes_context=True)
def people_panel(context: dict[str, Any], member: Any) -> dict[str, Any]:
    request = context["request"]
    panel = queries.people_panel(member, Guardian.for_request(request))
    return {"panel": panel, "member": member, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("people/online_block.html", takes_context=True)
def online_block(context: dict[str, Any]) -> dict[str, Any]:
    guardian = Guardian.for_request(context["request"])
    return {"summary": queries.online_summary(guardian, limit=ONLINE_BLOCK_NAMES)}
