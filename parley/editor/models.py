"""Drafts: what a member typed into a reply or new-thread form and has not posted yet.

One row per (member, place), where the place is a thread (a reply) or a forum (a new
thread), written as `key` ("thread:12", "forum:3") so that saving is one upsert on a plain
unique constraint on SQLite and PostgreSQL alike. The foreign keys are kept beside the key so
that a deleted thread or forum takes its drafts with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(max_length=40)
    thread = models.ForeignKey(
        "forums.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300, blank=True)
    source = models.TextField(blank=True)
    format = models.CharField(max_length=10)
    updated_at = models.DateTimeField()
    # The token of the form the draft was typed in: restored with the draft, so uploads
    # made in that form (tied to its token) still belong to it on another visit or device.
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="editor_draft_member_key"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.key} of {self.member_id}"


def thread_key(thread_id: int) -> str:
    return f"thread:{thread_id}"


def forum_key(forum_id: int) -> str:
    return f"forum:{forum_id}"
