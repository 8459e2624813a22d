"""Personal API tokens: a member names one, gives it scopes and can revoke it. Only a hash
of the secret is stored (docs/api.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read: everything you can see"
    WRITE = "write", "Write: post, reply, edit, react, report, watch, conversations"
    MODERATE = "moderate", "Moderate: what your moderator powers allow"


class ApiToken(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the secret, shown on the account page so a member can tell
    # their tokens apart; not enough to guess the rest.
    prefix = models.CharField(max_length=16)
    # SHA-256 of the whole secret. Secrets are 256 random bits, so a fast hash is enough:
    # there is nothing to brute-force (unlike a password), and each request can afford it.
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
