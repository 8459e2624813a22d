from __future__ import annotations

from typing import Any

from django import template

from parley.core import stamps
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
    if not shown:
        return ""

    def pending() -> str:
        found = pending_post_ids((p.pk for p in shown), recent_ids=recently_written(shown))
        return " ".join(str(pk) for pk in found)

    # Kept like the page's posts (stamps.per_thread): a card that finishes fetching moves the
    # thread's stamp (links.tasks), and a post listed a moment too long only costs the page
    # one poll of the post's state, which answers with the card.
    ids = ",".join(str(p.pk) for p in shown)
    return stamps.per_thread(shown[0].thread_id, f"pending-previews:{ids}", pending)
