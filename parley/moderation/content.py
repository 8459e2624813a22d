"""Moderator actions on posts and threads: the forums services, each wrapped in one
transaction with its audit entries. Views, bulk actions, the admin and the API call these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction

from parley.core.deadlocks import retry_on_deadlock
from parley.forums import moderation as forum_moderation
from parley.forums.models import Forum, Post, Thread

from .audit import record


def _state(obj: Any) -> dict:
    return {"state": obj.state}


def _change_posts(
    *,
    actor: Any,
    posts: Sequence[Post],
    action: str,
    change: Callable[[Post], Post],
    reason: str = "",
    ip: str | None = None,
) -> int:
    """Apply one state change to each post and log it (state before → after), in one
    transaction: either every post changes and is logged, or none."""
    with transaction.atomic():
        for post in posts:
            before = _state(post)
            after = change(post)
            record(
                actor=actor,
                action=action,
                target=post,
                reason=reason,
                ip=ip,
                before=before,
                after=_state(after),
            )
    return len(posts)


@retry_on_deadlock()
def delete_posts(
    *, actor: Any, posts: Sequence[Post], reason: str = "", ip: str | None = None
) -> int:
    return _change_posts(
        actor=actor,
        posts=posts,
        action="post.delete",
        change=lambda p: forum_moderation.soft_delete_post(actor=actor, post=p, reason=reason),
        reason=reason,
        ip=ip,
    )


def _restore(actor: Any, post: Post) -> Post:
    # A first post was deleted along with its thread: restoring it restores the thread.
    if post.pk == post.thread.first_post_id and post.thread.state == "deleted":
        forum_moderation.restore_thread(actor=actor, thread=post.thread)
    return forum_moderation.restore_post(actor=actor, post=post)


@retry_on_deadlock()
def restore_posts(*, actor: Any, posts: Sequence[Post], ip: str | None = None) -> int:
    return _change_posts(
        actor=actor,
        posts=posts,
        action="post.restore",
        change=lambda p: _restore(actor, p),
        ip=ip,
    )


@retry_on_deadlock()
def approve_posts(*, actor: Any, posts: Sequence[Post], ip: str | None = None) -> int:
    return _change_posts(
        actor=actor,
        posts=posts,
        action="post.approve",
        change=lambda p: forum_moderation.approve_post(actor=actor, post=p),
        ip=ip,
    )


@retry_on_deadlock()
def reject_posts(
    *, actor: Any, posts: Sequence[Post], reason: str = "", ip: str | None = None
) -> int:
    return _change_posts(
        actor=actor,
        posts=posts,
        action="post.reject",
        change=lambda p: forum_moderation.reject_post(actor=actor, post=p, reason=reason),
        reason=reason,
        ip=ip,
    )


@retry_on_deadlock()
def hard_delete_post(*, actor: Any, post: Post, reason: str = "", ip: str | None = None) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="post.hard_delete",
            target=post,
            reason=reason,
            ip=ip,
            before={"state": post.state, "text": post.plain_text[:500]},
        )
        forum_moderation.hard_delete_post(actor=actor, post=post)


def edit_post_as_moderator(
    *,
    actor: Any,
    post: Post,
    source: str,
    fmt: str,
    reason: str,
    ip: str | None = None,
    base_revision: int | None = None,
) -> Post:
    """Editing someone else's post is a staff action: logged (by `record_staff_edit`, which
    the forums edit service calls for every such edit, whichever page made it), with the
    reason shown in the post's edit history."""
    from parley.forums import services

    return services.edit_post(
        editor=actor,
        post=post,
        source=source,
        fmt=fmt,
        base_revision=base_revision,
        reason=reason,
    )


def record_staff_edit(editor: Any, post: Post, replaced: int, reason: str) -> None:
    """The forums edit service's hook: one log entry for an edit of someone else's post."""
    record(
        actor=editor,
        action="post.edit",
        target=post,
        reason=reason,
        before={"revision": replaced},
        after={"revision": post.revision},
    )


@retry_on_deadlock()
def delete_threads(
    *, actor: Any, threads: Sequence[Thread], reason: str = "", ip: str | None = None
) -> int:
    with transaction.atomic():
        for thread in threads:
            before = _state(thread)
            forum_moderation.soft_delete_thread(actor=actor, thread=thread, reason=reason)
            record(
                actor=actor,
                action="thread.delete",
                target=thread,
                reason=reason,
                ip=ip,
                before=before,
                after={"state": "deleted"},
            )
    return len(threads)


