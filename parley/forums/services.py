"""Every write to forums goes through these keyword-only, atomic functions.

Counters move with F() expressions in the same transaction as the row they count, so they
stay exact under concurrent writers; "last post" pointers only ever move forward
(`Greatest`), so two replies committing in either order leave the newest one in place.
Every change is announced by an event written in its own transaction (`events`,
docs/events.md); link previews, alerts and the rest subscribe to those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from parley.core.deadlocks import retry_on_deadlock
from parley.events import kinds
from parley.formatting import AttachmentRef, Cooked, LinkRef, cook
from parley.members.models import Member
from parley.members.services import remember_post_format
from parley.permissions import bans, promotions
from parley.permissions.guardian import Guardian

from . import approval, events, hooks, viewcounts
from .cooking import article_share, cook_post
from .linkpolicy import check_edited_links
from .models import Forum, Post, PostRevision, Reaction, ReactionType, State, Thread
from .newcomers import newcomer_link_verdict
from .validation import validate_body, validate_format, validate_title


class NotAccepted(Exception):
    """The thread or post changed state meanwhile (deleted, locked, moved)."""


def _cook_for(
    forum: Forum, source: str, fmt: str, attachments: Mapping[int, AttachmentRef] | None = None
) -> Cooked:
    """Cook a post and hold it to the forum's cap on quoting one article (checked when the
    article is already known to Parley)."""
    cooked, previews = cook_post(source, fmt, attachments=attachments)
    cap = forum.max_article_quote_share
    if cap < 100 and previews:
        share, site = article_share(cooked, previews)
        if share * 100 > cap:
            raise ValidationError(
                f"This post reproduces about {share:.0%} of the article from {site}; this "
                f"forum allows at most {cap}%. Quote the part you are discussing and link "
                "to the rest.",
                code="quote_share",
            )
    return cooked


def _ensure_address_allowed(ip: str | None) -> None:
    if ip and bans.address_banned(ip):
        raise PermissionDenied(bans.BANNED_ADDRESS_MESSAGE)


def _check_newcomer_links(member: Any, cooked: Cooked) -> None:
    """Edits: a newcomer cannot add links past the limit to a post after it went up (a new
    post with too many goes to the approval queue instead, see `approval`)."""
    if newcomer_link_verdict(member, cooked.links) == "too_many":
        posts, links = settings.PARLEY_NEWCOMER_POSTS, settings.PARLEY_NEWCOMER_MAX_LINKS
        raise ValidationError(
            f"In their first {posts} posts new members may include at most {links} "
            f"link{'s' if links != 1 else ''} (links to trusted news sources do not count). "
            "Remove some links and post again; your text is kept below.",
            code="newcomer_links",
        )


def _links_of(source: str, fmt: str) -> list[LinkRef]:
    try:
        return list(cook(source, fmt).links)
    except ValueError:
        return []


class DuplicateSubmission(Exception):
    """The form's token was already used for `post`, but this submission says something
    else: posting nothing would lose the new text, posting it would break the promise that
    a form posts once. The view shows the first post and hands the new text back."""

    def __init__(self, post: Post) -> None:
        super().__init__("This form was already posted.")
        self.post = post


def _existing_post(
    author: Any, idempotency_key: str | None, *, source: str, title: str | None = None
) -> Post | None:
    """The post this form token already created, if any. The same text again is a retry or
    a double click (the first post is the answer); different text raises DuplicateSubmission."""
    if not idempotency_key:
        return None
    post = (
        Post.objects.select_related("thread")
        .filter(author=author, idempotency_key=idempotency_key)
        .first()
    )
    if post is None:
        return None
    same_title = title is None or (
        post.thread.first_post_id == post.pk and post.thread.title == title
    )
    if post.source != source or not same_title:
        raise DuplicateSubmission(post)
    return post


def _insert_post(
    *,
    author: Any,
    thread: Thread,
    source: str,
    fmt: str,
    key: str | None,
    at: datetime | None,
    state: str,
    ip: str | None,
    forum: Forum,
) -> Post:
    attachments = hooks.attachments_for(author.pk, key, None)
    cooked = _cook_for(forum, source, fmt, attachments)
    now = at or timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        created_at=now,
        source=source,
        format=fmt,
        cooked_html=cooked.html,
        plain_text=cooked.text,
        render_version=cooked.render_version,
        idempotency_key=key or None,
        state=state,
        ip_address=ip or None,
    )
    hooks.attachments_written(post, attachments)
    if state == State.VISIBLE:
        # Only visible posts count (a post awaiting approval moves nothing until approved).
        Thread.objects.filter(pk=thread.pk).update(
            last_post_id=Greatest(Coalesce(F("last_post_id"), Value(0)), Value(post.pk)),
            last_post_at=Greatest(F("last_post_at"), Value(now)),
        )
        Forum.objects.filter(pk=forum.pk).update(
            post_count=F("post_count") + 1,
            last_post_id=Greatest(Coalesce(F("last_post_id"), Value(0)), Value(post.pk)),
        )
        Member.objects.filter(pk=author.pk).update(message_count=F("message_count") + 1)
        promotions.evaluate_member_after_commit(author.pk)
    events.post_written(post, cooked, forum_id=forum.pk, actor_id=author.pk, created=True)
    return post


@retry_on_deadlock()
def start_thread(
    *,
    author: Any,
    forum: Forum,
    title: str,
    source: str,
    fmt: str,
    idempotency_key: str | None = None,
    at: datetime | None = None,
    ip: str | None = None,
    extras: Sequence[Callable[[Thread], None]] = (),
) -> Thread:
    """Create a thread with its first post. A repeated idempotency key returns the thread
    the first submission created (DuplicateSubmission if title or text differ). In forums
    (or for members) that need approval, the thread waits in the moderation queue, seen
    only by its author and the moderators. `extras` (tags, prefix, poll: other apps'
    services) run in the same transaction, so they commit or fail with the thread."""
    guardian = Guardian(author)
    guardian.ensure_start_thread(forum)
    _ensure_address_allowed(ip)
    title = validate_title(title)
    source = validate_body(source)
    fmt = validate_format(fmt)
    if existing := _existing_post(author, idempotency_key, source=source, title=title):
        return existing.thread
    state = approval.state_for(guardian, forum, source, fmt, new_thread=True)
    try:
        with transaction.atomic():
            now = at or timezone.now()
            thread = Thread.objects.create(
                forum=forum,
                title=title,
                author=author,
                created_at=now,
                last_post_at=now,
                state=state,
            )
            post = _insert_post(
                author=author,
                thread=thread,
                source=source,
                fmt=fmt,
                key=idempotency_key,
                at=now,
                state=state,
                ip=ip,
                forum=forum,
            )
            Thread.objects.filter(pk=thread.pk).update(first_post=post)
            thread.first_post = post
            if state == State.VISIBLE:
                Forum.objects.filter(pk=forum.pk).update(thread_count=F("thread_count") + 1)
            for extra in extras:
                extra(thread)
            remember_post_format(member=author, fmt=fmt)
            hooks.post_submitted(author, thread=None, forum=forum, new_thread=True)
    except IntegrityError:
        if existing := _existing_post(author, idempotency_key, source=source, title=title):
            return existing.thread
        raise
    thread.refresh_from_db()
    return thread


@retry_on_deadlock()
def reply_to_thread(
    *,
    author: Any,
    thread: Thread,
    source: str,
    fmt: str,
    idempotency_key: str | None = None,
    at: datetime | None = None,
    ip: str | None = None,
) -> Post:
    """Add a post to a thread. A repeated idempotency key returns the first post
    (DuplicateSubmission if the text differs). `at` backdates it (importers, the demo);
    posts must then be added in time order, as they would have been written."""
    guardian = Guardian(author)
    guardian.ensure_reply(thread)
    _ensure_address_allowed(ip)
    source = validate_body(source)
    fmt = validate_format(fmt)
    if existing := _existing_post(author, idempotency_key, source=source):
        return existing
    state = approval.state_for(guardian, thread.forum, source, fmt, new_thread=False)
    try:
        with transaction.atomic():
            # Lock the thread first: a moderator may be moving, merging or deleting it right
            # now, and the forum to count this post in is the one it is in when we commit.
            current = Thread.objects.select_for_update().get(pk=thread.pk)
            if current.state != State.VISIBLE or (
                current.is_locked and not guardian.moderates(current.forum_id)
            ):
                raise NotAccepted("This thread no longer takes replies.")
            hooks.check_reply(guardian, current, at or timezone.now())  # slow mode
            forum = Forum.objects.get(pk=current.forum_id)
            post = _insert_post(
                author=author,
                thread=current,
                source=source,
                fmt=fmt,
                key=idempotency_key,
                at=at,
                state=state,
                ip=ip,
                forum=forum,
            )
            if state == State.VISIBLE:
                Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1)
            remember_post_format(member=author, fmt=fmt)
            hooks.post_submitted(author, thread=current, forum=forum, new_thread=False)
    except IntegrityError:
        if existing := _existing_post(author, idempotency_key, source=source):
            return existing
        raise
    return post


class EditConflict(Exception):
    """The post changed since the editor opened it."""


@retry_on_deadlock()
def edit_post(
    *,
    editor: Any,
    post: Post,
    source: str,
    fmt: str,
    base_revision: int | None = None,
    reason: str = "",
    attachment_key: str | None = None,
) -> Post:
    """Replace a post's source, keeping the old version as a revision (with the editor's
    reason, shown in the history). With `base_revision`, refuse (EditConflict) if someone
    else edited the post after the editor loaded it. `attachment_key`: the edit form's
    token, which files uploaded in that form carry (the author's only)."""
    Guardian(editor).ensure_edit_post(post)
    source = validate_body(source)
    fmt = validate_format(fmt)
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if base_revision is not None and current.revision != base_revision:
            raise EditConflict("This post was edited after you opened it.")
        attachments = hooks.attachments_for(current.author_id, attachment_key, current.pk)
        unchanged = current.source == source and current.format == fmt
        if unchanged and attachment_key:  # new uploads alone are a change too
            bound = hooks.attachments_for(current.author_id, None, current.pk)
            unchanged = set(attachments) == set(bound)
        if unchanged:
            return current
        now = timezone.now()
        PostRevision.objects.create(
            post=current,
            number=current.revision,
            source=current.source,
            format=current.format,
            cooked_html=current.cooked_html,
            created_at=current.edited_at or current.created_at,
            replaced_at=now,
            editor=editor,
            reason=reason.strip()[:300],
        )
        cooked = _cook_for(post.thread.forum, source, fmt, attachments)
        hooks.attachments_written(current, attachments)
        if editor.pk == current.author_id:
            _check_newcomer_links(editor, cooked)
        check_edited_links(
            Guardian(editor),
            post.thread.forum,
            cooked.links,
            _links_of(current.source, current.format),
        )
        current.source = source
        current.format = fmt
        current.cooked_html = cooked.html
        current.plain_text = cooked.text
        current.render_version = cooked.render_version
        current.revision = current.revision + 1
        current.edited_at = now
        current.save(
            update_fields=[
                "source",
                "format",
                "cooked_html",
                "plain_text",
                "render_version",
                "revision",
                "edited_at",
            ]
        )
        if current.author_id != getattr(editor, "pk", None):
            for recorder in hooks.staff_edit_recorders:
                recorder(editor, current, current.revision - 1, reason.strip()[:300])
        events.post_written(
            current, cooked, forum_id=post.thread.forum_id, actor_id=editor.pk, created=False
        )
    return current


def _move_author_score(post: Post, delta: int) -> None:
    if delta:
        Member.objects.filter(pk=post.author_id).update(reaction_score=F("reaction_score") + delta)
        promotions.evaluate_member_after_commit(post.author_id)


def _lock_counted(post: Post) -> bool:
    """Lock the post's thread and the post (the order moderation uses) and say whether the
    post counts: a reaction on a deleted or pending post moves no score."""
    thread = Thread.objects.select_for_update().only("state").get(pk=post.thread_id)
    state = Post.objects.select_for_update().values_list("state", flat=True).get(pk=post.pk)
    return thread.state == State.VISIBLE and state == State.VISIBLE


def _lock_reaction(post: Post, member: Any) -> Reaction | None:
    # Lock the reaction row alone. A FOR UPDATE over a join (select_related) is re-checked
    # by PostgreSQL against the *old* joined row when another transaction changed the
    # reaction's type meanwhile, and the row would seem to vanish.
    return Reaction.objects.select_for_update().filter(post=post, member=member).first()


def _score_of(type_id: int) -> int:
    return ReactionType.objects.values_list("score", flat=True).get(pk=type_id)


@retry_on_deadlock()
def react_to_post(
    *, member: Any, post: Post, reaction_type: ReactionType, at: datetime | None = None
) -> Reaction:
    """Set the member's one reaction on a post, replacing any earlier one."""
    Guardian(member).ensure_react(post)
    if not reaction_type.is_active:
        raise ValueError("That reaction is not available.")
    with transaction.atomic():
        if not _lock_counted(post):
            raise NotAccepted("This post can no longer be reacted to.")
        existing = _lock_reaction(post, member)
        if existing is None:
            try:
                with transaction.atomic():
                    reaction = Reaction.objects.create(
                        post=post,
                        member=member,
                        type=reaction_type,
                        created_at=at or timezone.now(),
                    )
            except IntegrityError:
                # Another request by the same member won the race: change that one instead.
                existing = _lock_reaction(post, member)
                if existing is None:
                    raise
            else:
                _move_author_score(post, reaction_type.score)
                events.reaction_changed(
                    kinds.REACTION_SET, post, member=member, type_id=reaction_type.pk
                )
                return reaction
        if existing.type_id == reaction_type.pk:
            return existing
        delta = reaction_type.score - _score_of(existing.type_id)
        events.reaction_changed(
            kinds.REACTION_SET,
            post,
            member=member,
            type_id=reaction_type.pk,
            previous_type_id=existing.type_id,
        )
        existing.type = reaction_type
        existing.created_at = at or timezone.now()
        existing.save(update_fields=["type", "created_at"])
        _move_author_score(post, delta)
        return existing


@retry_on_deadlock()
def remove_reaction(*, member: Any, post: Post) -> bool:
    """Take back the member's reaction; returns whether there was one."""
    Guardian(member).ensure_see_post(post)
    with transaction.atomic():
        counted = _lock_counted(post)
        existing = _lock_reaction(post, member)
        if existing is None:
            return False
        score = _score_of(existing.type_id)
        events.reaction_changed(
            kinds.REACTION_REMOVED, post, member=member, type_id=existing.type_id
        )
        existing.delete()
        if counted:
            _move_author_score(post, -score)
        return True


def count_view(thread: Thread) -> None:
    """One more view of the thread, buffered: written in batches, never on the GET itself."""
    viewcounts.count_view(thread.pk)
