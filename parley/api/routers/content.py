"""Output shapes of forums, threads and posts, built from rows already loaded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from parley.forums.models import Forum, Post, State, Thread
from parley.permissions.guardian import Guardian

from ..schemas import MemberBrief
from .attachments import UPLOAD_KEY_PATTERN


class ForumOut(Schema):
    id: int
    title: str
    description: str
    category: str
    url: str
    thread_count: int
    post_count: int
    is_locked: bool
    can_start_thread: bool

    @staticmethod
    def of(forum: Forum, guardian: Guardian) -> ForumOut:
        return ForumOut(
            id=forum.pk,
            title=forum.title,
            description=forum.description,
            category=forum.category.title,
            url=f"/forums/{forum.pk}/",
            thread_count=forum.thread_count,
            post_count=forum.post_count,
            is_locked=forum.is_locked,
            can_start_thread=guardian.can_start_thread(forum),
        )


class ThreadOut(Schema):
    id: int
    forum_id: int
    title: str
    url: str
    author: MemberBrief | None
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    view_count: int
    is_sticky: bool
    is_locked: bool
    state: str

    @staticmethod
    def of(thread: Thread) -> ThreadOut:
        return ThreadOut(
            id=thread.pk,
            forum_id=thread.forum_id,
            title=thread.title,
            url=f"/threads/{thread.pk}/",
            author=MemberBrief.of(thread.author) if thread.author_id else None,
            created_at=thread.created_at,
            last_post_at=thread.last_post_at,
            reply_count=thread.reply_count,
            view_count=thread.view_count,
            is_sticky=thread.is_sticky,
            is_locked=thread.is_locked,
            state=thread.state,
        )


class ThreadDetailOut(ThreadOut):
    can_reply: bool
    can_moderate: bool


class PostFlags(Schema):
    can_edit: bool
    can_delete: bool
    can_react: bool
    can_report: bool


class PostOut(Schema):
    id: int
    thread_id: int
    url: str
    author: MemberBrief | None
    created_at: datetime
    edited_at: datetime | None
    revision: int
    state: str
    format: str
    html: str | None
    text: str | None
    source: str | None
    flags: PostFlags

    @staticmethod
    def of(post: Post, guardian: Guardian) -> PostOut:
        """A deleted post a reader may not read is its placeholder: who and when, no text."""
        readable = guardian.can_read_post(post)
        can_edit = readable and guardian.can_edit_post(post)
        return PostOut(
            id=post.pk,
            thread_id=post.thread_id,
            url=f"/posts/{post.pk}/",
            author=MemberBrief.of(post.author) if post.author_id else None,
            created_at=post.created_at,
            edited_at=post.edited_at,
            revision=post.revision,
            state=post.state,
            format=post.format,
            html=post.cooked_html if readable else None,
            text=post.plain_text if readable else None,
            source=post.source if can_edit else None,
            flags=PostFlags(
                can_edit=can_edit,
                can_delete=readable and guardian.can_delete_post(post),
                can_react=readable and guardian.can_react(post),
                can_report=readable and guardian.can_report(post),
            ),
        )


class ComposeIn(Schema):
    source: str = Field(description="The message, in BBCode or Markdown (`format`).")
    format: Post.Format = Post.Format.BBCODE
    idempotency_key: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_.:-]{8,64}$",
        description="Send the same key again (a retry) and you get the same post, never two.",
    )
    upload_key: str | None = Field(
        None,
        pattern=UPLOAD_KEY_PATTERN,
        description="The key your files were uploaded with (POST /attachments): they become "
        "this post's. It is the post's idempotency key too, as the page's form token is "
        "both: send it alone, or the same value as idempotency_key.",
    )

    @field_validator("upload_key")
    @classmethod
    def _one_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        other = info.data.get("idempotency_key")
        if value is not None and other is not None and other != value:
            raise ValueError(
                "upload_key is also the post's idempotency key: send one, or the same in both."
            )
        return value

    @property
    def key(self) -> str | None:
        """The form token of the pages: the idempotency key and the uploads' key at once."""
        return self.upload_key or self.idempotency_key


class PollIn(Schema):
    question: str = Field(max_length=200)
    options: list[str] = Field(max_length=50, description="Between 2 and the site's maximum.")
    max_choices: int = Field(1, ge=1, le=50)
    closes_at: datetime | None = None
    allow_change: bool = False


class ThreadIn(ComposeIn):
    title: str = Field(max_length=1000)
    tags: list[str] = Field(
        [], max_length=50, description="Where the forum uses tags (its rules apply)."
    )
    prefix_id: int | None = Field(None, description="One of the forum's thread prefixes.")
    poll: PollIn | None = None

    def extension_data(self) -> dict[str, str]:
        """The start-thread page's extension fields (tags and prefix, poll), so the same
        forms check them and the same writers apply them (forums.hooks.compose_forms)."""
        data = {"labels-tags": ", ".join(self.tags)}
        if self.prefix_id is not None:
            data["labels-prefix_id"] = str(self.prefix_id)
        if self.poll is not None:
            data["poll-question"] = self.poll.question
            data["poll-options"] = "\n".join(self.poll.options)
            data["poll-max_choices"] = str(self.poll.max_choices)
            if self.poll.closes_at is not None:
                moment = self.poll.closes_at
                if moment.tzinfo is not None:  # the form reads the site's local time
                    moment = timezone.localtime(moment)
                data["poll-closes_at"] = moment.strftime("%Y-%m-%dT%H:%M")
            if self.poll.allow_change:
                data["poll-allow_change"] = "on"
        return data


def created_state(obj: Any) -> str:
    return "pending" if obj.state == State.PENDING else "visible"
