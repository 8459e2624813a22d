"""News feeds in: outlets' RSS/Atom feeds attached to a forum, and the items already seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NewsFeed(models.Model):
    """An outlet's feed whose new items become threads in `forum`, started by `poster`."""

    name = models.CharField(max_length=100, help_text="The outlet, as quotes attribute it.")
    url = models.URLField(max_length=2000)
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="+")
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member (a bot account) who starts the threads.",
    )
    template = models.TextField(
        blank=True,
        max_length=2000,
        help_text="BBCode added below the quote, e.g. a question to start the discussion.",
    )
    is_active = models.BooleanField(default=True)
    interval_minutes = models.PositiveIntegerField(default=30)
    max_new_items = models.PositiveSmallIntegerField(
        default=5, help_text="Threads started from one fetch, at most."
    )
    created_at = models.DateTimeField()
    # What the last fetch learnt: validators for the next conditional GET, and its outcome.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Fetches failed in a row.")
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "url"], name="news_feed_once_per_forum")
        ]

    def __str__(self) -> str:
        return self.name


class NewsItem(models.Model):
    """An item of a feed, recorded once: a duplicate or re-fetched item is never news again."""

    class Outcome(models.TextChoices):
        STARTED = "started", "Thread started"
        DISCUSSED = "discussed", "Already discussed"
        REFUSED = "refused", "Not posted"

    feed = models.ForeignKey(NewsFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=2000)
    canonical_key = models.CharField(max_length=2000, db_index=True)
    title = models.CharField(max_length=300)
    seen_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)
    thread = models.ForeignKey(
        "forums.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="news_item_once_per_feed")
        ]

    def __str__(self) -> str:
        return self.title