@retry_on_deadlock()
def restore_threads(*, actor: Any, threads: Sequence[Thread], ip: str | None = None) -> int:
    with transaction.atomic():
        for thread in threads:
            forum_moderation.restore_thread(actor=actor, thread=thread)
            record(
                actor=actor,
                action="thread.restore",
                target=thread,
                ip=ip,
                before=_state(thread),
                after={"state": "visible"},
            )
    return len(threads)


@retry_on_deadlock()
def hard_delete_thread(
    *, actor: Any, thread: Thread, reason: str = "", ip: str | None = None
) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="thread.hard_delete",
            target=thread,
            reason=reason,
            ip=ip,
            before={"title": thread.title, "replies": thread.reply_count},
        )
        forum_moderation.hard_delete_thread(actor=actor, thread=thread)


@retry_on_deadlock()
def set_flags(
    *,
    actor: Any,
    threads: Sequence[Thread],
    locked: bool | None = None,
    sticky: bool | None = None,
    reason: str = "",
    ip: str | None = None,
) -> int:
    with transaction.atomic():
        for thread in threads:
            before = {"locked": thread.is_locked, "sticky": thread.is_sticky}
            after_thread = forum_moderation.set_thread_flags(
                actor=actor, thread=thread, locked=locked, sticky=sticky
            )
            after = {"locked": after_thread.is_locked, "sticky": after_thread.is_sticky}
            if after != before:
                changed = [k for k in after if after[k] != before[k]]
                verb = {
                    ("locked", True): "thread.lock",
                    ("locked", False): "thread.unlock",
                    ("sticky", True): "thread.stick",
                    ("sticky", False): "thread.unstick",
                }[(changed[0], after[changed[0]])]
                record(
                    actor=actor,
                    action=verb,
                    target=thread,
                    reason=reason,
                    ip=ip,
                    before=before,
                    after=after,
                )
    return len(threads)


@retry_on_deadlock()
def move_threads(
    *,
    actor: Any,
    threads: Sequence[Thread],
    forum: Forum,
    leave_redirect: bool = False,
    reason: str = "",
    ip: str | None = None,
) -> int:
    with transaction.atomic():
        for thread in threads:
            before = {"forum": thread.forum.title}
            forum_moderation.move_thread(
                actor=actor, thread=thread, forum=forum, leave_redirect=leave_redirect
            )
            record(
                actor=actor,
                action="thread.move",
                target=thread,
                reason=reason,
                ip=ip,
                before=before,
                after={"forum": forum.title},
                forum_id=forum.pk,
            )
    return len(threads)


@retry_on_deadlock()
def merge_threads(
    *,
    actor: Any,
    target: Thread,
    sources: Sequence[Thread],
    leave_redirect: bool = False,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    with transaction.atomic():
        merged = [f"#{s.pk} {s.title}" for s in sources if s.pk != target.pk]
        result = forum_moderation.merge_threads(
            actor=actor, target=target, sources=sources, leave_redirect=leave_redirect
        )
        record(
            actor=actor,
            action="thread.merge",
            target=result,
            reason=reason,
            ip=ip,
            before={"merged": merged},
            after={"replies": result.reply_count},
        )
    return result


@retry_on_deadlock()
def split_posts(
    *,
    actor: Any,
    posts: Sequence[Post],
    forum: Forum,
    title: str,
    reason: str = "",
    ip: str | None = None,
) -> Thread:
    with transaction.atomic():
        source = posts[0].thread if posts else None
        thread = forum_moderation.split_posts(actor=actor, posts=posts, forum=forum, title=title)
        record(
            actor=actor,
            action="thread.split",
            target=thread,
            reason=reason,
            ip=ip,
            before={"from": source.title if source else "", "posts": [p.pk for p in posts]},
            after={"thread": thread.pk},
        )
    return thread


@retry_on_deadlock()
def move_posts(
    *, actor: Any, posts: Sequence[Post], target: Thread, reason: str = "", ip: str | None = None
) -> Thread:
    with transaction.atomic():
        source = posts[0].thread if posts else None
        thread = forum_moderation.move_posts(actor=actor, posts=posts, target=target)
        record(
            actor=actor,
            action="posts.move",
            target=thread,
            reason=reason,
            ip=ip,
            before={"from": source.title if source else "", "posts": [p.pk for p in posts]},
            after={"thread": thread.pk},
        )
    return thread
