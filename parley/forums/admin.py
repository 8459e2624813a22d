from typing import Any

from django.contrib import admin, messages

from .models import Category, Forum, ReactionType, Thread
from .recount import recount_all


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("title", "parent", "position")
    list_editable = ("position",)


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "category",
        "visibility",
        "is_locked",
        "position",
        "thread_count",
        "post_count",
    )
    list_editable = ("position",)
    list_filter = ("category", "visibility")
    readonly_fields = ("thread_count", "post_count", "last_post")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Deleting a forum would take its threads with it and leave every author's counters
        # wrong: only an empty forum may go (move or delete its threads on the site first).
        if obj is not None and Thread.objects.filter(forum=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReactionType)
class ReactionTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "emoji", "score", "position", "is_active")
    list_editable = ("score", "position", "is_active")

    def save_model(self, request: Any, obj: ReactionType, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "score" in form.changed_data:
            self._rescore(request)

    def _rescore(self, request: Any) -> None:
        # A changed score changes every reaction of that type already given.
        fixed = recount_all()
        messages.info(request, f"Reaction scores recomputed ({len(fixed)} counters changed).")
