"""Forms of the staff pages: they validate input; the services decide and write."""

from __future__ import annotations

from django import forms
from django_countries.fields import CountryField

from parley.forums.models import Forum

from .models import Action, Label, Source


class SourceForm(forms.Form):
    domain = forms.CharField(max_length=253, help_text="The site's main domain, e.g. example.org")
    name = forms.CharField(max_length=120, required=False, label="Display name")
    country = CountryField(blank=True).formfield(required=False)
    kind = forms.ChoiceField(choices=[("", "—"), *Source.Kind.choices], required=False)
    labels = forms.ModelMultipleChoiceField(
        queryset=Label.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other domains of the same outlet, one a line (subdomains such as www. "
        "and m. need no alias).",
        max_length=4000,
    )
    trusted = forms.BooleanField(
        required=False,
        label="Trusted: links to it do not count against newcomers' link limits",
    )

    def alias_list(self) -> list[str]:
        return [x.strip() for x in self.cleaned_data["aliases"].splitlines() if x.strip()]


class PolicyForm(forms.Form):
    forum = forms.ModelChoiceField(queryset=Forum.objects.order_by("title"))
    action = forms.ChoiceField(choices=Action.choices)
    reason = forms.CharField(
        max_length=200, required=False, label="Reason shown to members (optional)"
    )
