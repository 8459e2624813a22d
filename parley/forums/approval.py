"""Whether a new thread or post goes straight up or waits in the moderation queue."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from parley.formatting import cook

from .models import Approval, Forum, State


def newcomer_links(member: Any, source: str, fmt: str) -> int:
    """Links in a newcomer's post (0 for anyone past their first few posts)."""
    if member.message_count >= settings.PARLEY_NEWCOMER_POSTS:
        return 0
    return len(cook(source, fmt).links)


def state_for(guardian: Any, forum: Forum, source: str, fmt: str, *, new_thread: bool) -> str:
    """PENDING when the forum, the member's standing or a newcomer's links call for a
    moderator's look first; VISIBLE otherwise. Moderators of the forum never wait."""
    if guardian.moderates(forum.pk):
        return State.VISIBLE
    if guardian.posts_need_approval:
        return State.PENDING
    if forum.approval == Approval.ALL or (forum.approval == Approval.THREADS and new_thread):
        return State.PENDING
    if newcomer_links(guardian.user, source, fmt) > settings.PARLEY_NEWCOMER_MAX_LINKS:
        return State.PENDING
    return State.VISIBLE
