"""Admin for moderation: configuration (report reasons, warning types and thresholds,
address and e-mail bans) and read-only views of the log, threads and posts. Changes to
content go through the moderation services, which keep counters exact and write the log."""

from typing import Any

from django.contrib import admin, messages

from parley.core.clientip import client_ip
from parley.forums.models import Post, Thread
from parley.permissions.models import BannedAddress, BannedEmail

from . import content
from .audit import record
from .models import AuditEntry, ReportCase, ReportReason, WarningThreshold, WarningType


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target_label", "reason", "ip_address")
    list_filter = ("action",)
    search_fields = ("target_label", "reason", "actor__username", "member__username")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportReason)
class ReportReasonAdmin(admin.ModelAdmin):
    list_display = ("title", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(WarningType)
class WarningTypeAdmin(admin.ModelAdmin):
    list_display = ("title", "points", "expiry_days", "is_active")


@admin.register(WarningThreshold)
class WarningThresholdAdmin(admin.ModelAdmin):
    list_display = ("points", "action")


@admin.register(ReportCase)
class ReportCaseAdmin(admin.ModelAdmin):
    list_display = ("pk", "post", "state", "report_count", "assignee", "updated_at")
    list_filter = ("state",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # handled at /moderation/, where it is logged


class LoggedBanAdmin(admin.ModelAdmin):
    """Address and e-mail bans are staff actions: each change is logged."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action=f"{obj._meta.model_name}.save",
            target=obj,
            reason=getattr(obj, "reason", ""),
            ip=client_ip(request),
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        record(
            actor=request.user,
            action=f"{obj._meta.model_name}.delete",
            target=obj,
            ip=client_ip(request),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(BannedAddress)
class BannedAddressAdmin(LoggedBanAdmin):
    list_display = ("network", "reason", "created_at", "expires_at")


@admin.register(BannedEmail)
class BannedEmailAdmin(LoggedBanAdmin):
    list_display = ("pattern", "reason", "created_at")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "author", "state", "reply_count", "is_sticky", "is_locked")
    list_filter = ("forum", "state", "is_sticky", "is_locked")
    search_fields = ("title",)
    fields = ("title", "forum", "state", "is_sticky", "is_locked")
    readonly_fields = ("title", "forum", "state")
    actions = ["delete_for_good"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # threads are started on the site, through the service

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # the action below goes through the service

    def save_model(self, request: Any, obj: Thread, form: Any, change: bool) -> None:
        original = Thread.objects.get(pk=obj.pk)
        content.set_flags(
            actor=request.user,
            threads=[original],
            locked=obj.is_locked,
            sticky=obj.is_sticky,
            ip=client_ip(request),
        )

    @admin.action(description="Delete for good (administrators; counters stay exact)")
    def delete_for_good(self, request: Any, queryset: Any) -> None:
        n = 0
        for thread in queryset.select_related("forum", "author"):
            content.hard_delete_thread(actor=request.user, thread=thread, ip=client_ip(request))
            n += 1
        messages.info(request, f"{n} thread(s) deleted for good.")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("pk", "thread", "author", "created_at", "state", "format")
    list_filter = ("state",)
    search_fields = ("plain_text",)
    readonly_fields = (
        "thread",
        "author",
        "created_at",
        "state",
        "source",
        "format",
        "cooked_html",
        "revision",
        "edited_at",
        "ip_address",
    )
    fields = readonly_fields
    actions = ["delete_for_good"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # posts are edited on the site, which keeps their history

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # the action below goes through the service

    @admin.action(description="Delete for good (administrators; counters stay exact)")
    def delete_for_good(self, request: Any, queryset: Any) -> None:
        n = 0
        for post in queryset.select_related("thread__forum", "author"):
            if not Post.objects.filter(pk=post.pk).exists():
                continue  # went with its thread
            content.hard_delete_post(actor=request.user, post=post, ip=client_ip(request))
            n += 1
        messages.info(request, f"{n} post(s) deleted for good.")
