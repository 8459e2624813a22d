"""Polls in the admin: settings change through `services.update_poll`; options and every
counter are read-only and ballots are not shown, so the admin can never make a count wrong."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import Poll, PollOption


class OptionInline(admin.TabularInline):
    model = PollOption
    fields = ["text", "position", "vote_count"]
    readonly_fields = ["text", "position", "vote_count"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "thread", "voter_count", "closes_at"]
    fields = [
        "thread",
        "question",
        "max_choices",
        "closes_at",
        "allow_change",
        "results",
        "voter_count",
        "created_at",
    ]
    readonly_fields = ["thread", "voter_count", "created_at"]
    inlines = [OptionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a poll belongs to a thread: its starter adds it there

    def save_model(self, request: HttpRequest, obj: Poll, form: Any, change: bool) -> None:
        services.update_poll(
            actor=request.user,
            poll=obj,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )
