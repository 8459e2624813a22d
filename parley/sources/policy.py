"""The sources app's answers to the posting services (through forums.hooks): what a forum
does with posts linking a site, and which sites are trusted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parley.forums.hooks import LinkRuling

from . import directory
from .models import Action

_STRICTNESS = {Action.ALLOW: 0, Action.APPROVE: 1, Action.REFUSE: 2}


def ruling_for(forum: Any, urls: Sequence[str]) -> LinkRuling:
    """The strictest policy of this forum among the sites these URLs link, with a message
    naming the policy and the site."""
    sources = directory.current()
    policies = sources.policies.get(forum.pk)
    if not policies:
        return LinkRuling()
    worst: tuple[str, str, directory.SiteInfo] | None = None
    for url in urls:
        site = sources.site_for_url(url)
        if site is None or site.source_id not in policies:
            continue
        action, reason = policies[site.source_id]
        if worst is None or _STRICTNESS[Action(action)] > _STRICTNESS[Action(worst[0])]:
            worst = (action, reason, site)
    if worst is None or worst[0] == Action.ALLOW:
        return LinkRuling()
    action, reason, site = worst
    return LinkRuling(action=action, message=message(action, site, forum, reason))


def message(action: str, site: directory.SiteInfo, forum: Any, reason: str) -> str:
    name = site.name if site.name == site.domain else f"{site.name} ({site.domain})"
    if action == Action.REFUSE:
        text = (
            f"This forum does not take posts that link {name}: its policy for that source "
            "is to refuse them."
        )
        tail = " Remove the link and post again; your text is kept below."
    else:
        text = (
            f"In {forum.title}, posts that link {name} wait for a moderator's approval "
            "(the forum's policy for that source)."
        )
        tail = ""
    return f"{text}{' ' + reason if reason else ''}{tail}"


def labels_for_key(key: str) -> tuple[str, ...]:
    return directory.labels_for_url(key)
