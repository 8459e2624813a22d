"""Fragments of a thread page that do not depend on the reader, cached (docs/caching.md).

The member card is most of a post's rendering time (its date, number formatting and
country name cost about 0.8 ms each; twenty of them were over half of a signed-in thread
page). A card's key is made of everything it shows, so a changed count, title or profile
is simply a different key: nothing has to be invalidated, and an old card is never shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

CARD_TEMPLATE = "includes/member_card.html"
CARD_SECONDS = 3600


def _card_key(member: Any, title: str) -> str:
    shown = (
        member.username,
        title,
        member.message_count,
        member.reaction_score,
        str(member.country),
        member.location,
        member.date_joined.date().isoformat(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:24]
    return f"card:{member.pk}:{digest}"


def member_cards(authors: Sequence[tuple[Any, str]]) -> list[SafeString]:
    """The rendered card of each (member, rank title), from the cache where it is (one
    round trip for the page) and rendered once where it is not."""
    store = caches["pages"]
    keys = [_card_key(member, title) for member, title in authors]
    found: dict[str, str] = store.get_many(set(keys))
    fresh: dict[str, str] = {}
    template = get_template(CARD_TEMPLATE)
    cards = []
    for key, (member, title) in zip(keys, authors, strict=True):
        html = found.get(key) or fresh.get(key)
        if html is None:
            html = template.render({"member": member, "rank_title": title})
            fresh[key] = html
        cards.append(mark_safe(html))  # our own template's output, escaped there
    if fresh:
        store.set_many(fresh, timeout=CARD_SECONDS)
    return cards
