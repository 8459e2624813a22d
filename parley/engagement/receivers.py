"""The engagement app's subscriber to post events (docs/events.md): a member who posts has
read the thread up to their post, and watches it if their preference says so. Idempotent
(a read position only moves forward; a watch is get-or-create), so a repeated delivery
changes nothing."""

from __future__ import annotations

from typing import Any

from parley.events import kinds
from parley.forums.models import Post

from .services import after_own_post

SUBSCRIBER = "engagement.own_posts"
KINDS = (kinds.POST_CREATED,)


def on_post_event(event: Any) -> None:
    post = Post.objects.select_related("author").filter(pk=event.post_id).first()
    if post is None:
        return  # deleted for good since: nothing to mark
    after_own_post(member=post.author, post=post)


def repair(*, since: Any = None) -> int:
    """Re-derive read positions from members' own posts written since `since` (at most back
    to the read horizon: older posts count as read anyway). Watches are not re-derived: a
    member may have unwatched a thread on purpose."""
    from . import queries
    from .services import mark_thread_read

    horizon = queries.horizon()
    start = max(since, horizon) if since is not None else horizon
    n = 0
    posts = Post.objects.filter(created_at__gte=start).select_related("author").order_by("pk")
    for post in posts.iterator(chunk_size=500):
        mark_thread_read(member=post.author, thread_id=post.thread_id, upto_post_id=post.pk)
        n += 1
    return n
