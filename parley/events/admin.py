from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, Event


class ReadOnly(admin.ModelAdmin):
    """The outbox is written by services only; staff look, `repair_events` acts."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("id", "kind", "actor_id", "post_id", "member_id", "created_at", "settled_at")
    list_filter = ("kind",)
    ordering = ("-id",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("event", "subscriber", "status", "attempts", "due_at", "last_error")
    list_filter = ("status", "subscriber")
    ordering = ("-id",)
