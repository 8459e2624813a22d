from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Read-only: which task workers are alive, where, and what they are running."""

    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at", "task_id")
    ordering = ("-beat_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
