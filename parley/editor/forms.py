"""Input of the editor endpoints. They validate shape only; services apply the rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from parley.forums.models import Post

from .quotes import MAX_PART_CHARS, MAX_QUOTES, Wanted


class PreviewForm(forms.Form):
    source = forms.CharField(strip=False, required=False)
    format = forms.ChoiceField(choices=Post.Format.choices)
    # The compose form's token: uploads made in it show in the preview as in the post.
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False)

    def clean_source(self) -> str:
        source: str = self.cleaned_data.get("source") or ""
        limit = settings.PARLEY_MAX_POST_LENGTH
        if len(source) > limit:
            raise ValidationError(
                f"Keep the post to {limit:,} characters (it has {len(source):,}).",
                code="long_post",
            )
        return source


class DraftForm(forms.Form):
    source = forms.CharField(strip=False, required=False)
    format = forms.CharField(required=False)
    title = forms.CharField(required=False, strip=False)
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False)


class QuotesForm(forms.Form):
    """`quotes` is the client's list as JSON: [{"post": 12, "text": "selected part"}, …]."""

    quotes = forms.CharField()
    format = forms.ChoiceField(choices=Post.Format.choices)

    def clean_quotes(self) -> list[Wanted]:
        bad = ValidationError("The list of quotes is damaged; collect them again.")
        try:
            raw: Any = json.loads(self.cleaned_data["quotes"])
        except ValueError:
            raise bad from None
        if not isinstance(raw, list) or not raw:
            raise bad
        if len(raw) > MAX_QUOTES:
            raise ValidationError(f"Insert at most {MAX_QUOTES} quotes at once.")
        wanted = []
        for item in raw:
            if not isinstance(item, dict):
                raise bad
            post_id, part = item.get("post"), item.get("text", "")
            if isinstance(post_id, str) and post_id.isascii() and post_id.isdigit():
                post_id = int(post_id)
            if not isinstance(post_id, int) or isinstance(post_id, bool):
                raise bad
            if not 0 < post_id < 2**63 or not isinstance(part, str):
                raise bad
            wanted.append(Wanted(post_id, part[:MAX_PART_CHARS]))
        return wanted
