"""Live-event threads (docs/liveevents.md): a thread marked as a live event, its timeline of
key developments, its slow mode, and the chain of parts it continues into.

The thread page reaches `LiveEvent` through the reverse one-to-one `thread.live_event`,
joined into the query that already loads the thread (`forums.hooks.thread_page_related`),
so a thread that is not live costs the page no query at all."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LiveEvent(models.Model):
    thread = models.OneToOneField(
        "forums.Thread", on_delete=models.CASCADE, related_name="live_event"
    )
    # Unmarking keeps the row (and its timeline) with is_active off: marking again brings
    # the timeline back instead of losing what was pinned.
    is_active = models.BooleanField(default=True)
    # 0: slow mode off. Otherwise the least time between two posts of one member here.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # Past this many posts the thread is closed and continues in a new part.
    post_limit = models.PositiveIntegerField()
    part = models.PositiveSmallIntegerField(default=1)
    previous_thread = models.ForeignKey(
        "forums.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Unique: one continuation per part, whatever races towards creating it.
    next_thread = models.OneToOneField(
        "forums.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Live event on thread {self.thread_id}"

    @property
    def slow_mode_label(self) -> str:
        return duration_label(self.slow_mode_seconds)


class TimelineEntry(models.Model):
    """One key development: a pinned post with a one-line summary and the time it happened
    (the post's time unless the pinner says otherwise)."""

    live_event = models.ForeignKey(LiveEvent, on_delete=models.CASCADE, related_name="entries")
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(max_length=140)
    happened_at = models.DateTimeField()
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["live_event", "post"], name="timeline_post_once"),
        ]
        indexes = [
            models.Index(fields=["live_event", "happened_at"], name="timeline_in_order"),
        ]

    def __str__(self) -> str:
        return self.summary


def duration_label(seconds: int) -> str:
    """'45 seconds', '2 minutes', '1 hour 30 minutes': how slow mode is shown and said."""
    if seconds <= 0:
        return "0 seconds"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts)
