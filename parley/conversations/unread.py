"""The header's unread-conversations count: a cached counter per member.

Pages read the cache only (no query). The count is computed with one indexed query
(`conversation_inbox`) when a member signs in, and again on the first page after any change
to it: each service that changes someone's unread state forgets their cached count after
the change commits. A cache that lost the key costs that one query, never a wrong number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest

from parley.core.headercounts import HeaderCount

from .models import Participant


def count_unread(member_id: int) -> int:
    return Participant.objects.filter(
        member_id=member_id, left_at__isnull=True, is_unread=True
    ).count()


INBOX = HeaderCount("conversations", count_unread)


def unread_count(member_id: int) -> int:
    return INBOX.get(member_id)


def forget(member_ids: Iterable[int]) -> None:
    INBOX.forget(member_ids)


def connect() -> None:
    INBOX.connect()


def header_count(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Context processor: `conversations_unread`, called only by a page that shows it."""
    return INBOX.context(request)
