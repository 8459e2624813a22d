"""Every write to live events goes through these keyword-only, atomic functions; each one
announces itself with a `live_event.changed` outbox event naming the thread, which moves the
thread's guest-page stamp and reaches open pages (`wiring`)."""

from __future__ import annotations

import logging
import math
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parley.core.deadlocks import retry_on_deadlock
from parley.events import kinds
from parley.events.outbox import emit
from parley.forums import moderation as forum_moderation
from parley.forums import services as forum_services
from parley.forums.models import Post, State, Thread
from parley.moderation.audit import record
from parley.permissions.guardian import Guardian

from .models import LiveEvent, TimelineEntry, duration_label
from .validation import (
    validate_happened_at,
    validate_post_limit,
    validate_slow_mode,
    validate_summary,
)

log = logging.getLogger(__name__)

NOT_LIVE = "This thread is not a live event; mark it as one first."


def _announce(thread: Thread, *, actor_id: int | None, what: str, **payload: Any) -> None:
    emit(
        kinds.LIVE_EVENT_CHANGED,
        actor_id=actor_id,
        thread_id=thread.pk,
        forum_id=thread.forum_id,
        payload={"what": what, **payload},
    )


def _active(thread: Thread, *, lock: bool = True) -> LiveEvent:
    rows = LiveEvent.objects.filter(thread=thread, is_active=True)
    live = (rows.select_for_update() if lock else rows).first()
    if live is None:
        raise ValidationError(NOT_LIVE, code="not_live")
    return live


# --- marking -------------------------------------------------------------------------------


@retry_on_deadlock()
def mark_live_event(
    *,
    actor: Any,
    thread: Thread,
    slow_mode_seconds: int = 0,
    post_limit: int | None = None,
    at: datetime | None = None,
) -> LiveEvent:
    """Make the thread a live event (again: a thread unmarked earlier gets its timeline
    back), with its slow mode and post limit."""
    Guardian(actor).ensure_manage_live_event(thread)
    slow = validate_slow_mode(slow_mode_seconds)
    limit = validate_post_limit(post_limit)
    with transaction.atomic():
        live = LiveEvent.objects.select_for_update().filter(thread=thread).first()
        if live is None:
            try:
                with transaction.atomic():
                    live = LiveEvent.objects.create(
                        thread=thread,
                        slow_mode_seconds=slow,
                        post_limit=limit,
                        marked_by=actor,
                        marked_at=at or timezone.now(),
                    )
            except IntegrityError:  # marked by someone else a moment ago
                live = LiveEvent.objects.select_for_update().get(thread=thread)
            else:
                _announce(thread, actor_id=actor.pk, what="marked")
                return live
        live.is_active = True
        live.slow_mode_seconds = slow
        live.post_limit = limit
        live.save(update_fields=["is_active", "slow_mode_seconds", "post_limit"])
        _announce(thread, actor_id=actor.pk, what="marked")
    return live


@retry_on_deadlock()
def unmark_live_event(*, actor: Any, thread: Thread) -> None:
    """The thread is an ordinary thread again: no timeline shown, no slow mode. What was
    pinned is kept in case it is marked again."""
    Guardian(actor).ensure_manage_live_event(thread)
    with transaction.atomic():
        if LiveEvent.objects.filter(thread=thread, is_active=True).update(is_active=False):
            _announce(thread, actor_id=actor.pk, what="unmarked")


@retry_on_deadlock()
def set_live_event_options(
    *, actor: Any, thread: Thread, slow_mode_seconds: int, post_limit: int
) -> LiveEvent:
    Guardian(actor).ensure_manage_live_event(thread)
    slow = validate_slow_mode(slow_mode_seconds)
    limit = validate_post_limit(post_limit)
    with transaction.atomic():
        live = _active(thread)
        live.slow_mode_seconds = slow
        live.post_limit = limit
        live.save(update_fields=["slow_mode_seconds", "post_limit"])
        _announce(thread, actor_id=actor.pk, what="options")
    return live


