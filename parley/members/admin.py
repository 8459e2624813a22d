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
    readonly_fields = ("message_count", "reaction_score", "last_login", "date_joined")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Forum profile",
            {"fields": ("custom_title", "country", "location", "about", "is_banned")},
        ),
        (
            "Counters (kept by Parley; `parley recount` rebuilds them)",
            {"fields": ("message_count", "reaction_score")},
        ),
    )


@admin.register(TitleRung)
class TitleRungAdmin(admin.ModelAdmin):
    list_display = ("title", "min_messages")
    ordering = ("min_messages",)
