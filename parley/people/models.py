"""People: who follows and who ignores whom, and the profile fields admins define."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Follow(models.Model):
    """`follower` hears about the new threads `followed` starts (alerts kind `follow`)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_rows"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_rows"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="one_follow_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="no_self_follow"
            ),
        ]
        indexes = [models.Index(fields=["followed", "follower"])]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class Ignore(models.Model):
    """`member` does not want to see or hear from `ignored`. The source of truth; the
    member's `ignored_ids` is a copy for thread pages."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ignore_rows"
    )
    ignored = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ignored_by_rows"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "ignored"], name="one_ignore_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("ignored")), name="no_self_ignore"
            ),
        ]
        indexes = [models.Index(fields=["ignored", "member"])]

    def __str__(self) -> str:
        return f"{self.member_id} ignores {self.ignored_id}"


class FieldKind(models.TextChoices):
    TEXT = "text", "Text"
    CHOICE = "choice", "Single choice"
    DATE = "date", "Date"


class ProfileField(models.Model):
    """A profile field an admin defines; members fill it in on their profile."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=FieldKind.choices, default=FieldKind.TEXT)
    choices = models.TextField(blank=True, help_text="Single choice: one option per line.")
    required = models.BooleanField(default=False)
    max_length = models.PositiveIntegerField(default=100)
    on_card = models.BooleanField(default=False, help_text="Also shown on the member card.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class FieldValue(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_values"
    )
    field = models.ForeignKey(ProfileField, on_delete=models.CASCADE, related_name="values")
    # Text as typed, the chosen option, or an ISO date (YYYY-MM-DD).
    value = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "field"], name="one_value_per_field"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}.{self.field_id} = {self.value}"
