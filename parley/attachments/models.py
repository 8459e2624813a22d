"""Uploaded files: attachments of posts, per-group upload quotas, and members' avatars."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Picture"
        FILE = "file", "Document"

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    # NULL until the post is written; an upload never placed in a post is removed after
    # PARLEY_ATTACHMENT_ORPHAN_HOURS (tasks.remove_orphans). A post deleted for good leaves
    # its attachments orphaned, and the same sweep removes them.
    post = models.ForeignKey(
        "forums.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    # The token of the editor form it was uploaded from: the post written with that form
    # takes it.
    form_key = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    content_type = models.CharField(max_length=60)
    filename = models.CharField(max_length=120, help_text="The name as uploaded, cleaned.")
    # Random names in the media storage (never derived from the upload).
    stored_name = models.CharField(max_length=200)
    thumb_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(help_text="Bytes as stored.")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["uploader", "form_key"], name="attachment_by_form")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.pk})"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class AttachmentQuota(models.Model):
    """Upload limits of one permission group. A member gets the most generous value of each
    limit over their groups (Registered included); members of no group with a quota get
    settings.PARLEY_ATTACHMENT_DEFAULT_QUOTA."""

    group = models.OneToOneField(
        "permissions.Group", on_delete=models.CASCADE, related_name="attachment_quota"
    )
    max_file_mb = models.PositiveIntegerField(default=8, help_text="Largest single file, MB.")
    max_per_post = models.PositiveIntegerField(default=10, help_text="Files per post.")
    max_total_mb = models.PositiveIntegerField(
        default=500, help_text="All files a member has uploaded, MB."
    )

    class Meta:
        verbose_name = "attachment quota"

    def __str__(self) -> str:
        return f"Quota of {self.group}"


class Avatar(models.Model):
    """An uploaded avatar: a square picture stored at each size of settings
    PARLEY_AVATAR_SIZES. Members without one get a generated picture (avatars.py)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="avatar"
    )
    names = models.JSONField(default=dict, help_text="size -> name in the media storage")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Avatar of {self.member_id}"
