"""The one place that answers "may this person see or do this?".

`can_*` answers, `ensure_*` raises `Http404` (what a person may not see must not be
confirmed to exist) or `PermissionDenied` for things they can see but not do, and
`visible_*` filters querysets in SQL. Views, services, templates (through precomputed flags)
and the API all ask a `Guardian`.

The person's permissions in every forum are computed once (`snapshot.load`, cached under a
version that every grant/group change bumps) and kept on the user object, so one request
asks the database for them at most once however many Guardians it makes.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from . import snapshot
from .models import Perm, Power

if TYPE_CHECKING:
    from parley.forums.models import Forum, Post, Thread

VISIBLE, PENDING, DELETED = "visible", "pending", "deleted"


def _unwrapped(user: Any) -> Any:
    """The member behind `request.user`'s lazy wrapper. A thread page asks the Guardian a
    few thousand questions, and every attribute read through the wrapper costs a Python
    call: unwrapped, the signed-in page spends a sixth less CPU (bench/README.md)."""
    if isinstance(user, SimpleLazyObject):
        lazy: Any = user  # the stubs do not show the wrapper's own attributes
        if lazy._wrapped is empty:
            lazy._setup()
        return lazy._wrapped
    return user


class Guardian:
    def __init__(self, user: Any) -> None:
        self.user = _unwrapped(user)

    @classmethod
    def for_request(cls, request: Any) -> Guardian:
        """One Guardian per request (a new one if the request's person changed)."""
        guardian = getattr(request, "_parley_guardian", None)
        if guardian is None or guardian.user is not _unwrapped(request.user):
            guardian = cls(request.user)
            request._parley_guardian = guardian
        return guardian

    @property
    def permissions(self) -> snapshot.PermissionSet:
        cached = getattr(self.user, "_parley_permissions", None)
        if cached is None:
            cached = snapshot.load(self.user)
            if self.user is not None:
                self.user._parley_permissions = cached
        return cached

    # --- who is this --------------------------------------------------------------------
    @property
    def is_member(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_active)

    @property
    def sees_signatures(self) -> bool:
        """Signatures show to members, and to guests only where the site allows it."""
        return self.is_member or settings.PARLEY_SIGNATURES_FOR_GUESTS

    @property
    def is_admin(self) -> bool:
        return self.is_member and self.permissions.is_admin

    @property
    def is_super_moderator(self) -> bool:
        return self.is_member and self.permissions.is_super_moderator

    @property
    def is_staff(self) -> bool:
        """Moderates somewhere (the moderation queue and log are theirs)."""
        return self.is_member and bool(self.permissions.powers)

    def _active_until(self, until: Any) -> bool:
        return until is None or until > timezone.now()

    @property
    def is_banned(self) -> bool:
        if not self.is_member:
            return False
        user = self.user
        if user.is_banned and self._active_until(user.banned_until):
            return True
        return user.warning_action == "ban" and self._active_until(user.warning_action_until)

    @property
    def is_posting_banned(self) -> bool:
        user = self.user
        return (
            self.is_member
            and user.warning_action == "posting_ban"
            and self._active_until(user.warning_action_until)
        )

    @property
    def posts_need_approval(self) -> bool:
        """Moderated members: their posts wait for approval (staff never do)."""
        if not self.is_member or self.permissions.powers:
            return False
        user = self.user
        return bool(user.needs_approval) or (
            user.warning_action == "approval" and self._active_until(user.warning_action_until)
        )

    @property
    def write_block_reason(self) -> str:
        """Why this member may not write, in words for them; empty when they may."""
        if not self.is_member:
            return "Sign in to take part."
        user = self.user
        if user.email_confirmed_at is None:
            return "Confirm your e-mail address to post: follow the link in the mail we sent."
        if self.is_banned:
            until = user.banned_until if user.is_banned else user.warning_action_until
            when = f" until {until:%d %b %Y, %H:%M} UTC" if until else ""
            reason = user.ban_reason if user.is_banned else "warning points"
            return f"You are banned{when}. Reason: {reason or 'not given'}."
        if self.is_posting_banned:
            until = user.warning_action_until
            when = f" until {until:%d %b %Y, %H:%M} UTC" if until else ""
            return f"You may not post{when}, because of your warning points."
        return ""

    @property
    def may_write(self) -> bool:
        return self.is_member and not self.write_block_reason

    # --- forums -----------------------------------------------------------------------------
    def has(self, perm: str, forum_id: int) -> bool:
        return perm in self.permissions.perms.get(forum_id, ())

    def has_power(self, power: str, forum_id: int) -> bool:
        return power in self.permissions.powers.get(forum_id, ())

    def moderates(self, forum_id: int) -> bool:
        return bool(self.permissions.powers.get(forum_id))

    def visible_forum_ids(self) -> list[int]:
        return sorted(self.permissions.perms)

    def readable_forum_ids(self) -> list[int]:
        return sorted(f for f, p in self.permissions.perms.items() if Perm.READ_THREADS in p)

    def forum_ids_with_power(self, power: str) -> list[int]:
        return sorted(f for f, p in self.permissions.powers.items() if power in p)

    def can_see_forum(self, forum: Forum) -> bool:
        return forum.pk in self.permissions.perms

    def can_read_forum(self, forum_id: int) -> bool:
        return self.has(Perm.READ_THREADS, forum_id)

    # --- seeing threads and posts --------------------------------------------------------
    def _sees_state(self, state: str, author_id: int, forum_id: int) -> bool:
        if state == VISIBLE:
            return True
        if state == PENDING:
            return (self.is_member and author_id == self.user.pk) or self.has_power(
                Power.APPROVE, forum_id
            )
        return self.has_power(Power.DELETE, forum_id)

    def can_see_thread(self, thread: Thread) -> bool:
        return self.can_see_forum(thread.forum) and self._sees_state(
            thread.state, thread.author_id, thread.forum_id
        )

    def can_read_thread(self, thread: Thread) -> bool:
        return self.can_see_thread(thread) and self.can_read_forum(thread.forum_id)

    def can_see_post(self, post: Post) -> bool:
        """The post's place in its thread: deleted posts leave a placeholder readers see."""
        thread = post.thread
        if not self.can_read_thread(thread):
            return False
        return post.state != PENDING or self._sees_state(PENDING, post.author_id, thread.forum_id)

    def can_read_post(self, post: Post) -> bool:
        """The post's content."""
        return self.can_read_thread(post.thread) and self._sees_state(
            post.state, post.author_id, post.thread.forum_id
        )

    def ensure_see_forum(self, forum: Forum) -> None:
        if not self.can_see_forum(forum):
            raise Http404("No such forum.")

    def ensure_see_thread(self, thread: Thread) -> None:
        if not self.can_see_thread(thread):
            raise Http404("No such thread.")
        if not self.can_read_forum(thread.forum_id):
            raise PermissionDenied("You may not read threads in this forum.")

    def ensure_see_post(self, post: Post) -> None:
        self.ensure_see_thread(post.thread)
        if not self.can_see_post(post):
            raise Http404("No such post.")

    def ensure_read_post(self, post: Post) -> None:
        self.ensure_see_post(post)
        if not self.can_read_post(post):
            raise Http404("No such post.")

    # --- lists, filtered in SQL ----------------------------------------------------------
    def visible_forums(self, forums: QuerySet[Forum]) -> QuerySet[Forum]:
        return forums.filter(pk__in=self.visible_forum_ids())

    def visible_threads(self, threads: QuerySet[Thread]) -> QuerySet[Thread]:
        """Threads anyone reading the forum sees (lists, activity, search)."""
        return threads.filter(forum_id__in=self.readable_forum_ids(), state=VISIBLE)

    def visible_posts(self, posts: QuerySet[Post]) -> QuerySet[Post]:
        return posts.filter(
            thread__forum_id__in=self.readable_forum_ids(), thread__state=VISIBLE, state=VISIBLE
        )

    def _state_q(self, forum_id: int, prefix: str = "", *, own_pending: bool = True) -> Q:
        states = [VISIBLE]
        if self.has_power(Power.DELETE, forum_id):
            states.append(DELETED)
        if self.has_power(Power.APPROVE, forum_id):
            states.append(PENDING)
        q = Q(**{f"{prefix}state__in": states})
        if own_pending and self.is_member and PENDING not in states:
            q |= Q(**{f"{prefix}state": PENDING, f"{prefix}author_id": self.user.pk})
        return q

    def forum_thread_filter(self, forum: Forum) -> Q:
        """Which threads of a forum's list this person sees."""
        return self._state_q(forum.pk)

    def thread_post_filter(self, thread: Thread, *, pending_authors: Set[int] | None = None) -> Q:
        """Which posts of a thread this person sees (deleted ones as placeholders).

        `pending_authors`: the authors of the thread's posts awaiting approval, when the caller
        knows them. A member who is not among them has no post of their own to see there, so
        the filter leaves that clause out: the same posts, under a filter that does not name
        the member and that every such reader shares (a thread page keeps its listing under
        the filter, stamps.per_thread)."""
        own = pending_authors is None or (self.is_member and self.user.pk in pending_authors)
        return self._state_q(thread.forum_id, own_pending=own) | Q(state=DELETED)

    # --- doing ------------------------------------------------------------------------------
    def _locked_for_me(self, forum: Forum, thread: Thread | None = None) -> bool:
        locked = forum.is_locked or (thread is not None and thread.is_locked)
        return locked and not self.moderates(forum.pk)

    def can_start_thread(self, forum: Forum) -> bool:
        return (
            self.may_write
            and self.has(Perm.START_THREADS, forum.pk)
            and not self._locked_for_me(forum)
        )

    def can_reply(self, thread: Thread) -> bool:
        return (
            self.may_write
            and self.can_read_thread(thread)
            and thread.state == VISIBLE
            and self.has(Perm.REPLY, thread.forum_id)
            and not self._locked_for_me(thread.forum, thread)
        )

    def _own(self, post: Post) -> bool:
        return self.is_member and post.author_id == self.user.pk

    def can_edit_post(self, post: Post) -> bool:
        if not (self.may_write and self.can_read_post(post)):
            return False
        forum_id = post.thread.forum_id
        if self.has_power(Power.EDIT, forum_id):
            return True
        if not self._own(post) or post.state == DELETED:
            return False
        if not self.has(Perm.EDIT_OWN, forum_id) or self._locked_for_me(
            post.thread.forum, post.thread
        ):
            return False
        window = self.permissions.edit_windows.get(forum_id)
        return window is None or timezone.now() < post.created_at + timedelta(minutes=window)

    def can_delete_post(self, post: Post) -> bool:
        """Soft delete: moderators with the power, or authors allowed to delete their own."""
        if not self.can_read_post(post) or post.state == DELETED:
            return False
        forum_id = post.thread.forum_id
        if self.has_power(Power.DELETE, forum_id):
            return True
        return (
            self.may_write
            and self._own(post)
            and self.has(Perm.DELETE_OWN, forum_id)
            and not self._locked_for_me(post.thread.forum, post.thread)
        )

    def can_react(self, post: Post) -> bool:
        return (
            self.may_write
            and post.state == VISIBLE
            and self.can_read_post(post)
            and self.has(Perm.REACT, post.thread.forum_id)
            and not self._own(post)
        )

    def can_report(self, post: Post) -> bool:
        return self.may_write and self.can_read_post(post) and not self._own(post)

    def can_view_history(self, post: Post) -> bool:
        if not self.can_read_post(post):
            return False
        forum_id = post.thread.forum_id
        return (
            self._own(post)
            or self.moderates(forum_id)
            or self.has(Perm.VIEW_HISTORY, forum_id)
            or bool(post.thread.forum.edit_history_public)
        )

    # --- thread details: tags, prefix, poll (parley.tags, parley.polls) --------------------
    def can_label_thread(self, thread: Thread) -> bool:
        """Set a thread's tags and prefix, or add its poll: the starter, while they may still
        write in the forum, or a moderator with the edit power there."""
        if not (self.may_write and self.can_read_thread(thread)) or thread.state == DELETED:
            return False
        if self.has_power(Power.EDIT, thread.forum_id):
            return True
        return (
            self.is_member
            and thread.author_id == self.user.pk
            and self.has(Perm.EDIT_OWN, thread.forum_id)
            and not self._locked_for_me(thread.forum, thread)
        )

    def can_vote(self, thread: Thread) -> bool:
        """Vote in a thread's poll: whoever may reply to it."""
        return self.can_reply(thread)

    def can_see_poll_results(self, thread: Thread, *, after_vote_only: bool, voted: bool) -> bool:
        """Results shown to everyone, or only once you voted (and always to its moderators,
        who need to see what a poll says)."""
        return not after_vote_only or voted or self.moderates(thread.forum_id)

    def ensure_label_thread(self, thread: Thread) -> None:
        self.ensure_see_thread(thread)
        if not self.can_label_thread(thread):
            self._deny("You may not change this thread's tags, prefix or poll.")

    def ensure_vote(self, thread: Thread) -> None:
        self.ensure_see_thread(thread)
        if not self.can_vote(thread):
            if thread.is_locked or thread.forum.is_locked:
                raise PermissionDenied("This thread is locked: its poll takes no more votes.")
            self._deny("You may not vote in this poll.")

    # --- live-event threads (parley.liveevents) --------------------------------------------
    def can_manage_live_event(self, thread: Thread) -> bool:
        """Mark or unmark a thread as a live event, pin posts to its timeline, set its slow
        mode: moderators with the lock power there, or the starter while the thread is open
        and they may still write in the forum."""
        if not (self.may_write and self.can_read_thread(thread)) or thread.state != VISIBLE:
            return False
        if self.has_power(Power.LOCK, thread.forum_id):
            return True
        return (
            self.is_member
            and thread.author_id == self.user.pk
            and self.has(Perm.REPLY, thread.forum_id)
            and not thread.is_locked
            and not thread.forum.is_locked
        )

    def ensure_manage_live_event(self, thread: Thread) -> None:
        self.ensure_see_thread(thread)
        if not self.can_manage_live_event(thread):
            self._deny("Only the thread's starter and moderators can change its live event.")

    def is_exempt_from_slow_mode(self, forum_id: int) -> bool:
        """Staff (the forum's moderators) pace a live thread; slow mode does not hold them."""
        return self.is_member and self.moderates(forum_id)

    def can_moderate(self, forum_id: int, power: str) -> bool:
        return self.is_member and self.has_power(power, forum_id)

    def can_hard_delete(self) -> bool:
        return self.is_admin

    def can_ban_members(self) -> bool:
        """Bans are site-wide: super moderators and administrators."""
        return self.is_super_moderator

    def can_warn(self, forum_id: int | None = None) -> bool:
        if forum_id is None:
            return bool(self.forum_ids_with_power(Power.WARN))
        return self.can_moderate(forum_id, Power.WARN)

    def can_manage_stories(self) -> bool:
        """Split and merge story groups (parley.stories): administrators, super moderators,
        and moderators holding the `move` power somewhere (splitting and merging threads is
        their job). Stories span forums, so the power in one forum is enough; the pages list
        only articles, never posts or threads."""
        return self.is_member and (
            self.is_admin or self.is_super_moderator or bool(self.forum_ids_with_power(Power.MOVE))
        )

    def ensure_manage_stories(self) -> None:
        if not self.can_manage_stories():
            raise Http404("No such page.")

    def can_bypass_flood_limits(self, forum_id: int | None = None) -> bool:
        if not self.is_member:
            return False
        if self.is_super_moderator:
            return True
        if forum_id is None:
            return bool(self.permissions.powers)
        return self.has(Perm.BYPASS_FLOOD, forum_id)

    def post_flags(self, post: Post) -> dict[str, bool]:
        """Everything a template needs to know about one post, answered here once."""
        forum_id = post.thread.forum_id
        return {
            "can_read": self.can_read_post(post),
            "can_edit": self.can_edit_post(post),
            "can_delete": self.can_delete_post(post),
            "can_react": self.can_react(post),
            "can_report": self.can_report(post),
            "can_history": self.can_view_history(post),
            "can_moderate": self.moderates(forum_id),
            "can_restore": post.state == DELETED and self.has_power(Power.DELETE, forum_id),
            "can_approve": post.state == PENDING and self.has_power(Power.APPROVE, forum_id),
            "can_warn": self.can_moderate(forum_id, Power.WARN) and not self._own(post),
            "can_view_ip": self.can_moderate(forum_id, Power.VIEW_IPS),
            "can_hard_delete": self.is_admin,
        }

    def page_post_flags(self, posts: Sequence[Post]) -> list[dict[str, bool]]:
        """`post_flags` for each post of a page. For a post that is not this person's own, the
        answers depend on nothing of the post but its thread and state (its author matters
        only for one's own posts: editing, deleting, reacting, reporting, warning, the
        history, a pending post one wrote), so they are worked out once per (thread, state)
        and shared: twenty posts of a thread page cost one or two answers, not twenty.
        tests/permissions checks this against `post_flags` post by post."""
        shared: dict[tuple[int, str], dict[str, bool]] = {}
        out = []
        for post in posts:
            if self._own(post):
                out.append(self.post_flags(post))
                continue
            key = (post.thread_id, post.state)
            flags = shared.get(key)
            if flags is None:
                flags = shared[key] = self.post_flags(post)
            out.append(dict(flags))
        return out

    # --- ensure ----------------------------------------------------------------------------
    def _deny(self, message: str) -> None:
        reason = self.write_block_reason if self.is_member else ""
        raise PermissionDenied(reason or message)

    def ensure_start_thread(self, forum: Forum) -> None:
        self.ensure_see_forum(forum)
        if not self.can_start_thread(forum):
            self._deny("You may not start a thread here.")

    def ensure_reply(self, thread: Thread) -> None:
        self.ensure_see_thread(thread)
        if not self.can_reply(thread):
            self._deny("You may not reply to this thread.")

    def ensure_edit_post(self, post: Post) -> None:
        self.ensure_read_post(post)
        if not self.can_edit_post(post):
            self._deny("You may not edit this post.")

    def ensure_delete_post(self, post: Post) -> None:
        self.ensure_read_post(post)
        if not self.can_delete_post(post):
            self._deny("You may not delete this post.")

    def ensure_react(self, post: Post) -> None:
        self.ensure_read_post(post)
        if not self.can_react(post):
            self._deny("You may not react to this post.")

    def ensure_report(self, post: Post) -> None:
        self.ensure_read_post(post)
        if not self.can_report(post):
            self._deny("You may not report this post.")

    def ensure_view_history(self, post: Post) -> None:
        self.ensure_read_post(post)
        if not self.can_view_history(post):
            raise Http404("No such page.")

    def ensure_moderate(self, forum_id: int, power: str) -> None:
        """Moderator actions on things the person can see: 404 when they moderate nothing
        there (the tool does not exist for them), 403 when they lack this one power."""
        if not self.moderates(forum_id):
            raise Http404("No such page.")
        if not self.has_power(power, forum_id):
            raise PermissionDenied("You do not have that moderator power in this forum.")

    def ensure_staff(self) -> None:
        if not self.is_staff:
            raise Http404("No such page.")

    # --- news sources (parley.sources) ------------------------------------------------------
    def can_view_sources(self) -> bool:
        """The list of sites seen in posts is for staff (anyone who moderates somewhere)."""
        return self.is_super_moderator or self.is_staff

    def can_manage_sources(self) -> bool:
        """Labels, trusted sites and forum policies apply everywhere: super moderators and
        administrators set them."""
        return self.is_super_moderator

    def ensure_view_sources(self) -> None:
        if not self.can_view_sources():
            raise Http404("No such page.")

    def ensure_manage_sources(self) -> None:
        self.ensure_view_sources()
        if not self.can_manage_sources():
            raise PermissionDenied("Only super moderators and administrators edit sources.")
