"""Webhooks: endpoints staff register, and each signed delivery with its attempts."""

from __future__ import annotations

import secrets

from django.db import models


class WebhookEvent(models.TextChoices):
    THREAD_CREATED = "thread.created", "Thread created"
    POST_CREATED = "post.created", "Post created (replies)"
    POST_EDITED = "post.edited", "Post edited"
    POST_DELETED = "post.deleted", "Post deleted"
    MEMBER_REGISTERED = "member.registered", "Member registered"
    REPORT_FILED = "report.filed", "Report filed"


def new_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000)
    secret = models.CharField(
        max_length=64, default=new_secret, help_text="Signs each delivery (HMAC-SHA256)."
    )
    events = models.JSONField(default=list, help_text="The webhook events it receives.")
    public_only = models.BooleanField(
        default=True,
        help_text="Only content a guest may read: nothing from members-only or staff forums.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    failures_in_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one endpoint; the body is fixed when it is created, so every retry sends
    the same JSON (only the timestamp and signature headers are new)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Delivered"
        FAILED = "failed", "Given up"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField(help_text="The outbox event (events.Event) it announces.")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_try_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id", "event"], name="webhook_delivery_once"
            )
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} #{self.event_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """The log: every try of a delivery, with its answer and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField()
    ok = models.BooleanField()
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'failed'} at {self.at:%Y-%m-%d %H:%M:%S}"
