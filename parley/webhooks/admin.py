"""Webhooks in the admin: staff register endpoints (through the services) and read the
delivery log; a disabled endpoint shows why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

SETTINGS = ["name", "url", "events", "public_only", "is_active"]


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = SETTINGS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                services.check_endpoint(url=data["url"], events=list(data["events"]))
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = [
        "name",
        "url",
        "is_active",
        "failures_in_row",
        "last_delivery_at",
        "last_response_code",
        "disabled_reason",
    ]
    list_filter = ["is_active"]
    readonly_fields = [
        "secret",
        "created_at",
        "failures_in_row",
        "disabled_at",
        "disabled_reason",
        "last_delivery_at",
        "last_response_code",
    ]
    actions = ["new_secret"]

    def save_model(self, request: Any, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in SETTINGS}
        values["events"] = list(values["events"])
        if change:
            saved = services.change_endpoint(
                endpoint=WebhookEndpoint.objects.get(pk=obj.pk), **values
            )
        else:
            saved = services.register_endpoint(**values)
        obj.pk = saved.pk

    @admin.action(description="Give the selected endpoints a new signing secret")
    def new_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.rotate_secret(endpoint=endpoint)
        self.message_user(request, "New secrets made; give them to the receivers.")


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "ok", "response_code", "duration_ms", "error"]
    readonly_fields = ["at", "ok", "response_code", "duration_ms", "error"]
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_response_code",
        "created_at",
        "delivered_at",
        "next_try_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [AttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
