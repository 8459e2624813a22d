"""Watches, read positions and read marks.

A thread is unread for a member when its last post is newer than their *cutoff* — the
latest of the read horizon (`PARLEY_READ_HORIZON_DAYS` ago), their "everything read" mark
and their mark for its forum — and newer than the position they last read in it. Marks
replace rows: marking a forum read deletes that forum's `ThreadRead` rows, so the number of
rows per member stays bounded by the threads they opened since.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReadingPreference(models.Model):
    """A member's reading preferences; no row means the defaults."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_preference"
    )
    auto_watch = models.BooleanField(
        default=True, help_text="Watch threads one starts or replies to."
    )

    def __str__(self) -> str:
        return f"Reading preferences of {self.member_id}"


class ThreadWatch(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_watches"
    )
    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="+")
    # Stored for the mails another part builds: the watcher wants replies by e-mail too.
    email = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="one_watch_per_thread")
        ]
        # Fan-out reads "who watches this thread".
        indexes = [models.Index(fields=["thread"], name="thread_watchers")]

    def __str__(self) -> str:
        return f"{self.member_id} watches thread {self.thread_id}"


class ForumWatch(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches"
    )
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "forum"], name="one_watch_per_forum")
        ]
        indexes = [models.Index(fields=["forum"], name="forum_watchers")]

    def __str__(self) -> str:
        return f"{self.member_id} watches forum {self.forum_id}"


class ThreadRead(models.Model):
    """How far a member has read in a thread: every post up to `last_read_post_id`."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="+")
    # A plain id, not a foreign key: positions compare with post ids (posts of a thread are
    # written in id order) and must survive the deletion of the post they point at.
    last_read_post_id = models.BigIntegerField()
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="one_read_row_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read thread {self.thread_id} up to {self.last_read_post_id}"


class ReadMark(models.Model):
    """Everything before `read_before` is read: in one forum, or everywhere (`forum` NULL)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(
        "forums.Forum", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_before = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "forum"],
                condition=Q(forum__isnull=False),
                name="one_mark_per_forum",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(forum__isnull=True), name="one_global_mark"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.forum_id or 'everything'} before {self.read_before}"
