"""The member's form for the profile fields admins define: one form field per definition."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import FieldKind, FieldValue, ProfileField
from .services import clean_value


class FieldValuesForm(forms.Form):
    def __init__(self, member: Any, data: Any = None) -> None:
        super().__init__(data)
        current = dict(
            FieldValue.objects.filter(member_id=member.pk).values_list("field__key", "value")
        )
        self.definitions = {f.key: f for f in ProfileField.objects.all()}
        for key, definition in self.definitions.items():
            self.fields[key] = self._field(definition, current.get(key, ""))

    @staticmethod
    def _field(definition: ProfileField, value: str) -> forms.Field:
        common: dict[str, Any] = {
            "label": definition.label,
            "required": definition.required,
            "initial": value,
        }
        if definition.kind == FieldKind.CHOICE:
            options = [("", "—"), *[(o, o) for o in definition.options]]
            return forms.ChoiceField(choices=options, **common)
        if definition.kind == FieldKind.DATE:
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="YYYY-MM-DD",
                **common,
            )
        return forms.CharField(max_length=definition.max_length, **common)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, value in list(data.items()):
            try:
                data[key] = clean_value(self.definitions[key], value)
            except ValueError as exc:
                self.add_error(key, str(exc))
        return data
