"""The one function the posting services ask about the sites a post links (start_thread,
reply_to_thread and edit_post all come here): the sources app answers through
`hooks.link_rulers`; without it every link is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from parley.formatting import LinkRef

from .hooks import LinkRuling, link_rulers

ALLOW = LinkRuling()
_STRICTNESS = {"allow": 0, "approve": 1, "refuse": 2}


def link_ruling(guardian: Any, forum: Any, links: Iterable[LinkRef]) -> LinkRuling:
    """The strictest ruling for these links in this forum. Raises ValidationError (nothing
    is written, the member keeps their text) when the forum refuses one of the sites.
    The forum's moderators are neither held nor refused: they set the policy."""
    urls = list(dict.fromkeys(link.url for link in links))
    if not urls or not link_rulers or guardian.moderates(forum.pk):
        return ALLOW
    ruling = ALLOW
    for ruler in link_rulers:
        found = ruler(forum, urls)
        if _STRICTNESS.get(found.action, 0) > _STRICTNESS[ruling.action]:
            ruling = found
    if ruling.action == "refuse":
        raise ValidationError(ruling.message, code="source_policy")
    return ruling


def check_edited_links(
    guardian: Any, forum: Any, links: Iterable[LinkRef], before: Iterable[LinkRef]
) -> None:
    """An edit may keep the links the post already had, whatever the policy says now; a link
    it adds to a refused site is refused, and one to a site whose posts wait for approval
    too (a post that is up cannot go back into the queue): the member is told to reply."""
    old = {link.url for link in before}
    added = [link for link in links if link.url not in old]
    ruling = link_ruling(guardian, forum, added)
    if ruling.action == "approve":
        raise ValidationError(
            f"{ruling.message} An edit cannot add such a link to a post that is already up: "
            "post it in a new reply instead. Your text is kept below.",
            code="source_policy",
        )
