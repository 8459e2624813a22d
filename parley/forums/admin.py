from typing import Any

from django.contrib import admin, messages

from .models import Category, Forum, Post, ReactionType, Thread
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


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "forum",
        "author",
        "reply_count",
        "is_sticky",
        "is_locked",
        "last_post_at",
    )
    list_filter = ("forum", "is_sticky", "is_locked")
    search_fields = ("title",)
    fields = ("title", "forum", "is_sticky", "is_locked")
    readonly_fields = ("forum",)

    def has_add_permission(self, request: Any) -> bool:
        return False  # threads are started on the site, through the service


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("pk", "thread", "author", "created_at", "format")
    search_fields = ("plain_text",)
    readonly_fields = (
        "thread",
        "author",
        "created_at",
        "source",
        "format",
        "cooked_html",
        "revision",
        "edited_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # posts are edited on the site, which keeps their history


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
