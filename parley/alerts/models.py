"""Alerts, the preferences that differ from the defaults, and mail bookkeeping."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Alert(models.Model):
    """One thing a member should hear about. `subject` says what it is about ("post:12",
    "reactions:12", "message:7", "warning:3" …) and is unique per recipient: a retried
    fan-out, a quote that also mentions, a reply that also mentions — one row."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=20)
    rank = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Reactions: the reactors, newest first (the title names two and counts the rest).
    actor_ids = models.JSONField(default=list, blank=True)
    # A hard-deleted post or message takes its alerts with it.
    post = models.ForeignKey(
        "forums.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A few words the kind needs (the warning's title, the moderator's action).
    text = models.CharField(max_length=200, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True)
    # Written even when the member turned in-app alerts of this kind off, so that e-mail and
    # push stay idempotent too; such rows are never listed or counted.
    in_app = models.BooleanField(default=True)
    # The content was deleted (restoring it shows the alert again).
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "subject"], name="one_alert_per_subject")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="alert_list"),
            # The bell: unread, listed alerts of one member.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, in_app=True, hidden=False),
                name="alert_unread",
            ),
            models.Index(fields=["post"], name="alert_post"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert for {self.recipient_id} ({self.subject})"


class AlertPreference(models.Model):
    """A member's choice for one kind, stored only where it differs from `kinds.default`."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preferences"
    )
    kind = models.CharField(max_length=20)
    in_app = models.BooleanField()
    email = models.BooleanField()
    push = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_alert_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind}"


class Digest(models.TextChoices):
    OFF = "off", "No digest"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class MailSettings(models.Model):
    """Digest choice and when the last one went out (no row: no digest)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings"
    )
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.OFF)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Mail settings of {self.member_id}"


class ThreadMailed(models.Model):
    """A watched-thread mail went to this member: no other about the thread until they have
    read it again (their read position's `read_at` is newer than `mailed_at`)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="+")
    mailed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="one_mail_mark_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} mailed about {self.thread_id}"
