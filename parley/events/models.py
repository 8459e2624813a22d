"""The outbox: one Event row per change, written in the change's own transaction, and one
Delivery row per (event, subscriber) recording whether that subscriber has handled it.

Targets are plain ids, not foreign keys: the events app sits below every other app (it
imports none of them), and an event must outlive the post or thread it is about (a hard
delete is itself an event)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Event(models.Model):
    kind = models.CharField(max_length=40)
    actor_id = models.BigIntegerField(null=True, blank=True)
    post_id = models.BigIntegerField(null=True, blank=True)
    thread_id = models.BigIntegerField(null=True, blank=True)
    forum_id = models.BigIntegerField(null=True, blank=True)
    member_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    # Set once no delivery is waiting (all done, or given up); the sweep looks only at the
    # rows where it is still empty (a partial index keeps that look cheap).
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=Q(settled_at__isnull=True), name="event_unsettled"
            ),
            # "was this member already mentioned in this post?" (edits; alerts)
            models.Index(fields=["post_id", "kind"], name="event_post_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "waiting (first try or a retry)"
        RUNNING = "running", "running"
        DONE = "done", "done"
        DEAD = "dead", "given up (repair_events --retry-dead tries again)"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.subscriber} ← event #{self.event_id} ({self.status})"
