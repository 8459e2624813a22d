from typing import Any

from django import forms
from django.contrib import admin

from .models import ForumModerator, Grant, Group, Power, PromotionRule


class GrantInline(admin.TabularInline):
    model = Grant
    fk_name = "group"
    extra = 0
    fields = ("permission", "value", "category", "forum", "edit_window_minutes")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "description")
    filter_horizontal = ("members",)
    inlines = [GrantInline]
    readonly_fields = ("key",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not (obj is not None and obj.key)  # the built-in groups stay


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("permission", "value", "group", "member", "category", "forum")
    list_filter = ("permission", "value", "group")
    raw_id_fields = ("member",)


class ModeratorForm(forms.ModelForm):
    powers = forms.MultipleChoiceField(
        choices=Power.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ForumModerator
        fields = ("forum", "member", "group", "powers")


@admin.register(ForumModerator)
class ForumModeratorAdmin(admin.ModelAdmin):
    form = ModeratorForm
    list_display = ("forum", "member", "group", "powers")
    raw_id_fields = ("member",)


@admin.register(PromotionRule)
class PromotionRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "group",
        "min_messages",
        "min_reaction_score",
        "min_days_joined",
        "require_no_warning_points",
        "remove_when_unmet",
        "is_active",
    )