# --- the timeline --------------------------------------------------------------------------


@retry_on_deadlock()
def pin_post(
    *, actor: Any, post: Post, summary: str, happened_at: datetime | None = None
) -> TimelineEntry:
    """Put a post of a live thread on its timeline with a one-line summary and the time it
    happened (the post's own time unless given)."""
    thread = post.thread
    guardian = Guardian(actor)
    guardian.ensure_read_post(post)
    guardian.ensure_manage_live_event(thread)
    if post.state != State.VISIBLE:
        raise ValidationError("Only a visible post can go on the timeline.", code="hidden")
    summary = validate_summary(summary)
    when = validate_happened_at(happened_at, default=post.created_at)
    with transaction.atomic():
        live = _active(thread)
        if TimelineEntry.objects.filter(live_event=live, post=post).exists():
            raise ValidationError(
                "This post is already on the timeline; edit its entry instead.",
                code="already_pinned",
            )
        entry = TimelineEntry.objects.create(
            live_event=live,
            post=post,
            summary=summary,
            happened_at=when,
            pinned_by=actor,
            pinned_at=timezone.now(),
        )
        _announce(thread, actor_id=actor.pk, what="pinned", entry_id=entry.pk)
    return entry


def _entry_thread(entry: TimelineEntry) -> Thread:
    return Thread.objects.select_related("forum").get(pk=entry.live_event.thread_id)


@retry_on_deadlock()
def edit_timeline_entry(
    *, actor: Any, entry: TimelineEntry, summary: str, happened_at: datetime | None
) -> TimelineEntry:
    thread = _entry_thread(entry)
    Guardian(actor).ensure_manage_live_event(thread)
    summary = validate_summary(summary)
    when = validate_happened_at(happened_at, default=entry.happened_at)
    with transaction.atomic():
        updated = TimelineEntry.objects.filter(pk=entry.pk).update(
            summary=summary, happened_at=when
        )
        if not updated:
            raise ValidationError("This entry was removed meanwhile.", code="gone")
        _announce(thread, actor_id=actor.pk, what="edited", entry_id=entry.pk)
    entry.summary, entry.happened_at = summary, when
    return entry


@retry_on_deadlock()
def unpin_timeline_entry(*, actor: Any, entry: TimelineEntry) -> None:
    """Take an entry off the timeline (the post itself stays where it is)."""
    thread = _entry_thread(entry)
    Guardian(actor).ensure_manage_live_event(thread)
    with transaction.atomic():
        if TimelineEntry.objects.filter(pk=entry.pk).delete()[0]:
            _announce(thread, actor_id=actor.pk, what="unpinned", entry_id=entry.pk)


# --- slow mode -----------------------------------------------------------------------------


