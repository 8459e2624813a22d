"""Whether a new thread or post goes straight up or waits in the moderation queue."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from parley.formatting import cook

from .linkpolicy import link_ruling
from .models import Approval, Forum, State
from .newcomers import newcomer_link_verdict


def state_for(guardian: Any, forum: Forum, source: str, fmt: str, *, new_thread: bool) -> str:
    """PENDING when the forum, the member's standing, the forum's policy for a linked site
    or a newcomer's links call for a moderator's look first; VISIBLE otherwise. Moderators
    of the forum never wait. Raises ValidationError when the forum refuses a linked site."""
    if guardian.moderates(forum.pk):
        return State.VISIBLE
    links = cook(source, fmt).links
    ruling = link_ruling(guardian, forum, links)  # refusals first: nothing is written
    if guardian.posts_need_approval or ruling.action == "approve":
        return State.PENDING
    if forum.approval == Approval.ALL or (forum.approval == Approval.THREADS and new_thread):
        return State.PENDING
    member = guardian.user
    if member.message_count < settings.PARLEY_NEWCOMER_POSTS and (
        newcomer_link_verdict(member, links, forum.pk) == "too_many"
    ):
        # More links than a newcomer may post (trusted news sources do not count): a
        # moderator looks first, rather than the post being refused.
        return State.PENDING
    return State.VISIBLE


def why_held(guardian: Any, forum: Forum, source: str, fmt: str) -> str:
    """The forum's own words when a linked source's policy is what holds a post ("In
    Defence, posts that link … wait for a moderator's approval …"), so the member learns why
    rather than only that; "" when it is something else (the forum, their standing)."""
    if guardian.moderates(forum.pk):
        return ""
    ruling = link_ruling(guardian, forum, cook(source, fmt).links)
    return ruling.message if ruling.action == "approve" else ""
