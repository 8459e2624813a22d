"""Admins define tags, prefixes and each forum's tagging rule here; threads' tags are set
through the services (the thread's labels page), never in the admin."""

from __future__ import annotations

from django.contrib import admin

from .models import ForumTagging, Tag, ThreadPrefix


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    # The slug is what makes spellings one tag; it is derived, never typed.
    readonly_fields = ["slug", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # tags come into being by tagging; fixed lists pick from them


@admin.register(ThreadPrefix)
class ThreadPrefixAdmin(admin.ModelAdmin):
    list_display = ["label", "forum", "style", "position"]
    list_editable = ["style", "position"]
    list_filter = ["forum"]


@admin.register(ForumTagging)
class ForumTaggingAdmin(admin.ModelAdmin):
    list_display = ["forum", "mode", "max_tags"]
    filter_horizontal = ["allowed"]
