"""The poll part of the start-thread form (also the "add a poll" page) and the ballot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import ResultsShown
from .services import MAX_OPTIONS, PollDraft, check_poll


class PollForm(forms.Form):
    """Optional on the start-thread form: an empty question means no poll."""

    question = forms.CharField(label="Poll question", required=False, max_length=200)
    options = forms.CharField(
        label="Options, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Between 2 and {MAX_OPTIONS} options.",
    )
    # Not required: a start-thread form without the poll fields (an API client, an old
    # page) means no poll, not an error.
    max_choices = forms.IntegerField(
        label="Choices a voter may pick",
        min_value=1,
        max_value=MAX_OPTIONS,
        initial=1,
        required=False,
    )
    closes_at = forms.DateTimeField(
        label="Closes (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    allow_change = forms.BooleanField(label="Voters may change their vote", required=False)
    results = forms.ChoiceField(
        label="Show results",
        choices=ResultsShown.choices,
        initial=ResultsShown.ALWAYS,
        required=False,
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required = required

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        question = (data.get("question") or "").strip()
        lines = (data.get("options") or "").splitlines()
        if not question and not any(line.strip() for line in lines):
            if self.required:
                raise ValidationError("Write the poll's question and its options.")
            data["draft"] = None
            return data
        if self.errors:
            return data
        draft = PollDraft(
            question=question,
            options=tuple(lines),
            max_choices=data.get("max_choices") or 1,
            closes_at=data.get("closes_at"),
            allow_change=bool(data.get("allow_change")),
            results=data.get("results") or ResultsShown.ALWAYS,
        )
        data["draft"] = check_poll(draft)
        return data