def check_slow_mode(guardian: Guardian, thread: Thread, at: datetime) -> None:
    """The one check of slow mode, called by `reply_to_thread` inside its transaction after
    it locked the thread row (`forums.hooks.check_reply`): two replies of one member that
    race are checked one after the other, so both cannot pass."""
    if guardian.is_exempt_from_slow_mode(thread.forum_id):
        return
    seconds = (
        LiveEvent.objects.filter(thread_id=thread.pk, is_active=True, slow_mode_seconds__gt=0)
        .values_list("slow_mode_seconds", flat=True)
        .first()
    )
    if not seconds:
        return
    last = (
        Post.objects.filter(thread_id=thread.pk, author_id=guardian.user.pk)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    wait = math.ceil(seconds - (at - last).total_seconds())
    if wait > 0:
        raise ValidationError(
            f"This live thread is in slow mode: each member may post once every "
            f"{duration_label(seconds)}. You can post again in {duration_label(wait)}. "
            "Your text is kept below.",
            code="slow_mode",
        )


# --- auto-continuation ---------------------------------------------------------------------

_PART_SUFFIX = re.compile(r"\s*\(part \d+\)$")


def part_title(title: str, part: int, limit: int) -> str:
    base = _PART_SUFFIX.sub("", title)
    suffix = f" (part {part})"
    return base[: limit - len(suffix)].rstrip() + suffix


def needs_continuation(thread_id: int) -> bool:
    """One indexed query: is this an active live thread past its post limit, not yet
    continued? (Its posts are the first post plus the replies.)"""
    from django.db.models import F

    return LiveEvent.objects.filter(
        thread_id=thread_id,
        is_active=True,
        next_thread__isnull=True,
        thread__state=State.VISIBLE,
        thread__reply_count__gte=F("post_limit") - 1,
    ).exists()


def _continuation_author(thread: Thread, live: LiveEvent) -> Any | None:
    """Part 2 is started by the thread's starter, or by whoever marked it live when the
    starter may no longer start threads there (banned, say)."""
    for candidate in (thread.author, live.marked_by):
        if candidate is not None and Guardian(candidate).can_start_thread(thread.forum):
            return candidate
    return None


@retry_on_deadlock()
def continue_live_event(*, thread_id: int, at: datetime | None = None) -> Thread | None:
    """Close a live thread past its post limit and open its next part: same forum, linked
    both ways, its timeline copied over, its slow mode and limit kept. Idempotent and
    race-safe: the live-event row is locked and `next_thread` is unique, so however many
    replies cross the limit at once, one part is created; calling it again returns it."""
    from django.conf import settings

    with transaction.atomic():
        live = (
            LiveEvent.objects.select_for_update()
            .filter(thread_id=thread_id, is_active=True)
            .first()
        )
        if live is None:
            return None
        if live.next_thread_id:
            return Thread.objects.get(pk=live.next_thread_id)
        thread = Thread.objects.select_related("forum", "author").get(pk=thread_id)
        posts = thread.reply_count + 1
        if thread.state != State.VISIBLE or posts < live.post_limit:
            return None
        author = _continuation_author(thread, live)
        if author is None:
            log.warning("live thread %s is past its limit but nobody may start part 2", thread.pk)
            return None
        part = live.part + 1
        title = part_title(thread.title, part, settings.PARLEY_MAX_TITLE_LENGTH)
        opening = (
            f"This is part {part} of the live thread [url=/threads/{thread.pk}/]"
            f"{_PART_SUFFIX.sub('', thread.title)}[/url], which closed after {posts:,} posts. "
            "Its timeline of key developments continues above."
        )
        # The key makes start_thread itself return this part if it ever ran twice.
        nxt = forum_services.start_thread(
            author=author,
            forum=thread.forum,
            title=title,
            source=opening,
            fmt="bbcode",
            idempotency_key=f"live-part-{thread.pk}",
            at=at,
        )
        new_live = LiveEvent.objects.create(
            thread=nxt,
            slow_mode_seconds=live.slow_mode_seconds,
            post_limit=live.post_limit,
            part=part,
            previous_thread=thread,
            marked_by=live.marked_by,
            marked_at=at or timezone.now(),
        )
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                live_event=new_live,
                post_id=e.post_id,
                summary=e.summary,
                happened_at=e.happened_at,
                pinned_by_id=e.pinned_by_id,
                pinned_at=e.pinned_at,
            )
            for e in live.entries.all()
        )
        live.next_thread = nxt
        live.save(update_fields=["next_thread"])
        before = {"locked": thread.is_locked, "sticky": thread.is_sticky}
        forum_moderation.lock_thread_by_rule(thread=thread)
        record(
            actor=None,
            action="thread.lock",
            target=thread,
            reason=f"Live event past {live.post_limit:,} posts: continued in part {part}.",
            before=before,
            after={"locked": True, "sticky": thread.is_sticky},
        )
        _announce(thread, actor_id=None, what="continued", next_thread_id=nxt.pk)
        _announce(nxt, actor_id=None, what="continues", previous_thread_id=thread.pk)
    return nxt
