"""Sources, labels and forum policies in the Django admin. Every save and delete goes
through the services (the same checks, the cache of the source map dropped, the cards of
linking posts re-cooked): the admin never writes these rows itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from . import services
from .models import Label, Source, SourcePolicy


class SourceAdminForm(forms.ModelForm):
    aliases_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Aliases",
        help_text="Other domains of the same outlet, one a line.",
    )

    class Meta:
        model = Source
        fields = ["domain", "name", "country", "kind", "labels", "trusted"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(
                self.instance.aliases.values_list("domain", flat=True)
            )

    def alias_list(self) -> list[str]:
        text = self.cleaned_data.get("aliases_text", "")
        return [x.strip() for x in text.splitlines() if x.strip()]

    def clean(self) -> dict[str, Any]:
        """The service's own checks, as form errors (never a 500 at save time)."""
        data = super().clean() or {}
        if "domain" in data:
            try:
                services.checked_domains(
                    data["domain"], self.alias_list(), source_id=self.instance.pk
                )
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data

    def validate_unique(self) -> None:
        """Domains are compared once cleaned, by `clean` (the raw text may differ)."""


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["domain", "name", "country", "kind", "trusted"]
    list_filter = ["kind", "trusted", "labels"]
    search_fields = ["domain", "name", "aliases__domain"]
    filter_horizontal = ["labels"]

    def save_model(self, request: Any, obj: Source, form: Any, change: bool) -> None:
        data = form.cleaned_data
        aliases = form.alias_list()
        current = Source.objects.get(pk=obj.pk) if change else None
        saved = services.save_source(
            actor=request.user,
            source=current,
            domain=data["domain"],
            name=data.get("name", ""),
            country=str(data.get("country") or ""),
            kind=data.get("kind", ""),
            trusted=data.get("trusted", False),
            label_ids=[label.pk for label in data.get("labels", [])],
            aliases=aliases,
        )
        obj.pk = saved.pk

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The service already set the labels (and the aliases)."""

    def delete_model(self, request: Any, obj: Source) -> None:
        services.delete_source(actor=request.user, source=obj)

    def delete_queryset(self, request: Any, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            services.delete_source(actor=request.user, source=source)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "position"]

    def save_model(self, request: Any, obj: Label, form: Any, change: bool) -> None:
        data = form.cleaned_data
        current = Label.objects.get(pk=obj.pk) if change else None
        saved = services.save_label(
            actor=request.user,
            label=current,
            name=data["name"],
            description=data.get("description", ""),
            position=data.get("position") or 0,
        )
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: Label) -> None:
        services.delete_label(actor=request.user, label=obj)

    def delete_queryset(self, request: Any, queryset: QuerySet[Label]) -> None:
        for label in queryset:
            services.delete_label(actor=request.user, label=label)


@admin.register(SourcePolicy)
class SourcePolicyAdmin(admin.ModelAdmin):
    list_display = ["forum", "source", "action", "reason"]
    list_filter = ["action", "forum"]
    autocomplete_fields = ["source"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return ["forum", "source"] if obj else []

    def save_model(self, request: Any, obj: SourcePolicy, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.set_forum_policy(
            actor=request.user,
            forum=obj.forum,
            source=obj.source,
            action=data["action"],
            reason=data.get("reason", ""),
        )
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request: Any, obj: SourcePolicy) -> None:
        services.set_forum_policy(
            actor=request.user, forum=obj.forum, source=obj.source, action="allow"
        )

    def delete_queryset(self, request: Any, queryset: QuerySet[SourcePolicy]) -> None:
        for policy in queryset.select_related("forum", "source"):
            self.delete_model(request, policy)
