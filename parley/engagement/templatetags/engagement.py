"""Unread flags and watch buttons for forum pages. Forums never imports this app: its
templates load these tags, each one query for a whole page (none for guests)."""

from __future__ import annotations

from typing import Any

from django import template

from parley.permissions.guardian import Guardian

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_thread_ids(context: dict[str, Any], threads: Any) -> set[int]:
    return queries.unread_thread_ids(context["request"].user, list(threads))


@register.simple_tag(takes_context=True)
def unread_forum_ids(context: dict[str, Any]) -> set[int]:
    request = context["request"]
    return queries.unread_forum_ids(request.user, Guardian.for_request(request))


@register.inclusion_tag("engagement/watch_button.html", takes_context=True)
def watch_button(context: dict[str, Any], thread: Any = None, forum: Any = None) -> dict[str, Any]:
    request = context["request"]
    if not request.user.is_authenticated:
        return {"show": False}
    watch = queries.watching(request.user, thread=thread, forum=forum)
    if thread is not None:
        action = "engagement:watch_thread"
        target = thread
    else:
        action = "engagement:watch_forum"
        target = forum
    return {
        "show": True,
        "watch": watch,
        "action": action,
        "target": target,
        "what": "thread" if thread is not None else "forum",
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
