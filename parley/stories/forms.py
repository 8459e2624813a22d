from __future__ import annotations

from django import forms


class SplitForm(forms.Form):
    page_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class MergeForm(forms.Form):
    other = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        label="Story number to merge into this one",
        error_messages={"invalid": "Give the other story's number (digits only)."},
    )


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, strip=True, label="Headline contains")
