"""Content moderation: soft delete and restore, approval, hard delete, lock and stick, move,
merge and split. Each function is keyword-only, atomic and permission-checked; counters are
recomputed from the rows for everything it touched (`counters`). The moderation app wraps
these with the audit log; forums itself knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parley.core.deadlocks import retry_on_deadlock
from parley.events import kinds
from parley.permissions.guardian import Guardian
from parley.permissions.models import Power

from . import counters, events
from .models import Forum, Post, State, Thread, ThreadRedirect
from .validation import validate_title


@dataclass
class Touched:
    """What an action changed, for the audit log and the counters."""

    threads: set[int] = field(default_factory=set)
    forums: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)

    def refresh(self) -> None:
        counters.refresh_everything_about(
            threads=self.threads, forums=self.forums, members=self.members
        )


def _reason(reason: str) -> str:
    return (reason or "").strip()[:300]


def _authors(thread_ids: Sequence[int]) -> set[int]:
    return set(Post.objects.filter(thread_id__in=thread_ids).values_list("author_id", flat=True))


def _fresh_post(post: Post) -> Post:
    return Post.objects.select_related("thread__forum", "author").get(pk=post.pk)


# --- delete and restore ------------------------------------------------------------------


@retry_on_deadlock()
def soft_delete_post(*, actor: Any, post: Post, reason: str = "") -> Post:
    """Hide a post behind a placeholder. Deleting a thread's first post deletes the thread."""
    guardian = Guardian(actor)
    guardian.ensure_delete_post(post)
    if post.pk == post.thread.first_post_id:
        soft_delete_thread(actor=actor, thread=post.thread, reason=reason)
        return _fresh_post(post)
    with transaction.atomic():
        counters.lock_threads([post.thread_id])
        if (
            Post.objects.filter(pk=post.pk)
            .exclude(state=State.DELETED)
            .update(
                state=State.DELETED,
                deleted_at=timezone.now(),
                deleted_by=actor,
                delete_reason=_reason(reason),
            )
        ):
            events.post_changed(kinds.POST_DELETED, post, actor=actor, reason=_reason(reason))
        Touched({post.thread_id}, {post.thread.forum_id}, {post.author_id}).refresh()
    return _fresh_post(post)


@retry_on_deadlock()
def restore_post(*, actor: Any, post: Post) -> Post:
    Guardian(actor).ensure_moderate(post.thread.forum_id, Power.DELETE)
    with transaction.atomic():
        counters.lock_threads([post.thread_id])
        if Post.objects.filter(pk=post.pk, state=State.DELETED).update(
            state=State.VISIBLE, deleted_at=None, deleted_by=None, delete_reason=""
        ):
            events.post_changed(kinds.POST_RESTORED, post, actor=actor)
        Touched({post.thread_id}, {post.thread.forum_id}, {post.author_id}).refresh()
    return _fresh_post(post)


@retry_on_deadlock()
def soft_delete_thread(*, actor: Any, thread: Thread, reason: str = "") -> Thread:
    guardian = Guardian(actor)
    guardian.ensure_see_thread(thread)
    if not guardian.has_power(Power.DELETE, thread.forum_id):
        # Authors may delete their own thread while nobody has replied to it.
        first = Post.objects.select_related("thread__forum").get(pk=thread.first_post_id or 0)
        if not guardian.can_delete_post(first) or thread.reply_count:
            raise PermissionDenied("Only a moderator can delete a thread that has replies.")
    with transaction.atomic():
        counters.lock_threads([thread.pk])
        if (
            Thread.objects.filter(pk=thread.pk)
            .exclude(state=State.DELETED)
            .update(
                state=State.DELETED,
                deleted_at=timezone.now(),
                deleted_by=actor,
                delete_reason=_reason(reason),
            )
        ):
            events.thread_changed(kinds.POST_DELETED, thread, actor=actor, reason=_reason(reason))
        Touched({thread.pk}, {thread.forum_id}, _authors([thread.pk])).refresh()
    thread.refresh_from_db()
    return thread


@retry_on_deadlock()
def restore_thread(*, actor: Any, thread: Thread) -> Thread:
    Guardian(actor).ensure_moderate(thread.forum_id, Power.DELETE)
    with transaction.atomic():
        counters.lock_threads([thread.pk])
        if Thread.objects.filter(pk=thread.pk, state=State.DELETED).update(
            state=State.VISIBLE, deleted_at=None, deleted_by=None, delete_reason=""
        ):
            events.thread_changed(kinds.POST_RESTORED, thread, actor=actor)
        # The first post is deleted along with its thread when a member deletes it.
        Post.objects.filter(pk=thread.first_post_id or 0, state=State.DELETED).update(
            state=State.VISIBLE, deleted_at=None, deleted_by=None, delete_reason=""
        )
        Touched({thread.pk}, {thread.forum_id}, _authors([thread.pk])).refresh()
    thread.refresh_from_db()
    return thread


