"""Forms for conversations: they check what was typed; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from parley.forums.forms import PostForm
from parley.forums.validation import validate_title
from parley.members.models import Member

from .models import AcceptFrom


def parse_members(value: str, *, limit: int) -> list[Member]:
    """Comma- or space-separated usernames → members; every name must exist."""
    names = [n.strip().lstrip("@") for n in value.replace(",", " ").split() if n.strip()]
    if not names:
        raise ValidationError("Name at least one member.", code="no_recipients")
    if len(names) > limit:
        raise ValidationError(f"Name at most {limit} members.", code="too_many")
    wanted = {n.lower() for n in names}
    found: list[Member] = list(
        Member.objects.annotate(lname=Lower("username")).filter(lname__in=wanted, is_active=True)
    )
    missing = sorted(wanted - {m.username.lower() for m in found})
    if missing:
        raise ValidationError(f"No member called {', '.join(missing)}.", code="unknown_member")
    return found


class MembersField(forms.CharField):
    def __init__(self, *args: Any, limit: int = 50, **kwargs: Any) -> None:
        self.limit = limit
        kwargs.setdefault("max_length", 1000)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> list[Member]:  # type: ignore[override]
        return parse_members(super().clean(value) or "", limit=self.limit)


class StartForm(PostForm):
    recipients = MembersField(label="To (member names, separated by commas)", required=False)
    title = forms.CharField(required=False, max_length=500)
    open_invite = forms.BooleanField(label="Everyone taking part may invite others", required=False)
    field_order = ["recipients", "title", "source", "format", "open_invite", "token"]

    def clean_title(self) -> str:
        return validate_title(self.cleaned_data.get("title") or "")


class InviteForm(forms.Form):
    members = MembersField(label="Invite (member names)", required=False)


class PreferenceForm(forms.Form):
    accept_from = forms.ChoiceField(
        label="Accept conversations from", choices=AcceptFrom.choices, widget=forms.RadioSelect
    )
