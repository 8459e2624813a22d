"""How people plugs into the apps below it, through their extension points (they never
import this app): the ignore list silences alerts and refuses conversations; guests served
from the page cache count as online."""

from __future__ import annotations

from typing import Any

from .models import Ignore


def members_ignoring(actor_id: int, recipient_ids: set[int]) -> set[int]:
    """The recipients who ignore `actor_id` (alerts.hooks ignore filter; one query)."""
    return set(
        Ignore.objects.filter(ignored_id=actor_id, member_id__in=recipient_ids).values_list(
            "member_id", flat=True
        )
    )


def refuse_ignored_sender(sender: Any, recipient: Any) -> str:
    """No conversation from someone the recipient ignores. The reason says no more than a
    general refusal would (the sender does not learn they are ignored)."""
    if Ignore.objects.filter(member_id=recipient.pk, ignored_id=sender.pk).exists():
        return f"{recipient.username} does not accept conversations from you."
    return ""


def connect() -> None:
    from parley.alerts.hooks import register_ignore_filter
    from parley.conversations.hooks import register_refusal_check
    from parley.core.pagecache import register_guest_listener
    from parley.forums.hooks import register_recounter

    from .online import note_cached_guest
    from .recount import recount_people_copies

    register_ignore_filter(members_ignoring)
    register_refusal_check(refuse_ignored_sender)
    register_recounter(recount_people_copies)
    # Who's online counts guests served from the page cache before Django too.
    register_guest_listener(note_cached_guest)
