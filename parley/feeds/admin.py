"""News feeds in the admin: staff attach feeds and see each one's state (last fetch, last
error, failures in a row, next try) and the items it brought. Writes go through the
services; the fetch state is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from . import services
from .models import NewsFeed, NewsItem

SETTINGS = [
    "name",
    "url",
    "forum",
    "poster",
    "template",
    "interval_minutes",
    "max_new_items",
    "is_active",
]
STATE = [
    "last_fetched_at",
    "last_success_at",
    "last_status",
    "last_error",
    "failures",
    "next_fetch_at",
    "etag",
    "last_modified",
]


class NewsFeedForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = NewsFeed
        fields = SETTINGS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                services.check_news_feed(
                    url=data["url"],
                    forum=data["forum"],
                    poster=data["poster"],
                    interval_minutes=data["interval_minutes"],
                )
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(NewsFeed)
class NewsFeedAdmin(admin.ModelAdmin):
    form = NewsFeedForm
    list_display = [
        "name",
        "forum",
        "is_active",
        "last_fetched_at",
        "last_status",
        "last_error",
        "failures",
        "next_fetch_at",
    ]
    list_filter = ["is_active", "forum"]
    list_select_related = ["forum"]
    readonly_fields = [*STATE, "recent_items"]
    fieldsets = [
        (None, {"fields": list(SETTINGS)}),
        ("Fetch state", {"fields": [*STATE, "recent_items"]}),
    ]
    raw_id_fields = ["poster"]
    actions = ["fetch_next_run"]

    def save_model(self, request: Any, obj: NewsFeed, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in SETTINGS}
        if change:
            saved = services.change_news_feed(feed=NewsFeed.objects.get(pk=obj.pk), **values)
        else:
            saved = services.attach_news_feed(**values)
        obj.pk = saved.pk

    @admin.display(description="Latest items")
    def recent_items(self, obj: NewsFeed) -> str:
        """The last 20 items and what became of them (all of them: News items, filtered)."""
        if obj.pk is None:
            return "—"
        items = obj.items.select_related("thread").order_by("-seen_at", "-pk")[:20]
        rows = format_html_join(
            "",
            "<li>{} · {} · {}{}</li>",
            (
                (
                    f"{item.seen_at:%Y-%m-%d %H:%M}",
                    item.get_outcome_display(),
                    item.title,
                    f" ({item.note})" if item.note else "",
                )
                for item in items
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "None yet."

    @admin.action(description="Fetch at the next periodic run")
    def fetch_next_run(self, request: HttpRequest, queryset: QuerySet[NewsFeed]) -> None:
        count = services.schedule_news_feeds(feed_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} feed(s) will be fetched at the next run.")


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "outcome", "seen_at", "thread"]
    list_filter = ["outcome", "feed"]
    list_select_related = ["feed", "thread"]
    readonly_fields = [f.name for f in NewsItem._meta.fields]
    search_fields = ["title", "url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
