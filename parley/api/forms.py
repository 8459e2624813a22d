from __future__ import annotations

from django import forms

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What uses it, for example “news bot” or “my phone”."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        help_text="Moderate only does what your moderator powers already allow.",
    )
