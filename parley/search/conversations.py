"""A participant searches their own private conversations. The conversations come from SQL
(where the member is a current participant, the conversations app's own rule for who may
read one), so nobody else's conversation is ever read, let alone shown or counted; the words
are matched in Python (`matching`) over the member's newest messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from parley.conversations.models import Message

from .highlight import highlight, snippet
from .matching import matches
from .parser import ParsedQuery

# The newest messages looked at; a member with more finds older ones by narrowing the words
# in a later version with an index (docs/search.md).
SCANNED_MESSAGES = 5000
SHOWN = 10


@dataclass
class MessageHit:
    message_id: int
    conversation_id: int
    title: SafeString
    snippet: SafeString
    author: str
    created_at: Any


def search_conversations(
    member: Any, query: ParsedQuery, *, limit: int = SHOWN
) -> list[MessageHit]:
    """The newest messages matching `query` in conversations `member` takes part in now."""
    if member is None or not member.is_authenticated:
        return []
    rows = (
        Message.objects.filter(
            conversation__participants__member_id=member.pk,
            conversation__participants__left_at__isnull=True,
        )
        .order_by("-pk")
        .values_list(
            "pk",
            "conversation_id",
            "conversation__title",
            "plain_text",
            "author__username",
            "created_at",
        )[:SCANNED_MESSAGES]
    )
    whole, starts = query.highlight_terms()
    hits: list[MessageHit] = []
    for pk, conversation_id, title, text, author, created_at in rows:
        if matches(query, f"{title}\n{text}"):
            hits.append(
                MessageHit(
                    message_id=pk,
                    conversation_id=conversation_id,
                    title=highlight(title, whole, starts),
                    snippet=snippet(text, whole, starts, size=160),
                    author=author,
                    created_at=created_at,
                )
            )
            if len(hits) >= limit:
                break
    return hits
