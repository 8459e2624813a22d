from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Member, TitleRung


@admin.register(Member)
class MemberAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "date_joined",
        "message_count",
        "reaction_score",
        "country",
        "is_staff",
        "is_banned",
    )
    list_filter = ("is_staff", "is_banned", "is_active")
    search_fields = ("username", "email")
    readonly_fields = (
        "message_count",
        "reaction_score",
        "last_login",
        "date_joined",
        "is_banned",
        "banned_until",
        "ban_reason",
        "needs_approval",
        "warning_points",
        "warning_action",
        "warning_action_until",
        "signup_ip",
    )
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Forum profile",
            {"fields": ("custom_title", "country", "location", "about")},
        ),
        (
            "Standing (bans and warnings are given on the site, where they are logged)",
            {
                "fields": (
                    "is_banned",
                    "banned_until",
                    "ban_reason",
                    "needs_approval",
                    "warning_points",
                    "warning_action",
                    "warning_action_until",
                    "signup_ip",
                )
            },
        ),
        (
            "Counters (kept by Parley; `parley recount` rebuilds them)",
            {"fields": ("message_count", "reaction_score")},
        ),
    )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Deleting a member would take their reactions (and others' reaction scores) with it;
        # deactivate the account instead.
        return False


@admin.register(TitleRung)
class TitleRungAdmin(admin.ModelAdmin):
    list_display = ("title", "min_messages")
    ordering = ("min_messages",)
