"""The one place that answers "may this person see or do this?".

`can_*` answers, `ensure_*` raises `Http404` (what a person may not see must not be
confirmed to exist) or `PermissionDenied` for things they can see but not do, and
`visible_*` filters querysets. Views, services and the API all ask a `Guardian`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from parley.forums.models import Forum, Post, Thread


class Guardian:
    def __init__(self, user: Any) -> None:
        self.user = user

    # --- who is this --------------------------------------------------------------------
    @property
    def is_member(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_active)

    @property
    def is_staff(self) -> bool:
        return self.is_member and bool(self.user.is_staff)

    @property
    def may_write(self) -> bool:
        return (
            self.is_member and not self.user.is_banned and self.user.email_confirmed_at is not None
        )

    # --- seeing ---------------------------------------------------------------------------
    def _visibility_filter(self, prefix: str = "") -> Q:
        from parley.forums.models import Visibility

        allowed = [Visibility.PUBLIC]
        if self.is_member:
            allowed.append(Visibility.MEMBERS)
        if self.is_staff:
            allowed.append(Visibility.STAFF)
        return Q(**{f"{prefix}visibility__in": allowed})

    def visible_forums(self, forums: QuerySet[Forum]) -> QuerySet[Forum]:
        return forums.filter(self._visibility_filter())

    def visible_threads(self, threads: QuerySet[Thread]) -> QuerySet[Thread]:
        return threads.filter(self._visibility_filter("forum__"))

    def visible_posts(self, posts: QuerySet[Post]) -> QuerySet[Post]:
        return posts.filter(self._visibility_filter("thread__forum__"))

    def can_see_forum(self, forum: Forum) -> bool:
        from parley.forums.models import Visibility

        if forum.visibility == Visibility.PUBLIC:
            return True
        if forum.visibility == Visibility.MEMBERS:
            return self.is_member
        return self.is_staff

    def can_see_thread(self, thread: Thread) -> bool:
        return self.can_see_forum(thread.forum)

    def can_see_post(self, post: Post) -> bool:
        return self.can_see_thread(post.thread)

    def ensure_see_forum(self, forum: Forum) -> None:
        if not self.can_see_forum(forum):
            raise Http404("No such forum.")

    def ensure_see_thread(self, thread: Thread) -> None:
        if not self.can_see_thread(thread):
            raise Http404("No such thread.")

    def ensure_see_post(self, post: Post) -> None:
        if not self.can_see_post(post):
            raise Http404("No such post.")

    # --- doing ----------------------------------------------------------------------------
    def can_start_thread(self, forum: Forum) -> bool:
        return (
            self.may_write and self.can_see_forum(forum) and (not forum.is_locked or self.is_staff)
        )

    def can_reply(self, thread: Thread) -> bool:
        return (
            self.may_write
            and self.can_see_thread(thread)
            and (not (thread.is_locked or thread.forum.is_locked) or self.is_staff)
        )

    def can_edit_post(self, post: Post) -> bool:
        if not (self.may_write and self.can_see_post(post)):
            return False
        return self.is_staff or post.author_id == self.user.pk

    def can_react(self, post: Post) -> bool:
        return self.may_write and self.can_see_post(post) and post.author_id != self.user.pk

    def ensure_start_thread(self, forum: Forum) -> None:
        self.ensure_see_forum(forum)
        if not self.can_start_thread(forum):
            raise PermissionDenied("You may not start a thread here.")

    def ensure_reply(self, thread: Thread) -> None:
        self.ensure_see_thread(thread)
        if not self.can_reply(thread):
            raise PermissionDenied("You may not reply to this thread.")

    def ensure_edit_post(self, post: Post) -> None:
        self.ensure_see_post(post)
        if not self.can_edit_post(post):
            raise PermissionDenied("You may not edit this post.")

    def ensure_react(self, post: Post) -> None:
        self.ensure_see_post(post)
        if not self.can_react(post):
            raise PermissionDenied("You may not react to this post.")

    def can_bypass_flood_limits(self) -> bool:
        return self.is_staff
