"""Forms validate what a member typed and hand it to services; they never save models."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import Post
from .validation import validate_body, validate_title

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    return uuid.uuid4().hex


class PostForm(forms.Form):
    source = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        required=False,
    )
    format = forms.ChoiceField(choices=Post.Format.choices, initial=Post.Format.BBCODE)
    # A fresh token per opened form: submitting the same form twice finds the first post.
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())

    def clean_source(self) -> str:
        return validate_body(self.cleaned_data.get("source") or "")

    def clean_token(self) -> str | None:
        token = self.cleaned_data.get("token") or ""
        if token and not _TOKEN.match(token):
            raise ValidationError("This form is damaged; reload the page and try again.")
        return token or None


class ThreadForm(PostForm):
    title = forms.CharField(required=False)
    # Set once the member has seen the compose notices and chose to post anyway.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_order = ["title", "source", "format", "token", "confirmed"]

    def clean_title(self) -> str:
        return validate_title(self.cleaned_data.get("title") or "")


class EditForm(PostForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    reason = forms.CharField(
        label="Reason for the edit (shown in the edit history)", max_length=300, required=False
    )