@retry_on_deadlock()
def hard_delete_post(*, actor: Any, post: Post) -> None:
    """Remove a post for good (administrators only); a first post takes its thread along."""
    if not Guardian(actor).can_hard_delete():
        raise PermissionDenied("Only administrators can delete for good.")
    if post.pk == post.thread.first_post_id:
        hard_delete_thread(actor=actor, thread=post.thread)
        return
    with transaction.atomic():
        counters.lock_threads([post.thread_id])
        Post.objects.filter(pk=post.pk).delete()
        events.post_changed(kinds.POST_DELETED, post, actor=actor, hard=True)
        Touched({post.thread_id}, {post.thread.forum_id}, {post.author_id}).refresh()


@retry_on_deadlock()
def hard_delete_thread(*, actor: Any, thread: Thread) -> None:
    if not Guardian(actor).can_hard_delete():
        raise PermissionDenied("Only administrators can delete for good.")
    with transaction.atomic():
        counters.lock_threads([thread.pk])
        authors = _authors([thread.pk])
        Thread.objects.filter(pk=thread.pk).update(first_post=None, last_post=None)
        Post.objects.filter(thread_id=thread.pk).delete()
        Thread.objects.filter(pk=thread.pk).delete()
        events.thread_changed(kinds.POST_DELETED, thread, actor=actor, hard=True)
        Touched(set(), {thread.forum_id}, authors).refresh()


# --- approval ----------------------------------------------------------------------------


@retry_on_deadlock()
def approve_post(*, actor: Any, post: Post) -> Post:
    """Publish a post that waited for approval; the first post publishes its thread."""
    Guardian(actor).ensure_moderate(post.thread.forum_id, Power.APPROVE)
    with transaction.atomic():
        counters.lock_threads([post.thread_id])
        if Post.objects.filter(pk=post.pk, state=State.PENDING).update(state=State.VISIBLE):
            events.post_changed(kinds.POST_APPROVED, post, actor=actor)
        if post.pk == post.thread.first_post_id:
            Thread.objects.filter(pk=post.thread_id, state=State.PENDING).update(
                state=State.VISIBLE
            )
        Touched({post.thread_id}, {post.thread.forum_id}, {post.author_id}).refresh()
    return _fresh_post(post)


@retry_on_deadlock()
def reject_post(*, actor: Any, post: Post, reason: str = "") -> Post:
    """Turn a pending post down: it is deleted (restorable), as is its thread if it was the
    first post."""
    Guardian(actor).ensure_moderate(post.thread.forum_id, Power.APPROVE)
    with transaction.atomic():
        counters.lock_threads([post.thread_id])
        now = timezone.now()
        fields = {"deleted_at": now, "deleted_by": actor, "delete_reason": _reason(reason)}
        if Post.objects.filter(pk=post.pk, state=State.PENDING).update(
            state=State.DELETED, **fields
        ):
            events.post_changed(kinds.POST_DELETED, post, actor=actor, rejected=True)
        if post.pk == post.thread.first_post_id:
            Thread.objects.filter(pk=post.thread_id, state=State.PENDING).update(
                state=State.DELETED, **fields
            )
        Touched({post.thread_id}, {post.thread.forum_id}, {post.author_id}).refresh()
    return _fresh_post(post)


# --- thread flags --------------------------------------------------------------------------


def set_thread_flags(
    *, actor: Any, thread: Thread, locked: bool | None = None, sticky: bool | None = None
) -> Thread:
    Guardian(actor).ensure_moderate(thread.forum_id, Power.LOCK)
    changes: dict[str, bool] = {}
    if locked is not None:
        changes["is_locked"] = locked
    if sticky is not None:
        changes["is_sticky"] = sticky
    if changes:
        Thread.objects.filter(pk=thread.pk).update(**changes)
        thread.refresh_from_db()
    return thread


def lock_thread_by_rule(*, thread: Thread) -> Thread:
    """Lock a thread because a rule of the site says so (a live event past its post limit,
    parley.liveevents): nobody acts, so there is no Guardian check; the caller logs it."""
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    return thread


# --- move, merge, split --------------------------------------------------------------------


def _ensure_move(guardian: Guardian, *forum_ids: int) -> None:
    for forum_id in forum_ids:
        guardian.ensure_moderate(forum_id, Power.MOVE)


@retry_on_deadlock()
def move_thread(
    *, actor: Any, thread: Thread, forum: Forum, leave_redirect: bool = False
) -> Thread:
    guardian = Guardian(actor)
    guardian.ensure_see_forum(forum)
    _ensure_move(guardian, thread.forum_id, forum.pk)
    if forum.pk == thread.forum_id:
        return thread
    old_forum = thread.forum_id
    with transaction.atomic():
        counters.lock_threads([thread.pk])
        Thread.objects.filter(pk=thread.pk).update(forum=forum)
        if leave_redirect:
            ThreadRedirect.objects.create(
                forum_id=old_forum, thread=thread, created_at=timezone.now()
            )
        ThreadRedirect.objects.filter(forum=forum, thread=thread).delete()
        Touched(set(), {old_forum, forum.pk}, set()).refresh()
        thread.refresh_from_db()
        events.thread_changed(kinds.POST_MOVED, thread, actor=actor, from_forum_id=old_forum)
    thread.refresh_from_db()
    return thread


