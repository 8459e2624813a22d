"""Reads of the editor app."""

from __future__ import annotations

from typing import Any

from .models import Draft, forum_key, thread_key


def draft_initial(member: Any, *, thread: Any = None, forum: Any = None) -> dict[str, str]:
    """The member's draft for a compose form, as initial form values ({} without one)."""
    if not getattr(member, "is_authenticated", False):
        return {}
    key = thread_key(thread.pk) if thread is not None else forum_key(forum.pk)
    draft = (
        Draft.objects.filter(member=member, key=key)
        .values("title", "source", "format", "token")
        .first()
    )
    if draft is None:
        return {}
    initial = {"source": draft["source"], "format": draft["format"], "draft": "1"}
    if draft["title"]:
        initial["title"] = draft["title"]
    if draft["token"]:
        # The form comes back as the one the draft was typed in: its uploads with it.
        initial["token"] = draft["token"]
    return initial
