"""The tags-and-prefix fields of the start-thread form and of the thread's own edit form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import TagMode
from .normalise import split_tags
from .services import check_prefix, check_tags, tagging_for


class LabelsForm(forms.Form):
    prefix_id = forms.TypedChoiceField(
        label="Prefix", required=False, coerce=int, empty_value=None, choices=()
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=500,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, forum: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forum = forum
        self.rule = tagging_for(forum)
        prefixes = list(forum.prefixes.all())
        if prefixes:
            field = self.fields["prefix_id"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "(none)")] + [(p.pk, p.label) for p in prefixes]
        else:
            del self.fields["prefix_id"]
        if self.rule.mode == TagMode.OFF:
            del self.fields["tags"]
        else:
            tags_field = self.fields["tags"]
            limit = f"At most {self.rule.max_tags}, separated by commas."
            if self.rule.mode == TagMode.LIST and self.rule.pk:
                names = ", ".join(self.rule.allowed.values_list("name", flat=True))
                limit += f" Choose from: {names}."
            tags_field.help_text = limit

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)

    def clean_tags(self) -> list[str]:
        names = split_tags(self.cleaned_data.get("tags") or "")
        try:
            check_tags(self.forum, names)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return names

    def clean_prefix_id(self) -> int | None:
        prefix_id = self.cleaned_data.get("prefix_id")
        check_prefix(self.forum, prefix_id)
        return prefix_id
