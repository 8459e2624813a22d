"""Writes of the editor app: drafts. Every save is one upsert, so a retry, an autosave and
a beacon sent on leaving the page land on the same row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from parley.forums.models import Forum, Post, Thread
from parley.forums.validation import clean_text, validate_format
from parley.permissions.guardian import Guardian

from .models import Draft, forum_key, thread_key


def _place(*, thread: Thread | None, forum: Forum | None) -> str:
    if thread is not None:
        return thread_key(thread.pk)
    if forum is not None:
        return forum_key(forum.pk)
    raise ValueError("A draft belongs to a thread or a forum.")


def draft_limit() -> int:
    """A draft may run a little over the post limit: it is where a member trims an overlong
    post, and refusing to keep it would lose their text."""
    return settings.PARLEY_MAX_POST_LENGTH * 2


def save_draft(
    *,
    member: Any,
    source: str,
    fmt: str,
    thread: Thread | None = None,
    forum: Forum | None = None,
    title: str = "",
    token: str | None = None,
) -> Draft | None:
    """Keep what the member has typed for this thread (reply) or forum (new thread).

    An empty form removes the draft. A save carrying the token of a form that has already
    been posted is ignored (a beacon sent while the post went through must not bring the
    draft back). Returns the draft, or None when there is none now."""
    guardian = Guardian(member)
    if thread is not None:
        guardian.ensure_reply(thread)
    elif forum is not None:
        guardian.ensure_start_thread(forum)
    key = _place(thread=thread, forum=forum)
    fmt = validate_format(fmt)
    source = clean_text(source)
    title = " ".join(clean_text(title).split())
    if len(source) > draft_limit():
        raise ValidationError(
            f"This draft is too long to keep ({len(source):,} characters; at most "
            f"{draft_limit():,}).",
            code="long_draft",
        )
    if len(title) > Draft._meta.get_field("title").max_length:  # type: ignore[operator]
        raise ValidationError("The title is too long to keep.", code="long_title")
    if token and Post.objects.filter(author=member, idempotency_key=token).exists():
        return None
    if not source.strip() and not title:
        Draft.objects.filter(member=member, key=key).delete()
        return None
    draft = Draft(
        member=member,
        key=key,
        thread=thread,
        forum=forum if thread is None else None,
        title=title if thread is None else "",
        source=source,
        format=fmt,
        updated_at=timezone.now(),
        token=token or "",
    )
    Draft.objects.bulk_create(
        [draft],
        update_conflicts=True,
        unique_fields=["member", "key"],
        update_fields=["title", "source", "format", "updated_at", "token"],
    )
    return draft


def discard_draft(*, member: Any, thread: Thread | None = None, forum: Forum | None = None) -> None:
    Draft.objects.filter(member=member, key=_place(thread=thread, forum=forum)).delete()


def clear_draft_on_post(author: Any, *, thread: Any, forum: Any, new_thread: bool) -> None:
    """The forums posting services call this inside their transaction: the draft goes with
    the same commit that writes the post."""
    key = forum_key(forum.pk) if new_thread else thread_key(thread.pk)
    Draft.objects.filter(member=author, key=key).delete()