@retry_on_deadlock()
def merge_threads(
    *, actor: Any, target: Thread, sources: Sequence[Thread], leave_redirect: bool = False
) -> Thread:
    """Move every post of `sources` into `target` (kept in time order, since posts are
    ordered by id) and remove the emptied source threads."""
    guardian = Guardian(actor)
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise ValidationError("Choose at least one other thread to merge into this one.")
    _ensure_move(guardian, target.forum_id, *[s.forum_id for s in sources])
    source_ids = [s.pk for s in sources]
    with transaction.atomic():
        counters.lock_threads([target.pk, *source_ids])
        authors = _authors(source_ids)
        Post.objects.filter(thread_id__in=source_ids).update(thread=target)
        for source in sources:
            if leave_redirect:
                ThreadRedirect.objects.create(
                    forum_id=source.forum_id, thread=target, created_at=timezone.now()
                )
        # Redirects that pointed at a merged thread now point at the target.
        ThreadRedirect.objects.filter(thread_id__in=source_ids).update(thread=target)
        Thread.objects.filter(pk__in=source_ids).update(first_post=None, last_post=None)
        Thread.objects.filter(pk__in=source_ids).delete()
        Touched({target.pk}, {target.forum_id, *[s.forum_id for s in sources]}, authors).refresh()
        target.refresh_from_db()
        events.thread_changed(
            kinds.POST_MOVED, target, actor=actor, merged_thread_ids=sorted(source_ids)
        )
    target.refresh_from_db()
    return target


def _posts_of_one_thread(posts: Sequence[Post]) -> Thread:
    if not posts:
        raise ValidationError("Choose at least one post.")
    threads = {p.thread_id for p in posts}
    if len(threads) != 1:
        raise ValidationError("Choose posts from one thread at a time.")
    return posts[0].thread


def _move_posts(posts: Sequence[Post], source: Thread, target: Thread) -> Touched:
    ids = [p.pk for p in posts]
    Post.objects.filter(pk__in=ids).update(thread=target)
    touched = Touched({source.pk, target.pk}, {source.forum_id, target.forum_id}, set())
    touched.members = {p.author_id for p in posts}
    if not Post.objects.filter(thread_id=source.pk).exists():
        Thread.objects.filter(pk=source.pk).update(first_post=None, last_post=None)
        Thread.objects.filter(pk=source.pk).delete()
        touched.threads.discard(source.pk)
    return touched


def _announce_moved(actor: Any, posts: Sequence[Post], source: Thread, target: Thread) -> None:
    target.refresh_from_db()
    events.thread_changed(
        kinds.POST_MOVED,
        target,
        actor=actor,
        from_thread_id=source.pk,
        from_forum_id=source.forum_id,
        # the moved posts; capped so a payload stays small (subscribers re-read the thread)
        post_ids=[p.pk for p in posts][:200],
    )


@retry_on_deadlock()
def split_posts(*, actor: Any, posts: Sequence[Post], forum: Forum, title: str) -> Thread:
    """Start a new thread in `forum` from the chosen posts; the earliest becomes its first
    post (and its author the thread's starter)."""
    guardian = Guardian(actor)
    source = _posts_of_one_thread(posts)
    guardian.ensure_see_forum(forum)
    _ensure_move(guardian, source.forum_id, forum.pk)
    title = validate_title(title)
    posts = sorted(posts, key=lambda p: p.pk)
    with transaction.atomic():
        counters.lock_threads([source.pk])
        first = posts[0]
        thread = Thread.objects.create(
            forum=forum,
            title=title,
            author_id=first.author_id,
            created_at=first.created_at,
            last_post_at=first.created_at,
        )
        touched = _move_posts(posts, source, thread)
        touched.refresh()
        _announce_moved(actor, posts, source, thread)
    thread.refresh_from_db()
    return thread


@retry_on_deadlock()
def move_posts(*, actor: Any, posts: Sequence[Post], target: Thread) -> Thread:
    guardian = Guardian(actor)
    source = _posts_of_one_thread(posts)
    if source.pk == target.pk:
        raise ValidationError("Those posts are already in that thread.")
    guardian.ensure_see_thread(target)
    _ensure_move(guardian, source.forum_id, target.forum_id)
    with transaction.atomic():
        counters.lock_threads([source.pk, target.pk])
        _move_posts(posts, source, target).refresh()
        _announce_moved(actor, posts, source, target)
    target.refresh_from_db()
    return target
