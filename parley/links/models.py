"""Shared articles: one `LinkedPage` per canonical URL, fetched once and shared by every post
that links it; `PostLink` records which post linked which page (for "already discussed" and
search by link)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LinkedPage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be fetched"
        OK = "ok", "Fetched"
        FAILED = "failed", "Fetch failed"

    # Canonical form of the URL as members wrote it; unique, so fetches are shared.
    key = models.CharField(max_length=2000, unique=True)
    url = models.URLField(max_length=2000, help_text="The first URL written for this page.")
    # Canonical form of rel=canonical / og:url / the final URL after redirects.
    resolved_key = models.CharField(max_length=2000, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    fail_reason = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    page_title = models.CharField(max_length=300, blank=True)
    headline = models.CharField(max_length=300, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    section = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=1000, blank=True)
    image = models.CharField(max_length=300, blank=True, help_text="Path under MEDIA_ROOT.")
    image_caption = models.CharField(max_length=500, blank=True)
    image_credit = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published = models.CharField(max_length=40, blank=True)
    article_text = models.TextField(blank=True)

    # What the periodic re-check noticed.
    original_headline = models.CharField(max_length=300, blank=True)
    headline_changed_at = models.DateTimeField(null=True, blank=True)
    is_dead = models.BooleanField(default=False)

    # Staff can correct or remove a card.
    hidden = models.BooleanField(default=False, help_text="Show a plain link, no card.")
    edited_by_staff = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.page_title or self.url


class PostLink(models.Model):
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="links")
    page = models.ForeignKey(LinkedPage, on_delete=models.CASCADE, related_name="post_links")
    url = models.URLField(max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "page"], name="one_link_row_per_post_page")
        ]
        indexes = [models.Index(fields=["page", "post"], name="postlink_by_page")]

    def __str__(self) -> str:
        return f"post {self.post_id} → {self.url}"


class LinkFetchLog(models.Model):
    """One line per fetch attempt, for staff."""

    page = models.ForeignKey(LinkedPage, on_delete=models.CASCADE, related_name="fetches")
    at = models.DateTimeField()
    ok = models.BooleanField()
    reason = models.CharField(max_length=200, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{'ok' if self.ok else self.reason} {self.at:%Y-%m-%d %H:%M}"


class ProxiedImage(models.Model):
    """A remote image embedded in a post (`[img]`, Markdown `![]()`), fetched once through
    the guarded fetcher, re-encoded and served from Parley's media storage: readers' browsers
    never contact the remote site. Only URLs written in published posts get a row, so the
    proxy can never be made to fetch an arbitrary address."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be fetched"
        OK = "ok", "Stored"
        FAILED = "failed", "Could not be used"

    key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the URL.")
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    fail_reason = models.CharField(max_length=200, blank=True)
    file = models.CharField(max_length=300, blank=True, help_text="Name in the media storage.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.url


class PostImage(models.Model):
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(ProxiedImage, on_delete=models.CASCADE, related_name="post_images")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "image"], name="one_image_row_per_post")
        ]
        indexes = [models.Index(fields=["image", "post"], name="postimage_by_image")]

    def __str__(self) -> str:
        return f"post {self.post_id} → {self.image_id}"


class PageChange(models.Model):
    """What a re-check found different about a linked article: its headline changed, it
    went away, or it came back. Kept for good, so a card can tell the article's history."""

    class Kind(models.TextChoices):
        HEADLINE = "headline", "Headline changed"
        GONE = "gone", "No longer available"
        BACK = "back", "Available again"

    page = models.ForeignKey(LinkedPage, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["page", "at", "pk"]
        indexes = [models.Index(fields=["page", "at"], name="pagechange_by_page")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.at:%Y-%m-%d}"
