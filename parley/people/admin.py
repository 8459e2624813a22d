from typing import Any

from django.contrib import admin

from . import services
from .models import ProfileField


@admin.register(ProfileField)
class ProfileFieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "key", "kind", "required", "on_card", "position")
    list_editable = ("position",)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # A definition is configuration, saved here; the members' card copies are data,
        # rewritten through the service.
        super().save_model(request, obj, form, change)
        services.refresh_card_fields()

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        services.refresh_card_fields()
