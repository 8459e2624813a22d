"""Forms of the live-event pages: they check the shape of the input; the services apply the
rules (validation.py) again, whoever calls them."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .validation import POST_LIMIT_RANGE, SUMMARY_MAX, slow_mode_choices

TIME_FORMAT = "%Y-%m-%dT%H:%M"


class LiveEventForm(forms.Form):
    slow_mode_seconds = forms.TypedChoiceField(
        label="Slow mode",
        coerce=int,
        choices=slow_mode_choices,
        initial=0,
        help_text="The least time between two posts of one member (moderators are exempt).",
    )
    post_limit = forms.IntegerField(
        label="Posts per part",
        min_value=POST_LIMIT_RANGE[0],
        max_value=POST_LIMIT_RANGE[1],
        help_text="Past this many posts the thread closes and continues in a new part.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["post_limit"].initial = settings.PARLEY_LIVE_EVENT_POST_LIMIT


class EntryForm(forms.Form):
    summary = forms.CharField(
        label="One-line summary",
        max_length=SUMMARY_MAX,
        widget=forms.TextInput(attrs={"maxlength": SUMMARY_MAX, "autocomplete": "off"}),
    )
    happened_at = forms.DateTimeField(
        label="When it happened",
        required=False,
        input_formats=[TIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_FORMAT),
        help_text="Leave empty for the time of the post.",
    )


class PinForm(EntryForm):
    post = forms.CharField(
        label="Post",
        max_length=300,
        help_text="The post's link (its date or #number) or its id.",
    )
    field_order = ["post", "summary", "happened_at"]
