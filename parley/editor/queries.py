"""Reads of the editor app."""

from __future__ import annotations

from typing import Any

from parley.core.prepared import Prepared

from .models import Draft, forum_key, thread_key

# Every compose form and signed-in thread page asks (prepared: parley.core.prepared). The
# key is unique per member.
_draft = Prepared(
    lambda member_id, key: Draft.objects.filter(member_id=member_id, key=key).values_list(
        "title", "source", "format", "token"
    )
)


def draft_initial(member: Any, *, thread: Any = None, forum: Any = None) -> dict[str, str]:
    """The member's draft for a compose form, as initial form values ({} without one)."""
    if not getattr(member, "is_authenticated", False):
        return {}
    key = thread_key(thread.pk) if thread is not None else forum_key(forum.pk)
    rows = _draft.run(member.pk, key)
    if not rows:
        return {}
    draft = dict(zip(("title", "source", "format", "token"), rows[0], strict=True))
    initial = {"source": draft["source"], "format": draft["format"], "draft": "1"}
    if draft["title"]:
        initial["title"] = draft["title"]
    if draft["token"]:
        # The form comes back as the one the draft was typed in: its uploads with it.
        initial["token"] = draft["token"]
    return initial


def draft_tokens() -> Any:
    """The form tokens saved drafts hold: their uploads are kept (attachments' orphan sweep)."""
    return Draft.objects.exclude(token="").values("token")
