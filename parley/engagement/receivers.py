"""Reactions to forum events (after the post's transaction commits)."""

from __future__ import annotations

from typing import Any

from .services import after_own_post


def on_post_published(sender: Any, post: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        after_own_post(member=post.author, post=post)
