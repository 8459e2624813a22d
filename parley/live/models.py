"""The table fallback of live updates (no Redis): recent messages, polled by the live
server. Rows are pruned as new ones arrive (docs/live.md); the id is the SSE event id."""

from __future__ import annotations

from django.db import models


class LiveMessage(models.Model):
    # AutoField ids only grow (SQLite AUTOINCREMENT, a PostgreSQL sequence; publishers are
    # serialised on PostgreSQL so ids also commit in order): `Last-Event-ID` is a cursor.
    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=40)
    event = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["channel", "id"], name="live_channel_id")]

    def __str__(self) -> str:
        return f"{self.event} on {self.channel} #{self.pk}"
