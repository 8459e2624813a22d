from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet

from .models import LinkedPage, LinkFetchLog, PageChange, ProxiedImage
from .tasks import fetch_page, rebake_linking_posts


class FetchLogInline(admin.TabularInline):
    model = LinkFetchLog
    extra = 0
    can_delete = False
    readonly_fields = ("at", "ok", "reason", "final_url", "by")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class PageChangeInline(admin.TabularInline):
    """What the re-checks found (docs/sources.md): read only, written by the fetcher."""

    model = PageChange
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "before", "after")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LinkedPage)
class LinkedPageAdmin(admin.ModelAdmin):
    """Staff see why a fetch failed, correct a card, hide it, or fetch again."""

    list_display = (
        "__str__",
        "status",
        "fail_reason",
        "site_name",
        "fetched_at",
        "is_dead",
        "hidden",
    )
    list_filter = ("status", "is_dead", "hidden", "edited_by_staff")
    search_fields = ("key", "page_title", "headline")
    # What the fetcher and the re-check found (read only), then what staff may correct.
    readonly_fields = (
        *("url", "key", "resolved_key", "status", "fail_reason", "fetched_at", "checked_at"),
        *("attempts", "original_headline", "headline_changed_at", "is_dead"),
    )
    fields = (
        *readonly_fields,
        *("hidden", "page_title", "headline", "site_name", "section", "description", "image"),
        *("image_caption", "image_credit", "author", "published", "article_text"),
    )
    inlines = [PageChangeInline, FetchLogInline]
    actions = ["fetch_again"]

    def save_model(self, request: Any, obj: LinkedPage, form: Any, change: bool) -> None:
        edited = set(form.changed_data) - {"hidden"}
        if edited:
            obj.edited_by_staff = True  # a later fetch must not undo the correction
            if obj.status != LinkedPage.Status.OK and obj.page_title:
                obj.status = LinkedPage.Status.OK
        super().save_model(request, obj, form, change)
        changed = rebake_linking_posts(obj.pk)
        messages.info(request, f"{changed} post(s) re-cooked with the new card.")

    @admin.action(description="Fetch again (undoes staff corrections)")
    def fetch_again(self, request: Any, queryset: QuerySet[LinkedPage]) -> None:
        for page in queryset:
            LinkedPage.objects.filter(pk=page.pk).update(
                edited_by_staff=False, fetched_at=None, status=LinkedPage.Status.PENDING
            )
            fetch_page.enqueue(page.pk)
        messages.info(request, f"{queryset.count()} page(s) queued.")


@admin.register(ProxiedImage)
class ProxiedImageAdmin(admin.ModelAdmin):
    """Images the image proxy holds or could not use, with the reason (read-only)."""

    list_display = ("url", "status", "fail_reason", "fetched_at")
    list_filter = ("status",)
    search_fields = ("url",)
    readonly_fields = ("key", "url", "status", "fail_reason", "file", "fetched_at", "attempts")

    def has_add_permission(self, request: Any) -> bool:
        return False
