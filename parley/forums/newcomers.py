"""Newcomers' links: in their first `PARLEY_NEWCOMER_POSTS` posts a member may include at
most `PARLEY_NEWCOMER_MAX_LINKS` links, not counting links to sources the forum trusts
(`PARLEY_TRUSTED_SOURCES`, subdomains included, and the sources staff mark trusted in
the sources app, through `hooks.trusted_checks`). A spammer's first post is nearly always a
list of links; a new reader sharing the news links a known outlet.

The decision is this one function so that "too_many" can later send the post to the
approval queue instead of refusing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings

from parley.formatting import LinkRef
from parley.permissions.guardian import Guardian

from .hooks import trusted_checks

Verdict = Literal["ok", "too_many"]


def is_trusted_source(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if any(
        host == domain or host.endswith(f".{domain}") for domain in settings.PARLEY_TRUSTED_SOURCES
    ):
        return True
    return any(check(url) for check in trusted_checks)


def counted_links(links: Iterable[LinkRef]) -> set[str]:
    """The distinct links that count against a newcomer."""
    return {link.url for link in links if not is_trusted_source(link.url)}


def newcomer_link_verdict(
    member: Any, links: Iterable[LinkRef], forum_id: int | None = None
) -> Verdict:
    if Guardian(member).can_bypass_flood_limits(forum_id):
        return "ok"
    if member.message_count >= settings.PARLEY_NEWCOMER_POSTS:
        return "ok"
    too_many = len(counted_links(links)) > settings.PARLEY_NEWCOMER_MAX_LINKS
    return "too_many" if too_many else "ok"
