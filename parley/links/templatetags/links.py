from __future__ import annotations

from typing import Any

from django import template

from parley.permissions.guardian import Guardian

from ..queries import also_discussed, pending_post_ids, recently_written

register = template.Library()


@register.inclusion_tag("links/also_discussed.html", takes_context=True)
def also_discussed_in(context: dict[str, Any], thread: Any) -> dict[str, Any]:
    return {"discussions": also_discussed(thread, Guardian.for_request(context["request"]))}


@register.simple_tag
def pending_previews(posts: list[Any]) -> str:
    """Space-separated ids of the posts whose link previews are still being fetched."""
    shown = [view.post for view in posts]
    pending = pending_post_ids((p.pk for p in shown), recent_ids=recently_written(shown))
    return " ".join(str(pk) for pk in pending)
