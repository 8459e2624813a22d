"""Re-cook stored posts after the formatter changed (RENDER_VERSION bumped)."""

from __future__ import annotations

from django.db import transaction

from parley.core import stamps
from parley.formatting import RENDER_VERSION

from . import hooks
from .cooking import cook_post
from .models import Post


def rebake_post(post_id: int) -> bool:
    """Re-cook one post from its current source, read under a row lock, so a re-cook can
    never overwrite an edit made meanwhile. Returns whether the stored HTML changed."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            return False
        attachments = hooks.attachments_for(post.author_id, None, post.pk)
        cooked, _ = cook_post(post.source, post.format, attachments=attachments)
        if cooked.html == post.cooked_html and post.render_version == cooked.render_version:
            return False
        Post.objects.filter(pk=post.pk).update(
            cooked_html=cooked.html,
            plain_text=cooked.text,
            render_version=cooked.render_version,
        )
        # A re-cook (a link card or an image arriving) writes no event: the thread's guest
        # pages are told here.
        stamps.bump_on_commit(stamps.thread(post.thread_id))
        return True


def rebake_posts(*, everything: bool = False, batch: int = 500) -> int:
    posts = (
        Post.objects.all() if everything else Post.objects.exclude(render_version=RENDER_VERSION)
    )
    changed = 0
    for post_id in posts.values_list("id", flat=True).iterator(chunk_size=batch):
        changed += rebake_post(post_id)
    return changed
