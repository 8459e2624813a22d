"""Stories in the admin: read-only rows; splitting and merging go through the same services
as the staff pages (an action each), so the admin never makes a grouping the services could
not."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import Story, StoryPage


class EntryInline(admin.TabularInline):
    model = StoryPage
    fields = ["page", "published_at", "score", "fixed_by_staff", "attracts"]
    readonly_fields = ["page", "published_at", "score", "fixed_by_staff", "attracts"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "created_at"]
    search_fields = ["title", "entries__page__headline"]
    readonly_fields = ["title", "created_at"]
    inlines = [EntryInline]
    actions = ["merge_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Merge the selected stories into the oldest of them")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, "Select at least two stories.", messages.ERROR)
            return
        for other in ids[1:]:
            services.merge_stories(into_id=ids[0], from_id=other)
        self.message_user(request, f"Merged {len(ids) - 1} story(ies) into story {ids[0]}.")


@admin.register(StoryPage)
class StoryPageAdmin(admin.ModelAdmin):
    list_display = ["page", "story", "published_at", "score", "fixed_by_staff"]
    list_select_related = ["page", "story"]
    readonly_fields = [
        "page",
        "story",
        "published_at",
        "terms",
        "score",
        "fixed_by_staff",
        "attracts",
    ]
    actions = ["split_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Take the selected articles out of their stories")
    def split_selected(self, request: HttpRequest, queryset: QuerySet[StoryPage]) -> None:
        done = 0
        for page_id in queryset.values_list("page_id", flat=True):
            try:
                services.split_page(page_id=page_id)
                done += 1
            except services.StoryError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(request, f"{done} article(s) taken out of their stories.")
