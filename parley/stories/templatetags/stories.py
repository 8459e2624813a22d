"""Coverage by other outlets on the thread page: "Also covered by …" inside each link card
(a decorator of the posts' HTML, after the shared fragment cache, so one reader's visible
threads never leak into another's cached post) and under the thread's title."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from parley.links.previews import canonical_or_none
from parley.permissions.guardian import Guardian

from ..queries import StoryView, stories_linked

register = template.Library()

CARD_TITLE = re.compile(r'<div class="link-card-title"><a href="([^"]+)"[^>]*>.*?</a></div>', re.S)


def cards_with_coverage(
    guardian: Any, views: Sequence[Any], html: Sequence[SafeString]
) -> list[SafeString]:
    """Each post's HTML with "Also covered by …" after the title of every card whose article
    other outlets covered too. Two queries for the page; none when it has no card."""
    with_cards = [v.post.pk for v, h in zip(views, html, strict=True) if "link-card-title" in h]
    if not with_cards:
        return list(html)
    stories = stories_linked(guardian, post_ids=with_cards)
    if not stories:
        return list(html)
    by_key = {key: story for story in stories for key in story.keys}

    def add(match: re.Match[str]) -> str:
        key = canonical_or_none(unescape(match.group(1)))
        story = by_key.get(key or "")
        if story is None:
            return match.group(0)
        note = render_to_string("stories/card_coverage.html", {"story": story})
        return match.group(0) + note

    return [mark_safe(CARD_TITLE.sub(add, h)) if "link-card-title" in h else h for h in html]


@register.inclusion_tag("stories/thread_coverage.html", takes_context=True)
def story_coverage(context: dict[str, Any], thread: Any, posts: Sequence[Any]) -> dict[str, Any]:
    """The thread's own article(s), by its first post: who else covered the story. On the
    page that shows the first post, a first post without a card costs no query."""
    stories: list[StoryView] = []
    guardian = Guardian.for_request(context["request"])
    first = next((v.post for v in posts if v.post.pk == thread.first_post_id), None)
    if first is not None and "link-card-title" not in first.cooked_html:
        return {"stories": stories, "can_manage": False}
    if thread.first_post_id is not None:
        stories = stories_linked(
            guardian, post_ids=[thread.first_post_id], exclude_thread_id=thread.pk
        )
    return {"stories": stories, "can_manage": guardian.can_manage_stories()}
