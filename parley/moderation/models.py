"""Reports, warnings and the moderators' audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One staff action, written once and never changed: who, what, on what, before/after,
    why, when and from where."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField(null=True)
    target_label = models.CharField(max_length=200, blank=True)
    forum = models.ForeignKey(
        "forums.Forum", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member the action was about.",
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("The moderator log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("The moderator log is append-only.")


class ReportReason(models.Model):
    title = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class CaseState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    REJECTED = "rejected", "Rejected"


class ReportCase(models.Model):
    """Every report on one post while it is open gathers here."""

    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="report_cases")
    state = models.CharField(max_length=8, choices=CaseState.choices, default=CaseState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(state="open"),
                name="one_open_case_per_post",
            )
        ]
        indexes = [models.Index(fields=["state", "-updated_at"], name="case_queue")]

    def __str__(self) -> str:
        return f"Case {self.pk} on post {self.post_id} ({self.state})"


class Report(models.Model):
    case = models.ForeignKey(ReportCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed"
    )
    reason = models.ForeignKey(ReportReason, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id} in case {self.case_id}"


class CaseComment(models.Model):
    case = models.ForeignKey(ReportCase, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on case {self.case_id}"


class WarningType(models.Model):
    title = models.CharField(max_length=80)
    points = models.PositiveIntegerField(default=1)
    expiry_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: the points never expire."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["points", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.points} pt)"


class WarningAction(models.TextChoices):
    APPROVAL = "approval", "Posts need approval"
    POSTING_BAN = "posting_ban", "Posting ban"
    BAN = "ban", "Ban"


# Stronger actions win when several thresholds are reached.
ACTION_STRENGTH = {"": 0, "approval": 1, "posting_ban": 2, "ban": 3}


class WarningThreshold(models.Model):
    """At `points` active warning points, apply `action` until the points drop below."""

    points = models.PositiveIntegerField(unique=True)
    action = models.CharField(max_length=12, choices=WarningAction.choices)

    class Meta:
        ordering = ["points"]

    def __str__(self) -> str:
        return f"{self.points}+ points → {self.get_action_display()}"


class Warning(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warnings"
    )
    post = models.ForeignKey(
        "forums.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings"
    )
    type = models.ForeignKey(WarningType, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=80)
    points = models.PositiveIntegerField()
    reason = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["member", "expires_at"], name="warning_member")]

    def __str__(self) -> str:
        return f"{self.title} for {self.member_id}"
