"""A browser's push subscription, and the site's VAPID key pair when none is configured."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# Real endpoints are 150–500 characters; this leaves room without inviting abuse.
MAX_ENDPOINT_LENGTH = 1024
MAX_USER_AGENT_LENGTH = 300


class PushSubscription(models.Model):
    """One browser (or device) that receives a member's push messages.

    `endpoint` is the push service's URL for that browser: a capability, shown only to its
    member. `p256dh` (the browser's P-256 public key) and `auth` (its 16-byte secret) are
    stored as the browser gave them, base64url; they encrypt every message (RFC 8291).
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=MAX_ENDPOINT_LENGTH, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    user_agent = models.CharField(max_length=MAX_USER_AGENT_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Sends that failed in a row; reset by a success, the subscription dropped at the limit.
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of member {self.member_id}"


class VapidKey(models.Model):
    """The generated VAPID key pair (one row), used when PARLEY_VAPID_PRIVATE_KEY is unset."""

    private_key_pem = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"VAPID key created {self.created_at:%Y-%m-%d}"
